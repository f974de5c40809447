package incubatees

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// reportClock is the fixed "now" of the report tests: 10 October 2026 in
// China, so 2026-Q3 has ended and is due on the 15th (5 days away).
var reportClock = time.Date(2026, 10, 10, 2, 0, 0, 0, time.UTC)

// reportMetrics is a complete, plausible report body's metrics, with
// overrides (nil value: leave the indicator out).
func reportMetrics(over map[string]any) map[string]any {
	money := func(v int) map[string]any { return map[string]any{"value": v, "unit": "thousand_yuan"} }
	m := map[string]any{
		"revenue": money(1000), "net_profit": money(100), "rd_expenditure": money(100), "taxes_paid": money(50), "exports": money(0),
		"financing_amount": money(0), "financing_rounds": 0,
		"employees_total": 20, "employees_phd": 2, "employees_college_plus": 15, "employees_returnee": 1, "new_graduates_hired": 3,
		"ip_filed": 4, "ip_granted": 1, "ip_valid_invention": 2, "ip_valid_software": 3,
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// reportFieldCodes maps a problem's errors to "field:code".
func reportFieldCodes(t *testing.T, r response) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	errs, _ := r.JSON(t)["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		out[fmt.Sprint(m["field"])+":"+fmt.Sprint(m["code"])] = true
	}
	return out
}

// reportEventLog is what followReports recorded.
type reportEventLog struct {
	mu  sync.Mutex
	evs []events.Envelope
}

// startReports sets the clock to reportClock and follows the reports.
func (h *harness) startReports(t *testing.T) *reportEventLog {
	t.Helper()
	h.svc.clock.Set(func() time.Time { return reportClock })
	return h.followReports(t)
}

// followReports follows the incubatees stream and records every ladder
// and metrics event.
func (h *harness) followReports(t *testing.T) *reportEventLog {
	t.Helper()
	l := &reportEventLog{}
	stop, err := h.Bus.Follow(context.Background(), "incubatees", []string{"incubatees.metrics.>", "incubatees.ladder.>"}, time.Time{},
		func(_ context.Context, ev events.Envelope) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			for _, x := range l.evs {
				if x.ID == ev.ID {
					return nil
				}
			}
			l.evs = append(l.evs, ev)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return l
}

// waitReportEvent waits for an event of type typ matching match and decodes it.
func (h *harness) waitReportEvent(l *reportEventLog, typ string, into any, match func() bool) events.Envelope {
	h.T.Helper()
	var found events.Envelope
	testkit.Eventually(h.T, typ, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, ev := range l.evs {
			if ev.Type == typ && ev.Decode(into) == nil && match() {
				found = ev
				return true
			}
		}
		return false
	})
	return found
}

func TestLadder(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		log := h.startReports(t)
		coA := h.IDs["coA"]
		ladder := "/api/v1/companies/" + coA + "/ladder"

		// Evidence must be one of the company's own documents.
		evidence := events.NewID()
		r := h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "team_or_result", "date": "2025-01-01", "evidence_document_id": evidence})
		intakeFields422(t, r, "evidence nobody uploaded", "evidence_document_id=unknown_document")
		h.publishDocuments(h.companyDocumentEvent("coA", evidence))
		r = h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "team_or_result", "date": "2025-01-01", "evidence_document_id": evidence})
		if r.Status != 201 || r.JSON(t)["status"] != "claimed" {
			t.Fatalf("record first step: %d %s", r.Status, r.Body)
		}
		// Skipping a step, a future date, an expiry before the date: field errors, nothing stored.
		for _, c := range []struct {
			body map[string]any
			want string
		}{
			{map[string]any{"step": "high_tech", "certificate_no": "GR1", "date": "2026-01-01"}, "step:needs_predecessor"},
			{map[string]any{"step": "startup", "date": "2026-10-11"}, "date:in_future"},
			{map[string]any{"step": "startup", "date": "2026-01-01", "expiry": "2025-01-01"}, "expiry:not_after_date"},
			{map[string]any{"step": "startup", "date": "2026/01/01"}, "date:date_format"},
			{map[string]any{"step": "rocket", "date": "2026-01-01"}, "step:one_of"},
		} {
			r := h.Do("founder@lixia.demo", "POST", ladder, c.body)
			if r.Status != 422 || !reportFieldCodes(t, r)[c.want] {
				t.Errorf("%v: %d %s, want %s", c.body, r.Status, r.Body, c.want)
			}
		}
		if r := h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "startup", "date": "2025-06-01"}); r.Status != 201 {
			t.Fatalf("startup step: %d %s", r.Status, r.Body)
		}
		r = h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "tech_sme", "certificate_no": "202637010200001234", "date": "2026-04-01"})
		if r.Status != 201 || r.JSON(t)["expiry"] != "2026-12-31" {
			t.Fatalf("tech-SME step with its default expiry: %d %s", r.Status, r.Body)
		}

		verify := ladder + "/tech_sme/verify"
		// Evidence is a document of the company itself.
		h.publishDocuments(h.companyDocumentEvent("coA", "ev-sme-"+coA), h.companyDocumentEvent("coB", "ev-other-"+coA))
		proof := map[string]any{"evidence_document_id": "ev-sme-" + coA}
		if r := h.Do("founder@lixia.demo", "POST", verify, proof); r.Status != 403 {
			t.Fatalf("the company verifies itself: %d", r.Status)
		}
		if r := h.Do("makeradmin@lixia.demo", "POST", verify, proof); r.Status != 404 {
			t.Fatalf("a foreign carrier's admin verifies: %d", r.Status)
		}
		if r := h.Do("officer@lixia.demo", "POST", verify, proof); r.Status != 403 {
			t.Fatalf("a district viewer verifies: %d", r.Status)
		}
		for body, want := range map[string]string{"": "evidence_document_id:required", "ev-other-" + coA: "evidence_document_id:unknown_document"} {
			if r := h.Do("operator@lixia.demo", "POST", verify, map[string]any{"evidence_document_id": body}); r.Status != 422 || !reportFieldCodes(t, r)[want] {
				t.Fatalf("verify with evidence %q: %d %s, want %s", body, r.Status, r.Body, want)
			}
		}
		r = h.Do("operator@lixia.demo", "POST", verify, proof)
		if r.Status != 200 || r.JSON(t)["status"] != "verified" || r.JSON(t)["verified_by"] != h.Users["operator@lixia.demo"] || r.JSON(t)["evidence_document_id"] != "ev-sme-"+coA {
			t.Fatalf("operator verifies: %d %s", r.Status, r.Body)
		}
		if r := h.Do("district@lixia.demo", "POST", verify, proof); r.Status != 409 {
			t.Fatalf("verify twice: %d", r.Status)
		}
		if r := h.Do("district@lixia.demo", "POST", ladder+"/leading/verify", proof); r.Status != 404 {
			t.Fatalf("verify a step never recorded: %d", r.Status)
		}
		if r := h.Do("district@lixia.demo", "POST", ladder+"/startup/verify", proof); r.Status != 200 {
			t.Fatalf("district admin verifies: %d %s", r.Status, r.Body)
		}

		// A claim is rejected with a reason the company reads.
		if r := h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "high_tech", "certificate_no": "GR202637000123", "date": "2026-05-01"}); r.Status != 201 {
			t.Fatalf("high-tech step: %d %s", r.Status, r.Body)
		}
		intakeFields422(t, h.Do("district@lixia.demo", "POST", ladder+"/high_tech/reject", map[string]any{"reason": " "}), "reject without reason", "reason=required")
		rej := intakeWant(t, h.Do("district@lixia.demo", "POST", ladder+"/high_tech/reject", map[string]any{"reason": "证书编号查无此证"}), 200, "reject")
		if rej["status"] != "rejected" || rej["reject_reason"] != "证书编号查无此证" {
			t.Fatalf("rejected: %v", rej)
		}
		intakeWant(t, h.Do("operator@lixia.demo", "POST", ladder+"/high_tech/verify", proof), 409, "verify a rejected step")
		var rv events.LadderStepRejectedV1
		h.waitReportEvent(log, events.LadderStepRejected, &rv, func() bool { return rv.Step == "high_tech" && rv.Reason == "证书编号查无此证" })

		r = h.Do("officer@lixia.demo", "GET", ladder, nil)
		items, _ := r.JSON(t)["items"].([]any)
		if r.Status != 200 || len(items) != 4 {
			t.Fatalf("district viewer reads the ladder: %d %s", r.Status, r.Body)
		}
		if first := items[0].(map[string]any); first["step"] != "team_or_result" || first["status"] != "claimed" {
			t.Errorf("ladder order: %v", first)
		}
		if r := h.Do("founder2@lixia.demo", "GET", ladder, nil); r.Status != 404 {
			t.Fatalf("another company's member reads the ladder: %d", r.Status)
		}

		var v events.LadderStepVerifiedV1
		ev := h.waitReportEvent(log, events.LadderStepVerified, &v, func() bool { return v.Step == "tech_sme" })
		if ev.CarrierID != h.IDs["X"] || v.VerifiedBy != h.Users["operator@lixia.demo"] || v.Expiry != "2026-12-31" || v.CompanyID != coA {
			t.Errorf("verified event: %+v %+v", ev, v)
		}
		var rec events.LadderStepRecordedV1
		h.waitReportEvent(log, events.LadderStepRecorded, &rec, func() bool { return rec.Step == "team_or_result" && rec.EvidenceDocumentID == evidence })
	})
}

