package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// State is where a milestone stands.
type State string

// The states of a milestone. Verified and waived are final.
const (
	Planned    State = "planned"
	InProgress State = "in_progress"
	Submitted  State = "submitted"
	Verified   State = "verified"
	Returned   State = "returned"
	Waived     State = "waived"
)

// States lists every state, in the order of the machine.
var States = []State{Planned, InProgress, Submitted, Verified, Returned, Waived}

// Final reports whether nothing more happens to a milestone in s.
func (s State) Final() bool { return s == Verified || s == Waived }

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Action is what someone does to a milestone.
type Action string

// Actions. Progress and submit are the startup's; the others the carrier's.
const (
	ActPlan       Action = "plan"
	ActEdit       Action = "edit"
	ActRemove     Action = "remove"
	ActProgress   Action = "progress"
	ActSubmit     Action = "submit"
	ActVerify     Action = "verify"
	ActReturn     Action = "return"
	ActWaive      Action = "waive"
	ActReschedule Action = "reschedule"
)

// transitions is the state machine: the state each action leads to.
// Reschedule and edit keep the state; remove is only for a milestone
// nobody has worked on yet.
var transitions = map[State]map[Action]State{
	Planned:    {ActEdit: Planned, ActRemove: Planned, ActProgress: InProgress, ActWaive: Waived, ActReschedule: Planned},
	InProgress: {ActEdit: InProgress, ActProgress: InProgress, ActSubmit: Submitted, ActWaive: Waived, ActReschedule: InProgress},
	Submitted:  {ActVerify: Verified, ActReturn: Returned, ActWaive: Waived, ActReschedule: Submitted},
	Returned:   {ActEdit: Returned, ActProgress: InProgress, ActSubmit: Submitted, ActWaive: Waived, ActReschedule: Returned},
	Verified:   {},
	Waived:     {},
}

// Next is the state act leads to from s, or false when the machine refuses it.
func Next(s State, act Action) (State, bool) {
	to, ok := transitions[s][act]
	return to, ok
}

// Change is one line of a milestone's history: who did what, when, why.
type Change struct {
	MilestoneID string
	At          time.Time
	Actor       string
	Action      Action
	From        State
	To          State
	Reason      string
	Detail      map[string]any
}

// Update is a progress update posted by the startup.
type Update struct {
	ID          string
	MilestoneID string
	AuthorID    string
	At          time.Time
	Text        string
	Percent     *int
	Figure      *Figure
	Evidence    []string // document ids
}

// EvidenceDoc is what the service knows of a company's document, from the
// documents service's events.
type EvidenceDoc struct {
	ID        string
	CompanyID string
	Type      string
	Deleted   bool
}

// MilestoneInput is what an operator sets on a milestone.
type MilestoneInput struct {
	TitleZH       string
	TitleEN       string
	Category      string
	Criteria      string
	Target        *Figure
	EvidenceTypes []string
	DueOn         time.Time
	OwnerID       string
}

