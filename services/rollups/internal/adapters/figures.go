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

// residencyFilter is the filter's carrier kind and carrier as conditions
// on residencies r.
func residencyFilter(f domain.Filter) where {
	var w where
	w.addIf(f.CarrierKind != "", "r.carrier_kind = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "r.carrier_id = ?", f.CarrierID)
	return w
}

func (t *txStore) Carriers(ctx context.Context, f domain.Filter) ([]app.CarrierRow, error) {
	return app.Collect(func(fn func(app.CarrierRow) error) error { return t.EachCarrier(ctx, f, fn) })
}

// EachCarrier hands fn the carriers of the filter, with what their
// residents use at the window's end, one at a time.
func (t *txStore) EachCarrier(ctx context.Context, f domain.Filter, fn func(app.CarrierRow) error) error {
	var w where
	w.addIf(f.CarrierKind != "", "c.kind = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "c.id = ?", f.CarrierID)
	// The region's residents are summed per carrier in one pass (a join
	// per carrier would visit every residency once per carrier).
	return eachRow(ctx, t, "carriers", `SELECT c.id AS carrier_id, c.name_zh, c.name_en, c.kind, c.status, c.capacity, c.area_m2,
		COALESCE(u.area_used_m2, 0.0) AS area_used_m2, COALESCE(u.residents, 0) AS residents
		FROM carriers c LEFT JOIN (SELECT r.carrier_id, SUM(r.area_m2) AS area_used_m2, COUNT(*) AS residents FROM residencies r
			WHERE r.region_id = ? AND `+inResidence+` GROUP BY r.carrier_id) u ON u.carrier_id = c.id
		WHERE c.region_id = ?`+w.sql()+`
		ORDER BY c.chain_order, c.name_zh, c.id`, append([]any{f.RegionID, f.Window.To, f.Window.To, f.RegionID}, w.args...), fn)
}

func (t *txStore) Residencies(ctx context.Context, f domain.Filter) ([]app.ResidencyRow, error) {
	return app.Collect(func(fn func(app.ResidencyRow) error) error { return t.EachResidency(ctx, f, fn) })
}

// EachResidency hands fn the residencies admitted by the window's end,
// one at a time.
func (t *txStore) EachResidency(ctx context.Context, f domain.Filter, fn func(app.ResidencyRow) error) error {
	w := residencyFilter(f)
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	return eachRow(ctx, t, "residencies", `SELECT r.id AS residency_id, r.company_id, COALESCE(co.name_zh, '') AS company_name, COALESCE(co.uscc, '') AS uscc,
		COALESCE(co.industry, '') AS industry, r.carrier_id, COALESCE(c.name_zh, '') AS carrier_name, r.carrier_kind, r.chain_order, r.status,
		r.admitted_on, r.moved_in_on, r.ended_on, r.term_end_on, r.area_m2, r.promoted_to_carrier_id, COALESCE(pc.kind, '') AS promoted_to_kind,
		r.rule_pack_version
		FROM residencies r
		LEFT JOIN companies co ON co.id = r.company_id
		LEFT JOIN carriers c ON c.id = r.carrier_id
		LEFT JOIN carriers pc ON pc.id = r.promoted_to_carrier_id
		WHERE r.region_id = ? AND r.admitted_on <= ?`+w.sql()+`
		ORDER BY r.admitted_on, r.id`, append([]any{f.RegionID, f.Window.To}, w.args...), fn)
}

func (t *txStore) LadderSteps(ctx context.Context, f domain.Filter) ([]app.LadderRow, error) {
	return app.Collect(func(fn func(app.LadderRow) error) error { return t.EachLadderStep(ctx, f, fn) })
}

// EachLadderStep hands fn the verified ladder steps by the window's end,
// one at a time, each with the carriers its company was admitted to by
// then that pass the carrier filters (a step with none is left out when
// a carrier filter is set).
func (t *txStore) EachLadderStep(ctx context.Context, f domain.Filter, fn func(app.LadderRow) error) error {
	var w where
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	rw := residencyFilter(f)
	carrierFiltered := f.CarrierKind != "" || f.CarrierID != ""
	args := append(append([]any{f.RegionID, f.Window.To}, rw.args...), f.RegionID, f.Window.To)
	return eachRow(ctx, t, "ladder steps", `SELECT l.entry_id, l.company_id, COALESCE(co.name_zh, '') AS company_name, COALESCE(co.uscc, '') AS uscc, l.step,
		l.step_on, l.expiry_on, l.certificate_no,
		COALESCE((SELECT `+t.idList("r.carrier_id")+` FROM residencies r WHERE r.company_id = l.company_id AND r.region_id = ? AND r.admitted_on <= ?`+rw.sql()+`), '') AS carrier_list
		FROM ladder_steps l LEFT JOIN companies co ON co.id = l.company_id
		WHERE l.region_id = ? AND l.status = 'verified' AND l.step_on <= ?`+w.sql()+`
		ORDER BY l.step_on, l.entry_id`, append(args, w.args...), func(r struct {
		app.LadderRow
		CarrierList string `bun:"carrier_list"`
	}) error {
		r.Carriers = splitIDs(r.CarrierList)
		if carrierFiltered && len(r.Carriers) == 0 {
			return nil
		}
		return fn(r.LadderRow)
	})
}

// ReportRevisions are the counted revision of each report of the window
// (its latest accepted one), or every revision when every is set.
func (t *txStore) ReportRevisions(ctx context.Context, f domain.Filter, every bool) ([]app.ReportRow, error) {
	return app.Collect(func(fn func(app.ReportRow) error) error { return t.EachReportRevision(ctx, f, every, fn) })
}

// EachReportRevision hands fn, one at a time, the counted revision of
// each report of the window, or every revision when every is set, with
// every carrier the report credits; a carrier filter keeps the reports
// that credit a carrier passing it.
func (t *txStore) EachReportRevision(ctx context.Context, f domain.Filter, every bool, fn func(app.ReportRow) error) error {
	var w where
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	if f.CarrierID != "" || f.CarrierKind != "" {
		var cw where
		cw.addIf(f.CarrierID != "", "fc.carrier_id = ?", f.CarrierID)
		cw.addIf(f.CarrierKind != "", "COALESCE(c.kind, '') = ?", f.CarrierKind)
		w.add(`EXISTS (SELECT 1 FROM report_carriers fc LEFT JOIN carriers c ON c.id = fc.carrier_id WHERE fc.report_id = rr.report_id`+cw.sql()+`)`, cw.args...)
	}
	counted := ` AND rr.status = 'accepted' AND rr.revision = (SELECT MAX(r2.revision) FROM report_revisions r2
		WHERE r2.report_id = rr.report_id AND r2.status = 'accepted' AND r2.has_figures = 1)`
	if every {
		counted = ""
	}
	type line struct {
		app.ReportRow
		PeriodEnd   string `bun:"period_end"`
		CarrierList string `bun:"carrier_list"`
		app.Metrics
	}
	return eachRow(ctx, t, "report revisions", `SELECT rr.report_id, rr.revision, rr.company_id, COALESCE(co.name_zh, '') AS company_name, COALESCE(co.uscc, '') AS uscc,
		rr.period, rr.period_end, rr.status, rr.rd_expenditure, rr.revenue, rr.taxes_paid, rr.employees_total, rr.ip_filed, rr.ip_granted,
		rr.financing_amount,
		COALESCE((SELECT `+t.idList("rc.carrier_id")+` FROM report_carriers rc WHERE rc.report_id = rr.report_id), '') AS carrier_list
		FROM report_revisions rr LEFT JOIN companies co ON co.id = rr.company_id
		WHERE rr.region_id = ? AND rr.has_figures = 1 AND rr.period_start >= ? AND rr.period_end <= ?`+counted+w.sql()+`
		ORDER BY rr.period_end, rr.report_id, rr.revision`, append([]any{f.RegionID, f.Window.From, f.Window.To}, w.args...), func(r line) error {
		row := r.ReportRow
		row.PeriodEnd = r.PeriodEnd
		row.CarrierIDs = splitIDs(r.CarrierList)
		row.Metrics = r.Metrics
		return fn(row)
	})
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

func (t *txStore) RulePacks(ctx context.Context, regionID string) (map[int]app.RulePackRecord, error) {
	var rows []struct {
		Version   int    `bun:"version"`
		Cadence   string `bun:"cadence"`
		GraceDays int    `bun:"grace_days"`
	}
	if err := t.NewRaw("SELECT version, cadence, grace_days FROM rule_packs WHERE region_id = ?", regionID).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("rule packs: %w", err)
	}
	out := make(map[int]app.RulePackRecord, len(rows))
	for _, r := range rows {
		out[r.Version] = app.RulePackRecord{RegionID: regionID, Version: r.Version, Cadence: r.Cadence, GraceDays: r.GraceDays}
	}
	return out, nil
}

// EachMilestone hands fn the milestones due in the window, one at a time.
func (t *txStore) EachMilestone(ctx context.Context, f domain.Filter, fn func(app.MilestoneRow) error) error {
	var w where
	w.addIf(f.CarrierKind != "", "COALESCE(c.kind, '') = ?", f.CarrierKind)
	w.addIf(f.CarrierID != "", "m.carrier_id = ?", f.CarrierID)
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	return eachRow(ctx, t, "milestones", `SELECT m.id AS milestone_id, m.residency_id, m.company_id, COALESCE(co.name_zh, '') AS company_name,
		COALESCE(co.uscc, '') AS uscc, m.carrier_id, COALESCE(c.name_zh, '') AS carrier_name, m.title_zh, m.category, m.state, m.due_on
		FROM milestones m LEFT JOIN companies co ON co.id = m.company_id LEFT JOIN carriers c ON c.id = m.carrier_id
		WHERE m.region_id = ? AND m.due_on >= ? AND m.due_on <= ?`+w.sql()+`
		ORDER BY m.due_on, m.id`, append([]any{f.RegionID, f.Window.From, f.Window.To}, w.args...), fn)
}
