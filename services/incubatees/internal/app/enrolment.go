package app

import (
	"context"
	"time"

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
	return events.EnrolmentV1{OfferID: o.ID(), CompanyID: o.CompanyID(), RegionID: o.RegionID(), CarrierID: o.CarrierID(),
		Status: string(o.Status()), ResidencyID: o.ResidencyID(), Reason: o.Reason()}
}

// EnrolmentScope is where an offer's events are seen from.
func EnrolmentScope(o *domain.EnrolmentOffer) events.Scope {
	return events.Scope{RegionID: o.RegionID(), CarrierID: o.CarrierID()}
}

// enrolmentActions are the audit actions of an offer's events.
var enrolmentActions = map[string]string{
	events.EnrolmentOffered:   "enrolment.offer",
	events.EnrolmentAccepted:  "enrolment.accept",
	events.EnrolmentDeclined:  "enrolment.decline",
	events.EnrolmentWithdrawn: "enrolment.withdraw",
}

// EnrolmentAudit is the audit line of an offer's event: one table, so the
// repository that writes the event writes its audit line too.
func EnrolmentAudit(actor Actor, o *domain.EnrolmentOffer, p events.Payload) (AuditEntry, bool) {
	action, ok := enrolmentActions[p.EventType()]
	if !ok {
		return AuditEntry{}, false
	}
	return AuditEntry{Actor: actor.UserID, Action: action, ObjectID: o.ID(), RegionID: o.RegionID(), CarrierID: o.CarrierID(),
		CompanyID: o.CompanyID(), Detail: map[string]any{"status": string(o.Status()), "residency_id": o.ResidencyID()}}, true
}

// CanSeeOffer: the company's members, the offering carrier's staff and
// the district (and platform) see an offer.
func CanSeeOffer(e *authz.Enforcer, actor Actor, o *domain.EnrolmentOffer) bool {
	return e.Can(actor.UserID, authz.Scope{RegionID: o.RegionID(), CompanyID: o.CompanyID()}, "residency", "read") ||
		e.Can(actor.UserID, authz.Scope{RegionID: o.RegionID(), CarrierID: o.CarrierID()}, "residency", "read")
}
