package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// AcceptEnrolment is the company's admin consenting to a carrier's
// direct enrolment offer.
type AcceptEnrolment struct {
	Actor   app.Actor
	OfferID string
}

// AcceptEnrolmentRepository is what AcceptEnrolmentHandler reads, and
// the residency it opens or confirms.
type AcceptEnrolmentRepository interface {
	opener
	mover
	membershipReader
	residencyUpdater
	Audit(ctx context.Context, e app.AuditEntry) error
}

// AcceptEnrolmentHandler accepts enrolment offers.
type AcceptEnrolmentHandler struct {
	handlerWith[AcceptEnrolmentRepository, EnrolmentOfferRepository]
}

// NewAcceptEnrolmentHandler returns the handler over its repositories.
var NewAcceptEnrolmentHandler = newHandlerWith[AcceptEnrolmentHandler, AcceptEnrolmentRepository, EnrolmentOfferRepository]

// Handle opens the residency (admitted, moved in when the offer said so),
// or confirms one the carrier had opened on its own before; from now on
// the carrier's staff see the company as they see any resident. The
// offer's repository holds the offer locked while the residency changes,
// in one transaction.
func (h AcceptEnrolmentHandler) Handle(ctx context.Context, cmd AcceptEnrolment) (app.EnrolmentView, *domain.Residency, error) {
	var r *domain.Residency
	out, err := answerOffer(ctx, h.aggregates, h.repo, cmd.Actor, cmd.OfferID, true, func(ctx context.Context, o *domain.EnrolmentOffer) (events.Payload, error) {
		if err := answerAsCompany(ctx, h.repo, h.authz, cmd.Actor, o); err != nil {
			return nil, err
		}
		if err := o.CanAccept(); err != nil {
			return nil, err
		}
		now := h.now()
		carrier, err := h.repo.GetCarrier(ctx, o.CarrierID())
		if err != nil {
			return nil, err
		}
		if r, err = h.residency(ctx, cmd.Actor, o, carrier, now); err != nil {
			return nil, err
		}
		if err := o.Accept(cmd.Actor.UserID, r.ID(), now); err != nil {
			return nil, err
		}
		return events.EnrolmentAcceptedV1{EnrolmentV1: app.EnrolmentPayload(o)}, nil
	})
	if err != nil {
		return app.EnrolmentView{}, nil, err
	}
	return out, r, nil
}

// residency opens the residency the offer describes, or confirms the one
// the carrier opened on its own before; one the company consented to
// already is a conflict.
func (h AcceptEnrolmentHandler) residency(ctx context.Context, actor app.Actor, o *domain.EnrolmentOffer, carrier app.Carrier, now time.Time) (*domain.Residency, error) {
	r, err := h.repo.OpenResidencyAt(ctx, o.CompanyID(), carrier.ID)
	switch {
	case err == nil && r.Consented():
		return nil, apperr.ConflictErr("residency-exists").With("carrier_name", carrier.NameZH)
	case err == nil:
		if err := h.repo.Update(ctx, actor, r.ID(), func(ctx context.Context, x *domain.Residency) ([]events.Payload, error) {
			r = x
			if err := x.ConfirmByOffer(o.ID(), now); err != nil {
				return nil, err
			}
			return h.flag(ctx, x, carrier, o)
		}); err != nil {
			return nil, err
		}
		if err := h.repo.LinkCarrier(ctx, o.CompanyID(), carrier.ID, now); err != nil {
			return nil, err
		}
		// Confirming publishes no residency event but the dual flag; its audit line stands alone.
		return r, h.repo.Audit(ctx, app.AuditEntry{Actor: actor.UserID, Action: "residency.confirm", ObjectID: r.ID(), RegionID: r.RegionID(),
			CarrierID: r.CarrierID(), CompanyID: r.CompanyID(), Detail: map[string]any{"enrolment_offer_id": o.ID()}})
	case apperr.Is(err, apperr.NotFound):
		admitted := now
		if on := o.AdmittedOn(); on != nil {
			admitted = *on
		} else if m := o.MoveIn(); m != nil {
			admitted = m.On
		}
		if r, err = openResidency(ctx, h.repo, actor, o.CompanyID(), carrier, domain.ResidencySource{EnrolmentOfferID: o.ID()}, admitted, now); err != nil {
			return nil, err
		}
		if m := o.MoveIn(); m != nil {
			if err := h.repo.Update(ctx, actor, r.ID(), func(ctx context.Context, x *domain.Residency) ([]events.Payload, error) {
				r = x
				return moveIn(ctx, h.repo, x, *m, now)
			}); err != nil {
				return nil, err
			}
		}
		return r, nil
	default:
		return nil, err
	}
}

// flag is the dual-residency flag of r, a residency the company confirmed
// through offer o: it enters the carrier's count now.
func (h AcceptEnrolmentHandler) flag(ctx context.Context, r *domain.Residency, carrier app.Carrier, o *domain.EnrolmentOffer) ([]events.Payload, error) {
	co, err := h.repo.GetCompany(ctx, r.CompanyID())
	if err != nil {
		return nil, err
	}
	return dualFlag(ctx, h.repo, co, r, carrier, domain.ResidencySource{EnrolmentOfferID: o.ID()})
}
