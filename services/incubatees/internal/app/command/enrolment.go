package command

import (
	"context"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Direct enrolment: a carrier records a company that is already at the
// carrier (from before Incuchain, or outside an intake call). It is
// two-sided, because a residency gives the carrier's staff the company's
// profile, members, chain, reports and ladder: the carrier offers, and
// only the company's admin opens the residency by accepting
// (AcceptEnrolment). A pending, declined or withdrawn offer gives the
// carrier nothing of the company.

// EnrolmentFunc changes a loaded offer and returns the events to publish.
type EnrolmentFunc = ChangeFunc[*domain.EnrolmentOffer, []events.Payload]

// EnrolmentOfferRepository is the offer aggregate's repository; its
// Update locks the offer until the transaction ends.
type EnrolmentOfferRepository interface {
	adder[*domain.EnrolmentOffer]
	updater[*domain.EnrolmentOffer, []events.Payload]
}

// OfferEnrolment is a carrier's admin proposing to record a company of
// its region as its resident.
type OfferEnrolment struct {
	Actor     app.Actor
	CarrierID string
	app.OfferEnrolmentInput
}

// OfferEnrolmentRepository is what OfferEnrolmentHandler reads.
type OfferEnrolmentRepository interface {
	residencyReads
	transactor
	CompanyByUSCC(ctx context.Context, regionID string, uscc domain.USCC) (*domain.Company, error)
	PendingEnrolmentOffer(ctx context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error)
	OpenResidencyAt(ctx context.Context, companyID, carrierID string) (*domain.Residency, error)
}

// OfferEnrolmentHandler makes offers.
type OfferEnrolmentHandler struct {
	handlerWith[OfferEnrolmentRepository, EnrolmentOfferRepository]
}

// NewOfferEnrolmentHandler returns the handler over its repositories.
var NewOfferEnrolmentHandler = newHandlerWith[OfferEnrolmentHandler, OfferEnrolmentRepository, EnrolmentOfferRepository]

// Handle records the offer. The answer tells the carrier nothing of the
// company beyond what it named it by.
func (h OfferEnrolmentHandler) Handle(ctx context.Context, cmd OfferEnrolment) (app.EnrolmentView, error) {
	return app.SignedInWithin(ctx, cmd.Actor, h.repo.Transaction, func(ctx context.Context) (app.EnrolmentView, error) {
		carrier, err := app.AuthorizeCarrier(ctx, h.repo, h.authz, cmd.Actor, cmd.CarrierID, "residency", "create")
		if err != nil {
			return app.EnrolmentView{}, err
		}
		co, ref, err := h.company(ctx, carrier, cmd.OfferEnrolmentInput)
		if err != nil {
			return app.EnrolmentView{}, err
		}
		if _, err := h.repo.PendingEnrolmentOffer(ctx, co.ID, carrier.ID); err == nil {
			return app.EnrolmentView{}, apperr.ConflictErr("enrolment-pending")
		} else if !apperr.Is(err, apperr.NotFound) {
			return app.EnrolmentView{}, err
		}
		// A residency the company already consented to needs no offer; one
		// the carrier opened on its own before is confirmed by this offer.
		if r, err := h.repo.OpenResidencyAt(ctx, co.ID, carrier.ID); err == nil && r.Consented() {
			return app.EnrolmentView{}, apperr.ConflictErr("residency-exists").With("carrier_name", carrier.NameZH)
		} else if err != nil && !apperr.Is(err, apperr.NotFound) {
			return app.EnrolmentView{}, err
		}
		in := cmd.OfferEnrolmentInput
		o, err := domain.NewEnrolmentOffer(events.NewID(), co.ID, ref, carrier.ID, carrier.RegionID, in.AdmittedOn, in.MoveIn, in.Note, cmd.Actor.UserID, h.now())
		if err != nil {
			return app.EnrolmentView{}, err
		}
		out := app.EnrolmentView{EnrolmentOffer: *o, CarrierNameZH: carrier.NameZH, CarrierNameEN: carrier.NameEN}
		return out, h.aggregates.Add(ctx, cmd.Actor, o, events.EnrolmentOfferedV1{EnrolmentV1: app.EnrolmentPayload(o)})
	})
}

// company is the company of the carrier's region that in names, by its
// id or its USCC (exactly one), and what it was named by.
func (h OfferEnrolmentHandler) company(ctx context.Context, carrier app.Carrier, in app.OfferEnrolmentInput) (*domain.Company, string, error) {
	id, uscc := strings.TrimSpace(in.CompanyID), strings.ToUpper(strings.TrimSpace(in.USCC))
	v := apperr.NewValidation("invalid-enrolment")
	v.Check(id == "" && uscc == "", "company_id", "required")
	v.Check(id != "" && uscc != "", "uscc", "one_of_company_id_uscc")
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	var co *domain.Company
	var err error
	field, ref := "company_id", id
	if id != "" {
		co, err = h.repo.GetCompany(ctx, id)
	} else {
		field, ref = "uscc", uscc
		code, uerr := domain.ParseUSCC(uscc)
		if uerr != nil {
			return nil, "", apperr.NewValidation("invalid-enrolment").Add("uscc", uerr.Code, uerr.Params()...).Err()
		}
		co, err = h.repo.CompanyByUSCC(ctx, carrier.RegionID, code)
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, "", err
	}
	if err != nil || co.RegionID != carrier.RegionID {
		return nil, "", apperr.NewValidation("invalid-enrolment").Add(field, "company_not_in_region").Err()
	}
	return co, ref, nil
}

// AnswerEnrolmentRepository is what the company's and the carrier's
// answers read.
type AnswerEnrolmentRepository interface {
	residencyReads
	membershipReader
}

// answerAsCompany lets the company's admin answer o: 404 to whoever may
// not see the offer, 403 to those who may but are not the company's admin.
func answerAsCompany(ctx context.Context, repo membershipReader, e *authz.Enforcer, actor app.Actor, o *domain.EnrolmentOffer) error {
	return companyAdmin(ctx, repo, actor, o.CompanyID(), app.CanSeeOffer(e, actor, o), "enrolment-not-found")
}

// DeclineEnrolment is the company's admin refusing an offer.
type DeclineEnrolment struct {
	Actor   app.Actor
	OfferID string
	Reason  string
}

// DeclineEnrolmentHandler declines offers.
type DeclineEnrolmentHandler struct {
	handlerWith[AnswerEnrolmentRepository, EnrolmentOfferRepository]
}

// NewDeclineEnrolmentHandler returns the handler over its repositories.
var NewDeclineEnrolmentHandler = newHandlerWith[DeclineEnrolmentHandler, AnswerEnrolmentRepository, EnrolmentOfferRepository]

// Handle declines a pending offer, with an optional reason.
func (h DeclineEnrolmentHandler) Handle(ctx context.Context, cmd DeclineEnrolment) (app.EnrolmentView, error) {
	return answerOffer(ctx, h.aggregates, h.repo, cmd.Actor, cmd.OfferID, true, func(ctx context.Context, o *domain.EnrolmentOffer) (events.Payload, error) {
		if err := answerAsCompany(ctx, h.repo, h.authz, cmd.Actor, o); err != nil {
			return nil, err
		}
		if err := o.Decline(cmd.Actor.UserID, cmd.Reason, h.now()); err != nil {
			return nil, err
		}
		return events.EnrolmentDeclinedV1{EnrolmentV1: app.EnrolmentPayload(o)}, nil
	})
}

// WithdrawEnrolment is the offering carrier taking back a pending offer.
type WithdrawEnrolment struct {
	Actor   app.Actor
	OfferID string
}

// WithdrawEnrolmentHandler withdraws offers.
type WithdrawEnrolmentHandler struct {
	handlerWith[residencyReads, EnrolmentOfferRepository]
}

// NewWithdrawEnrolmentHandler returns the handler over its repositories.
var NewWithdrawEnrolmentHandler = newHandlerWith[WithdrawEnrolmentHandler, residencyReads, EnrolmentOfferRepository]

// Handle withdraws the offer for the carrier's admins: 403 to who may
// only see it, 404 to everyone else.
func (h WithdrawEnrolmentHandler) Handle(ctx context.Context, cmd WithdrawEnrolment) (app.EnrolmentView, error) {
	return answerOffer(ctx, h.aggregates, h.repo, cmd.Actor, cmd.OfferID, false, func(ctx context.Context, o *domain.EnrolmentOffer) (events.Payload, error) {
		if err := h.authz.Decide(authz.Request{UserID: cmd.Actor.UserID, Scopes: []authz.Scope{{RegionID: o.RegionID(), CarrierID: o.CarrierID()}},
			Object: "residency", Action: "create", NotFound: "enrolment-not-found",
			CanSee: func() (bool, error) { return app.CanSeeOffer(h.authz, cmd.Actor, o), nil }}); err != nil {
			return nil, err
		}
		if err := o.Withdraw(cmd.Actor.UserID, h.now()); err != nil {
			return nil, err
		}
		return events.EnrolmentWithdrawnV1{EnrolmentV1: app.EnrolmentPayload(o)}, nil
	})
}

// answerOffer is the shape of an answer to a pending offer (accept,
// decline, withdraw): for a signed-in actor, step decides and changes the
// offer in the repository's transaction and names its event; the answer
// is the offer as the side that took the step sees it (companySide: with
// the company's name).
func answerOffer(ctx context.Context, offers EnrolmentOfferRepository, repo residencyReads, actor app.Actor, id string, companySide bool,
	step func(ctx context.Context, o *domain.EnrolmentOffer) (events.Payload, error)) (app.EnrolmentView, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return app.EnrolmentView{}, err
	}
	var out app.EnrolmentView
	err := offers.Update(ctx, actor, id, func(ctx context.Context, o *domain.EnrolmentOffer) ([]events.Payload, error) {
		ev, err := step(ctx, o)
		if err != nil {
			return nil, err
		}
		if out, err = enrolmentView(ctx, repo, o, companySide); err != nil {
			return nil, err
		}
		return []events.Payload{ev}, nil
	})
	if err != nil {
		return app.EnrolmentView{}, err
	}
	return out, nil
}