func TestMetricReports(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		log := h.startReports(t)
		coA := h.IDs["coA"]
		reports := "/api/v1/companies/" + coA + "/reports"

		// Q2: submitted straight away.
		r := h.Do("founder@lixia.demo", "POST", reports, map[string]any{"period": "2026-Q2", "submit": true, "metrics": reportMetrics(nil)})
		if r.Status != 201 || r.JSON(t)["status"] != "submitted" || r.JSON(t)["revision"] != float64(1) {
			t.Fatalf("file Q2: %d %s", r.Status, r.Body)
		}
		var rep events.MetricsReportedV1
		ev := h.waitReportEvent(log, events.MetricsReported, &rep, func() bool { return rep.Period == "2026-Q2" })
		if rep.Metrics["revenue"] != 1_000_000 || rep.MoneyUnit != "yuan" || rep.Metrics["employees_total"] != 20 ||
			len(rep.CarrierIDs) != 1 || rep.CarrierIDs[0] != h.IDs["X"] || rep.CompanyID != coA || ev.RegionID != h.IDs["lixia"] {
			t.Errorf("reported event: %+v", rep)
		}

		// Bad input is refused with field errors, and nothing is written.
		bad := []struct {
			name string
			body map[string]any
			want string
		}{
			{"wrong unit", map[string]any{"period": "2026-Q3", "metrics": reportMetrics(map[string]any{"revenue": map[string]any{"value": 100, "unit": "wan_yuan"}})}, "metrics.revenue.unit:unit_unknown"},
			{"money without unit", map[string]any{"period": "2026-Q3", "metrics": reportMetrics(map[string]any{"revenue": 1000})}, "metrics.revenue.unit:required"},
			{"negative headcount", map[string]any{"period": "2026-Q3", "metrics": reportMetrics(map[string]any{"employees_total": -3})}, "metrics.employees_total:negative"},
			{"fractional headcount", map[string]any{"period": "2026-Q3", "metrics": reportMetrics(map[string]any{"employees_total": 2.5})}, "metrics.employees_total:integer"},
			{"phd above total", map[string]any{"period": "2026-Q3", "metrics": reportMetrics(map[string]any{"employees_phd": 30})}, "metrics.employees_phd:exceeds"},
			{"future period", map[string]any{"period": "2026-Q4", "metrics": reportMetrics(nil)}, "period:period_not_ended"},
			{"bad period", map[string]any{"period": "Q3-2026", "metrics": reportMetrics(nil)}, "period:period_format"},
			{"jump without explanation", map[string]any{"period": "2026-Q3", "submit": true, "metrics": reportMetrics(map[string]any{"employees_total": 80})}, "explanations.employees_total:explanation_required"},
			{"incomplete submission", map[string]any{"period": "2026-Q3", "submit": true, "metrics": reportMetrics(map[string]any{"exports": nil})}, "metrics.exports:required"},
		}
		for _, c := range bad {
			r := h.Do("founder@lixia.demo", "POST", reports, c.body)
			if r.Status != 422 || !reportFieldCodes(t, r)[c.want] || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s, want %s", c.name, r.Status, r.Body, c.want)
			}
		}
		if r := h.Do("founder@lixia.demo", "GET", reports+"/2026-Q3", nil); r.Status != 404 {
			t.Fatalf("a refused report was stored: %d %s", r.Status, r.Body)
		}

		// Q3: a draft with a jump warning is saved, the warning shown.
		r = h.Do("founder@lixia.demo", "POST", reports, map[string]any{"period": "2026-Q3", "metrics": reportMetrics(map[string]any{"employees_total": 80})})
		if r.Status != 201 || r.JSON(t)["status"] != "draft" {
			t.Fatalf("Q3 draft: %d %s", r.Status, r.Body)
		}
		if ws, _ := r.JSON(t)["warnings"].([]any); len(ws) != 1 || ws[0].(map[string]any)["code"] != "jump_up" {
			t.Fatalf("Q3 draft warnings: %s", r.Body)
		}
		if r := h.Do("founder@lixia.demo", "POST", reports, map[string]any{"period": "2026-Q3", "metrics": reportMetrics(nil)}); r.Status != 409 {
			t.Fatalf("report a period twice: %d %s", r.Status, r.Body)
		}

		// The operator's overview: Q3 is due in 5 days and not submitted.
		over := "/api/v1/carriers/" + h.IDs["X"] + "/reports"
		r = h.Do("operator@lixia.demo", "GET", over+"?reminders=true", nil)
		body := r.JSON(t)
		items, _ := body["items"].([]any)
		if r.Status != 200 || body["period"] != "2026-Q3" || body["due_on"] != "2026-10-15" || len(items) != 1 {
			t.Fatalf("reminders due: %d %s", r.Status, r.Body)
		}
		if row := items[0].(map[string]any); row["company_id"] != coA || row["status"] != "draft" || row["due_in_days"] != float64(5) || row["reminder_due"] != true || row["overdue"] != false {
			t.Errorf("overview row: %v", row)
		}
		if r := h.Do("operator@lixia.demo", "GET", over+"?overdue=true", nil); r.JSON(t)["total"] != float64(0) {
			t.Errorf("nothing is overdue yet: %s", r.Body)
		}
		if r := h.Do("operator@lixia.demo", "GET", over+"?period=2026-Q1&overdue=true", nil); r.JSON(t)["total"] != float64(1) {
			t.Errorf("Q1 never reported is overdue: %s", r.Body)
		}
		if r := h.Do("operator@lixia.demo", "GET", over+"?period=2026-Q2&status=submitted", nil); r.JSON(t)["total"] != float64(1) {
			t.Errorf("Q2 submitted: %s", r.Body)
		}
		if r := h.Do("operator@lixia.demo", "GET", over+"?status=lost", nil); r.Status != 422 {
			t.Errorf("bad status filter: %d", r.Status)
		}

		// Revision 2 explains the jump and submits.
		rev := reports + "/2026-Q3/revisions"
		r = h.Do("founder@lixia.demo", "POST", rev, map[string]any{"submit": true, "metrics": reportMetrics(map[string]any{"employees_total": 80}),
			"explanations": map[string]string{"employees_total": "收购了一家软件公司，员工并入"}})
		if r.Status != 201 || r.JSON(t)["revision"] != float64(2) || r.JSON(t)["status"] != "submitted" {
			t.Fatalf("revision 2: %d %s", r.Status, r.Body)
		}

		// Nobody outside the company or its carriers gets at it.
		if r := h.Do("founder2@lixia.demo", "POST", rev, map[string]any{"metrics": reportMetrics(nil)}); r.Status != 404 {
			t.Errorf("another company's member revises: %d", r.Status)
		}
		if r := h.Do("founder2@lixia.demo", "POST", reports, map[string]any{"period": "2026-Q1", "metrics": reportMetrics(nil)}); r.Status != 404 {
			t.Errorf("another company's member reports: %d", r.Status)
		}
		if r := h.Do("founder2@lixia.demo", "GET", reports+"/2026-Q3", nil); r.Status != 404 {
			t.Errorf("another company's member reads: %d", r.Status)
		}
		review := reports + "/2026-Q3/review"
		if r := h.Do("makeradmin@lixia.demo", "POST", review, map[string]any{"decision": "accept"}); r.Status != 404 {
			t.Errorf("a foreign carrier's admin reviews: %d", r.Status)
		}
		if r := h.Do("founder@lixia.demo", "POST", review, map[string]any{"decision": "accept"}); r.Status != 403 {
			t.Errorf("the company reviews itself: %d", r.Status)
		}
		if r := h.Do("operator@lixia.demo", "POST", review, map[string]any{"decision": "return"}); r.Status != 422 || !reportFieldCodes(t, r)["comment:required"] {
			t.Errorf("return without comment: %d %s", r.Status, r.Body)
		}

		// Returned, revised again, accepted.
		r = h.Do("operator@lixia.demo", "POST", review, map[string]any{"decision": "return", "comment": "请补充博士人数"})
		if r.Status != 200 || r.JSON(t)["status"] != "returned" {
			t.Fatalf("return: %d %s", r.Status, r.Body)
		}
		if r := h.Do("operator@lixia.demo", "GET", over+"?reminders=true", nil); r.JSON(t)["total"] != float64(1) {
			t.Errorf("a returned report is owed again: %s", r.Body)
		}
		r = h.Do("founder@lixia.demo", "POST", rev, map[string]any{"submit": true, "metrics": reportMetrics(map[string]any{"employees_total": 80, "employees_phd": 4}),
			"explanations": map[string]string{"employees_total": "收购了一家软件公司，员工并入"}})
		if r.Status != 201 || r.JSON(t)["revision"] != float64(3) {
			t.Fatalf("revision 3: %d %s", r.Status, r.Body)
		}
		if r := h.Do("operator@lixia.demo", "POST", review, map[string]any{"decision": "accept"}); r.Status != 200 || r.JSON(t)["status"] != "accepted" {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		if r := h.Do("operator@lixia.demo", "POST", review, map[string]any{"decision": "accept"}); r.Status != 409 {
			t.Errorf("review twice: %d", r.Status)
		}

		// The history keeps every revision as it was.
		r = h.Do("officer@lixia.demo", "GET", reports+"/2026-Q3", nil)
		body = r.JSON(t)
		revs, _ := body["revisions"].([]any)
		if r.Status != 200 || len(revs) != 3 || body["status"] != "accepted" {
			t.Fatalf("history: %d %s", r.Status, r.Body)
		}
		phd := func(i int) any {
			return revs[i].(map[string]any)["metrics"].(map[string]any)["employees_phd"].(map[string]any)["value"]
		}
		if phd(1) != float64(2) || phd(2) != float64(4) || revs[0].(map[string]any)["submitted"] != false {
			t.Errorf("revisions changed: %v", revs)
		}
		latest := body["latest"].(map[string]any)
		if rv := latest["metrics"].(map[string]any)["revenue"].(map[string]any); rv["value"] != float64(1_000_000) || rv["entered"] != float64(1000) || rv["entered_unit"] != "thousand_yuan" {
			t.Errorf("normalized money: %v", rv)
		}
		r = h.Do("founder@lixia.demo", "GET", reports+"?status=accepted", nil)
		if items, _ := r.JSON(t)["items"].([]any); r.Status != 200 || len(items) != 1 || items[0].(map[string]any)["period"] != "2026-Q3" {
			t.Errorf("list accepted: %d %s", r.Status, r.Body)
		}
		if r := h.Do("founder@lixia.demo", "GET", reports, nil); r.JSON(t)["total"] != float64(2) {
			t.Errorf("list all: %s", r.Body)
		}

		// Events: Q3 first submitted at revision 2, revised at 3, reviewed from carrier X.
		var q3 events.MetricsReportedV1
		h.waitReportEvent(log, events.MetricsReported, &q3, func() bool { return q3.Period == "2026-Q3" })
		if q3.Revision != 2 || q3.Metrics["employees_total"] != 80 {
			t.Errorf("Q3 reported: %+v", q3)
		}
		var rv events.MetricsRevisedV1
		h.waitReportEvent(log, events.MetricsRevised, &rv, func() bool { return rv.Period == "2026-Q3" })
		if rv.Revision != 3 || rv.PreviousRevision != 2 || rv.Metrics["employees_phd"] != 4 {
			t.Errorf("Q3 revised: %+v", rv)
		}
		var rw events.MetricsReviewedV1
		h.waitReportEvent(log, events.MetricsReviewed, &rw, func() bool { return rw.Decision == "accept" })
		if rw.CarrierID != h.IDs["X"] || rw.Revision != 3 || rw.Status != "accepted" {
			t.Errorf("reviewed: %+v", rw)
		}
		if n := h.count("metric_report_revisions"); n != 4 {
			t.Errorf("revisions stored: %d, want 4", n)
		}
	})
}

