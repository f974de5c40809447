package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

func (t *txStore) Region(ctx context.Context, id string) (app.RegionRecord, bool, error) {
	var r struct {
		ID     string `bun:"id"`
		Code   string `bun:"code"`
		NameZH string `bun:"name_zh"`
	}
	err := t.NewRaw("SELECT id, code, name_zh FROM regions WHERE id = ?", id).Scan(ctx, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return app.RegionRecord{}, false, nil
	}
	if err != nil {
		return app.RegionRecord{}, false, fmt.Errorf("region: %w", err)
	}
	return app.RegionRecord{ID: r.ID, Code: r.Code, NameZH: r.NameZH}, true, nil
}

func (t *txStore) oneString(ctx context.Context, what, q string, args ...any) (string, bool, error) {
	var out string
	err := t.NewRaw(q, args...).Scan(ctx, &out)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("%s: %w", what, err)
	}
	return out, true, nil
}

func (t *txStore) CarrierRegion(ctx context.Context, carrierID string) (string, bool, error) {
	return t.oneString(ctx, "carrier region", "SELECT region_id FROM carriers WHERE id = ?", carrierID)
}

func (t *txStore) CompanyRegion(ctx context.Context, companyID string) (string, bool, error) {
	return t.oneString(ctx, "company region", "SELECT region_id FROM companies WHERE id = ? AND region_id <> ''", companyID)
}

// where builds "AND …" conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) addIf(ok bool, cond string, args ...any) {
	if ok {
		w.add(cond, args...)
	}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(w.conds, " AND ")
}

// inResidence is the condition that residency r is in residence on day ?.
const inResidence = "r.moved_in_on <> '' AND r.moved_in_on <= ? AND (r.ended_on = '' OR r.ended_on > ?)"

