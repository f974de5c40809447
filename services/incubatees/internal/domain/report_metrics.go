package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/calendar"
)

// Cadence is how often a company reports its metrics.
type Cadence string

const (
	Monthly   Cadence = "monthly"
	Quarterly Cadence = "quarterly" // the default
)

// Period is one reporting period: a month (YYYY-MM) or a quarter (YYYY-Qn).
type Period struct {
	Year    int
	Month   int // 1–12 for a monthly period, else 0
	Quarter int // 1–4 for a quarterly period, else 0
}

// ParsePeriod reads "2026-07" or "2026-Q3".
func ParsePeriod(s string) (Period, bool) {
	y, rest, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "-")
	if !ok || len(y) != 4 {
		return Period{}, false
	}
	year, err := strconv.Atoi(y)
	if err != nil || year < 1990 || year > 2999 {
		return Period{}, false
	}
	if q, isQ := strings.CutPrefix(rest, "Q"); isQ {
		n, err := strconv.Atoi(q)
		if err != nil || len(q) != 1 || n < 1 || n > 4 {
			return Period{}, false
		}
		return Period{Year: year, Quarter: n}, true
	}
	n, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 || n < 1 || n > 12 {
		return Period{}, false
	}
	return Period{Year: year, Month: n}, true
}

// String is the period's canonical form.
func (p Period) String() string {
	if p.Quarter > 0 {
		return fmt.Sprintf("%04d-Q%d", p.Year, p.Quarter)
	}
	return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
}

// Cadence is the period's kind.
func (p Period) Cadence() Cadence {
	if p.Quarter > 0 {
		return Quarterly
	}
	return Monthly
}

