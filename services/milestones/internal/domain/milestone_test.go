package domain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// clock is a controllable clock: every call to tick moves it an hour on.
type clock struct{ t time.Time }

func (c *clock) now() time.Time  { return c.t }
func (c *clock) tick() time.Time { c.t = c.t.Add(time.Hour); return c.t }

var movedIn = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func openPlan(t *testing.T) *domain.Plan {
	t.Helper()
	return domain.NewPlan(domain.ResidencyFacts{ResidencyID: "r1", CompanyID: "co1", RegionID: "reg", CarrierID: "car", CarrierKind: "incubator",
		Stage: domain.StageMovedIn, AdmittedOn: movedIn.AddDate(0, 0, -10), MovedInOn: movedIn}, movedIn)
}

func input(due time.Time) domain.MilestoneInput {
	return domain.MilestoneInput{TitleZH: "首笔营收", TitleEN: "First revenue", Category: "revenue", Criteria: "合同与发票",
		Target: &domain.Figure{Value: 5000, Unit: domain.UnitThousandYuan}, EvidenceTypes: []string{"milestone_evidence", "financial_statements"}, DueOn: due}
}

var docs = map[string]domain.EvidenceDoc{
	"d-evidence": {ID: "d-evidence", CompanyID: "co1", Type: "milestone_evidence"},
	"d-licence":  {ID: "d-licence", CompanyID: "co1", Type: "business_licence"},
	"d-other-co": {ID: "d-other-co", CompanyID: "co2", Type: "milestone_evidence"},
	"d-deleted":  {ID: "d-deleted", CompanyID: "co1", Type: "milestone_evidence", Deleted: true},
}

const (
	founder  = "u-founder"
	operator = "u-operator"
)

