package domain

import (
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *time.Time { d := day(s); return &d }

// fieldCodes flattens an error's field errors to "field:code".
func fieldCodes(t *testing.T, err error) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if err == nil {
		return out
	}
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("not an apperr: %v", err)
	}
	for _, f := range e.Fields {
		out[f.Field+":"+f.Code] = true
	}
	return out
}

func TestLadderRules(t *testing.T) {
	now := time.Date(2026, 6, 10, 3, 0, 0, 0, time.UTC)
	entry := func(s LadderStep, date string) LadderEntry { return LadderEntry{Step: s, Date: day(date)} }
	cases := []struct {
		name     string
		in       LadderInput
		existing []LadderEntry
		want     string // "field:code", "" when accepted
		expiry   string // expected expiry when accepted ("" = none)
	}{
		{"first step may be any step", LadderInput{Step: StepTechSME, CertificateNo: "202637010200001234", Date: dayp("2026-03-01")}, nil, "", "2026-12-31"},
		{"high-tech default expiry is three years", LadderInput{Step: StepHighTech, CertificateNo: "GR202637000123", Date: dayp("2025-12-05")}, nil, "", "2028-12-04"},
		{"team step has no expiry", LadderInput{Step: StepTeamOrResult, Date: dayp("2025-01-01")}, nil, "", ""},
		{"expiry may be overridden", LadderInput{Step: StepHighTech, CertificateNo: "GR1", Date: dayp("2025-12-05"), Expiry: dayp("2027-01-01")}, nil, "", "2027-01-01"},
		{"next step in order", LadderInput{Step: StepStartup, Date: dayp("2026-01-01")}, []LadderEntry{entry(StepTeamOrResult, "2025-01-01")}, "", ""},
		{"skipping a step is refused", LadderInput{Step: StepHighTech, CertificateNo: "GR1", Date: dayp("2026-01-01")}, []LadderEntry{entry(StepStartup, "2025-01-01")}, "step:needs_predecessor", ""},
		{"going down is refused", LadderInput{Step: StepStartup, Date: dayp("2026-01-01")}, []LadderEntry{entry(StepTechSME, "2025-01-01")}, "step:below_current", ""},
		{"renewing the top step", LadderInput{Step: StepTechSME, CertificateNo: "2026X", Date: dayp("2026-02-01")}, []LadderEntry{entry(StepTechSME, "2025-02-01")}, "", "2026-12-31"},
		{"renewal must be later", LadderInput{Step: StepTechSME, CertificateNo: "2026X", Date: dayp("2025-01-01")}, []LadderEntry{entry(StepTechSME, "2025-02-01")}, "date:not_after_previous", ""},
		{"unknown step", LadderInput{Step: "unicorn", Date: dayp("2026-01-01")}, nil, "step:one_of", ""},
		{"date in the future", LadderInput{Step: StepStartup, Date: dayp("2026-06-11")}, nil, "date:in_future", ""},
		{"date today (China) is fine", LadderInput{Step: StepStartup, Date: dayp("2026-06-10")}, nil, "", ""},
		{"date missing", LadderInput{Step: StepStartup}, nil, "date:required", ""},
		{"expiry before date", LadderInput{Step: StepHighTech, CertificateNo: "GR1", Date: dayp("2026-01-01"), Expiry: dayp("2025-12-31")}, nil, "expiry:not_after_date", ""},
		{"high-tech needs its certificate number", LadderInput{Step: StepHighTech, Date: dayp("2026-01-01")}, nil, "certificate_no:required", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := NewLadderEntry("id", "co", c.in, c.existing, "u", now)
			if c.want != "" {
				if !fieldCodes(t, err)[c.want] {
					t.Fatalf("want %s, got %v", c.want, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if e.Status != LadderClaimed {
				t.Errorf("status %s", e.Status)
			}
			got := ""
			if e.Expiry != nil {
				got = e.Expiry.Format(time.DateOnly)
			}
			if got != c.expiry {
				t.Errorf("expiry %q, want %q", got, c.expiry)
			}
		})
	}
}

func TestLadderVerify(t *testing.T) {
	e := LadderEntry{Status: LadderClaimed, Step: StepStartup}
	now := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	if err := e.Verify("staff", " ", nil, now); !hasField(err, "evidence_document_id", "required") {
		t.Fatalf("verify without evidence: %v", err)
	}
	if err := e.Verify("staff", "doc-1", nil, now); err != nil || e.Status != LadderVerified || e.VerifiedBy != "staff" || e.VerifiedAt == nil || e.EvidenceDocID != "doc-1" {
		t.Fatalf("verify: %v %+v", err, e)
	}
	if err := e.Verify("staff", "doc-1", nil, now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second verify: %v", err)
	}
}

// The order the ladder page states holds on record: a step above needs
// the one below verified, not only claimed.
func TestLadderVerifyFollowsTheOrder(t *testing.T) {
	now := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	sme := LadderEntry{Step: StepTechSME, Status: LadderClaimed, EvidenceDocID: "doc-sme"}
	high := LadderEntry{Step: StepHighTech, Status: LadderClaimed, EvidenceDocID: "doc-ht"}
	if err := high.Verify("d", "", []LadderEntry{sme}, now); !hasField(err, "step", "predecessor_not_verified") {
		t.Fatalf("high-tech over a claimed tech-SME: %v", err)
	}
	lead := LadderEntry{Step: StepLeading, Status: LadderClaimed, EvidenceDocID: "doc-l"}
	if err := lead.Verify("d", "", []LadderEntry{sme, high}, now); !hasField(err, "step", "predecessor_not_verified") {
		t.Fatalf("leading over a claimed high-tech: %v", err)
	}
	// Entering the ladder at a rung (its first record) needs nothing below.
	entered := LadderEntry{Step: StepHighTech, Status: LadderClaimed, EvidenceDocID: "doc-e"}
	if err := entered.Verify("d", "", nil, now); err != nil {
		t.Fatalf("high-tech as the first record: %v", err)
	}
	if err := sme.Verify("d", "", nil, now); err != nil {
		t.Fatal(err)
	}
	if err := high.Verify("d", "", []LadderEntry{sme}, now); err != nil || high.Status != LadderVerified {
		t.Fatalf("high-tech over a verified tech-SME: %v", err)
	}
	// Rejected: with a reason, and then neither verified nor rejected again.
	if err := lead.Reject("d", " ", now); !hasField(err, "reason", "required") {
		t.Fatalf("reject without reason: %v", err)
	}
	if err := lead.Reject("d", "证书编号查无此证", now); err != nil || lead.Status != LadderRejected || lead.RejectReason != "证书编号查无此证" {
		t.Fatalf("reject: %v %+v", err, lead)
	}
	if err := lead.Verify("d", "", []LadderEntry{high}, now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("verify a rejected step: %v", err)
	}
}

func hasField(err error, field, code string) bool {
	e, ok := apperr.As(err)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Code == code {
			return true
		}
	}
	return false
}

func TestPeriods(t *testing.T) {
	cases := []struct {
		in, canon, end, due, prev string
		ok                        bool
	}{
		{"2026-Q1", "2026-Q1", "2026-03-31", "2026-04-15", "2025-Q4", true},
		{"2026-q3", "2026-Q3", "2026-09-30", "2026-10-15", "2026-Q2", true},
		{"2026-02", "2026-02", "2026-02-28", "2026-03-15", "2026-01", true},
		{"2026-01", "2026-01", "2026-01-31", "2026-02-15", "2025-12", true},
		{"2026-13", "", "", "", "", false},
		{"2026-Q5", "", "", "", "", false},
		{"26-Q1", "", "", "", "", false},
		{"2026", "", "", "", "", false},
	}
	for _, c := range cases {
		p, ok := ParsePeriod(c.in)
		if ok != c.ok {
			t.Errorf("%s: ok %v", c.in, ok)
			continue
		}
		if !ok {
			continue
		}
		if p.String() != c.canon || p.End().Format(time.DateOnly) != c.end || p.Due().Format(time.DateOnly) != c.due || p.Previous().String() != c.prev {
			t.Errorf("%s: %s end %s due %s prev %s", c.in, p, p.End().Format(time.DateOnly), p.Due().Format(time.DateOnly), p.Previous())
		}
	}
	// 2026-09-30 16:30 UTC is already 1 October in China: Q3 has ended.
	if got := LatestEndedPeriod(Quarterly, time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)).String(); got != "2026-Q3" {
		t.Errorf("latest quarter: %s", got)
	}
	if got := LatestEndedPeriod(Quarterly, time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC)).String(); got != "2026-Q2" {
		t.Errorf("latest quarter before the end: %s", got)
	}
	if got := LatestEndedPeriod(Monthly, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)).String(); got != "2025-12" {
		t.Errorf("latest month: %s", got)
	}
}

