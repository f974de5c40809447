package milestones

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/app/command"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// The authorization matrix: every milestones route × every caller × own /
// sibling-carrier / foreign-region targets × anonymous. The founder is
// the startup of the own company, so on the sibling target it is the
// startup of another company. A route without an entry fails the test.

var matrixRoles = authztest.DemoCallers("nobody@lixia.demo")

type matrixTarget struct {
	authzmatrix.Target
	residency, kind string
}

var matrixTargets = []matrixTarget{
	{authzmatrix.Own, "resA", "incubator"},
	{authzmatrix.ForeignCarrier, "resB", "maker_space"},
	{authzmatrix.ForeignRegion, "resC", "incubator"},
}

type matrixCase = authzmatrix.Case[*harness]

const (
	regionRead     = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401"
	regionUpdate   = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401"
	carrierRead    = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"
	carrierUpdate  = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=403,404,404 anonymous=401,401,401"
	companyRead    = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	staffOnly      = "all=404,404,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"
	planSpecFmt    = "all=404,404,404 platform_admin=%[1]d,%[1]d,%[1]d district_admin=403,403,404 district_viewer=403,403,404 park_admin=%[1]d,404,404 park_operator=%[1]d,404,404 startup_member=403,404,404 anonymous=401,401,401"
	progressSpecFm = "all=404,404,404 platform_admin=%[1]d,%[1]d,%[1]d district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=%[1]d,404,404 anonymous=401,401,401"
)

func newMilestoneBody(h *harness, n int) map[string]any {
	return map[string]any{"title_zh": fmt.Sprintf("矩阵目标 %d", n), "category": "product", "due_on": movedIn.AddDate(0, 2, n%28).Format(time.DateOnly),
		"evidence_types": []string{"milestone_evidence"}}
}

var matrix = authzmatrix.Matrix[*harness, matrixTarget]{Callers: matrixRoles, Targets: matrixTargets, Cases: map[string]matrixCase{
	"GET /api/v1/regions/:id/milestone-templates": {Spec: regionRead},
	"PUT /api/v1/regions/:id/milestone-templates/:kind": {Spec: regionUpdate,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/regions/" + h.IDs[matrixTargets[ti].Region] + "/milestone-templates/incubator",
				map[string]any{"items": []map[string]any{{"title_zh": "首笔营收", "title_en": "First revenue", "category": "revenue", "offset_days": 120,
					"target": map[string]any{"value": 10, "unit": "thousand_yuan"}, "evidence_types": []string{"milestone_evidence"}}}}
		}},
	"GET /api/v1/regions/:id/milestone-counts":    {Spec: regionRead},
	"GET /api/v1/carriers/:id/milestone-template": {Spec: carrierRead},
	"PUT /api/v1/carriers/:id/milestone-template": {Spec: carrierUpdate,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/carriers/" + h.IDs[matrixTargets[ti].Carrier] + "/milestone-template",
				map[string]any{"items": []map[string]any{{"title_zh": "团队组建", "category": "team", "offset_days": 30, "evidence_types": []string{}}}}
		}},
	"GET /api/v1/carriers/:id/milestones":          {Spec: carrierRead},
	"GET /api/v1/companies/:id/milestone-timeline": {Spec: companyRead},
	// The caller's own overdue board, narrowed to the target's carrier:
	// only its staff see it; a carrier they do not staff is not found,
	// whatever else they may read.
	"GET /api/v1/me/overdue-milestones": {Spec: staffOnly,
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/me/overdue-milestones?carrier_id=" + h.IDs[matrixTargets[ti].Carrier], nil
		}},
	"GET /api/v1/residencies/:id/milestone-plan": {Spec: companyRead, Prepare: residencyPath("/milestone-plan")},
	"POST /api/v1/residencies/:id/milestone-plan": {Spec: fmt.Sprintf(planSpecFmt, 201),
		Prepare: func(h *harness, ti, _ int) (string, any) {
			return "/api/v1/residencies/" + h.freshResidency(ti) + "/milestone-plan", nil
		}},
	"GET /api/v1/residencies/:id/milestones": {Spec: companyRead, Prepare: residencyPath("/milestones")},
	"POST /api/v1/residencies/:id/milestones": {Spec: fmt.Sprintf(planSpecFmt, 201),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/residencies/" + h.IDs[matrixTargets[ti].residency] + "/milestones", newMilestoneBody(h, n)
		}},
	"GET /api/v1/milestones/:id": {Spec: companyRead, Prepare: milestonePath(domain.Planned, "", nil)},
	"PATCH /api/v1/milestones/:id": {Spec: fmt.Sprintf(planSpecFmt, 200),
		Prepare: milestonePath(domain.Planned, "", map[string]any{"title_zh": "改过的目标", "category": "team", "evidence_types": []string{"other"}})},
	"DELETE /api/v1/milestones/:id":          {Spec: fmt.Sprintf(planSpecFmt, 204), Prepare: milestonePath(domain.Planned, "", nil)},
	"POST /api/v1/milestones/:id/updates":    {Spec: fmt.Sprintf(progressSpecFm, 201), Prepare: milestonePath(domain.Planned, "/updates", map[string]any{"text": "进展", "percent": 30})},
	"POST /api/v1/milestones/:id/submit":     {Spec: fmt.Sprintf(progressSpecFm, 200), Prepare: milestonePath(domain.InProgress, "/submit", nil)},
	"POST /api/v1/milestones/:id/verify":     {Spec: fmt.Sprintf(planSpecFmt, 200), Prepare: milestonePath(domain.Submitted, "/verify", map[string]any{})},
	"POST /api/v1/milestones/:id/return":     {Spec: fmt.Sprintf(planSpecFmt, 200), Prepare: milestonePath(domain.Submitted, "/return", map[string]any{"comment": "请补充"})},
	"POST /api/v1/milestones/:id/waive":      {Spec: fmt.Sprintf(planSpecFmt, 200), Prepare: milestonePath(domain.Planned, "/waive", map[string]any{"reason": "不再适用"})},
	"POST /api/v1/milestones/:id/reschedule": {Spec: fmt.Sprintf(planSpecFmt, 200), Prepare: milestonePath(domain.Planned, "/reschedule", map[string]any{"due_on": movedIn.AddDate(1, 0, 0).Format(time.DateOnly), "reason": "延期"})},
}}