// reach drives a new milestone into state s through the machine.
func reach(t *testing.T, c *clock, s domain.State) (*domain.Plan, string) {
	t.Helper()
	p := openPlan(t)
	m, err := p.AddMilestone("m1", input(movedIn.AddDate(0, 6, 0)), operator, c.tick())
	if err != nil {
		t.Fatal(err)
	}
	pct := 50
	progress := func() {
		if _, _, err := p.Progress("m1", "u"+c.tick().String(), domain.ProgressInput{Text: "签约", Percent: &pct, Evidence: []string{"d-evidence"}}, docs, founder, c.now()); err != nil {
			t.Fatal(err)
		}
	}
	must := func(_ *domain.Milestone, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	switch s {
	case domain.Planned:
	case domain.InProgress:
		progress()
	case domain.Submitted:
		progress()
		must(p.Submit("m1", founder, c.tick()))
	case domain.Verified:
		progress()
		must(p.Submit("m1", founder, c.tick()))
		must(p.Verify("m1", operator, "", c.tick()))
	case domain.Returned:
		progress()
		must(p.Submit("m1", founder, c.tick()))
		must(p.Return("m1", operator, "请补充发票", c.tick()))
	case domain.Waived:
		must(p.Waive("m1", operator, "方向调整", c.tick()))
	}
	if m.State() != s {
		t.Fatalf("reached %s, want %s", m.State(), s)
	}
	return p, "m1"
}

// Every action from every state: the machine's answer, checked through
// the plan's own methods (so the checks a method adds agree with it).
func TestEveryTransition(t *testing.T) {
	want := map[domain.State]map[domain.Action]domain.State{
		domain.Planned:    {domain.ActEdit: domain.Planned, domain.ActRemove: "", domain.ActProgress: domain.InProgress, domain.ActWaive: domain.Waived, domain.ActReschedule: domain.Planned},
		domain.InProgress: {domain.ActEdit: domain.InProgress, domain.ActProgress: domain.InProgress, domain.ActSubmit: domain.Submitted, domain.ActWaive: domain.Waived, domain.ActReschedule: domain.InProgress},
		domain.Submitted:  {domain.ActVerify: domain.Verified, domain.ActReturn: domain.Returned, domain.ActWaive: domain.Waived, domain.ActReschedule: domain.Submitted},
		domain.Returned:   {domain.ActEdit: domain.Returned, domain.ActProgress: domain.InProgress, domain.ActSubmit: domain.Submitted, domain.ActWaive: domain.Waived, domain.ActReschedule: domain.Returned},
		domain.Verified:   {},
		domain.Waived:     {},
	}
	actions := []domain.Action{domain.ActEdit, domain.ActRemove, domain.ActProgress, domain.ActSubmit, domain.ActVerify, domain.ActReturn, domain.ActWaive, domain.ActReschedule}
	for _, from := range domain.States {
		for _, act := range actions {
			t.Run(fmt.Sprintf("%s/%s", from, act), func(t *testing.T) {
				c := &clock{t: movedIn}
				p, id := reach(t, c, from)
				to, allowed := want[from][act]
				if got, ok := domain.Next(from, act); ok != allowed || (ok && act != domain.ActRemove && got != to) {
					t.Fatalf("Next(%s, %s) = %s %v, want %s %v", from, act, got, ok, to, allowed)
				}
				m, _ := p.Milestone(id)
				before := len(m.PendingChanges())
				var err error
				at := c.tick()
				switch act {
				case domain.ActEdit:
					in := input(time.Time{})
					in.TitleZH = "首笔营收（调整）"
					_, err = p.EditMilestone(id, in, operator, at)
				case domain.ActRemove:
					_, err = p.RemoveMilestone(id)
				case domain.ActProgress:
					_, _, err = p.Progress(id, "u-new", domain.ProgressInput{Text: "进展"}, docs, founder, at)
				case domain.ActSubmit:
					_, err = p.Submit(id, founder, at)
				case domain.ActVerify:
					_, err = p.Verify(id, operator, "", at)
				case domain.ActReturn:
					_, err = p.Return(id, operator, "退回", at)
				case domain.ActWaive:
					_, err = p.Waive(id, operator, "不再适用", at)
				case domain.ActReschedule:
					_, _, err = p.Reschedule(id, m.DueOn().AddDate(0, 1, 0), operator, "设备延期", at)
				}
				if !allowed {
					if !apperr.Is(err, apperr.Conflict) {
						t.Fatalf("%s from %s: %v, want a conflict", act, from, err)
					}
					if m.State() != from || len(m.PendingChanges()) != before {
						t.Fatalf("a refused %s changed the milestone: %s, %d history lines", act, m.State(), len(m.PendingChanges()))
					}
					return
				}
				if err != nil {
					t.Fatalf("%s from %s: %v", act, from, err)
				}
				if act == domain.ActRemove {
					if _, err := p.Milestone(id); !apperr.Is(err, apperr.NotFound) || len(p.Removed()) != 1 {
						t.Fatalf("removed milestone still planned: %v %v", err, p.Removed())
					}
					return
				}
				if m.State() != to {
					t.Fatalf("%s from %s: state %s, want %s", act, from, m.State(), to)
				}
				last := m.PendingChanges()[len(m.PendingChanges())-1]
				if last.Action != act || last.From != from || last.To != to || !last.At.Equal(at) {
					t.Fatalf("history line %+v, want %s %s→%s at %v", last, act, from, to, at)
				}
				if last.Actor == "" {
					t.Fatal("history line names nobody")
				}
			})
		}
	}
}

func TestDueDateNeverBeforeMoveIn(t *testing.T) {
	p := openPlan(t)
	_, err := p.AddMilestone("m1", input(movedIn.AddDate(0, 0, -1)), operator, movedIn)
	if got := apperr.FieldCodes(err)["due_on"]; got != "before_move_in" {
		t.Fatalf("due before move-in: %v (%s)", err, got)
	}
	if len(p.Milestones()) != 0 {
		t.Fatal("a refused milestone was planned")
	}
	m, err := p.AddMilestone("m1", input(movedIn), operator, movedIn)
	if err != nil {
		t.Fatalf("due on the move-in day: %v", err)
	}
	if _, _, err := p.Reschedule(m.ID(), movedIn.AddDate(0, 0, -3), operator, "提前", movedIn); apperr.FieldCodes(err)["due_on"] != "before_move_in" {
		t.Fatalf("reschedule before move-in: %v", err)
	}
	if _, _, err := p.Reschedule(m.ID(), movedIn.AddDate(0, 2, 0), operator, " ", movedIn); apperr.FieldCodes(err)["reason"] != "required" {
		t.Fatalf("reschedule without a reason: %v", err)
	}
	if _, err := p.Waive(m.ID(), operator, "", movedIn); apperr.FieldCodes(err)["reason"] != "required" {
		t.Fatalf("waive without a reason: %v", err)
	}
	if m.State() != domain.Planned || !m.DueOn().Equal(movedIn) {
		t.Fatalf("refusals changed the milestone: %s %v", m.State(), m.DueOn())
	}
}

func TestProgressChecksEvidenceAndUnit(t *testing.T) {
	c := &clock{t: movedIn}
	p, id := reach(t, c, domain.Planned)
	tenPeople := &domain.Figure{Value: 10, Unit: domain.UnitPeople}
	cases := []struct {
		name  string
		in    domain.ProgressInput
		field string
		code  string
	}{
		{"empty", domain.ProgressInput{}, "text", "required"},
		{"evidence of a type not taken", domain.ProgressInput{Evidence: []string{"d-licence"}}, "evidence[0]", "evidence_type_not_taken"},
		{"evidence of another company", domain.ProgressInput{Evidence: []string{"d-other-co"}}, "evidence[0]", "unknown_document"},
		{"deleted evidence", domain.ProgressInput{Evidence: []string{"d-deleted"}}, "evidence[0]", "unknown_document"},
		{"unknown evidence", domain.ProgressInput{Evidence: []string{"nope"}}, "evidence[0]", "unknown_document"},
		{"figure in the wrong unit", domain.ProgressInput{Figure: tenPeople}, "figure.unit", "wrong_unit"},
		{"percent out of range", domain.ProgressInput{Percent: new(int(101))}, "percent", "out_of_range"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := p.Milestone(id)
			_, _, err := p.Progress(id, "u1", tc.in, docs, founder, c.tick())
			if got := apperr.FieldCodes(err)[tc.field]; got != tc.code {
				t.Fatalf("%v: field %s = %q, want %q", err, tc.field, got, tc.code)
			}
			if m.State() != domain.Planned || len(m.PendingUpdates()) != 0 {
				t.Fatal("a refused update changed the milestone")
			}
		})
	}
	m, u, err := p.Progress(id, "u1", domain.ProgressInput{Text: "首单", Figure: &domain.Figure{Value: 1200, Unit: domain.UnitThousandYuan},
		Evidence: []string{"d-evidence"}}, docs, founder, c.tick())
	if err != nil {
		t.Fatal(err)
	}
	if m.State() != domain.InProgress || m.Figure().Value != 1200 || u.AuthorID != founder || len(m.PendingUpdates()) != 1 {
		t.Fatalf("after progress: %s %+v %+v", m.State(), m.Figure(), u)
	}
}

