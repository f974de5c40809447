package domain

import (
	"slices"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Stage is how far a residency has come, as the residency events say:
// events may arrive again or out of order, and a plan only moves forward.
type Stage int

// Stages of a residency.
const (
	StageAdmitted Stage = 1
	StageMovedIn  Stage = 2
	StageEnded    Stage = 3
)

// Status is a plan's at stage s: open until the residency ends, then closed.
func (s Stage) Status() string {
	if s < StageEnded {
		return "open"
	}
	return "closed"
}

// Outcomes of an ended residency.
const (
	OutcomeGraduated = "graduated"
	OutcomeExited    = "exited"
	OutcomePromoted  = "promoted"
)

// ResidencyFacts are what a residency event tells about the residency.
type ResidencyFacts struct {
	ResidencyID   string
	CompanyID     string
	RegionID      string
	CarrierID     string
	CarrierKind   string
	ChainOrder    int
	Stage         Stage
	AdmittedOn    time.Time
	MovedInOn     time.Time
	EndedOn       time.Time
	Outcome       string // with StageEnded
	ToResidencyID string // the residency a promotion opened
}

// PlanRecord is a plan as stored: the residency's facts as the plan has
// learnt them, and the template applied.
type PlanRecord struct {
	ResidencyFacts
	TemplateID      string // the template applied, if any
	TemplateVersion int
	UpdatedAt       time.Time
}

// Plan is a residency's milestones. It opens when the residency is
// admitted and closes when it ends (graduated, exited or promoted); a
// closed plan keeps its milestones and history and refuses every change.
type Plan struct {
	r          PlanRecord
	milestones []*Milestone
	removed    []string
	dirty      bool
}

// PlanFromDB loads a stored plan with its milestones.
func PlanFromDB(r PlanRecord, ms []*Milestone) *Plan { return &Plan{r: r, milestones: ms} }

// Record is what the store writes.
func (p *Plan) Record() PlanRecord { return p.r }

func (p *Plan) ResidencyID() string      { return p.r.ResidencyID }
func (p *Plan) CompanyID() string        { return p.r.CompanyID }
func (p *Plan) RegionID() string         { return p.r.RegionID }
func (p *Plan) CarrierID() string        { return p.r.CarrierID }
func (p *Plan) CarrierKind() string      { return p.r.CarrierKind }
func (p *Plan) Stage() Stage             { return p.r.Stage }
func (p *Plan) Outcome() string          { return p.r.Outcome }
func (p *Plan) Open() bool               { return p.r.Stage < StageEnded }
func (p *Plan) Milestones() []*Milestone { return slices.Clone(p.milestones) }
func (p *Plan) Removed() []string        { return p.removed }
func (p *Plan) Dirty() bool              { return p.dirty }
func (p *Plan) TemplateID() string       { return p.r.TemplateID }
func (p *Plan) AdmittedOn() time.Time    { return p.r.AdmittedOn }
func (p *Plan) MovedInOn() time.Time     { return p.r.MovedInOn }
func (p *Plan) EndedOn() time.Time       { return p.r.EndedOn }
func (p *Plan) ToResidencyID() string    { return p.r.ToResidencyID }
func (p *Plan) ChainOrder() int          { return p.r.ChainOrder }
func (p *Plan) UpdatedAt() time.Time     { return p.r.UpdatedAt }
func (p *Plan) TemplateVersion() int     { return p.r.TemplateVersion }
func (p *Plan) Status() string           { return p.r.Stage.Status() }

// BaseDate is the day milestones count from: move-in, or admission until then.
func (p *Plan) BaseDate() time.Time {
	if !p.r.MovedInOn.IsZero() {
		return p.r.MovedInOn
	}
	return p.r.AdmittedOn
}

// NewPlan opens the plan of a residency from the first event seen of it
// (any of them: the admission may arrive after the move-in).
func NewPlan(f ResidencyFacts, now time.Time) *Plan {
	p := &Plan{r: PlanRecord{ResidencyFacts: ResidencyFacts{ResidencyID: f.ResidencyID, CompanyID: f.CompanyID, RegionID: f.RegionID, CarrierID: f.CarrierID,
		CarrierKind: f.CarrierKind, ChainOrder: f.ChainOrder}, UpdatedAt: now}, dirty: true}
	p.Learn(f, now)
	return p
}

// Learn applies what a residency event says. An event of an earlier
// stage than the plan's changes nothing but fills dates still unknown; an
// event of the same stage again changes nothing. It reports whether the
// plan changed.
func (p *Plan) Learn(f ResidencyFacts, now time.Time) bool {
	changed := false
	fill := func(dst *time.Time, v time.Time) {
		if dst.IsZero() && !v.IsZero() {
			*dst, changed = Day(v), true
		}
	}
	fill(&p.r.AdmittedOn, f.AdmittedOn)
	fill(&p.r.MovedInOn, f.MovedInOn)
	if f.Stage > p.r.Stage {
		p.r.Stage, changed = f.Stage, true
		if f.Stage == StageEnded {
			p.r.Outcome, p.r.ToResidencyID = f.Outcome, f.ToResidencyID
			fill(&p.r.EndedOn, f.EndedOn)
		}
	}
	if changed {
		p.r.UpdatedAt, p.dirty = now, true
	}
	return changed
}

// closedErr answers any change to a closed plan.
func (p *Plan) closedErr() error {
	e := apperr.ConflictErr("plan-closed").With("outcome", p.r.Outcome)
	e.Fields = []apperr.FieldError{{Field: "residency_id", Code: "residency_closed"}}
	return e
}

func (p *Plan) ensureOpen() error {
	if !p.Open() {
		return p.closedErr()
	}
	return nil
}

// Milestone is the plan's milestone id, or 404.
func (p *Plan) Milestone(id string) (*Milestone, error) {
	for _, m := range p.milestones {
		if m.r.ID == id {
			return m, nil
		}
	}
	return nil, apperr.NotFoundErr("milestone-not-found")
}

// ApplyTemplate plans the template's milestones, each due its offset
// after the base date; ids gives each its id. A plan takes one template
// (then adjusts milestones one by one).
func (p *Plan) ApplyTemplate(t *Template, ids func() string, by string, now time.Time) ([]*Milestone, error) {
	if err := p.ensureOpen(); err != nil {
		return nil, err
	}
	if p.r.TemplateID != "" {
		return nil, apperr.ConflictErr("template-already-applied")
	}
	var out []*Milestone
	for _, it := range t.Items() {
		m, err := p.add(ids(), MilestoneInput{TitleZH: it.TitleZH, TitleEN: it.TitleEN, Category: it.Category, Criteria: it.Criteria, Target: it.Target,
			EvidenceTypes: it.EvidenceTypes, DueOn: p.BaseDate().AddDate(0, 0, it.OffsetDays)}, by, now)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	p.r.TemplateID, p.r.TemplateVersion, p.r.UpdatedAt, p.dirty = t.ID(), t.Version(), now, true
	return out, nil
}

// AddMilestone plans one more milestone.
func (p *Plan) AddMilestone(id string, in MilestoneInput, by string, now time.Time) (*Milestone, error) {
	if err := p.ensureOpen(); err != nil {
		return nil, err
	}
	return p.add(id, in, by, now)
}

func (p *Plan) add(id string, in MilestoneInput, by string, now time.Time) (*Milestone, error) {
	if len(p.milestones) >= MaxTemplateItems*2 {
		return nil, apperr.ConflictErr("plan-full").With("max", MaxTemplateItems*2)
	}
	if err := validateInput(in, p.BaseDate()); err != nil {
		return nil, err
	}
	pos := 0
	for _, m := range p.milestones {
		pos = max(pos, m.r.Position+1)
	}
	in.EvidenceTypes, in.DueOn = slices.Clone(in.EvidenceTypes), Day(in.DueOn)
	m := &Milestone{r: MilestoneRecord{ID: id, ResidencyID: p.r.ResidencyID, CompanyID: p.r.CompanyID, RegionID: p.r.RegionID, CarrierID: p.r.CarrierID,
		Position: pos, MilestoneInput: in, State: Planned, CreatedAt: now, UpdatedAt: now}, dirty: true}
	m.changes = append(m.changes, Change{MilestoneID: id, At: now, Actor: by, Action: ActPlan, To: Planned,
		Detail: map[string]any{"due_on": FormatDate(m.r.DueOn)}})
	p.milestones = append(p.milestones, m)
	return m, nil
}

// EditMilestone changes a milestone's title, category, criteria, target,
// evidence types or owner (its due date only through Reschedule).
func (p *Plan) EditMilestone(id string, in MilestoneInput, by string, now time.Time) (*Milestone, error) {
	m, err := p.open(id)
	if err != nil {
		return nil, err
	}
	in.DueOn = m.r.DueOn
	if err := validateInput(in, time.Time{}); err != nil {
		return nil, err
	}
	return m, m.edit(in, by, now)
}

// RemoveMilestone takes a milestone nobody has worked on off the plan.
func (p *Plan) RemoveMilestone(id string) (*Milestone, error) {
	m, err := p.open(id)
	if err != nil {
		return nil, err
	}
	if err := m.allows(ActRemove); err != nil {
		return nil, err
	}
	p.milestones = slices.DeleteFunc(p.milestones, func(x *Milestone) bool { return x == m })
	p.removed = append(p.removed, id)
	return m, nil
}

func (p *Plan) open(id string) (*Milestone, error) {
	m, err := p.Milestone(id)
	if err != nil {
		return nil, err
	}
	return m, p.ensureOpen()
}

// Progress records a startup's update; docs are the company's documents
// the update's evidence names.
func (p *Plan) Progress(id, updateID string, in ProgressInput, docs map[string]EvidenceDoc, by string, now time.Time) (*Milestone, Update, error) {
	m, err := p.open(id)
	if err != nil {
		return nil, Update{}, err
	}
	u, err := m.progress(updateID, in, docs, by, now)
	return m, u, err
}

// Submit asks the carrier to verify a milestone.
func (p *Plan) Submit(id, by string, now time.Time) (*Milestone, error) {
	return p.with(id, func(m *Milestone) error { return m.submit(by, now) })
}

// Verify accepts a submitted milestone; nobody who reported on it may.
func (p *Plan) Verify(id, by, comment string, now time.Time) (*Milestone, error) {
	return p.with(id, func(m *Milestone) error { return m.verify(by, comment, now) })
}

// Return sends a submitted milestone back with a comment.
func (p *Plan) Return(id, by, comment string, now time.Time) (*Milestone, error) {
	return p.with(id, func(m *Milestone) error { return m.ret(by, comment, now) })
}

// Waive drops a milestone, with a reason.
func (p *Plan) Waive(id, by, reason string, now time.Time) (*Milestone, error) {
	return p.with(id, func(m *Milestone) error { return m.waive(by, reason, now) })
}

// Reschedule moves a milestone's due date, with a reason; it answers the
// previous due date.
func (p *Plan) Reschedule(id string, due time.Time, by, reason string, now time.Time) (*Milestone, time.Time, error) {
	var prev time.Time
	m, err := p.with(id, func(m *Milestone) error {
		var err error
		prev, err = m.reschedule(due, p.BaseDate(), by, reason, now)
		return err
	})
	return m, prev, err
}

func (p *Plan) with(id string, fn func(m *Milestone) error) (*Milestone, error) {
	m, err := p.open(id)
	if err != nil {
		return nil, err
	}
	return m, fn(m)
}
