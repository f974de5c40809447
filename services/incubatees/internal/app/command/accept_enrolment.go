package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
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

// AcceptEnrolmentRepository is what AcceptEnrolmentHandler needs.
type AcceptEnrolmentRepository interface {
	opener
	mover
	Transaction(ctx context.Context, fn func(ctx context.Context) error) error
	Update(ctx context.Context, actor app.Actor, id string, fn UpdateFunc) error
	LockEnrolmentOffer(ctx context.Context, id string) (*domain.EnrolmentOffer, error)
	GetMembership(ctx context.Context, companyID, userID string) (domain.Membership, error)
	SaveEnrolmentOffer(ctx context.Context, actor app.Actor, o *domain.EnrolmentOffer, action string, ev events.Payload) error
	Audit(ctx context.Context, e app.AuditEntry) error
}

// AcceptEnrolmentHandler accepts enrolment offers.
type AcceptEnrolmentHandler struct {
	repo  AcceptEnrolmentRepository
	authz *authz.Enforcer
	now   func() time.Time
}

// NewAcceptEnrolmentHandler returns the handler over repo.
func NewAcceptEnrolmentHandler(repo AcceptEnrolmentRepository, e *authz.Enforcer, now func() time.Time) AcceptEnrolmentHandler {
	return AcceptEnrolmentHandler{repo: repo, authz: e, now: now}
}

// Handle opens the residency (admitted, moved in when the offer said so),
// or confirms one the carrier had opened on its own before; from now on
// the carrier's staff see the company as they see any resident.
func (h AcceptEnrolmentHandler) Handle(ctx context.Context, cmd AcceptEnrolment) (app.EnrolmentView, *domain.Residency, error) {
	if cmd.Actor.UserID == "" {
		return app.EnrolmentView{}, nil, unauthenticated()
	}
	var out app.EnrolmentView
	var r *domain.Residency
	err := h.repo.Transaction(ctx, func(ctx context.Context) error {
		o, err := h.offer(ctx, cmd.Actor, cmd.OfferID)
		if err != nil {
			return err
		}
		now := h.now()
		if err := o.Accept(cmd.Actor.UserID, "", now); err != nil {
			return err
		}
		carrier, err := h.repo.GetCarrier(ctx, o.CarrierID)
		if err != nil {
			return err
		}
		r, err = h.repo.OpenResidencyAt(ctx, o.CompanyID, carrier.ID)
		switch {
		case err == nil && r.Consented():
			return apperr.ConflictErr("residency-exists").With("carrier_name", carrier.NameZH)
		case err == nil:
			if err := h.repo.Update(ctx, cmd.Actor, r.ID(), func(_ context.Context, x *domain.Residency) ([]events.Payload, error) {
				r = x
				return nil, x.ConfirmByOffer(o.ID, now)
			}); err != nil {
				return err
			}
			if err := h.repo.LinkCarrier(ctx, o.CompanyID, carrier.ID, now); err != nil {
				return err
			}
			// Confirming publishes no residency event; its audit line stands alone.
			if err := h.repo.Audit(ctx, app.AuditEntry{Actor: cmd.Actor.UserID, Action: "residency.confirm", ObjectID: r.ID(), RegionID: r.RegionID(),
				CarrierID: r.CarrierID(), CompanyID: r.CompanyID(), Detail: map[string]any{"enrolment_offer_id": o.ID}}); err != nil {
				return err
			}
		case apperr.Is(err, apperr.NotFound):
			admitted := now
			if o.AdmittedOn != nil {
				admitted = *o.AdmittedOn
			} else if o.MoveIn != nil {
				admitted = o.MoveIn.On
			}
			if r, err = openResidency(ctx, h.repo, cmd.Actor, o.CompanyID, carrier, domain.ResidencySource{EnrolmentOfferID: o.ID}, admitted, now); err != nil {
				return err
			}
			if o.MoveIn != nil {
				if err := h.repo.Update(ctx, cmd.Actor, r.ID(), func(ctx context.Context, x *domain.Residency) ([]events.Payload, error) {
					r = x
					return moveIn(ctx, h.repo, x, *o.MoveIn, now)
				}); err != nil {
					return err
				}
			}
		default:
			return err
		}
		o.ResidencyID = r.ID()
		co, err := h.repo.GetCompany(ctx, o.CompanyID)
		if err != nil {
			return err
		}
		out = app.EnrolmentView{EnrolmentOffer: *o, CompanyNameZH: co.Fields.NameZH, CarrierNameZH: carrier.NameZH, CarrierNameEN: carrier.NameEN}
		return h.repo.SaveEnrolmentOffer(ctx, cmd.Actor, o, "enrolment.accept", events.EnrolmentAcceptedV1{EnrolmentV1: app.EnrolmentPayload(o)})
	})
	if err != nil {
		return app.EnrolmentView{}, nil, err
	}
	return out, r, nil
}

// offer locks an offer the caller answers as its company's admin: 404 to
// whoever may not see the offer, 403 to those who may but are not the
// company's admin.
func (h AcceptEnrolmentHandler) offer(ctx context.Context, actor app.Actor, id string) (*domain.EnrolmentOffer, error) {
	o, err := h.repo.LockEnrolmentOffer(ctx, id)
	if err != nil {
		return nil, err
	}
	m, err := h.repo.GetMembership(ctx, o.CompanyID, actor.UserID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err == nil && m.Status == domain.Active && m.Role == domain.CompanyAdmin {
		return o, nil
	}
	if app.CanSeeOffer(h.authz, actor, o) {
		return nil, apperr.ForbiddenErr("not-company-admin")
	}
	return nil, apperr.NotFoundErr("enrolment-not-found")
}