func (t *txStore) Carriers(ctx context.Context, f domain.Filter) ([]app.CarrierRow, error) {
	var w where
	w.addIf(f.CarrierKind != "", "c.kind = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "c.id = ?", f.CarrierID)
	var rows []app.CarrierRow
	// The region's residents are summed per carrier in one pass (a join
	// per carrier would visit every residency once per carrier).
	err := t.NewRaw(`SELECT c.id AS carrier_id, c.name_zh, c.name_en, c.kind, c.status, c.capacity, c.area_m2,
		COALESCE(u.area_used_m2, 0.0) AS area_used_m2, COALESCE(u.residents, 0) AS residents
		FROM carriers c LEFT JOIN (SELECT r.carrier_id, SUM(r.area_m2) AS area_used_m2, COUNT(*) AS residents FROM residencies r
			WHERE r.region_id = ? AND `+inResidence+` GROUP BY r.carrier_id) u ON u.carrier_id = c.id
		WHERE c.region_id = ?`+w.sql()+`
		ORDER BY c.chain_order, c.name_zh, c.id`, append([]any{f.RegionID, f.Window.To, f.Window.To, f.RegionID}, w.args...)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("carriers: %w", err)
	}
	return rows, nil
}

func (t *txStore) Residencies(ctx context.Context, f domain.Filter) ([]app.ResidencyRow, error) {
	var w where
	w.addIf(f.CarrierKind != "", "r.carrier_kind = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "r.carrier_id = ?", f.CarrierID)
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	var rows []app.ResidencyRow
	err := t.NewRaw(`SELECT r.id AS residency_id, r.company_id, COALESCE(co.name_zh, '') AS company_name, COALESCE(co.uscc, '') AS uscc,
		COALESCE(co.industry, '') AS industry, r.carrier_id, COALESCE(c.name_zh, '') AS carrier_name, r.carrier_kind, r.chain_order, r.status,
		r.admitted_on, r.moved_in_on, r.ended_on, r.term_end_on, r.area_m2, r.promoted_to_carrier_id, COALESCE(pc.kind, '') AS promoted_to_kind
		FROM residencies r
		LEFT JOIN companies co ON co.id = r.company_id
		LEFT JOIN carriers c ON c.id = r.carrier_id
		LEFT JOIN carriers pc ON pc.id = r.promoted_to_carrier_id
		WHERE r.region_id = ? AND r.admitted_on <= ?`+w.sql()+`
		ORDER BY r.admitted_on, r.id`, append([]any{f.RegionID, f.Window.To}, w.args...)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("residencies: %w", err)
	}
	return rows, nil
}

// companyCarriers maps each company of the region to the carriers it was
// admitted to by the window's end that pass the carrier filters.
func (t *txStore) companyCarriers(ctx context.Context, f domain.Filter) (map[string][]string, error) {
	var w where
	w.addIf(f.CarrierKind != "", "r.carrier_kind = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "r.carrier_id = ?", f.CarrierID)
	var rows []struct {
		CompanyID string `bun:"company_id"`
		CarrierID string `bun:"carrier_id"`
	}
	err := t.NewRaw(`SELECT DISTINCT r.company_id, r.carrier_id FROM residencies r WHERE r.region_id = ? AND r.admitted_on <= ?`+w.sql()+`
		ORDER BY r.company_id, r.carrier_id`, append([]any{f.RegionID, f.Window.To}, w.args...)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("company carriers: %w", err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.CompanyID] = append(out[r.CompanyID], r.CarrierID)
	}
	return out, nil
}

func (t *txStore) LadderSteps(ctx context.Context, f domain.Filter) ([]app.LadderRow, error) {
	var w where
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	var rows []app.LadderRow
	err := t.NewRaw(`SELECT l.entry_id, l.company_id, COALESCE(co.name_zh, '') AS company_name, COALESCE(co.uscc, '') AS uscc, l.step,
		l.step_on, l.expiry_on, l.certificate_no
		FROM ladder_steps l LEFT JOIN companies co ON co.id = l.company_id
		WHERE l.region_id = ? AND l.status = 'verified' AND l.step_on <= ?`+w.sql()+`
		ORDER BY l.step_on, l.entry_id`, append([]any{f.RegionID, f.Window.To}, w.args...)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("ladder steps: %w", err)
	}
	cc, err := t.companyCarriers(ctx, f)
	if err != nil {
		return nil, err
	}
	carrierFiltered := f.CarrierKind != "" || f.CarrierID != ""
	out := rows[:0]
	for _, r := range rows {
		r.Carriers = cc[r.CompanyID]
		if carrierFiltered && len(r.Carriers) == 0 {
			continue
		}
		if r.Carriers == nil {
			r.Carriers = []string{}
		}
		out = append(out, r)
	}
	return out, nil
}

// ReportRevisions are the counted revision of each report of the window
// (its latest accepted one), or every revision when every is set.
func (t *txStore) ReportRevisions(ctx context.Context, f domain.Filter, every bool) ([]app.ReportRow, error) {
	var w where
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	counted := ` AND rr.status = 'accepted' AND rr.revision = (SELECT MAX(r2.revision) FROM report_revisions r2
		WHERE r2.report_id = rr.report_id AND r2.status = 'accepted' AND r2.has_figures = 1)`
	if every {
		counted = ""
	}
	var rows []struct {
		app.ReportRow
		PeriodEnd       string `bun:"period_end"`
		RDExpenditure   int64  `bun:"rd_expenditure"`
		Revenue         int64  `bun:"revenue"`
		TaxesPaid       int64  `bun:"taxes_paid"`
		EmployeesTotal  int64  `bun:"employees_total"`
		IPFiled         int64  `bun:"ip_filed"`
		IPGranted       int64  `bun:"ip_granted"`
		FinancingAmount int64  `bun:"financing_amount"`
	}
	err := t.NewRaw(`SELECT rr.report_id, rr.revision, rr.company_id, COALESCE(co.name_zh, '') AS company_name, COALESCE(co.uscc, '') AS uscc,
		rr.period, rr.period_end, rr.status, rr.rd_expenditure, rr.revenue, rr.taxes_paid, rr.employees_total, rr.ip_filed, rr.ip_granted,
		rr.financing_amount
		FROM report_revisions rr LEFT JOIN companies co ON co.id = rr.company_id
		WHERE rr.region_id = ? AND rr.has_figures = 1 AND rr.period_start >= ? AND rr.period_end <= ?`+counted+w.sql()+`
		ORDER BY rr.period_end, rr.report_id, rr.revision`, append([]any{f.RegionID, f.Window.From, f.Window.To}, w.args...)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("report revisions: %w", err)
	}
	var links []struct {
		ReportID  string `bun:"report_id"`
		CarrierID string `bun:"carrier_id"`
		Kind      string `bun:"kind"`
	}
	err = t.NewRaw(`SELECT rc.report_id, rc.carrier_id, COALESCE(c.kind, '') AS kind FROM report_carriers rc
		LEFT JOIN carriers c ON c.id = rc.carrier_id
		WHERE rc.report_id IN (SELECT report_id FROM report_revisions WHERE region_id = ? AND period_start >= ? AND period_end <= ?)
		ORDER BY rc.report_id, rc.carrier_id`, f.RegionID, f.Window.From, f.Window.To).Scan(ctx, &links)
	if err != nil {
		return nil, fmt.Errorf("report carriers: %w", err)
	}
	all, matching := map[string][]string{}, map[string]bool{}
	for _, l := range links {
		all[l.ReportID] = append(all[l.ReportID], l.CarrierID)
		if (f.CarrierID == "" || l.CarrierID == f.CarrierID) && (f.CarrierKind == "" || l.Kind == f.CarrierKind) {
			matching[l.ReportID] = true
		}
	}
	carrierFiltered := f.CarrierKind != "" || f.CarrierID != ""
	out := make([]app.ReportRow, 0, len(rows))
	for _, r := range rows {
		if carrierFiltered && !matching[r.ReportID] {
			continue
		}
		row := r.ReportRow
		row.PeriodEnd = r.PeriodEnd
		row.CarrierIDs = all[r.ReportID]
		if row.CarrierIDs == nil {
			row.CarrierIDs = []string{}
		}
		row.Metrics = app.Metrics{RDExpenditure: r.RDExpenditure, Revenue: r.Revenue, TaxesPaid: r.TaxesPaid, EmployeesTotal: r.EmployeesTotal,
			IPFiled: r.IPFiled, IPGranted: r.IPGranted, FinancingAmount: r.FinancingAmount}
		out = append(out, row)
	}
	return out, nil
}

func (t *txStore) WaitingDocuments(ctx context.Context, f domain.Filter) ([]app.DocumentRow, error) {
	var w where
	w.addIf(f.CarrierKind != "", "c.kind = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "d.carrier_id = ?", f.CarrierID)
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	var rows []app.DocumentRow
	err := t.NewRaw(`SELECT d.id AS document_id, d.company_id, COALESCE(co.name_zh, '') AS company_name, d.carrier_id, d.type, d.version
		FROM documents d LEFT JOIN companies co ON co.id = d.company_id LEFT JOIN carriers c ON c.id = d.carrier_id
		WHERE d.region_id = ? AND d.status = 'uploaded'`+w.sql()+`
		ORDER BY d.id`, append([]any{f.RegionID}, w.args...)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("waiting documents: %w", err)
	}
	return rows, nil
}