// concurrently calls do(0) … do(n-1) at once and returns what each
// answered, in order.
func concurrently(n int, do func(i int) int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = do(i)
		}()
	}
	wg.Wait()
	return out
}

// fileQ3 sets the clock to reportClock and has coA's founder file its
// 2026-Q3 report, submitted when submit; it answers coA's reports path.
func (h *harness) fileQ3(submit bool) string {
	h.T.Helper()
	h.svc.clock.Set(func() time.Time { return reportClock })
	reports := "/api/v1/companies/" + h.IDs["coA"] + "/reports"
	body := map[string]any{"period": "2026-Q3", "metrics": reportMetrics(nil)}
	if submit {
		body["submit"] = true
	}
	if r := h.Do("founder@lixia.demo", "POST", reports, body); r.Status != 201 {
		h.T.Fatalf("file: %d %s", r.Status, r.Body)
	}
	return reports
}

// landed counts the concurrent answers that are ok; any but ok or 409
// fails t.
func landed(t *testing.T, what string, codes []int, ok int) int {
	t.Helper()
	n := 0
	for _, c := range codes {
		switch c {
		case ok:
			n++
		case 409:
		default:
			t.Fatalf("%s answered %d (all: %v)", what, c, codes)
		}
	}
	return n
}

// Concurrent revisions of one report never overwrite each other: each
// either lands under its own number or is refused with 409.
func TestConcurrentRevisionsKeepEveryRevision(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		reports := h.fileQ3(false)
		const writers = 6
		codes := concurrently(writers, func(i int) int {
			return h.Do("founder@lixia.demo", "POST", reports+"/2026-Q3/revisions",
				map[string]any{"metrics": reportMetrics(map[string]any{"ip_filed": 10 + i})}).Status
		})
		t.Logf("answers: %v", codes)
		ok := landed(t, "revision", codes, 201)
		r := h.Do("founder@lixia.demo", "GET", reports+"/2026-Q3", nil)
		revs, _ := r.JSON(t)["revisions"].([]any)
		if ok == 0 || len(revs) != ok+1 || r.JSON(t)["revision"] != float64(ok+1) {
			t.Fatalf("%d revisions accepted, %d stored: %s", ok, len(revs), r.Body)
		}
		seen := map[float64]bool{}
		for i, x := range revs {
			n := x.(map[string]any)["revision"].(float64)
			if n != float64(i+1) || seen[n] {
				t.Fatalf("revision numbers: %v", revs)
			}
			seen[n] = true
		}
	})
}

