package rollups

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
)

// history publishes a small history of lixia in 2026: coB enters maker
// space M, is promoted to incubator X; coA lives at X and, at once, at
// accelerator A (a conflict); a company coD exits M; coA reports 2026-Q2
// twice (the first revision accepted, the second submitted, then
// accepted), claims and verifies a ladder step; a material waits at X.
func (h *harness) history() {
	h.T.Helper()
	h.IDs["coD"] = events.NewID()
	h.add(events.Scope{RegionID: h.IDs["lixia"]}, h.IDs["coD"], events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: h.IDs["coD"],
		RegionID: h.IDs["lixia"], NameZH: "企业coD", IndustryCode: "M"}})
	r := h.res("rB1", "coB", "M", "in_residence", "2026-01-05", "2026-01-10", "")
	h.residency(events.ResidencyAdmittedV1{ResidencyV1: h.res("rB1", "coB", "M", "admitted", "2026-01-05", "", "")}, r)
	h.residency(events.ResidencyMovedInV1{ResidencyV1: r}, r)
	promoted := h.res("rB1", "coB", "M", "promoted", "2026-01-05", "2026-01-10", "2026-05-01")
	h.IDs["rB2"] = events.NewID()
	h.residency(events.ResidencyPromotedV1{ResidencyV1: promoted, ToCarrierID: h.IDs["X"], ToResidencyID: h.IDs["rB2"]}, promoted)
	h.residency(events.ResidencyMovedInV1{ResidencyV1: h.res("rB2", "coB", "X", "in_residence", "2026-05-01", "2026-05-02", "")}, h.res("rB2", "coB", "X", "", "", "", ""))
	h.residency(events.ResidencyMovedInV1{ResidencyV1: h.res("rA1", "coA", "X", "in_residence", "2025-11-01", "2025-11-03", "")}, h.res("rA1", "coA", "X", "", "", "", ""))
	h.residency(events.ResidencyMovedInV1{ResidencyV1: h.res("rA2", "coA", "A", "in_residence", "2026-06-01", "2026-06-01", "")}, h.res("rA2", "coA", "A", "", "", "", ""))
	h.residency(events.ResidencyExitedV1{ResidencyV1: h.res("rD1", "coD", "M", "exited", "2026-02-01", "2026-02-03", "2026-04-20")}, h.res("rD1", "coD", "M", "", "", "", ""))

	h.IDs["repA"] = events.NewID()
	figures := func(rev int, rd int64) events.MetricsV1 {
		return events.MetricsV1{ReportID: h.IDs["repA"], CompanyID: h.IDs["coA"], RegionID: h.IDs["lixia"], CarrierIDs: []string{h.IDs["X"], h.IDs["A"]},
			Period: "2026-Q2", Cadence: "quarterly", Revision: rev, MoneyUnit: "yuan",
			Metrics: map[string]int64{"rd_expenditure": rd, "revenue": 2_000_000, "employees_total": 25, "ip_filed": 3, "taxes_paid": 50_000}}
	}
	review := func(rev int) events.MetricsReviewedV1 {
		return events.MetricsReviewedV1{ReportID: h.IDs["repA"], CompanyID: h.IDs["coA"], RegionID: h.IDs["lixia"], Period: "2026-Q2", Revision: rev,
			Decision: "accept", Status: "accepted"}
	}
	scope := events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}
	h.add(scope, h.IDs["repA"], events.MetricsReportedV1{MetricsV1: figures(1, 120_000)})
	h.add(scope, h.IDs["repA"], review(1))
	h.add(scope, h.IDs["repA"], events.MetricsRevisedV1{MetricsV1: figures(2, 180_000), PreviousRevision: 1})

	h.IDs["stepA"] = events.NewID()
	step := events.LadderStepV1{EntryID: h.IDs["stepA"], CompanyID: h.IDs["coA"], RegionID: h.IDs["lixia"], Step: "tech_sme", Date: "2026-03-01",
		Expiry: "2026-10-01", Status: "claimed"}
	h.add(scope, h.IDs["stepA"], events.LadderStepRecordedV1{LadderStepV1: step})
	step.Status = "verified"
	h.add(scope, h.IDs["stepA"], events.LadderStepVerifiedV1{LadderStepV1: step, VerifiedBy: "operator"})
	h.add(scope, h.IDs["stepB"], events.LadderStepRecordedV1{LadderStepV1: events.LadderStepV1{EntryID: events.NewID(), CompanyID: h.IDs["coB"],
		RegionID: h.IDs["lixia"], Step: "high_tech", Date: "2026-04-01", Status: "claimed"}})

	h.add(scope, "docA", events.DocumentUploadedV1{DocumentV1: events.DocumentV1{DocumentID: events.NewID(), RegionID: h.IDs["lixia"],
		CarrierID: h.IDs["X"], CompanyID: h.IDs["coA"], Type: "business_plan", Status: "uploaded", Version: 1}})
	h.publish()
	h.settle("the history", "founder3@huaiyin.demo", "coC")
}