// Whoever reported on a milestone can never verify or return it, even
// when they also hold a carrier role.
func TestNobodyVerifiesTheirOwnUpdate(t *testing.T) {
	c := &clock{t: movedIn}
	p, id := reach(t, c, domain.Submitted)
	if _, err := p.Verify(id, founder, "", c.tick()); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("own verify: %v", err)
	}
	if _, err := p.Return(id, founder, "x", c.tick()); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("own return: %v", err)
	}
	m, err := p.Verify(id, operator, "", c.tick())
	if err != nil || m.State() != domain.Verified {
		t.Fatalf("operator verify: %v", err)
	}
}

func TestClosedPlanRefusesEverything(t *testing.T) {
	c := &clock{t: movedIn}
	p, id := reach(t, c, domain.InProgress)
	if !p.Learn(domain.ResidencyFacts{Stage: domain.StageEnded, Outcome: domain.OutcomeGraduated, EndedOn: c.tick()}, c.now()) {
		t.Fatal("graduation changed nothing")
	}
	if _, _, err := p.Progress(id, "u9", domain.ProgressInput{Text: "x"}, docs, founder, c.tick()); apperr.FieldCodes(err)["residency_id"] != "residency_closed" {
		t.Fatalf("progress on a closed plan: %v", err)
	}
	if _, err := p.AddMilestone("m2", input(movedIn.AddDate(0, 1, 0)), operator, c.tick()); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("add to a closed plan: %v", err)
	}
	if _, err := p.Submit(id, founder, c.tick()); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("submit on a closed plan: %v", err)
	}
}