// Concurrent reviews of one submission: exactly one verdict lands.
func TestConcurrentReviewsDecideOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		reports := h.fileQ3(true)
		const reviewers = 4
		codes := concurrently(reviewers, func(int) int {
			return h.Do("operator@lixia.demo", "POST", reports+"/2026-Q3/review", map[string]any{"decision": "accept"}).Status
		})
		ok := landed(t, "review", codes, 200)
		if ok != 1 {
			t.Fatalf("%d reviews landed, want 1: %v", ok, codes)
		}
	})
}

// A residency's evaluation shows the graduation conditions the company
// meets, from facts other areas record: a verified 高新技术企业 step on the
// ladder, and financing in its metric reports.
func TestEvaluationFindsGraduationConditions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		now := h.svc.clock.Today()
		r := h.mustEnrol("parkadmin@lixia.demo", h.IDs["X"], app.OfferEnrolmentInput{
			CompanyID: h.IDs["coA"], MoveIn: &domain.MoveInFacts{On: now.AddDate(0, -3, 0), Unit: "B-2", AreaM2: 80}})
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
		ladder := "/api/v1/companies/" + h.IDs["coA"] + "/ladder"
		h.publishDocuments(h.companyDocumentEvent("coA", "certificate-"+h.IDs["coA"]))
		if res := h.Do("founder@lixia.demo", "POST", ladder, map[string]any{"step": "high_tech", "certificate_no": "GR202637000123", "date": now.AddDate(0, -1, 0).Format("2006-01-02"),
			"evidence_document_id": "certificate-" + h.IDs["coA"]}); res.Status != 201 {
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
		if _, err := h.svc.cq.Commands.SubmitReport.Handle(ctx, command.SubmitReport{Actor: app.Actor{UserID: h.Users["founder@lixia.demo"]}, CompanyID: h.IDs["coA"], Period: period, Input: in}); err != nil {
			t.Fatal(err)
		}
		if got := met(); len(got) != 2 || got[1] != "financing" {
			t.Fatalf("after reporting ¥6M financing: %v", got)
		}
	})
}
