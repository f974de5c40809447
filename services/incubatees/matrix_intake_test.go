package incubatees

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

func init() {
	// Carrier objects: park staff of their own carrier act, district roles
	// see their region's carriers (403 to act), everyone else 404.
	carrierAct := "all=404,404,404 stranger_park=404,404,404 platform_admin=%[1]d,%[1]d,%[1]d district_admin=403,403,404 district_viewer=403,403,404 park_admin=%[1]d,404,404 park_operator=%[1]d,404,404 anonymous=401,401,401"
	carrierRead := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"
	carrierPath := func(suffix string) func(h *harness, ti, n int) (string, any) {
		return func(h *harness, ti, n int) (string, any) {
			return "/api/v1/carriers/" + h.IDs[matrixTargets[ti].Carrier] + suffix, nil
		}
	}
	addMatrix("POST /api/v1/carriers/:id/intake-calls", matrixCase{Spec: fmt.Sprintf(carrierAct, 201),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/carriers/" + h.IDs[matrixTargets[ti].Carrier] + "/intake-calls", intakeCallBody(fmt.Sprintf("招募%d", n))
		}})
	addMatrix("GET /api/v1/carriers/:id/intake-calls", matrixCase{Spec: carrierRead, Prepare: carrierPath("/intake-calls")})
	addMatrix("GET /api/v1/carriers/:id/applications", matrixCase{Spec: carrierRead, Prepare: carrierPath("/applications")})
	addMatrix("POST /api/v1/carriers/:id/applications/decisions", matrixCase{Spec: fmt.Sprintf(carrierAct, 200),
		Prepare: func(h *harness, ti, n int) (string, any) {
			id := h.intakeApplication(ti, domain.AppSubmitted)
			return "/api/v1/carriers/" + h.IDs[matrixTargets[ti].Carrier] + "/applications/decisions",
				map[string]any{"ids": []string{id}, "decision": "reject", "reason": "名额有限"}
		}})

	// The public listing: any signed-in user, any existing region.
	addMatrix("GET /api/v1/regions/:id/intake-calls", matrixCase{Spec: "all=200,200,200 stranger_park=200,200,200 anonymous=401,401,401"})

	// An open call is public to read; only its carrier's staff change it
	// (to everyone else who sees it: 403).
	addMatrix("GET /api/v1/intake-calls/:id", matrixCase{Spec: "all=200,200,200 stranger_park=200,200,200 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/intake-calls/" + h.intakeSharedCall(ti), nil
		}})
	addMatrix("POST /api/v1/intake-calls/:id/close", matrixCase{
		Spec: "all=403,403,403 stranger_park=403,403,403 platform_admin=200,200,200 park_admin=200,403,403 park_operator=200,403,403 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/intake-calls/" + h.intakeNewCall(ti, true) + "/close", nil
		}})
	// A draft call is seen only by the carrier's staff and the district.
	draftCall := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"
	addMatrix("PATCH /api/v1/intake-calls/:id", matrixCase{Spec: draftCall,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/intake-calls/" + h.intakeNewCall(ti, false), map[string]any{"eligibility": fmt.Sprintf("条件%d", n)}
		}})
	addMatrix("POST /api/v1/intake-calls/:id/open", matrixCase{Spec: draftCall,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/intake-calls/" + h.intakeNewCall(ti, false) + "/open", nil
		}})
	// Only the company's admin applies; others who see the company get
	// 403 (the platform admin too: applying is the company's own act).
	addMatrix("POST /api/v1/intake-calls/:id/applications", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=201,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/intake-calls/" + h.intakeNewCall(ti, true) + "/applications",
				map[string]any{"company_id": h.IDs[matrixTargets[ti].Company], "answers": intakeGoodAnswers()}
		}})

	// A submitted application: the company, its carrier's staff, the
	// district.
	appRead := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	addMatrix("GET /api/v1/applications/:id", matrixCase{Spec: appRead,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/applications/" + h.intakeSharedApplication(ti), nil
		}})
	addMatrix("GET /api/v1/companies/:id/applications", matrixCase{Spec: appRead})
	// A draft is the company's alone: the carrier's staff do not see it.
	draftStep := "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 startup_member=%d,404,404 anonymous=401,401,401"
	addMatrix("PATCH /api/v1/applications/:id", matrixCase{Spec: fmt.Sprintf(draftStep, 200),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/applications/" + h.intakeApplication(ti, domain.AppDraft), map[string]any{"answers": intakeGoodAnswers()}
		}})
	addMatrix("POST /api/v1/applications/:id/submit", matrixCase{Spec: fmt.Sprintf(draftStep, 200),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/applications/" + h.intakeApplication(ti, domain.AppDraft) + "/submit", nil
		}})
	addMatrix("POST /api/v1/applications/:id/withdraw", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=403,403,403 district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=200,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/applications/" + h.intakeApplication(ti, domain.AppSubmitted) + "/withdraw", nil
		}})
	// Reviews and decisions: the carrier's staff; the applicant and the
	// district see the application but may not.
	staffAct := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401"
	addMatrix("POST /api/v1/applications/:id/reviews", matrixCase{Spec: staffAct,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/applications/" + h.intakeSharedApplication(ti) + "/reviews",
				map[string]any{"scores": map[string]int{"team": 4, "technology": 5, "market": 3, "fit": 4}, "comment": "ok"}
		}})
	addMatrix("POST /api/v1/applications/:id/decision", matrixCase{Spec: staffAct,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return "/api/v1/applications/" + h.intakeApplication(ti, domain.AppSubmitted) + "/decision",
				map[string]any{"decision": "reject", "reason": "不符合方向"}
		}})
}

