package app

import (
	"context"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Direct enrolment: a carrier records a company that is already at the
// carrier (from before Incuchain, or outside an intake call). It is
// two-sided, because a residency gives the carrier's staff the company's
// profile, members, chain, reports and ladder: the carrier offers, and
// only the company's admin opens the residency by accepting. A pending,
// declined or withdrawn offer gives the carrier nothing of the company.

// EnrolmentTx stores enrolment offers.
type EnrolmentTx interface {
	InsertEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error
	UpdateEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error
	// LockEnrolmentOffer reads an offer and holds it until the transaction ends.
	LockEnrolmentOffer(ctx context.Context, id string) (*domain.EnrolmentOffer, error)
	// PendingEnrolmentOffer is the company's pending offer from a carrier (NotFound when none).
	PendingEnrolmentOffer(ctx context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error)
	ListEnrolmentOffers(ctx context.Context, f EnrolmentFilter, p list.Params) ([]EnrolmentView, int, error)
}

// EnrolmentFilter narrows an offer list to a carrier's or a company's.
type EnrolmentFilter struct {
	CarrierID string
	CompanyID string
	Status    domain.EnrolmentStatus
}

// EnrolmentView is an offer with the names lists show beside it.
// CompanyNameZH is blank where the caller may not see the company (a
// carrier's offer the company has not accepted).
type EnrolmentView struct {
	domain.EnrolmentOffer
	CompanyNameZH string
	CarrierNameZH string
	CarrierNameEN string
}

// OfferEnrolmentInput names the company by its id or its USCC (what a
// carrier knows of a company it hosts), with the residency's facts.
type OfferEnrolmentInput struct {
	CompanyID  string
	USCC       string
	AdmittedOn *time.Time
	MoveIn     *domain.MoveInFacts
	Note       string
}

// EnrolmentPayload is an offer as its events carry it.
func EnrolmentPayload(o *domain.EnrolmentOffer) events.EnrolmentV1 {
	return events.EnrolmentV1{OfferID: o.ID, CompanyID: o.CompanyID, RegionID: o.RegionID, CarrierID: o.CarrierID,
		Status: string(o.Status), ResidencyID: o.ResidencyID, Reason: o.Reason}
}

func (a *App) enrolmentChanged(ctx context.Context, tx Tx, actor Actor, o *domain.EnrolmentOffer, action string, p events.Payload) error {
	if err := a.publish(ctx, tx, events.Scope{RegionID: o.RegionID, CarrierID: o.CarrierID}, actor, o.ID, p); err != nil {
		return err
	}
	return tx.Audit(ctx, EnrolmentAudit(actor, action, o))
}

// EnrolmentAudit is an offer's audit line.
func EnrolmentAudit(actor Actor, action string, o *domain.EnrolmentOffer) AuditEntry {
	return AuditEntry{Actor: actor.UserID, Action: action, ObjectID: o.ID, RegionID: o.RegionID, CarrierID: o.CarrierID,
		CompanyID: o.CompanyID, Detail: map[string]any{"status": string(o.Status), "residency_id": o.ResidencyID}}
}

// OfferEnrolment is a carrier's admin proposing to record a company of its
// region as its resident. The answer tells the carrier nothing of the
// company beyond what it named it by.
func (a *App) OfferEnrolment(ctx context.Context, actor Actor, carrierID string, in OfferEnrolmentInput) (EnrolmentView, error) {
	var out EnrolmentView
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		carrier, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "residency", "create")
		if err != nil {
			return err
		}
		id, uscc := strings.TrimSpace(in.CompanyID), strings.ToUpper(strings.TrimSpace(in.USCC))
		v := apperr.NewValidation("invalid-enrolment")
		v.Check(id == "" && uscc == "", "company_id", "required")
		v.Check(id != "" && uscc != "", "uscc", "one_of_company_id_uscc")
		if err := v.Err(); err != nil {
			return err
		}
		var co *domain.Company
		field, ref := "company_id", id
		if id != "" {
			co, err = tx.GetCompany(ctx, id)
		} else {
			field, ref = "uscc", uscc
			code, uerr := domain.ParseUSCC(uscc)
			if uerr != nil {
				return apperr.NewValidation("invalid-enrolment").Add("uscc", uerr.Code, uerr.Params()...).Err()
			}
			co, err = tx.CompanyByUSCC(ctx, carrier.RegionID, code)
		}
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err != nil || co.RegionID != carrier.RegionID {
			return apperr.NewValidation("invalid-enrolment").Add(field, "company_not_in_region").Err()
		}
		if _, err := tx.PendingEnrolmentOffer(ctx, co.ID, carrier.ID); err == nil {
			return apperr.ConflictErr("enrolment-pending")
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		// A residency the company already consented to needs no offer; one
		// the carrier opened on its own before is confirmed by this offer.
		if r, err := tx.OpenResidencyAt(ctx, co.ID, carrier.ID); err == nil && r.Consented() {
			return apperr.ConflictErr("residency-exists").With("carrier_name", carrier.NameZH)
		} else if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		o, err := domain.NewEnrolmentOffer(events.NewID(), co.ID, ref, carrier.ID, carrier.RegionID, in.AdmittedOn, in.MoveIn, in.Note, actor.UserID, a.now())
		if err != nil {
			return err
		}
		if err := tx.InsertEnrolmentOffer(ctx, o); err != nil {
			return err
		}
		out = EnrolmentView{EnrolmentOffer: *o, CarrierNameZH: carrier.NameZH, CarrierNameEN: carrier.NameEN}
		return a.enrolmentChanged(ctx, tx, actor, o, "enrolment.offer", events.EnrolmentOfferedV1{EnrolmentV1: EnrolmentPayload(o)})
	})
	return out, err
}