// Residency events again or out of order change nothing twice, and never
// take a plan back.
func TestLearnOnlyMovesForward(t *testing.T) {
	at := movedIn
	admitted := domain.ResidencyFacts{ResidencyID: "r1", CompanyID: "co1", Stage: domain.StageAdmitted, AdmittedOn: movedIn.AddDate(0, 0, -5)}
	in := admitted
	in.Stage, in.MovedInOn = domain.StageMovedIn, movedIn
	ended := in
	ended.Stage, ended.Outcome, ended.EndedOn, ended.ToResidencyID = domain.StageEnded, domain.OutcomePromoted, movedIn.AddDate(1, 0, 0), "r2"

	p := domain.NewPlan(ended, at) // the last event first
	if p.Open() || p.Outcome() != domain.OutcomePromoted || p.ToResidencyID() != "r2" {
		t.Fatalf("plan from promotion: open %v outcome %s", p.Open(), p.Outcome())
	}
	if p.Learn(admitted, at) || p.Learn(in, at) || p.Learn(ended, at) {
		t.Fatal("earlier or repeated events changed the plan")
	}
	q := domain.NewPlan(admitted, at)
	if !q.Open() || !q.BaseDate().Equal(admitted.AdmittedOn) {
		t.Fatalf("admitted plan: %v %v", q.Open(), q.BaseDate())
	}
	if !q.Learn(in, at) || !q.BaseDate().Equal(movedIn) || q.Learn(in, at) {
		t.Fatal("move-in must change the plan once and set the base date")
	}
}

func TestReminders(t *testing.T) {
	c := &clock{t: movedIn}
	p, id := reach(t, c, domain.InProgress)
	m, _ := p.Milestone(id)
	due := m.DueOn()
	cases := []struct {
		today time.Time
		kind  string
		days  int
		ok    bool
	}{
		{due.AddDate(0, 0, -8), "", 0, false},
		{due.AddDate(0, 0, -7), domain.ReminderDueSoon, 7, true},
		{due, domain.ReminderDueSoon, 0, true},
		{due.AddDate(0, 0, 1), domain.ReminderOverdue, 1, true},
	}
	for _, tc := range cases {
		kind, days, ok := m.Reminder(tc.today, 7)
		if kind != tc.kind || days != tc.days || ok != tc.ok {
			t.Errorf("Reminder(%s) = %s %d %v, want %s %d %v", domain.FormatDate(tc.today), kind, days, ok, tc.kind, tc.days, tc.ok)
		}
	}
	pv, vid := reach(t, c, domain.Verified)
	v, _ := pv.Milestone(vid)
	if _, _, ok := v.Reminder(v.DueOn().AddDate(1, 0, 0), 7); ok {
		t.Error("a verified milestone is never overdue")
	}
}

func TestTemplates(t *testing.T) {
	for _, k := range domain.TemplateKinds {
		items := domain.DefaultItems(k)
		if len(items) != 3 {
			t.Errorf("%s seeds %d items", k, len(items))
		}
		if err := domain.ValidateItems(k, items); err != nil {
			t.Errorf("%s defaults invalid: %v", k, err)
		}
	}
	bad := []domain.TemplateItem{{TitleZH: "", Category: "nope", OffsetDays: -1, Target: &domain.Figure{Value: 1, Unit: "yuan"}, EvidenceTypes: []string{"passport"}}}
	got := apperr.FieldCodes(domain.ValidateItems("incubator", bad))
	for f, code := range map[string]string{"items[0].title_zh": "required", "items[0].category": "unknown_category", "items[0].offset_days": "out_of_range",
		"items[0].target.unit": "unknown_unit", "items[0].evidence_types": "unknown_document_type"} {
		if got[f] != code {
			t.Errorf("field %s = %q, want %q (%v)", f, got[f], code, got)
		}
	}
	tpl := domain.SeedTemplate("t1", "reg", domain.KindIncubator, movedIn)
	p := openPlan(t)
	n := 0
	ms, err := p.ApplyTemplate(tpl, func() string { n++; return fmt.Sprint("m", n) }, operator, movedIn)
	if err != nil || len(ms) != 3 {
		t.Fatalf("apply: %v %d", err, len(ms))
	}
	if want := movedIn.AddDate(0, 0, 180); !ms[0].DueOn().Equal(want) {
		t.Errorf("first revenue due %v, want %v", ms[0].DueOn(), want)
	}
	if _, err := p.ApplyTemplate(tpl, func() string { return "x" }, operator, movedIn); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second apply: %v", err)
	}
}
