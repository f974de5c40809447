package incubatees

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

func init() {
	companyRead := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=200,404,404 anonymous=401,401,401"
	// Only the company itself (and the platform) files ladder steps and
	// reports; staff who can see the company get 403.
	companyFiles := func(code int) string {
		return fmt.Sprintf("all=404,404,404 stranger_park=404,404,404 platform_admin=%[1]d,%[1]d,%[1]d district_admin=403,403,404 district_viewer=403,403,404 park_admin=403,404,404 park_operator=403,404,404 startup_member=%[1]d,404,404 anonymous=401,401,401", code)
	}
	companyPath := func(h *harness, ti int) string { return "/api/v1/companies/" + h.targetID("/api/v1/companies/", ti) }

	addMatrix("GET /api/v1/companies/:id/ladder", matrixCase{Spec: companyRead})
	addMatrix("POST /api/v1/companies/:id/ladder", matrixCase{Spec: companyFiles(201),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return companyPath(h, ti) + "/ladder", map[string]any{"step": "team_or_result", "date": matrixLadderDate(n).Format(time.DateOnly)}
		}})
	// Park staff of a linked carrier and district admins verify; district
	// viewers and the company itself may not.
	ladderVerifiers := "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401"
	addMatrix("POST /api/v1/companies/:id/ladder/:step/verify", matrixCase{Spec: ladderVerifiers,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return h.matrixLadderClaim(ti, n) + "/verify", map[string]any{"evidence_document_id": h.matrixEvidence(ti)}
		}})
	addMatrix("POST /api/v1/companies/:id/ladder/:step/reject", matrixCase{Spec: ladderVerifiers,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return h.matrixLadderClaim(ti, n) + "/reject", map[string]any{"reason": "材料不符"}
		}})

	addMatrix("GET /api/v1/companies/:id/reports", matrixCase{Spec: companyRead})
	addMatrix("POST /api/v1/companies/:id/reports", matrixCase{Spec: companyFiles(201),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return companyPath(h, ti) + "/reports", map[string]any{"period": h.nextMatrixPeriod(), "submit": true, "metrics": reportMetrics(nil)}
		}})
	addMatrix("GET /api/v1/companies/:id/reports/:period", matrixCase{Spec: companyRead,
		Prepare: func(h *harness, ti, n int) (string, any) {
			return companyPath(h, ti) + "/reports/" + h.matrixReport(ti, false), nil
		}})
	addMatrix("POST /api/v1/companies/:id/reports/:period/revisions", matrixCase{Spec: companyFiles(201),
		Prepare: func(h *harness, ti, n int) (string, any) {
			return companyPath(h, ti) + "/reports/" + h.matrixReport(ti, false) + "/revisions", map[string]any{"submit": true, "metrics": reportMetrics(nil)}
		}})
	// Operators (and park admins) of a linked carrier review; district
	// roles read but do not review.
	addMatrix("POST /api/v1/companies/:id/reports/:period/review", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=403,403,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=200,404,404 startup_member=403,404,404 anonymous=401,401,401",
		Prepare: func(h *harness, ti, n int) (string, any) {
			return companyPath(h, ti) + "/reports/" + h.matrixReport(ti, true) + "/review", map[string]any{"decision": "accept"}
		}})
	addMatrix("GET /api/v1/carriers/:id/reports", matrixCase{
		Spec: "all=404,404,404 stranger_park=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401"})
}

func ptrTime(t time.Time) *time.Time { return &t }

// matrixLadderDate is a past date that grows with n, so each recorded step
// renews the previous one.
func matrixLadderDate(n int) time.Time {
	return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
}

var matrixPeriods = struct {
	sync.Mutex
	next map[*harness]int
}{next: map[*harness]int{}}

// nextMatrixPeriod is a month not yet reported by anyone in this harness
// (months from 2000-01 on, all in the past).
func (h *harness) nextMatrixPeriod() string {
	matrixPeriods.Lock()
	defer matrixPeriods.Unlock()
	k := matrixPeriods.next[h]
	matrixPeriods.next[h] = k + 1
	return fmt.Sprintf("%04d-%02d", 2000+k/12, k%12+1)
}

// matrixReport files a fresh report for the target's company, as its
// founder, and returns its period.
func (h *harness) matrixReport(ti int, submit bool) string {
	h.T.Helper()
	id := h.targetID("/api/v1/companies/", ti)
	in := domain.ReportInput{Metrics: map[string]domain.MetricInput{}, Submit: submit}
	for k, v := range reportMetrics(nil) {
		switch x := v.(type) {
		case int:
			in.Metrics[k] = domain.MetricInput{Value: int64(x)}
		case map[string]any:
			in.Metrics[k] = domain.MetricInput{Value: int64(x["value"].(int)), Unit: x["unit"].(string)}
		}
	}
	p := h.nextMatrixPeriod()
	if _, err := h.svc.cq.Commands.SubmitReport.Handle(context.Background(), command.SubmitReport{Actor: app.Actor{UserID: h.Users[h.founderOf(id)]}, CompanyID: id, Period: p, Input: in}); err != nil {
		h.T.Fatalf("file report %s: %v", p, err)
	}
	return p
}

// matrixLadderClaim records a fresh team_or_result claim of target ti's
// company and returns the step's path.
func (h *harness) matrixLadderClaim(ti, n int) string {
	h.T.Helper()
	id := h.targetID("/api/v1/companies/", ti)
	_, err := h.svc.cq.Commands.RecordLadderStep.Handle(context.Background(), command.RecordLadderStep{Actor: app.Actor{UserID: h.Users[h.founderOf(id)]},
		CompanyID: id, Input: domain.LadderInput{Step: domain.StepTeamOrResult, Date: ptrTime(matrixLadderDate(n))}})
	if err != nil {
		h.T.Fatalf("record ladder step: %v", err)
	}
	return "/api/v1/companies/" + id + "/ladder/team_or_result"
}

// matrixEvidence is one document of target ti's company, announced once.
func (h *harness) matrixEvidence(ti int) string {
	return h.matrixOnce(fmt.Sprintf("ladder.evidence.%d", ti), func() string {
		company := matrixTargets[ti].Company
		id := "evidence-" + h.IDs[company]
		h.publishDocuments(h.companyDocumentEvent(company, id))
		return id
	})
}
