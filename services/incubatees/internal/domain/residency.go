package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/calendar"
)

// ResidencyStatus is where a company stands in one carrier.
type ResidencyStatus string

// The residency states: admitted → in_residence → graduated | exited |
// promoted. An admitted company may also leave before moving in (exited).
const (
	Admitted    ResidencyStatus = "admitted"
	InResidence ResidencyStatus = "in_residence"
	Graduated   ResidencyStatus = "graduated"
	Exited      ResidencyStatus = "exited"
	Promoted    ResidencyStatus = "promoted"
)

// ResidencyStatuses lists every state (for filters).
var ResidencyStatuses = []ResidencyStatus{Admitted, InResidence, Graduated, Exited, Promoted}

// ResidencyAction is a change of state.
type ResidencyAction string

// The actions on a residency.
const (
	ActMoveIn   ResidencyAction = "move_in"
	ActGraduate ResidencyAction = "graduate"
	ActExit     ResidencyAction = "exit"
	ActPromote  ResidencyAction = "promote"
)

// residencyTransitions is the whole state machine: from → action → to.
var residencyTransitions = map[ResidencyStatus]map[ResidencyAction]ResidencyStatus{
	Admitted:    {ActMoveIn: InResidence, ActExit: Exited},
	InResidence: {ActGraduate: Graduated, ActExit: Exited, ActPromote: Promoted},
}

// NextResidencyStatus is the state act leads to from s, or false when the
// machine refuses it.
func NextResidencyStatus(s ResidencyStatus, act ResidencyAction) (ResidencyStatus, bool) {
	to, ok := residencyTransitions[s][act]
	return to, ok
}

// Open reports whether the residency is still running (admitted or in residence).
func (s ResidencyStatus) Open() bool { return s == Admitted || s == InResidence }

// GraduationReasons are why a company graduates: the rule pack's
// conditions, or another reason the carrier records.
var GraduationReasons = []string{"high_tech_certificate", "financing", "revenue", "acquired_or_listed", "other"}

// Residency is one company's stay at one carrier. Its fields are private:
// it changes only through its transitions (MoveIn, End, ContinueChain,
// ConfirmByOffer), and the database loads it with ResidencyFromDB.
type Residency struct {
	id             string
	companyID      string
	carrierID      string
	regionID       string
	applicationID  string // the admitted application, when it came from one
	promotedFromID string // the residency this one continues, after a promotion
	// enrolmentOfferID is the direct enrolment offer the company accepted
	// to open (or confirm) this residency.
	enrolmentOfferID string
	status           ResidencyStatus
	admittedOn       time.Time
	movedInOn        *time.Time
	unit             string
	areaM2           float64
	termEndOn        *time.Time
	rulePackVersion  int // the pack the term end was computed with; 0 before move-in
	endedOn          *time.Time
	endReason        string
	createdAt        time.Time
	updatedAt        time.Time
}

// ResidencyRecord is a residency as stored: what ResidencyFromDB loads
// and the adapter writes back (Record).
type ResidencyRecord struct {
	ID, CompanyID, CarrierID, RegionID              string
	ApplicationID, PromotedFromID, EnrolmentOfferID string
	Status                                          ResidencyStatus
	AdmittedOn                                      time.Time
	MovedInOn, TermEndOn, EndedOn                   *time.Time
	Unit                                            string
	AreaM2                                          float64
	RulePackVersion                                 int
	EndReason                                       string
	CreatedAt, UpdatedAt                            time.Time
}

// ResidencyFromDB rebuilds a residency from stored values without validation.
func ResidencyFromDB(x ResidencyRecord) *Residency {
	return &Residency{id: x.ID, companyID: x.CompanyID, carrierID: x.CarrierID, regionID: x.RegionID, applicationID: x.ApplicationID,
		promotedFromID: x.PromotedFromID, enrolmentOfferID: x.EnrolmentOfferID, status: x.Status, admittedOn: x.AdmittedOn,
		movedInOn: x.MovedInOn, unit: x.Unit, areaM2: x.AreaM2, termEndOn: x.TermEndOn, rulePackVersion: x.RulePackVersion,
		endedOn: x.EndedOn, endReason: x.EndReason, createdAt: x.CreatedAt, updatedAt: x.UpdatedAt}
}