// intakeCallBody is a valid call: a required text question, a money
// question in 千元 and a choice, open from today for a month.
func intakeCallBody(title string) map[string]any {
	today := time.Now().UTC()
	return map[string]any{
		"title_zh": title, "title_en": "Intake " + title, "opens_on": today.AddDate(0, 0, -1).Format(time.DateOnly),
		"closes_on": today.AddDate(0, 1, 0).Format(time.DateOnly), "eligibility": "注册地在本区", "capacity": 2,
		"materials": []string{"business_licence", "business_plan"},
		"questions": []map[string]any{
			{"key": "pitch", "label_zh": "项目简介", "label_en": "Pitch", "type": "text", "required": true},
			{"key": "revenue", "label_zh": "上年营收", "label_en": "Revenue last year", "type": "money", "unit": "thousand_yuan", "required": true},
			{"key": "stage", "label_zh": "阶段", "label_en": "Stage", "type": "choice", "options": []string{"idea", "mvp", "revenue"}},
			{"key": "staff", "label_zh": "员工数", "label_en": "Staff", "type": "number"},
		},
	}
}

func intakeGoodAnswers() map[string]any {
	return map[string]any{"pitch": "工业视觉检测", "revenue": map[string]any{"amount": 1200, "unit": "thousand_yuan"}, "stage": "mvp", "staff": 12}
}

func intakeFields(title string) domain.CallFields {
	today := time.Now().UTC()
	return domain.CallFields{TitleZH: title, OpensOn: today.AddDate(0, 0, -1), ClosesOn: today.AddDate(0, 1, 0), Capacity: 2,
		Materials: []string{"business_licence"},
		Questions: []domain.Question{
			{Key: "pitch", LabelZH: "项目简介", Type: domain.QText, Required: true},
			{Key: "revenue", LabelZH: "上年营收", Type: domain.QMoney, Unit: domain.UnitThousandYuan, Required: true},
			{Key: "stage", LabelZH: "阶段", Type: domain.QChoice, Options: []string{"idea", "mvp", "revenue"}},
			{Key: "staff", LabelZH: "员工数", Type: domain.QNumber},
		}}
}

func (h *harness) intakeAdmin() app.Actor { return app.Actor{UserID: h.Users["admin@incuchain.demo"]} }

// intakeNewCall creates a call of target ti's carrier through the use
// cases, open or still a draft.
func (h *harness) intakeNewCall(ti int, open bool) string {
	h.T.Helper()
	return h.intakeCall(matrixTargets[ti].Carrier, intakeFields("矩阵招募"), open)
}

// intakeCall creates a call of carrier (a fixture key) with fields f
// through the use cases, open or still a draft, and answers its id.
func (h *harness) intakeCall(carrier string, f domain.CallFields, open bool) string {
	h.T.Helper()
	ctx := context.Background()
	c, err := h.svc.cq.Commands.CreateIntakeCall.Handle(ctx, command.CreateIntakeCall{Actor: h.intakeAdmin(), CarrierID: h.IDs[carrier], Fields: f})
	if err != nil {
		h.T.Fatalf("create call: %v", err)
	}
	if open {
		if _, err := h.svc.cq.Commands.OpenIntakeCall.Handle(ctx, command.MoveIntakeCall{Actor: h.intakeAdmin(), CallID: c.ID}); err != nil {
			h.T.Fatalf("open call: %v", err)
		}
	}
	return c.ID
}

// intakeSharedCall is one open call per target, made once.
func (h *harness) intakeSharedCall(ti int) string {
	return h.matrixOnce(fmt.Sprintf("intake.call.%d", ti), func() string { return h.intakeNewCall(ti, true) })
}

// intakeSharedApplication is one submitted application per target, made
// once (reviewing it again keeps it in review).
func (h *harness) intakeSharedApplication(ti int) string {
	return h.matrixOnce(fmt.Sprintf("intake.app.%d", ti), func() string { return h.intakeApplication(ti, domain.AppSubmitted) })
}

// intakeApplication makes a fresh application of target ti's company to a
// fresh open call of its carrier (no reviews required), with its
// materials uploaded, as a draft, or submitted with its materials
// verified (ready to admit).
func (h *harness) intakeApplication(ti int, status domain.AppStatus) string {
	h.T.Helper()
	ctx := context.Background()
	company := h.IDs[matrixTargets[ti].Company]
	founder := app.Actor{UserID: h.Users[h.founderOf(company)]}
	answers := map[string]json.RawMessage{}
	for k, v := range intakeGoodAnswers() {
		raw, _ := json.Marshal(v)
		answers[k] = raw
	}
	x, err := h.svc.cq.Commands.Apply.Handle(ctx, command.Apply{Actor: founder, CallID: h.intakeNewCall(ti, true), CompanyID: company, Answers: answers})
	if err != nil {
		h.T.Fatalf("apply: %v", err)
	}
	// Submitting needs the call's materials, here or by the caller.
	h.uploadMaterials(x)
	if status == domain.AppSubmitted {
		if _, err := h.svc.cq.Commands.SubmitApplication.Handle(ctx, command.SubmitApplication{Actor: founder, ApplicationID: x.ID}); err != nil {
			h.T.Fatalf("submit: %v", err)
		}
		h.verifyMaterials(x)
	}
	return x.ID
}