// get asks a figure as the district officer and decodes it into v.
func (h *harness) get(as, path string, q url.Values, v any) {
	h.T.Helper()
	res := h.Do(as, "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/rollups/"+path+"?"+q.Encode(), nil)
	if res.Status != http.StatusOK {
		h.T.Fatalf("GET %s?%s as %s: %d %s", path, q.Encode(), as, res.Status, res.Body)
	}
	if err := json.Unmarshal(res.Body, v); err != nil {
		h.T.Fatalf("decode %s: %v", res.Body, err)
	}
}

const officer = "officer@lixia.demo"

func TestFiguresFromEvents(t *testing.T) {
	eachHistory(t, func(t *testing.T, h *harness) {
		q2 := url.Values{"period": {"2026-Q2"}}

		var carriers struct {
			Total struct {
				Carriers, Capacity, Residents int
				AreaM2                        float64 `json:"area_m2"`
				AreaUsedM2                    float64 `json:"area_used_m2"`
			}
		}
		h.get(officer, "carriers", q2, &carriers)
		// lixia's three carriers; at 2026-06-30 coA at X and A, coB at X.
		if c := carriers.Total; c.Carriers != 3 || c.Capacity != 90 || c.AreaM2 != 14200 || c.Residents != 3 || c.AreaUsedM2 != 300 {
			t.Errorf("carriers: %+v", c)
		}

		var flows struct {
			Companies  map[string]int
			Promotions []struct {
				FromKind  string `json:"from_kind"`
				ToKind    string `json:"to_kind"`
				Companies int
			}
		}
		h.get(officer, "residencies", q2, &flows)
		// coA counts once although two carriers list it.
		want := map[string]int{"in_residence": 2, "admitted": 2, "moved_in": 2, "graduated": 0, "exited": 1, "promoted": 1, "past_term": 0}
		for k, v := range want {
			if flows.Companies[k] != v {
				t.Errorf("flows %s: %d, want %d (%v)", k, flows.Companies[k], v, flows.Companies)
			}
		}
		if len(flows.Promotions) != 1 || flows.Promotions[0].FromKind != "maker_space" || flows.Promotions[0].ToKind != "incubator" {
			t.Errorf("promotions: %+v", flows.Promotions)
		}

		var rows struct {
			Items []struct {
				CompanyID string `json:"company_id"`
				CarrierID string `json:"carrier_id"`
			}
			Total int
		}
		h.get(officer, "residencies/rows", url.Values{"period": {"2026-Q2"}, "measure": {"in_residence"}}, &rows)
		if rows.Total != 3 {
			t.Errorf("in residence rows: %d, want 3 (coA twice, coB)", rows.Total)
		}

		var conflicts struct {
			Items []struct {
				CompanyID string `json:"company_id"`
				Carriers  []any
			}
		}
		h.get(officer, "conflicts", q2, &conflicts)
		if len(conflicts.Items) != 1 || conflicts.Items[0].CompanyID != h.IDs["coA"] || len(conflicts.Items[0].Carriers) != 2 {
			t.Errorf("conflicts: %+v", conflicts.Items)
		}

		var funnel struct {
			Steps []struct {
				Kind                     string
				Companies                int
				MedianMonthsFromPrevious float64 `json:"median_months_from_previous"`
			}
		}
		h.get(officer, "funnel", q2, &funnel)
		if s := funnel.Steps; len(s) != 4 || s[0].Companies != 2 || s[1].Companies != 1 || s[1].MedianMonthsFromPrevious != 3.8 || s[2].Companies != 0 {
			t.Errorf("funnel: %+v", s)
		}

		var ladder struct {
			Rungs []struct {
				Step           string
				Companies, New int
				Expiring       int `json:"expiring_within_90_days"`
			}
		}
		h.get(officer, "ladder", q2, &ladder)
		// The claimed high_tech step does not count; tech_sme, reached in
		// Q1, is not new in Q2 and expires 2026-10-01: not within 90
		// days of 2026-06-30, within 90 days of 2026-08-01 (the year to
		// that date, in which it is new).
		if r := ladder.Rungs; len(r) != 3 || r[0].Companies != 1 || r[0].New != 0 || r[0].Expiring != 0 || r[1].Companies != 0 {
			t.Errorf("ladder: %+v", r)
		}
		h.get(officer, "ladder", url.Values{"as_of": {"2026-08-01"}}, &ladder)
		if r := ladder.Rungs; r[0].Expiring != 1 || r[0].New != 1 {
			t.Errorf("ladder as of 2026-08-01: %+v", r)
		}

		var reports struct {
			Reports int
			Sums    struct {
				RD  float64 `json:"rd_expenditure"`
				Rev float64 `json:"revenue"`
				Emp int64   `json:"employees_total"`
			}
			Top []struct {
				CompanyID string  `json:"company_id"`
				RD        float64 `json:"rd_expenditure"`
			} `json:"top_rd_spenders"`
		}
		h.get(officer, "reports", q2, &reports)
		// Revision 2 is submitted, not accepted: revision 1 counts.
		if reports.Reports != 1 || reports.Sums.RD != 120 || reports.Sums.Rev != 2000 || reports.Sums.Emp != 25 || len(reports.Top) != 1 {
			t.Errorf("reports: %+v", reports)
		}

		var health struct {
			Total struct {
				Due, Submitted, Accepted, Overdue int
				Waiting                           int `json:"materials_waiting"`
			}
		}
		h.get(officer, "health", q2, &health)
		// Due in 2026-Q2 (quarterly, 15 days' grace): the 2026-Q1
		// reports, due 04-15, of those in residence in Q1: coB at M,
		// coA at X, coD at M; none filed (coA filed Q2), all overdue.
		if c := health.Total; c.Due != 3 || c.Submitted != 0 || c.Accepted != 0 || c.Overdue != 3 || c.Waiting != 1 {
			t.Errorf("health 2026-Q2: %+v", c)
		}
		q3 := url.Values{"period": {"2026-Q3"}}
		h.get(officer, "health", q3, &health)
		// Due in 2026-Q3: the Q2 reports (07-15) of coB at M and X, coA
		// at X and A, coD at M; coA's is filed and accepted (it counts
		// at both its carriers); the other three are overdue.
		if c := health.Total; c.Due != 5 || c.Submitted != 2 || c.Accepted != 2 || c.Overdue != 3 {
			t.Errorf("health 2026-Q3: %+v", c)
		}
		// A monthly rule pack with 10 days' grace, and coD moving in at
		// X under it on 07-01: July's report (due 08-10, overdue on
		// 08-15) and August's (due 09-10) join the Q3 figure.
		lixia := events.Scope{RegionID: h.IDs["lixia"]}
		h.add(lixia, h.IDs["lixia"], events.RulePackPublishedV1{RegionID: h.IDs["lixia"], Version: 2, Name: "月报", Cadence: "monthly", ReportGraceDays: 10})
		rE := h.res("rD2", "coD", "X", "in_residence", "2026-06-20", "2026-07-01", "")
		rE.RulePackVersion = 2
		h.residency(events.ResidencyMovedInV1{ResidencyV1: rE}, rE)
		h.publish()
		h.settle("the monthly pack", "founder3@huaiyin.demo", "coC")
		h.get(officer, "health", q3, &health)
		if c := health.Total; c.Due != 7 || c.Submitted != 2 || c.Accepted != 2 || c.Overdue != 4 {
			t.Errorf("health 2026-Q3 with a monthly resident: %+v", c)
		}
		var due struct {
			Items []struct {
				Period  string `json:"period"`
				DueOn   string `json:"due_on"`
				Overdue bool   `json:"overdue"`
			} `json:"items"`
		}
		h.get(officer, "health/rows", url.Values{"period": {"2026-Q3"}, "carrier_id": {h.IDs["X"]}, "q": {"企业coD"}}, &due)
		if got := jsonString(due.Items); got != `[{"period":"2026-07","due_on":"2026-08-10","overdue":true},{"period":"2026-08","due_on":"2026-09-10","overdue":false}]` {
			t.Errorf("coD's reports due at X: %s", got)
		}

		// The second revision accepted: its figures replace the first's.
		h.add(events.Scope{RegionID: h.IDs["lixia"]}, h.IDs["repA"], events.MetricsReviewedV1{ReportID: h.IDs["repA"], CompanyID: h.IDs["coA"],
			RegionID: h.IDs["lixia"], Period: "2026-Q2", Revision: 2, Decision: "accept", Status: "accepted"})
		h.publish()
		h.settle("the review", "founder3@huaiyin.demo", "coC")
		h.get(officer, "reports", q2, &reports)
		if reports.Reports != 1 || reports.Sums.RD != 180 {
			t.Errorf("reports after revision 2 is accepted: %+v", reports)
		}
	})
}