// Record is the residency's stored values (the adapter writes them).
func (r *Residency) Record() ResidencyRecord {
	return ResidencyRecord{ID: r.id, CompanyID: r.companyID, CarrierID: r.carrierID, RegionID: r.regionID, ApplicationID: r.applicationID,
		PromotedFromID: r.promotedFromID, EnrolmentOfferID: r.enrolmentOfferID, Status: r.status, AdmittedOn: r.admittedOn,
		MovedInOn: r.movedInOn, Unit: r.unit, AreaM2: r.areaM2, TermEndOn: r.termEndOn, RulePackVersion: r.rulePackVersion,
		EndedOn: r.endedOn, EndReason: r.endReason, CreatedAt: r.createdAt, UpdatedAt: r.updatedAt}
}

// ID returns the residency's id.
func (r *Residency) ID() string { return r.id }

// CompanyID returns the resident company's id.
func (r *Residency) CompanyID() string { return r.companyID }

// CarrierID returns the hosting carrier's id.
func (r *Residency) CarrierID() string { return r.carrierID }

// RegionID returns the carrier's region.
func (r *Residency) RegionID() string { return r.regionID }

// ApplicationID returns the admitted application it came from, if any.
func (r *Residency) ApplicationID() string { return r.applicationID }

// PromotedFromID returns the residency this one continues, if any.
func (r *Residency) PromotedFromID() string { return r.promotedFromID }

// EnrolmentOfferID returns the accepted enrolment offer, if any.
func (r *Residency) EnrolmentOfferID() string { return r.enrolmentOfferID }

// Status returns where the residency stands.
func (r *Residency) Status() ResidencyStatus { return r.status }

// AdmittedOn returns the admission date.
func (r *Residency) AdmittedOn() time.Time { return r.admittedOn }

// MovedInOn returns the move-in date (nil before move-in).
func (r *Residency) MovedInOn() *time.Time { return r.movedInOn }

// Unit returns the unit the company occupies.
func (r *Residency) Unit() string { return r.unit }

// AreaM2 returns the area the company occupies.
func (r *Residency) AreaM2() float64 { return r.areaM2 }

// TermEndOn returns the term end the rule pack gave at move-in.
func (r *Residency) TermEndOn() *time.Time { return r.termEndOn }

// RulePackVersion returns the pack version of the term end (0 before move-in).
func (r *Residency) RulePackVersion() int { return r.rulePackVersion }

// EndedOn returns the end date (nil while open).
func (r *Residency) EndedOn() *time.Time { return r.endedOn }

// EndReason returns why the residency ended.
func (r *Residency) EndReason() string { return r.endReason }

// CreatedAt returns when the residency was recorded.
func (r *Residency) CreatedAt() time.Time { return r.createdAt }

// UpdatedAt returns when the residency last changed.
func (r *Residency) UpdatedAt() time.Time { return r.updatedAt }

// Consented reports whether the residency comes from a relationship the
// company entered: an admitted application, an accepted promotion or an
// accepted enrolment offer. Residencies a carrier opened on its own before
// direct enrolment needed the company's consent are not.
func (r *Residency) Consented() bool {
	return r.applicationID != "" || r.promotedFromID != "" || r.enrolmentOfferID != ""
}

// ResidencySource is the relationship a residency comes from: exactly one
// of an admitted application, an accepted promotion (the residency it
// continues) or an enrolment offer the company accepted. There is no
// other way to open one: a residency makes the company visible to the
// carrier, so the company must have entered the relationship itself.
type ResidencySource struct {
	ApplicationID, PromotedFromID, EnrolmentOfferID string
}

func (s ResidencySource) valid() bool {
	n := 0
	for _, x := range []string{s.ApplicationID, s.PromotedFromID, s.EnrolmentOfferID} {
		if x != "" {
			n++
		}
	}
	return n == 1
}

// NewResidency opens a residency in status admitted from exactly one source.
func NewResidency(id, companyID, carrierID, regionID string, src ResidencySource, admittedOn, now time.Time) (*Residency, error) {
	if !src.valid() {
		return nil, fmt.Errorf("open residency of %s at %s: no single source %+v", companyID, carrierID, src)
	}
	d := residencyDay(admittedOn)
	return &Residency{id: id, companyID: companyID, carrierID: carrierID, regionID: regionID, applicationID: src.ApplicationID,
		promotedFromID: src.PromotedFromID, enrolmentOfferID: src.EnrolmentOfferID,
		status: Admitted, admittedOn: d, createdAt: now, updatedAt: now}, nil
}

// ContinueChain records that this open residency continues residency
// fromID after a promotion (the target's own intake had opened it first).
func (r *Residency) ContinueChain(fromID string, now time.Time) error {
	if !r.status.Open() {
		return residencyRefused(r.status, ActPromote)
	}
	r.promotedFromID, r.updatedAt = fromID, now
	return nil
}