// fullMetrics is a complete, plausible report; change returns a copy with
// one indicator changed.
func fullMetrics() map[string]MetricInput {
	m := map[string]MetricInput{}
	for _, d := range Metrics {
		if d.Kind == MoneyMetric {
			m[d.Key] = MetricInput{Value: 100, Unit: ReportUnitThousandYuan}
		} else {
			m[d.Key] = MetricInput{Value: 2}
		}
	}
	m["revenue"] = MetricInput{Value: 1000, Unit: ReportUnitThousandYuan}
	m["employees_total"] = MetricInput{Value: 20}
	m["employees_college_plus"] = MetricInput{Value: 15}
	return m
}

func change(m map[string]MetricInput, k string, v MetricInput) map[string]MetricInput {
	out := map[string]MetricInput{}
	for key, x := range m {
		out[key] = x
	}
	out[k] = v
	return out
}

func without(m map[string]MetricInput, k string) map[string]MetricInput {
	out := change(m, k, MetricInput{})
	delete(out, k)
	return out
}

func TestCheckReport(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	q3, _ := ParsePeriod("2026-Q3")
	q4, _ := ParsePeriod("2026-Q4")
	prev := map[string]MetricValue{"revenue": {Value: 900_000}, "employees_total": {Value: 18}, "rd_expenditure": {Value: 100_000}}
	cases := []struct {
		name      string
		period    Period
		in        ReportInput
		prev      map[string]MetricValue
		wantErr   string // field:code
		wantWarn  string // field:code
		checkVals func(t *testing.T, v map[string]MetricValue)
	}{
		{name: "plausible report passes", period: q3, in: ReportInput{Metrics: fullMetrics(), Submit: true}, prev: prev,
			checkVals: func(t *testing.T, v map[string]MetricValue) {
				if r := v["revenue"]; r.Value != 1_000_000 || r.Entered != 1000 || r.Unit != ReportUnitThousandYuan {
					t.Errorf("revenue normalized: %+v", r)
				}
			}},
		{name: "yuan accepted as is", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "exports", MetricInput{Value: 1234, Unit: ReportUnitYuan}), Submit: true},
			checkVals: func(t *testing.T, v map[string]MetricValue) {
				if e := v["exports"]; e.Value != 1234 || e.Unit != ReportUnitYuan {
					t.Errorf("exports: %+v", e)
				}
			}},
		{name: "wrong unit", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "revenue", MetricInput{Value: 1, Unit: "wan_yuan"}), Submit: true}, wantErr: "metrics.revenue.unit:unit_unknown"},
		{name: "missing unit", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "taxes_paid", MetricInput{Value: 1})}, wantErr: "metrics.taxes_paid.unit:required"},
		{name: "unit on a headcount", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "employees_phd", MetricInput{Value: 1, Unit: "yuan"})}, wantErr: "metrics.employees_phd.unit:unit_not_allowed"},
		{name: "negative headcount", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "employees_total", MetricInput{Value: -1})}, wantErr: "metrics.employees_total:negative"},
		{name: "negative net profit is a loss, fine", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "net_profit", MetricInput{Value: -50, Unit: ReportUnitThousandYuan}), Submit: true}},
		{name: "not an integer", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "ip_filed", MetricInput{Invalid: true})}, wantErr: "metrics.ip_filed:integer"},
		{name: "unknown indicator", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "unicorns", MetricInput{Value: 1})}, wantErr: "metrics.unicorns:unknown_metric"},
		{name: "phd above college+", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "employees_phd", MetricInput{Value: 16})}, wantErr: "metrics.employees_phd:exceeds"},
		{name: "phd above total", period: q3, in: ReportInput{Metrics: change(change(fullMetrics(), "employees_phd", MetricInput{Value: 30}), "employees_college_plus", MetricInput{Value: 40})}, wantErr: "metrics.employees_college_plus:exceeds"},
		{name: "financing amount without rounds", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "financing_rounds", MetricInput{Value: 0})}, wantErr: "metrics.financing_rounds:required_with"},
		{name: "future period", period: q4, in: ReportInput{Metrics: fullMetrics()}, wantErr: "period:period_not_ended"},
		{name: "submission needs every indicator", period: q3, in: ReportInput{Metrics: without(fullMetrics(), "exports"), Submit: true}, wantErr: "metrics.exports:required"},
		{name: "a draft may be partial", period: q3, in: ReportInput{Metrics: without(fullMetrics(), "exports")}},
		{name: "jump up: draft saved with a warning", period: q3, prev: prev,
			in:       ReportInput{Metrics: change(fullMetrics(), "employees_total", MetricInput{Value: 80})},
			wantWarn: "employees_total:jump_up"},
		{name: "jump up: submission needs an explanation", period: q3, prev: prev,
			in:       ReportInput{Metrics: change(fullMetrics(), "employees_total", MetricInput{Value: 80}), Submit: true},
			wantErr:  "explanations.employees_total:explanation_required",
			wantWarn: "employees_total:jump_up"},
		{name: "jump up explained", period: q3, prev: prev,
			in:       ReportInput{Metrics: change(fullMetrics(), "employees_total", MetricInput{Value: 80}), Explanations: map[string]string{"employees_total": "并购了一家公司"}, Submit: true},
			wantWarn: "employees_total:jump_up"},
		{name: "drop over 80%", period: q3, prev: prev, in: ReportInput{Metrics: change(fullMetrics(), "revenue", MetricInput{Value: 100, Unit: ReportUnitThousandYuan})},
			wantWarn: "revenue:jump_down"},
		{name: "blank explanation does not count", period: q3, prev: prev,
			in:      ReportInput{Metrics: change(fullMetrics(), "revenue", MetricInput{Value: 100, Unit: ReportUnitThousandYuan}), Explanations: map[string]string{"revenue": "  "}, Submit: true},
			wantErr: "explanations.revenue:explanation_required", wantWarn: "revenue:jump_down"},
		{name: "R&D above revenue warns", period: q3, in: ReportInput{Metrics: change(fullMetrics(), "rd_expenditure", MetricInput{Value: 2000, Unit: ReportUnitThousandYuan})},
			wantWarn: "rd_expenditure:rd_exceeds_revenue"},
		{name: "explanation of an unknown indicator", period: q3, in: ReportInput{Metrics: fullMetrics(), Explanations: map[string]string{"mood": "good"}}, wantErr: "explanations.mood:unknown_metric"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vals, warns, err := CheckReport(c.period, c.in, c.prev, now)
			if c.wantErr != "" {
				if !fieldCodes(t, err)[c.wantErr] {
					t.Fatalf("want %s, got %v", c.wantErr, err)
				}
			} else if err != nil {
				t.Fatalf("refused: %v", err)
			}
			gotWarn := map[string]bool{}
			for _, w := range warns {
				gotWarn[w.Field+":"+w.Code] = true
			}
			if c.wantWarn != "" && !gotWarn[c.wantWarn] {
				t.Errorf("want warning %s, got %v", c.wantWarn, warns)
			}
			if c.wantWarn == "" && len(warns) > 0 {
				t.Errorf("unexpected warnings %v", warns)
			}
			if c.checkVals != nil {
				c.checkVals(t, vals)
			}
		})
	}
}

