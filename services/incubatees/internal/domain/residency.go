package domain

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
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

// Valid reports whether s is a known state.
func (s ResidencyStatus) Valid() bool {
	for _, x := range ResidencyStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// GraduationReasons are why a company graduates: the rule pack's
// conditions, or another reason the carrier records.
var GraduationReasons = []string{"high_tech_certificate", "financing", "revenue", "acquired_or_listed", "other"}

// Residency is one company's stay at one carrier.
type Residency struct {
	ID             string
	CompanyID      string
	CarrierID      string
	RegionID       string
	ApplicationID  string // the admitted application, when it came from one
	PromotedFromID string // the residency this one continues, after a promotion
	// EnrolmentOfferID is the direct enrolment offer the company accepted
	// to open (or confirm) this residency.
	EnrolmentOfferID string
	Status           ResidencyStatus
	AdmittedOn       time.Time
	MovedInOn        *time.Time
	Unit             string
	AreaM2           float64
	TermEndOn        *time.Time
	RulePackVersion  int // the pack the term end was computed with; 0 before move-in
	EndedOn          *time.Time
	EndReason        string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Consented reports whether the residency comes from a relationship the
// company entered: an admitted application, an accepted promotion or an
// accepted enrolment offer. Residencies a carrier opened on its own before
// direct enrolment needed the company's consent are not.
func (r *Residency) Consented() bool {
	return r.ApplicationID != "" || r.PromotedFromID != "" || r.EnrolmentOfferID != ""
}

// NewResidency opens a residency in status admitted.
func NewResidency(id, companyID, carrierID, regionID, applicationID string, admittedOn, now time.Time) *Residency {
	d := residencyDay(admittedOn)
	return &Residency{ID: id, CompanyID: companyID, CarrierID: carrierID, RegionID: regionID, ApplicationID: applicationID,
		Status: Admitted, AdmittedOn: d, CreatedAt: now, UpdatedAt: now}
}

func residencyDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// residencyChinaZone is UTC+8: "today" for a carrier is the date in China.
var residencyChinaZone = time.FixedZone("CST", 8*3600)

// ResidencyToday is the date in China at instant now, as a UTC midnight.
func ResidencyToday(now time.Time) time.Time { return residencyDay(now.In(residencyChinaZone)) }

func residencyRefused(s ResidencyStatus, act ResidencyAction) error {
	return apperr.ConflictErr("residency-transition-refused").With("status", string(s)).With("action", string(act))
}

// MoveInFacts are what a carrier records when the company moves in.
type MoveInFacts struct {
	On     time.Time
	Unit   string
	AreaM2 float64
}

// ValidateMoveIn checks the facts of a move-in against the residency and today.
func (r *Residency) ValidateMoveIn(f MoveInFacts, now time.Time) error {
	v := apperr.NewValidation("invalid-residency")
	residencyCheckDate(v, "moved_in_on", f.On, r.AdmittedOn, now)
	unit := strings.TrimSpace(f.Unit)
	v.Check(unit == "", "unit", "required")
	v.Check(utf8.RuneCountInString(unit) > 100, "unit", "too_long", "max", 100)
	v.Check(!(f.AreaM2 > 0 && f.AreaM2 <= 100000), "area_m2", "out_of_range", "min", 0, "max", 100000)
	return v.Err()
}

// checkDate refuses a zero date, one in the future and one before floor.
func residencyCheckDate(v *apperr.Validation, field string, on, floor, now time.Time) {
	switch {
	case on.IsZero():
		v.Add(field, "required")
	case residencyDay(on).After(ResidencyToday(now)):
		v.Add(field, "in_future")
	case residencyDay(on).Before(residencyDay(floor)):
		v.Add(field, "before_admission", "admitted_on", floor.Format(time.DateOnly))
	}
}

// MoveIn records the move-in with the term end the rule pack gave.
func (r *Residency) MoveIn(f MoveInFacts, termEnd time.Time, packVersion int, now time.Time) error {
	to, ok := NextResidencyStatus(r.Status, ActMoveIn)
	if !ok {
		return residencyRefused(r.Status, ActMoveIn)
	}
	if err := r.ValidateMoveIn(f, now); err != nil {
		return err
	}
	on, end := residencyDay(f.On), residencyDay(termEnd)
	r.Status, r.MovedInOn, r.Unit, r.AreaM2, r.TermEndOn, r.RulePackVersion, r.UpdatedAt =
		to, &on, strings.TrimSpace(f.Unit), f.AreaM2, &end, packVersion, now
	return nil
}

// End closes the residency by graduation, exit or promotion on date on.
func (r *Residency) End(act ResidencyAction, reason string, on, now time.Time) error {
	to, ok := NextResidencyStatus(r.Status, act)
	if !ok || act == ActMoveIn {
		return residencyRefused(r.Status, act)
	}
	reason = strings.TrimSpace(reason)
	v := apperr.NewValidation("invalid-residency")
	floor := r.AdmittedOn
	if r.MovedInOn != nil {
		floor = *r.MovedInOn
	}
	residencyCheckDate(v, "on", on, floor, now)
	switch act {
	case ActGraduate:
		v.Check(!residencyContains(GraduationReasons, reason), "reason", "one_of", "allowed", strings.Join(GraduationReasons, ", "))
	case ActExit:
		v.Check(reason == "", "reason", "required")
	}
	v.Check(utf8.RuneCountInString(reason) > 500, "reason", "too_long", "max", 500)
	if err := v.Err(); err != nil {
		return err
	}
	d := residencyDay(on)
	r.Status, r.EndedOn, r.EndReason, r.UpdatedAt = to, &d, reason, now
	return nil
}

func residencyContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Overstaying reports whether a company in residence is past its term end at date at.
func (r *Residency) Overstaying(at time.Time) bool {
	return r.Status == InResidence && r.TermEndOn != nil && residencyDay(at).After(*r.TermEndOn)
}