// ConfirmByOffer records the company's consent, through an accepted
// enrolment offer, to a residency its carrier had opened on its own.
func (r *Residency) ConfirmByOffer(offerID string, now time.Time) error {
	if r.Consented() || !r.status.Open() {
		return apperr.ConflictErr("residency-exists")
	}
	r.enrolmentOfferID, r.updatedAt = offerID, now
	return nil
}

func residencyDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func residencyRefused(s ResidencyStatus, act ResidencyAction) error {
	return apperr.ConflictErr("residency-transition-refused").With("status", string(s)).With("action", string(act))
}

// MoveInFacts are what a carrier records when the company moves in.
type MoveInFacts struct {
	On     time.Time
	Unit   string
	AreaM2 float64
}

// CanMoveIn says whether the residency may move in with facts f now: the
// state machine allows it and the facts hold against the admission date
// and today. The use case asks before it reads the company and the pack.
func (r *Residency) CanMoveIn(f MoveInFacts, now time.Time) error {
	if _, ok := NextResidencyStatus(r.status, ActMoveIn); !ok {
		return residencyRefused(r.status, ActMoveIn)
	}
	v := apperr.NewValidation("invalid-residency")
	checkMoveIn(v, f, r.admittedOn, now)
	return v.Err()
}

// checkMoveIn adds to v what is wrong with the facts of a move-in: its
// date (not before floor, not in the future), unit and area. A residency's
// move-in and the one an enrolment offer carries are checked alike.
func checkMoveIn(v *apperr.Validation, f MoveInFacts, floor, now time.Time) {
	residencyCheckDate(v, "moved_in_on", f.On, floor, now)
	unit := strings.TrimSpace(f.Unit)
	v.Check(unit == "", "unit", "required")
	v.Check(utf8.RuneCountInString(unit) > 100, "unit", "too_long", "max", 100)
	v.Check(!(f.AreaM2 > 0 && f.AreaM2 <= 100000), "area_m2", "out_of_range", "min", 0, "max", 100000)
}

// checkDate refuses a zero date, one in the future and one before floor.
func residencyCheckDate(v *apperr.Validation, field string, on, floor, now time.Time) {
	switch {
	case on.IsZero():
		v.Add(field, "required")
	case residencyDay(on).After(calendar.Today(now)):
		v.Add(field, "in_future")
	case residencyDay(on).Before(residencyDay(floor)):
		v.Add(field, "before_admission", "admitted_on", floor.Format(time.DateOnly))
	}
}

// MoveIn records the move-in with the term end the rule pack gave.
func (r *Residency) MoveIn(f MoveInFacts, termEnd time.Time, packVersion int, now time.Time) error {
	if err := r.CanMoveIn(f, now); err != nil {
		return err
	}
	to, _ := NextResidencyStatus(r.status, ActMoveIn) // allowed: CanMoveIn asked
	on, end := residencyDay(f.On), residencyDay(termEnd)
	r.status, r.movedInOn, r.unit, r.areaM2, r.termEndOn, r.rulePackVersion, r.updatedAt =
		to, &on, strings.TrimSpace(f.Unit), f.AreaM2, &end, packVersion, now
	return nil
}

// End closes the residency by graduation, exit or promotion on date on.
func (r *Residency) End(act ResidencyAction, reason string, on, now time.Time) error {
	to, ok := NextResidencyStatus(r.status, act)
	if !ok || act == ActMoveIn {
		return residencyRefused(r.status, act)
	}
	reason = strings.TrimSpace(reason)
	v := apperr.NewValidation("invalid-residency")
	floor := r.admittedOn
	if r.movedInOn != nil {
		floor = *r.movedInOn
	}
	residencyCheckDate(v, "on", on, floor, now)
	switch act {
	case ActGraduate:
		CheckOneOf(v, "reason", reason, GraduationReasons)
	case ActExit:
		v.Check(reason == "", "reason", "required")
	}
	v.Check(utf8.RuneCountInString(reason) > 500, "reason", "too_long", "max", 500)
	if err := v.Err(); err != nil {
		return err
	}
	d := residencyDay(on)
	r.status, r.endedOn, r.endReason, r.updatedAt = to, &d, reason, now
	return nil
}

// Overstaying reports whether a company in residence is past its term end at date at.
func (r *Residency) Overstaying(at time.Time) bool {
	return r.status == InResidence && r.termEndOn != nil && residencyDay(at).After(*r.termEndOn)
}