func residencyPath(suffix string) func(h *harness, ti, _ int) (string, any) {
	return func(h *harness, ti, _ int) (string, any) {
		return "/api/v1/residencies/" + h.IDs[matrixTargets[ti].residency] + suffix, nil
	}
}

// milestonePath plans a fresh milestone at target ti, brings it to state
// (its founder reports and submits), and returns its path and body.
func milestonePath(state domain.State, suffix string, body map[string]any) func(h *harness, ti, n int) (string, any) {
	return func(h *harness, ti, n int) (string, any) {
		return "/api/v1/milestones/" + h.freshMilestone(ti, n, state) + suffix, body
	}
}

func (h *harness) freshMilestone(ti, n int, state domain.State) string {
	h.T.Helper()
	ctx := context.Background()
	t := matrixTargets[ti]
	cmds := h.svc.cq.Commands
	// A plan holds a bounded number of milestones: a new residency at the
	// same carrier takes over every so often.
	key := "matrix-" + t.Key
	if h.IDs[key] == "" || h.planned[key] >= 50 {
		h.IDs[key], h.planned[key] = h.freshResidency(ti), 0
	}
	h.planned[key]++
	m, err := cmds.AdjustPlan.Add(ctx, command.AddMilestone{Actor: app.Actor{UserID: h.Users["admin@incuchain.demo"]}, ResidencyID: h.IDs[key],
		Input: domain.MilestoneInput{TitleZH: fmt.Sprintf("目标 %d", n), Category: "product", DueOn: movedIn.AddDate(0, 3, 0), EvidenceTypes: []string{"milestone_evidence"}}})
	if err != nil {
		h.T.Fatalf("fresh milestone: %v", err)
	}
	founder := app.Actor{UserID: h.Users[t.Founder]}
	if state == domain.InProgress || state == domain.Submitted {
		if _, _, err := cmds.PostProgress.Handle(ctx, command.PostProgress{Actor: founder, MilestoneID: m.ID(), Input: domain.ProgressInput{Text: "做了"}}); err != nil {
			h.T.Fatalf("fresh progress: %v", err)
		}
	}
	if state == domain.Submitted {
		if _, err := cmds.Transition.Handle(ctx, command.Transition{Actor: founder, MilestoneID: m.ID(), Action: domain.ActSubmit}); err != nil {
			h.T.Fatalf("fresh submit: %v", err)
		}
	}
	return m.ID()
}

// freshResidency opens a new residency at target ti's carrier, as
// incubatees would, and waits for its plan.
func (h *harness) freshResidency(ti int) string {
	h.T.Helper()
	t := matrixTargets[ti]
	id := events.NewID()
	r := h.residencyV1(t.Company, t.Carrier, t.residency, t.kind, t.Region)
	r.ResidencyID = id
	h.Fixture.Publish(h.Event(events.Scope{RegionID: h.IDs[t.Region], CarrierID: h.IDs[t.Carrier]}, id, events.ResidencyMovedInV1{ResidencyV1: r}))
	testkit.Eventually(h.T, "the new residency's plan", func() bool { return h.count("plans", "residency_id = ?", id) == 1 })
	return id
}

func TestAuthorizationMatrix(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, matrix.Run)
}