// ListCarrierEnrolmentOffers lists a carrier's offers for its staff and
// the district. Companies that have not accepted stay unnamed.
func (a *App) ListCarrierEnrolmentOffers(ctx context.Context, actor Actor, carrierID string, status domain.EnrolmentStatus, p list.Params) ([]EnrolmentView, int, error) {
	var out []EnrolmentView
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "residency", "read"); err != nil {
			return err
		}
		var err error
		if out, total, err = tx.ListEnrolmentOffers(ctx, EnrolmentFilter{CarrierID: carrierID, Status: status}, p); err != nil {
			return err
		}
		for i := range out {
			if out[i].Status != domain.EnrolmentAccepted {
				out[i].CompanyNameZH = ""
			}
		}
		return nil
	})
	return out, total, err
}

// ListCompanyEnrolmentOffers lists the offers made to a company, for its
// members and the district. Carrier staff never see other carriers' offers.
func (a *App) ListCompanyEnrolmentOffers(ctx context.Context, actor Actor, companyID string, status domain.EnrolmentStatus, p list.Params) ([]EnrolmentView, int, error) {
	var out []EnrolmentView
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		co, err := a.loadCompany(ctx, tx, actor, companyID)
		if err != nil {
			return err
		}
		// Only the company's own scope lists its offers; who sees the
		// company from one of its carriers is refused (403).
		if err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{{RegionID: co.RegionID, CompanyID: co.ID}}, Object: "residency", Action: "read",
			CanSee: a.seesCompany(ctx, tx, actor, co.ID, co.RegionID), NotFound: "company-not-found"}); err != nil {
			return err
		}
		out, total, err = tx.ListEnrolmentOffers(ctx, EnrolmentFilter{CompanyID: co.ID, Status: status}, p)
		return err
	})
	return out, total, err
}