func TestReportRevisionsAndReview(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p, _ := ParsePeriod("2026-Q3")
	r1 := NewRevision(nil, "r", map[string]MetricValue{"revenue": {Value: 1}}, nil, nil, false, "u", now)
	r := NewMetricReport("r", "co", "reg", p, r1, now)
	if r.Status != ReportDraft || r.Revision != 1 || r.FirstSubmittedAt != nil {
		t.Fatalf("draft: %+v", r)
	}
	if err := r.Review(ReviewAccept, "", "op", now); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("review of a draft: %v", err)
	}
	r2 := NewRevision(r, "r", map[string]MetricValue{"revenue": {Value: 2}}, nil, nil, true, "u", now.Add(time.Hour))
	r.Revise(r2, now.Add(time.Hour))
	if r2.Number != 2 || r.Revision != 2 || r.Status != ReportSubmitted || r.FirstSubmittedAt == nil {
		t.Fatalf("submitted revision: %+v %+v", r2, r)
	}
	if r1.Values["revenue"].Value != 1 {
		t.Fatalf("first revision changed: %+v", r1)
	}
	if err := r.Review(ReviewReturn, "", "op", now); !fieldCodes(t, err)["comment:required"] {
		t.Fatalf("return without comment: %v", err)
	}
	if err := r.Review("maybe", "x", "op", now); !fieldCodes(t, err)["decision:one_of"] {
		t.Fatalf("bad decision: %v", err)
	}
	if err := r.Review(ReviewReturn, "请核对研发费用", "op", now); err != nil || r.Status != ReportReturned || !r.Outstanding() {
		t.Fatalf("return: %v %+v", err, r)
	}
	first := *r.FirstSubmittedAt
	r3 := NewRevision(r, "r", nil, nil, nil, true, "u", now.Add(2*time.Hour))
	r.Revise(r3, now.Add(2*time.Hour))
	if r.Revision != 3 || r.Status != ReportSubmitted || r.ReviewComment != "" || !r.FirstSubmittedAt.Equal(first) {
		t.Fatalf("resubmitted: %+v", r)
	}
	if err := r.Review(ReviewAccept, "", "op", now); err != nil || r.Status != ReportAccepted || r.Outstanding() {
		t.Fatalf("accept: %v %+v", err, r)
	}
}
