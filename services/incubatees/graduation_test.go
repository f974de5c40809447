package incubatees

import (
	"context"
	"testing"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// A residency's evaluation shows the graduation conditions the company
// meets, from facts other areas record: a verified 高新技术企业 step on the
// ladder, and financing in its metric reports.
func TestEvaluationFindsGraduationConditions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		now := h.svc.clock.Today()
		r := h.mustEnrol("parkadmin@lixia.demo", h.ids["X"], app.OfferEnrolmentInput{
			CompanyID: h.ids["coA"], MoveIn: &domain.MoveInFacts{On: now.AddDate(0, -3, 0), Unit: "B-2", AreaM2: 80}})
		met := func() []any {
			res := h.Do("parkadmin@lixia.demo", "GET", "/api/v1/residencies/"+r.ID(), nil)
			if res.Status != 200 {
				t.Fatalf("residency: %d %s", res.Status, res.Body)
			}
			return res.JSON(t)["evaluation"].(map[string]any)["graduation_met"].([]any)
		}
		if got := met(); len(got) != 0 {
			t.Fatalf("met before any facts: %v", got)
		}
		ladder := "/api/v1/companies/" + h.ids["coA"] + "/ladder"
		h.publishDocuments(h.companyDocumentEvent("coA", "certificate-"+h.ids["coA"]))
		if res := h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "high_tech", "certificate_no": "GR202637000123", "date": now.AddDate(0, -1, 0).Format("2006-01-02"),
			"evidence_document_id": "certificate-" + h.ids["coA"]}); res.Status != 201 {
			t.Fatalf("record high_tech: %d %s", res.Status, res.Body)
		}
		if got := met(); len(got) != 0 {
			t.Fatalf("a claimed, unverified certificate counted: %v", got)
		}
		// An empty object: the verifier confirms the evidence the claim named.
		if res := h.Do("parkadmin@lixia.demo", "POST", ladder+"/high_tech/verify", map[string]any{}); res.Status != 200 {
			t.Fatalf("verify: %d %s", res.Status, res.Body)
		}
		if got := met(); len(got) != 1 || got[0] != "high_tech_certificate" {
			t.Fatalf("after verification: %v", got)
		}
		in := fullReport(100)
		in.Metrics["financing_rounds"] = domain.MetricInput{Value: 1}
		in.Metrics["financing_amount"] = domain.MetricInput{Value: 6000, Unit: domain.ReportUnitThousandYuan} // ¥6,000,000 > ¥5,000,000
		period := domain.LatestEndedPeriod(domain.Quarterly, now).String()
		if _, err := h.svc.cq.Commands.SubmitReport.Handle(ctx, command.SubmitReport{Actor: app.Actor{UserID: h.users["founder@lixia.demo"]}, CompanyID: h.ids["coA"], Period: period, Input: in}); err != nil {
			t.Fatal(err)
		}
		if got := met(); len(got) != 2 || got[1] != "financing" {
			t.Fatalf("after reporting ¥6M financing: %v", got)
		}
	})
}
