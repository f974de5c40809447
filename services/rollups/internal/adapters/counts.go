package adapters

import (
	"context"
	"fmt"

	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// The figures count in the database (one aggregate query each) what their
// drill-downs list row by row: at tier P (200,000 companies) reading every
// row of a region into Go for each figure takes seconds. Each condition
// here is the one the query package applies to a drill-down's rows
// (query.counts, query.ladderCounts); the figures tests check both agree.

// companyKeyOf counts a company once: by USCC, or by id before one.
const companyKeyOf = "CASE WHEN COALESCE(co.uscc, '') <> '' THEN co.uscc ELSE %s.company_id END"

func distinctCompanies(alias, cond string) string {
	return "COUNT(DISTINCT CASE WHEN " + cond + " THEN " + fmt.Sprintf(companyKeyOf, alias) + " END)"
}

// residencyIn is query.counts' in-residence rule at the window's end ?.
const residencyIn = "(" + inResidence + ")"

// withinWindow is a non-empty date column inside the window [?, ?].
func withinWindow(col string) string {
	return "(" + col + " <> '' AND " + col + " >= ? AND " + col + " <= ?)"
}

func (t *txStore) FlowCounts(ctx context.Context, f domain.Filter) (app.FlowCounts, error) {
	w := residencyFilter(f)
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	from, to := f.Window.From, f.Window.To
	ended := func(status string) string {
		return distinctCompanies("r", "r.status = '"+status+"' AND "+withinWindow("r.ended_on"))
	}
	var c struct {
		InResidence int `bun:"in_residence"`
		Admitted    int `bun:"admitted"`
		MovedIn     int `bun:"moved_in"`
		Graduated   int `bun:"graduated"`
		Exited      int `bun:"exited"`
		Promoted    int `bun:"promoted"`
		PastTerm    int `bun:"past_term"`
	}
	args := []any{to, to, from, to, from, to, from, to, from, to, from, to, to, to, to, f.RegionID, to}
	err := t.NewRaw(`SELECT `+distinctCompanies("r", residencyIn)+` AS in_residence,
		`+distinctCompanies("r", withinWindow("r.admitted_on"))+` AS admitted,
		`+distinctCompanies("r", withinWindow("r.moved_in_on"))+` AS moved_in,
		`+ended("graduated")+` AS graduated, `+ended("exited")+` AS exited, `+ended("promoted")+` AS promoted,
		`+distinctCompanies("r", residencyIn+" AND r.term_end_on <> '' AND r.term_end_on < ?")+` AS past_term
		FROM residencies r LEFT JOIN companies co ON co.id = r.company_id
		WHERE r.region_id = ? AND r.admitted_on <= ?`+w.sql(), append(args, w.args...)...).Scan(ctx, &c)
	if err != nil {
		return app.FlowCounts{}, fmt.Errorf("flow counts: %w", err)
	}
	out := app.FlowCounts{Companies: map[string]int{"in_residence": c.InResidence, "admitted": c.Admitted, "moved_in": c.MovedIn,
		"graduated": c.Graduated, "exited": c.Exited, "promoted": c.Promoted, "past_term": c.PastTerm}}
	err = t.NewRaw(`SELECT r.carrier_kind AS from_kind, COALESCE(pc.kind, '') AS to_kind, `+distinctCompanies("r", "1 = 1")+` AS companies
		FROM residencies r LEFT JOIN companies co ON co.id = r.company_id LEFT JOIN carriers pc ON pc.id = r.promoted_to_carrier_id
		WHERE r.region_id = ? AND r.admitted_on <= ? AND r.status = 'promoted' AND `+withinWindow("r.ended_on")+w.sql()+`
		GROUP BY r.carrier_kind, COALESCE(pc.kind, '')`, append([]any{f.RegionID, to, from, to}, w.args...)...).Scan(ctx, &out.Promotions)
	if err != nil {
		return app.FlowCounts{}, fmt.Errorf("promotion counts: %w", err)
	}
	return out, nil
}

func (t *txStore) LadderCounts(ctx context.Context, f domain.Filter, expiringBy string) ([]app.LadderCount, error) {
	var w where
	w.addIf(f.Industry != "", "co.industry = ?", f.Industry)
	if f.CarrierKind != "" || f.CarrierID != "" {
		// As LadderSteps: only companies admitted to a matching carrier
		// by the window's end.
		rw := residencyFilter(f)
		w.add("EXISTS (SELECT 1 FROM residencies r WHERE r.company_id = l.company_id AND r.region_id = ? AND r.admitted_on <= ?"+rw.sql()+")",
			append([]any{f.RegionID, f.Window.To}, rw.args...)...)
	}
	from, to := f.Window.From, f.Window.To
	valid := "(l.expiry_on = '' OR l.expiry_on >= ?)"
	var out []app.LadderCount
	args := []any{to, to, from, to, expiringBy, f.RegionID, to}
	err := t.NewRaw(`SELECT l.step, `+distinctCompanies("l", valid)+` AS holding,
		`+distinctCompanies("l", valid+" AND l.step_on >= ?")+` AS new,
		`+distinctCompanies("l", "l.expiry_on <> '' AND l.expiry_on >= ? AND l.expiry_on <= ?")+` AS expiring
		FROM ladder_steps l LEFT JOIN companies co ON co.id = l.company_id
		WHERE l.region_id = ? AND l.status = 'verified' AND l.step_on <= ?`+w.sql()+`
		GROUP BY l.step`, append(args, w.args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("ladder counts: %w", err)
	}
	return out, nil
}
