package query

import (
	"cmp"
	"context"
	"slices"

	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// Sums are report figures in Torch units: money in 千元, the rest counts.
type Sums struct {
	RDExpenditure   float64 `json:"rd_expenditure"`
	Revenue         float64 `json:"revenue"`
	TaxesPaid       float64 `json:"taxes_paid"`
	EmployeesTotal  int64   `json:"employees_total"`
	IPFiled         int64   `json:"ip_filed"`
	IPGranted       int64   `json:"ip_granted"`
	FinancingAmount float64 `json:"financing_amount"`
}

// SumsOf converts summed figures (money in 元) to Torch units.
func SumsOf(m app.Metrics) Sums {
	return Sums{RDExpenditure: domain.ThousandYuan(m.RDExpenditure), Revenue: domain.ThousandYuan(m.Revenue), TaxesPaid: domain.ThousandYuan(m.TaxesPaid),
		EmployeesTotal: m.EmployeesTotal, IPFiled: m.IPFiled, IPGranted: m.IPGranted, FinancingAmount: domain.ThousandYuan(m.FinancingAmount)}
}

// ReportLine is one counted report revision, in Torch units.
type ReportLine struct {
	app.ReportRow
	Figures Sums `json:"figures"`
}

// TopSpender is a company among the top R&D spenders (一对一跟踪).
type TopSpender struct {
	CompanyID     string  `json:"company_id"`
	CompanyName   string  `json:"company_name"`
	USCC          string  `json:"uscc"`
	RDExpenditure float64 `json:"rd_expenditure"`
}

// ReportsFigure sums the latest accepted revision of every report of the
// window. Employment is each company's figure of its latest period in
// the window (a headcount, not a flow).
type ReportsFigure struct {
	Window    Window       `json:"window"`
	Unit      string       `json:"money_unit"`
	Reports   int          `json:"reports"`
	Companies int          `json:"companies"`
	Sums      Sums         `json:"sums"`
	TopRD     []TopSpender `json:"top_rd_spenders"`
}

// TopN is how many R&D spenders the figure names.
const TopN = 10

// sumReports adds up rows: flows summed, employment from each company's
// latest period.
func sumReports(rows []app.ReportRow) (app.Metrics, map[string]app.Metrics, map[string]app.ReportRow) {
	var total app.Metrics
	perCompany := map[string]app.Metrics{}
	latest := map[string]app.ReportRow{}
	for _, r := range rows {
		k := app.CompanyKey(r.USCC, r.CompanyID)
		m := r.Metrics
		m.EmployeesTotal = 0
		perCompany[k] = perCompany[k].Add(m)
		if cur, ok := latest[k]; !ok || r.PeriodEnd > cur.PeriodEnd {
			latest[k] = r
		}
	}
	for _, m := range perCompany {
		total = total.Add(m)
	}
	for _, r := range latest {
		total.EmployeesTotal += r.Metrics.EmployeesTotal
	}
	return total, perCompany, latest
}

// Reports is the reports figure with the top R&D spenders the caller
// may see.
func (q Figures) Reports(ctx context.Context, req Request) (ReportsFigure, error) {
	var out ReportsFigure
	err := q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		rows, err := r.ReportRevisions(ctx, f, q.faults.SumEveryRevision)
		if err != nil {
			return err
		}
		total, perCompany, latest := sumReports(rows)
		out = ReportsFigure{Window: windowOf(f), Unit: "千元", Reports: len(rows), Companies: len(perCompany), Sums: SumsOf(total), TopRD: []TopSpender{}}
		visible := map[string]bool{}
		for _, row := range rows {
			if s.SeesAny(row.CarrierIDs) {
				visible[app.CompanyKey(row.USCC, row.CompanyID)] = true
			}
		}
		for k, m := range perCompany {
			if visible[k] && m.RDExpenditure > 0 {
				l := latest[k]
				out.TopRD = append(out.TopRD, TopSpender{CompanyID: l.CompanyID, CompanyName: l.CompanyName, USCC: l.USCC, RDExpenditure: domain.ThousandYuan(m.RDExpenditure)})
			}
		}
		slices.SortFunc(out.TopRD, func(a, b TopSpender) int {
			return cmp.Or(cmp.Compare(b.RDExpenditure, a.RDExpenditure), cmp.Compare(a.CompanyID, b.CompanyID))
		})
		if len(out.TopRD) > TopN {
			out.TopRD = out.TopRD[:TopN]
		}
		return nil
	})
	return out, err
}

// ReportRows are the counted revisions behind the reports figure that
// the caller may see.
func (q Figures) ReportRows(ctx context.Context, req Request) ([]ReportLine, error) {
	return app.Collect(func(fn func(ReportLine) error) error { return q.EachReportLine(ctx, req, fn) })
}

// EachReportLine hands fn the report lines one at a time, as read.
func (q Figures) EachReportLine(ctx context.Context, req Request, fn func(ReportLine) error) error {
	return q.read(ctx, req, func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error {
		return r.EachReportRevision(ctx, f, q.faults.SumEveryRevision, func(row app.ReportRow) error {
			if !s.SeesAny(row.CarrierIDs) {
				return nil
			}
			return fn(ReportLine{ReportRow: row, Figures: SumsOf(row.Metrics)})
		})
	})
}