// loadOfferForCompany locks an offer the caller answers as its company's
// admin: 404 to whoever may not see the offer, 403 to those who may but
// are not the company's admin.
func (a *App) loadOfferForCompany(ctx context.Context, tx Tx, actor Actor, id string) (*domain.EnrolmentOffer, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	o, err := tx.LockEnrolmentOffer(ctx, id)
	if err != nil {
		return nil, err
	}
	m, err := tx.GetMembership(ctx, o.CompanyID, actor.UserID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err == nil && m.Status == domain.Active && m.Role == domain.CompanyAdmin {
		return o, nil
	}
	if a.canSeeOffer(actor, o) {
		return nil, apperr.ForbiddenErr("not-company-admin")
	}
	return nil, apperr.NotFoundErr("enrolment-not-found")
}

// canSeeOffer: the company's members, the offering carrier's staff and
// the district (and platform) see an offer.
func (a *App) canSeeOffer(actor Actor, o *domain.EnrolmentOffer) bool {
	return CanSeeOffer(a.authz, actor, o)
}

// CanSeeOffer: the company's members, the offering carrier's staff and
// the district (and platform) see an offer.
func CanSeeOffer(e *authz.Enforcer, actor Actor, o *domain.EnrolmentOffer) bool {
	return e.Can(actor.UserID, authz.Scope{RegionID: o.RegionID, CompanyID: o.CompanyID}, "residency", "read") ||
		e.Can(actor.UserID, authz.Scope{RegionID: o.RegionID, CarrierID: o.CarrierID}, "residency", "read")
}

// DeclineEnrolment is the company's admin refusing the offer.
func (a *App) DeclineEnrolment(ctx context.Context, actor Actor, id, reason string) (EnrolmentView, error) {
	var out EnrolmentView
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		o, err := a.loadOfferForCompany(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := o.Decline(actor.UserID, reason, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateEnrolmentOffer(ctx, o); err != nil {
			return err
		}
		if out, err = a.enrolmentView(ctx, tx, o, true); err != nil {
			return err
		}
		return a.enrolmentChanged(ctx, tx, actor, o, "enrolment.decline", events.EnrolmentDeclinedV1{EnrolmentV1: EnrolmentPayload(o)})
	})
	return out, err
}

// WithdrawEnrolment is the offering carrier taking back a pending offer.
func (a *App) WithdrawEnrolment(ctx context.Context, actor Actor, id string) (EnrolmentView, error) {
	var out EnrolmentView
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if err := authz.Authenticated(actor.UserID); err != nil {
			return err
		}
		o, err := tx.LockEnrolmentOffer(ctx, id)
		if err != nil {
			return err
		}
		if err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{{RegionID: o.RegionID, CarrierID: o.CarrierID}}, Object: "residency", Action: "create",
			CanSee: func() (bool, error) { return a.canSeeOffer(actor, o), nil }, NotFound: "enrolment-not-found"}); err != nil {
			return err
		}
		if err := o.Withdraw(actor.UserID, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateEnrolmentOffer(ctx, o); err != nil {
			return err
		}
		if out, err = a.enrolmentView(ctx, tx, o, false); err != nil {
			return err
		}
		return a.enrolmentChanged(ctx, tx, actor, o, "enrolment.withdraw", events.EnrolmentWithdrawnV1{EnrolmentV1: EnrolmentPayload(o)})
	})
	return out, err
}

func (a *App) enrolmentView(ctx context.Context, tx Tx, o *domain.EnrolmentOffer, withCompany bool) (EnrolmentView, error) {
	carrier, err := tx.GetCarrier(ctx, o.CarrierID)
	if err != nil {
		return EnrolmentView{}, err
	}
	v := EnrolmentView{EnrolmentOffer: *o, CarrierNameZH: carrier.NameZH, CarrierNameEN: carrier.NameEN}
	if withCompany {
		co, err := tx.GetCompany(ctx, o.CompanyID)
		if err != nil {
			return EnrolmentView{}, err
		}
		v.CompanyNameZH = co.Fields.NameZH
	}
	return v, nil
}