// Start is the period's first day.
func (p Period) Start() time.Time {
	m := p.Month
	if p.Quarter > 0 {
		m = 3*(p.Quarter-1) + 1
	}
	return time.Date(p.Year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

// End is the period's last day.
func (p Period) End() time.Time {
	months := 1
	if p.Quarter > 0 {
		months = 3
	}
	return p.Start().AddDate(0, months, -1)
}

// ReportGraceDays is how long after a period ends its report is due.
const ReportGraceDays = 15

// Due is the last day to submit the period's report.
func (p Period) Due() time.Time { return p.End().AddDate(0, 0, ReportGraceDays) }

// Previous is the period before p, of the same cadence.
func (p Period) Previous() Period {
	if p.Quarter > 0 {
		if p.Quarter == 1 {
			return Period{Year: p.Year - 1, Quarter: 4}
		}
		return Period{Year: p.Year, Quarter: p.Quarter - 1}
	}
	if p.Month == 1 {
		return Period{Year: p.Year - 1, Month: 12}
	}
	return Period{Year: p.Year, Month: p.Month - 1}
}

// LatestEndedPeriod is the period of cadence c that is being reported at
// now: the last one that has ended (a period is reportable on its last day).
func LatestEndedPeriod(c Cadence, now time.Time) Period {
	today := calendar.Today(now)
	p := Period{Year: today.Year(), Month: int(today.Month())}
	if c != Monthly {
		p = Period{Year: today.Year(), Quarter: (int(today.Month())-1)/3 + 1}
	}
	if p.End().After(today) {
		p = p.Previous()
	}
	return p
}

// MetricKind is money or a count.
type MetricKind string

const (
	MoneyMetric MetricKind = "money"
	CountMetric MetricKind = "count"
)

// MetricDef is one indicator a company reports, named as in the Torch
// statistics survey (火炬统计调查) for incubatees.
type MetricDef struct {
	Key    string
	Kind   MetricKind
	Signed bool // may be negative (net profit)
	NameZH string
	NameEN string
}

// Metrics are the indicators of a periodic report, in the order forms show them.
var Metrics = []MetricDef{
	{Key: "revenue", Kind: MoneyMetric, NameZH: "总收入", NameEN: "Revenue"},
	{Key: "net_profit", Kind: MoneyMetric, Signed: true, NameZH: "净利润", NameEN: "Net profit"},
	{Key: "rd_expenditure", Kind: MoneyMetric, NameZH: "研究开发费用", NameEN: "R&D expenditure"},
	{Key: "taxes_paid", Kind: MoneyMetric, NameZH: "实际上缴税费", NameEN: "Taxes paid"},
	{Key: "exports", Kind: MoneyMetric, NameZH: "出口总额", NameEN: "Exports"},
	{Key: "employees_total", Kind: CountMetric, NameZH: "从业人员", NameEN: "Employees"},
	{Key: "employees_phd", Kind: CountMetric, NameZH: "其中：博士", NameEN: "of whom PhDs"},
	{Key: "employees_college_plus", Kind: CountMetric, NameZH: "其中：大专以上学历", NameEN: "of whom college or higher"},
	{Key: "employees_returnee", Kind: CountMetric, NameZH: "其中：留学归国人员", NameEN: "of whom returnees"},
	{Key: "new_graduates_hired", Kind: CountMetric, NameZH: "吸纳应届大学毕业生", NameEN: "New graduates hired"},
	{Key: "ip_filed", Kind: CountMetric, NameZH: "知识产权申请数", NameEN: "IP filed"},
	{Key: "ip_granted", Kind: CountMetric, NameZH: "知识产权授权数", NameEN: "IP granted"},
	{Key: "ip_valid_invention", Kind: CountMetric, NameZH: "拥有有效发明专利", NameEN: "Valid invention patents"},
	{Key: "ip_valid_software", Kind: CountMetric, NameZH: "拥有软件著作权", NameEN: "Valid software copyrights"},
	{Key: "financing_rounds", Kind: CountMetric, NameZH: "获得投融资次数", NameEN: "Financing rounds"},
	{Key: "financing_amount", Kind: MoneyMetric, NameZH: "获得投融资金额", NameEN: "Financing amount"},
}

// MetricByKey finds an indicator.
func MetricByKey(k string) (MetricDef, bool) {
	for _, d := range Metrics {
		if d.Key == k {
			return d, true
		}
	}
	return MetricDef{}, false
}

// Money units a report may state. Torch forms are in 千元, a classic source
// of filing errors, so the unit is always explicit and amounts are stored
// in 元 with the unit as entered.
// (Named apart from the intake area's constants of the same values so the
// two areas can change independently.)
const (
	ReportUnitYuan         = "yuan"
	ReportUnitThousandYuan = "thousand_yuan"
)

// maxEntered bounds entered amounts so that normalizing cannot overflow.
const maxEntered = 1_000_000_000_000

// MetricInput is one indicator as entered. Invalid is set by the decoder
// when the value was not an integer.
type MetricInput struct {
	Value   int64
	Unit    string
	Invalid bool
}

// MetricValue is one indicator as stored: Value is normalized (money in
// 元), Entered and Unit are what the company typed.
type MetricValue struct {
	Value   int64  `json:"value"`
	Entered int64  `json:"entered"`
	Unit    string `json:"unit,omitempty"`
}

// Warning is a plausibility finding that does not stop a report but must be
// explained before it is submitted.
type Warning struct {
	Field  string         `json:"field"`
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// ReportInput is one save of a report.
type ReportInput struct {
	Metrics      map[string]MetricInput
	Explanations map[string]string
	Submit       bool
}

// Jump thresholds against the previous period, as Torch's plausibility
// checks flag them: more than +200% or more than −80%.
const (
	jumpUpRatio   = 3.0
	jumpDownRatio = 0.2
)

// jumpChecked are the indicators compared with the previous period.
var jumpChecked = []string{"revenue", "employees_total", "rd_expenditure"}

// CheckReport validates one save of a report for period against the
// previous period's figures (nil when there are none). Errors come back as
// an incorrect-input error with field errors; warnings come back either
// way, and a submission is refused until each warned field has an
// explanation.
func CheckReport(p Period, in ReportInput, prev map[string]MetricValue, now time.Time) (map[string]MetricValue, []Warning, error) {
	v := apperr.NewValidation("invalid-report")
	if end := p.End(); end.After(calendar.Today(now)) {
		v.Add("period", "period_not_ended", "ends", end.Format(time.DateOnly))
	}
	// A save with no figures at all (a {} body) would store an empty
	// revision over the last one: refuse it instead of guessing.
	v.Check(len(in.Metrics) == 0, "metrics", "required")
	for k := range in.Metrics {
		if _, ok := MetricByKey(k); !ok {
			v.Add("metrics."+k, "unknown_metric")
		}
	}
	vals := map[string]MetricValue{}
	for _, d := range Metrics {
		f := "metrics." + d.Key
		m, ok := in.Metrics[d.Key]
		switch {
		case !ok:
			v.Check(in.Submit, f, "required")
			continue
		case m.Invalid:
			v.Add(f, "integer")
			continue
		case m.Value < 0 && !d.Signed:
			v.Add(f, "negative")
			continue
		case m.Value > maxEntered || m.Value < -maxEntered:
			v.Add(f, "too_large", "max", maxEntered)
			continue
		}
		if d.Kind == CountMetric {
			if m.Unit != "" {
				v.Add(f+".unit", "unit_not_allowed")
				continue
			}
			vals[d.Key] = MetricValue{Value: m.Value, Entered: m.Value}
			continue
		}
		switch m.Unit {
		case ReportUnitYuan:
			vals[d.Key] = MetricValue{Value: m.Value, Entered: m.Value, Unit: m.Unit}
		case ReportUnitThousandYuan:
			vals[d.Key] = MetricValue{Value: m.Value * 1000, Entered: m.Value, Unit: m.Unit}
		case "":
			v.Add(f+".unit", "required")
		default:
			v.Add(f+".unit", "unit_unknown", "allowed", ReportUnitThousandYuan+", "+ReportUnitYuan)
		}
	}
	// Cross-field rules: parts never exceed their whole.
	notAbove := func(part, whole string) {
		a, okA := vals[part]
		b, okB := vals[whole]
		if okA && okB && a.Value > b.Value {
			v.Add("metrics."+part, "exceeds", "other", whole, "limit", b.Value)
		}
	}
	notAbove("employees_phd", "employees_college_plus")
	notAbove("employees_college_plus", "employees_total")
	notAbove("employees_phd", "employees_total")
	notAbove("employees_returnee", "employees_total")
	notAbove("new_graduates_hired", "employees_total")
	if a, ok := vals["financing_amount"]; ok && a.Value > 0 {
		if r, ok := vals["financing_rounds"]; ok && r.Value == 0 {
			v.Add("metrics.financing_rounds", "required_with", "other", "financing_amount")
		}
	}

	var warns []Warning
	if rd, ok := vals["rd_expenditure"]; ok {
		if rev, ok := vals["revenue"]; ok && rd.Value > rev.Value {
			warns = append(warns, Warning{Field: "rd_expenditure", Code: "rd_exceeds_revenue", Params: map[string]any{"revenue": rev.Value}})
		}
	}
	if r, ok := vals["financing_rounds"]; ok && r.Value > 0 {
		if a, ok := vals["financing_amount"]; ok && a.Value == 0 {
			warns = append(warns, Warning{Field: "financing_amount", Code: "financing_amount_zero"})
		}
	}
	for _, k := range jumpChecked {
		cur, ok := vals[k]
		before, okPrev := prev[k]
		if !ok || !okPrev || before.Value <= 0 {
			continue
		}
		ratio := float64(cur.Value) / float64(before.Value)
		pct := int((ratio - 1) * 100)
		switch {
		case ratio > jumpUpRatio:
			warns = append(warns, Warning{Field: k, Code: "jump_up", Params: map[string]any{"previous": before.Value, "percent": pct}})
		case ratio < jumpDownRatio:
			warns = append(warns, Warning{Field: k, Code: "jump_down", Params: map[string]any{"previous": before.Value, "percent": pct}})
		}
	}

	expl := map[string]string{}
	for k, text := range in.Explanations {
		text = strings.TrimSpace(text)
		if _, ok := MetricByKey(k); !ok {
			v.Add("explanations."+k, "unknown_metric")
			continue
		}
		v.Check(len([]rune(text)) > 1000, "explanations."+k, "too_long", "max", 1000)
		if text != "" {
			expl[k] = text
		}
	}
	if in.Submit {
		for _, w := range warns {
			if expl[w.Field] == "" {
				v.Add("explanations."+w.Field, "explanation_required", "warning", w.Code)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, warns, err
	}
	return vals, warns, nil
}

// ReportStatus is where a period's report stands.
type ReportStatus string

const (
	ReportDraft     ReportStatus = "draft"
	ReportSubmitted ReportStatus = "submitted"
	ReportAccepted  ReportStatus = "accepted"
	ReportReturned  ReportStatus = "returned"
)

// ReportRevision is one save of a report; revisions are never changed.
type ReportRevision struct {
	ReportID     string
	Number       int
	Values       map[string]MetricValue
	Explanations map[string]string
	Warnings     []Warning
	Submitted    bool
	CreatedBy    string
	CreatedAt    time.Time
}

// MetricReport is a company's report for one period: its latest state and
// review. The figures live in its revisions.
type MetricReport struct {
	ID               string
	CompanyID        string
	RegionID         string
	Period           Period
	Status           ReportStatus
	Revision         int // the latest revision's number
	FirstSubmittedAt *time.Time
	SubmittedAt      *time.Time
	ReviewedBy       string
	ReviewedAt       *time.Time
	ReviewComment    string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// NewRevision builds the next revision of r (r nil: the first) from a
// checked input.
func NewRevision(r *MetricReport, reportID string, vals map[string]MetricValue, expl map[string]string, warns []Warning, submit bool, by string, now time.Time) ReportRevision {
	n := 1
	if r != nil {
		n = r.Revision + 1
	}
	clean := map[string]string{}
	for k, t := range expl {
		if t = strings.TrimSpace(t); t != "" {
			clean[k] = t
		}
	}
	return ReportRevision{ReportID: reportID, Number: n, Values: vals, Explanations: clean, Warnings: warns, Submitted: submit, CreatedBy: by, CreatedAt: now}
}

// NewMetricReport starts a period's report with its first revision.
func NewMetricReport(id, companyID, regionID string, p Period, rev ReportRevision, now time.Time) *MetricReport {
	r := &MetricReport{ID: id, CompanyID: companyID, RegionID: regionID, Period: p, Status: ReportDraft, CreatedAt: now, UpdatedAt: now}
	r.apply(rev, now)
	return r
}

// Revise records a further revision; a revised report is reviewed afresh.
func (r *MetricReport) Revise(rev ReportRevision, now time.Time) {
	r.apply(rev, now)
	r.ReviewedBy, r.ReviewedAt, r.ReviewComment = "", nil, ""
}

func (r *MetricReport) apply(rev ReportRevision, now time.Time) {
	r.Revision, r.UpdatedAt = rev.Number, now
	if !rev.Submitted {
		r.Status = ReportDraft
		return
	}
	r.Status, r.SubmittedAt = ReportSubmitted, &now
	if r.FirstSubmittedAt == nil {
		r.FirstSubmittedAt = &now
	}
}

// ReviewDecision is an operator's verdict on a submitted report.
type ReviewDecision string

const (
	ReviewAccept ReviewDecision = "accept"
	ReviewReturn ReviewDecision = "return" // back to the company, with a comment
)

// Review accepts or returns a submitted report.
func (r *MetricReport) Review(d ReviewDecision, comment, by string, now time.Time) error {
	comment = strings.TrimSpace(comment)
	v := apperr.NewValidation("invalid-review")
	v.Check(d != ReviewAccept && d != ReviewReturn, "decision", "one_of", "allowed", "accept, return")
	v.Check(d == ReviewReturn && comment == "", "comment", "required")
	v.Check(len([]rune(comment)) > 1000, "comment", "too_long", "max", 1000)
	if err := v.Err(); err != nil {
		return err
	}
	if r.Status != ReportSubmitted {
		return apperr.ConflictErr("report-not-submitted").With("status", string(r.Status))
	}
	r.Status = ReportAccepted
	if d == ReviewReturn {
		r.Status = ReportReturned
	}
	r.ReviewedBy, r.ReviewedAt, r.ReviewComment, r.UpdatedAt = by, &now, comment, now
	return nil
}

// Outstanding reports whether the company still owes the period's report.
func (r *MetricReport) Outstanding() bool {
	return r == nil || r.Status == ReportDraft || r.Status == ReportReturned
}
