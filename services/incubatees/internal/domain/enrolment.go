package domain

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/calendar"
)

// EnrolmentStatus is where a carrier's direct enrolment offer stands.
type EnrolmentStatus string

// pending (the carrier proposed) → accepted (the company's admin agreed;
// the residency opens) | declined (by the company) | withdrawn (by the
// carrier). A pending offer gives the carrier nothing of the company.
const (
	EnrolmentPending   EnrolmentStatus = "pending"
	EnrolmentAccepted  EnrolmentStatus = "accepted"
	EnrolmentDeclined  EnrolmentStatus = "declined"
	EnrolmentWithdrawn EnrolmentStatus = "withdrawn"
)

// EnrolmentStatuses lists every status, for filters.
var EnrolmentStatuses = []EnrolmentStatus{EnrolmentPending, EnrolmentAccepted, EnrolmentDeclined, EnrolmentWithdrawn}

// EnrolmentOffer is a carrier's proposal to record a company that was
// already at the carrier (before Incuchain, or outside an intake call) as
// its resident. It is one half of a two-sided relationship: only the
// company's own acceptance opens the residency, and with it the carrier's
// access to the company. Its state is private: it changes only through
// Accept, Decline and Withdraw, and is loaded with EnrolmentOfferFromDB.
type EnrolmentOffer struct{ x EnrolmentOfferRecord }

// EnrolmentOfferRecord is an offer as stored: what EnrolmentOfferFromDB
// loads and the adapter writes back (Record).
type EnrolmentOfferRecord struct {
	ID         string
	CompanyID  string
	CarrierID  string
	RegionID   string
	CompanyRef string // what the carrier named the company by (its USCC or id), all it knows before acceptance
	Status     EnrolmentStatus
	AdmittedOn *time.Time
	MoveIn     *MoveInFacts
	Note       string
	Reason     string // the company's reason when it declines
	OfferedBy  string
	DecidedBy  string
	// ResidencyID is the residency the acceptance opened (or adopted).
	ResidencyID string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// EnrolmentOfferFromDB is a stored offer; it validates nothing, the row
// was valid when written.
func EnrolmentOfferFromDB(x EnrolmentOfferRecord) *EnrolmentOffer { return &EnrolmentOffer{x: x} }

// Record is the offer as the adapter stores it.
func (o *EnrolmentOffer) Record() EnrolmentOfferRecord { return o.x }

func (o *EnrolmentOffer) ID() string              { return o.x.ID }
func (o *EnrolmentOffer) CompanyID() string       { return o.x.CompanyID }
func (o *EnrolmentOffer) CarrierID() string       { return o.x.CarrierID }
func (o *EnrolmentOffer) RegionID() string        { return o.x.RegionID }
func (o *EnrolmentOffer) CompanyRef() string      { return o.x.CompanyRef }
func (o *EnrolmentOffer) Status() EnrolmentStatus { return o.x.Status }
func (o *EnrolmentOffer) AdmittedOn() *time.Time  { return o.x.AdmittedOn }
func (o *EnrolmentOffer) MoveIn() *MoveInFacts    { return o.x.MoveIn }
func (o *EnrolmentOffer) Note() string            { return o.x.Note }
func (o *EnrolmentOffer) Reason() string          { return o.x.Reason }
func (o *EnrolmentOffer) ResidencyID() string     { return o.x.ResidencyID }
func (o *EnrolmentOffer) CreatedAt() time.Time    { return o.x.CreatedAt }
func (o *EnrolmentOffer) UpdatedAt() time.Time    { return o.x.UpdatedAt }

// NewEnrolmentOffer validates a carrier's offer. Dates may not be in the
// future; a move-in needs its unit and area, checked as a move-in is.
func NewEnrolmentOffer(id, companyID, companyRef, carrierID, regionID string, admittedOn *time.Time, moveIn *MoveInFacts, note, by string, now time.Time) (*EnrolmentOffer, error) {
	v := apperr.NewValidation("invalid-enrolment")
	if admittedOn != nil && residencyDay(*admittedOn).After(calendar.Today(now)) {
		v.Add("admitted_on", "in_future")
	}
	if moveIn != nil {
		floor := time.Time{}
		if admittedOn != nil {
			floor = *admittedOn
		}
		checkMoveIn(v, *moveIn, floor, now)
	}
	note = strings.TrimSpace(note)
	v.Check(utf8.RuneCountInString(note) > 500, "note", "too_long", "max", 500)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var adm *time.Time
	if admittedOn != nil {
		d := residencyDay(*admittedOn)
		adm = &d
	}
	return &EnrolmentOffer{x: EnrolmentOfferRecord{ID: id, CompanyID: companyID, CompanyRef: companyRef, CarrierID: carrierID, RegionID: regionID,
		Status: EnrolmentPending, AdmittedOn: adm, MoveIn: moveIn, Note: note, OfferedBy: by, CreatedAt: now, UpdatedAt: now}}, nil
}

func enrolmentRefused(s EnrolmentStatus, act string) error {
	return apperr.ConflictErr("enrolment-transition-refused").With("status", string(s)).With("action", act)
}

// CanAccept says whether the company may still accept (the offer is
// pending); the use case asks before it opens the residency.
func (o *EnrolmentOffer) CanAccept() error {
	if o.x.Status != EnrolmentPending {
		return enrolmentRefused(o.x.Status, "accept")
	}
	return nil
}

// Accept records the company's consent and the residency it opened.
func (o *EnrolmentOffer) Accept(by, residencyID string, now time.Time) error {
	if err := o.CanAccept(); err != nil {
		return err
	}
	o.x.Status, o.x.DecidedBy, o.x.ResidencyID, o.x.UpdatedAt = EnrolmentAccepted, by, residencyID, now
	return nil
}

// Decline records the company's refusal, with an optional reason.
func (o *EnrolmentOffer) Decline(by, reason string, now time.Time) error {
	if o.x.Status != EnrolmentPending {
		return enrolmentRefused(o.x.Status, "decline")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return apperr.NewValidation("invalid-enrolment").Add("reason", "too_long", "max", 500).Err()
	}
	o.x.Status, o.x.DecidedBy, o.x.Reason, o.x.UpdatedAt = EnrolmentDeclined, by, reason, now
	return nil
}

// Withdraw is the carrier taking its offer back before the company answers.
func (o *EnrolmentOffer) Withdraw(by string, now time.Time) error {
	if o.x.Status != EnrolmentPending {
		return enrolmentRefused(o.x.Status, "withdraw")
	}
	o.x.Status, o.x.DecidedBy, o.x.UpdatedAt = EnrolmentWithdrawn, by, now
	return nil
}