// MilestoneRecord is a milestone as stored: where it stands in which
// plan, what an operator set on it, and how far it has come.
type MilestoneRecord struct {
	ID          string
	ResidencyID string
	CompanyID   string
	RegionID    string
	CarrierID   string
	Position    int
	MilestoneInput
	State    State
	Percent  *int
	Figure   *Figure
	Evidence []string // the evidence of the latest update that had some
	// Authors are who posted updates or submitted since the milestone was
	// last returned: none of them may verify it.
	Authors   []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Milestone is one goal of a residency's plan. It changes only through
// its plan (which refuses everything once the residency has ended) and
// remembers the history lines and updates not yet stored.
type Milestone struct {
	r       MilestoneRecord
	changes []Change
	updates []Update
	dirty   bool
}

// MilestoneFromDB loads a stored milestone.
func MilestoneFromDB(r MilestoneRecord) *Milestone { return &Milestone{r: r} }

// Record is what the store writes.
func (m *Milestone) Record() MilestoneRecord { return m.r }

func (m *Milestone) ID() string              { return m.r.ID }
func (m *Milestone) ResidencyID() string     { return m.r.ResidencyID }
func (m *Milestone) CompanyID() string       { return m.r.CompanyID }
func (m *Milestone) RegionID() string        { return m.r.RegionID }
func (m *Milestone) CarrierID() string       { return m.r.CarrierID }
func (m *Milestone) TitleZH() string         { return m.r.TitleZH }
func (m *Milestone) TitleEN() string         { return m.r.TitleEN }
func (m *Milestone) Category() string        { return m.r.Category }
func (m *Milestone) Criteria() string        { return m.r.Criteria }
func (m *Milestone) Target() *Figure         { return m.r.Target }
func (m *Milestone) EvidenceTypes() []string { return slices.Clone(m.r.EvidenceTypes) }
func (m *Milestone) DueOn() time.Time        { return m.r.DueOn }
func (m *Milestone) OwnerID() string         { return m.r.OwnerID }
func (m *Milestone) State() State            { return m.r.State }
func (m *Milestone) Percent() *int           { return m.r.Percent }
func (m *Milestone) Figure() *Figure         { return m.r.Figure }
func (m *Milestone) Evidence() []string      { return slices.Clone(m.r.Evidence) }
func (m *Milestone) UpdatedAt() time.Time    { return m.r.UpdatedAt }

// PendingChanges are the history lines since the milestone was loaded.
func (m *Milestone) PendingChanges() []Change { return m.changes }

// PendingUpdates are the progress updates since the milestone was loaded.
func (m *Milestone) PendingUpdates() []Update { return m.updates }

// Dirty reports whether the milestone changed since it was loaded.
func (m *Milestone) Dirty() bool { return m.dirty }

// Overdue reports whether the milestone is past due on today and still open.
func (m *Milestone) Overdue(today time.Time) bool {
	return !m.r.State.Final() && Day(m.r.DueOn).Before(Day(today))
}

// Reminder kinds the deadline scan sends.
const (
	ReminderDueSoon = "due_soon"
	ReminderOverdue = "overdue"
)

// Reminder is the reminder a milestone calls for on today, with days left
// (due soon) or days past due (overdue); ok is false when none: final
// milestones and those due later than soonDays from today call for none.
func (m *Milestone) Reminder(today time.Time, soonDays int) (kind string, days int, ok bool) {
	if m.r.State.Final() {
		return "", 0, false
	}
	left := DaysBetween(today, m.r.DueOn)
	switch {
	case left < 0:
		return ReminderOverdue, -left, true
	case left <= soonDays:
		return ReminderDueSoon, left, true
	}
	return "", 0, false
}

func refused(s State, act Action) error {
	return apperr.ConflictErr("milestone-transition-refused").With("state", string(s)).With("action", string(act))
}

// allows is nil when the machine takes act from the milestone's state,
// else the refusal.
func (m *Milestone) allows(act Action) error {
	if _, ok := Next(m.r.State, act); !ok {
		return refused(m.r.State, act)
	}
	return nil
}

// step moves the milestone by act and records the history line.
func (m *Milestone) step(act Action, by, reason string, detail map[string]any, now time.Time) error {
	to, ok := Next(m.r.State, act)
	if !ok {
		return refused(m.r.State, act)
	}
	m.changes = append(m.changes, Change{MilestoneID: m.r.ID, At: now, Actor: by, Action: act, From: m.r.State, To: to, Reason: reason, Detail: detail})
	m.r.State, m.r.UpdatedAt, m.dirty = to, now, true
	return nil
}

// validateInput checks what an operator sets, against the plan's base
// date (move-in, or admission before it).
func validateInput(in MilestoneInput, base time.Time) error {
	v := apperr.NewValidation("invalid-milestone")
	v.Text("title_zh", in.TitleZH, 100, true)
	v.Text("title_en", in.TitleEN, 100, false)
	v.Check(!slices.Contains(Categories, in.Category), "category", "unknown_category")
	v.Check(len([]rune(in.Criteria)) > 1000, "criteria", "too_long", "max", 1000)
	checkFigure(v, "target", in.Target)
	checkEvidenceTypes(v, "evidence_types", in.EvidenceTypes)
	v.Check(len(in.OwnerID) > 64, "owner_id", "too_long", "max", 64)
	checkDueOn(v, in.DueOn, base)
	return v.Err()
}

// checkDueOn adds due_on's error, if any: a due date is required and not
// before base. It reports whether due passed.
func checkDueOn(v *apperr.Validation, due, base time.Time) bool {
	switch {
	case due.IsZero():
		v.Add("due_on", "required")
	case Day(due).Before(Day(base)):
		v.Add("due_on", "before_move_in", "move_in", FormatDate(base))
	default:
		return true
	}
	return false
}

// edit sets what an operator may change; the due date only through
// Reschedule, so its reason is never lost.
func (m *Milestone) edit(in MilestoneInput, by string, now time.Time) error {
	if err := m.step(ActEdit, by, "", nil, now); err != nil {
		return err
	}
	in.DueOn, in.EvidenceTypes = m.r.DueOn, slices.Clone(in.EvidenceTypes)
	m.r.MilestoneInput = in
	return nil
}

// ProgressInput is a startup's progress update before it is checked.
type ProgressInput struct {
	Text     string
	Percent  *int
	Figure   *Figure
	Evidence []string
}

// validateProgress checks an update against the milestone: a figure in
// the target's unit, evidence that is the company's and of a type the
// milestone takes. docs are the company's documents the evidence names.
func (m *Milestone) validateProgress(in ProgressInput, docs map[string]EvidenceDoc) error {
	v := apperr.NewValidation("invalid-progress")
	v.Check(in.Text == "" && in.Percent == nil && in.Figure == nil && len(in.Evidence) == 0, "text", "required")
	v.Check(len([]rune(in.Text)) > 2000, "text", "too_long", "max", 2000)
	v.Check(strings.ContainsRune(in.Text, 0), "text", "invalid")
	if in.Percent != nil {
		v.Check(*in.Percent < 0 || *in.Percent > 100, "percent", "out_of_range", "min", 0, "max", 100)
	}
	if in.Figure != nil {
		if t := m.r.Target; t != nil && in.Figure.Unit != t.Unit {
			v.Add("figure.unit", "wrong_unit", "want_zh", unitName(t.Unit, 0), "want_en", unitName(t.Unit, 1))
		} else {
			checkFigure(v, "figure", in.Figure)
		}
	}
	v.Check(len(in.Evidence) > 20, "evidence", "too_many", "max", 20)
	seen := map[string]bool{}
	for i, id := range in.Evidence {
		field := "evidence[" + strconv.Itoa(i) + "]"
		d, ok := docs[id]
		switch {
		case seen[id]:
			v.Add(field, "repeated")
		case !ok || d.CompanyID != m.r.CompanyID || d.Deleted:
			v.Add(field, "unknown_document")
		case !slices.Contains(m.r.EvidenceTypes, d.Type):
			v.Add(field, "evidence_type_not_taken", "type_zh", typeNames([]string{d.Type}, 0), "type_en", typeNames([]string{d.Type}, 1),
				"allowed_zh", typeNames(m.r.EvidenceTypes, 0), "allowed_en", typeNames(m.r.EvidenceTypes, 1))
		}
		seen[id] = true
	}
	return v.Err()
}

// progress records a startup's update.
func (m *Milestone) progress(id string, in ProgressInput, docs map[string]EvidenceDoc, by string, now time.Time) (Update, error) {
	if err := m.allows(ActProgress); err != nil {
		return Update{}, err
	}
	if err := m.validateProgress(in, docs); err != nil {
		return Update{}, err
	}
	u := Update{ID: id, MilestoneID: m.r.ID, AuthorID: by, At: now, Text: in.Text, Percent: in.Percent, Figure: in.Figure, Evidence: slices.Clone(in.Evidence)}
	if err := m.step(ActProgress, by, "", map[string]any{"update_id": id}, now); err != nil {
		return Update{}, err
	}
	if in.Percent != nil {
		m.r.Percent = in.Percent
	}
	if in.Figure != nil {
		m.r.Figure = in.Figure
	}
	if len(in.Evidence) > 0 {
		m.r.Evidence = slices.Clone(in.Evidence)
	}
	m.addAuthor(by)
	m.updates = append(m.updates, u)
	return u, nil
}

func (m *Milestone) addAuthor(by string) {
	if !slices.Contains(m.r.Authors, by) {
		m.r.Authors = append(m.r.Authors, by)
	}
}

// submit asks the carrier to verify.
func (m *Milestone) submit(by string, now time.Time) error {
	if err := m.step(ActSubmit, by, "", nil, now); err != nil {
		return err
	}
	m.addAuthor(by)
	return nil
}

// verify accepts a submission; whoever reported on it cannot.
func (m *Milestone) verify(by, comment string, now time.Time) error {
	return m.review(ActVerify, by, comment, false, now)
}

// ret sends a submission back with a comment; the next round's reporters
// are counted afresh.
func (m *Milestone) ret(by, comment string, now time.Time) error {
	if err := m.review(ActReturn, by, comment, true, now); err != nil {
		return err
	}
	m.r.Authors = nil
	return nil
}

// review is the carrier's answer to a submission (verify or return):
// refused to whoever reported on this round, with a comment when needed.
func (m *Milestone) review(act Action, by, comment string, needComment bool, now time.Time) error {
	if err := m.allows(act); err != nil {
		return err
	}
	if slices.Contains(m.r.Authors, by) {
		return apperr.ForbiddenErr("own-update")
	}
	if err := checkReason("comment", comment, needComment); err != nil {
		return err
	}
	return m.step(act, by, comment, nil, now)
}

// waive drops the milestone, with a reason.
func (m *Milestone) waive(by, reason string, now time.Time) error {
	if err := m.allows(ActWaive); err != nil {
		return err
	}
	if err := checkReason("reason", reason, true); err != nil {
		return err
	}
	return m.step(ActWaive, by, reason, nil, now)
}

// reschedule moves the due date, with a reason; never before base.
func (m *Milestone) reschedule(due, base time.Time, by, reason string, now time.Time) (previous time.Time, err error) {
	if err := m.allows(ActReschedule); err != nil {
		return time.Time{}, err
	}
	v := apperr.NewValidation("invalid-reschedule")
	if checkDueOn(v, due, base) && Day(due).Equal(Day(m.r.DueOn)) {
		v.Add("due_on", "unchanged")
	}
	if reasonErr(v, "reason", reason, true); v.Err() != nil {
		return time.Time{}, v.Err()
	}
	previous = m.r.DueOn
	if err := m.step(ActReschedule, by, reason, map[string]any{"from": FormatDate(previous), "to": FormatDate(due)}, now); err != nil {
		return time.Time{}, err
	}
	m.r.DueOn = Day(due)
	return previous, nil
}

func reasonErr(v *apperr.Validation, field, s string, required bool) {
	v.Check(required && strings.TrimSpace(s) == "", field, "required")
	v.Check(len([]rune(s)) > 1000, field, "too_long", "max", 1000)
	v.Check(strings.ContainsRune(s, 0), field, "invalid")
}

func checkReason(field, s string, required bool) error {
	v := apperr.NewValidation("invalid-" + field)
	reasonErr(v, field, s, required)
	return v.Err()
}
