package adapters

import (
	"context"
	"fmt"

	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

func (t *txStore) FirstTime(ctx context.Context, eventID, eventType string) (bool, error) {
	res, err := t.ExecContext(ctx, "INSERT INTO applied_events (event_id, event_type) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING", eventID, eventType)
	if err != nil {
		return false, fmt.Errorf("record applied event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record applied event: %w", err)
	}
	return n == 1, nil
}

func (t *txStore) PutRegion(ctx context.Context, r app.RegionRecord) error {
	return t.upsertNewer(ctx, "regions", "id", []string{"id", "code", "name_zh", "stamp"}, []any{r.ID, r.Code, r.NameZH, r.Stamp})
}

func (t *txStore) PutCarrier(ctx context.Context, c app.CarrierRecord) error {
	return t.upsertNewer(ctx, "carriers", "id",
		[]string{"id", "region_id", "kind", "chain_order", "name_zh", "name_en", "status", "capacity", "area_m2", "stamp"},
		[]any{c.ID, c.RegionID, c.Kind, c.ChainOrder, c.NameZH, c.NameEN, c.Status, c.Capacity, c.AreaM2, c.Stamp})
}

// PutCompany keeps a company's latest state; a USCC once known stays when
// a state without one (older, or a link that came first) arrives.
func (t *txStore) PutCompany(ctx context.Context, c app.CompanyRecord) error {
	_, err := t.ExecContext(ctx, `INSERT INTO companies (id, region_id, uscc, name_zh, name_en, industry_code, industry, stamp)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET region_id = excluded.region_id, name_zh = excluded.name_zh, name_en = excluded.name_en,
		industry_code = excluded.industry_code, industry = excluded.industry, stamp = excluded.stamp,
		uscc = CASE WHEN excluded.uscc <> '' THEN excluded.uscc ELSE companies.uscc END
		WHERE companies.stamp < excluded.stamp`,
		c.ID, c.RegionID, c.USCC, c.NameZH, c.NameEN, c.IndustryCode, domain.IndustrySection(c.IndustryCode), c.Stamp)
	if err != nil {
		return fmt.Errorf("project company: %w", err)
	}
	return nil
}

// LinkUSCC sets a company's USCC whatever the order: a USCC, once linked,
// is never taken back (PutCompany keeps it), and a link that arrives
// before the registration waits in a row of its own.
func (t *txStore) LinkUSCC(ctx context.Context, companyID, uscc, stamp string) error {
	_, err := t.ExecContext(ctx, `INSERT INTO companies (id, region_id, uscc, stamp) VALUES (?, '', ?, '')
		ON CONFLICT (id) DO UPDATE SET uscc = excluded.uscc`, companyID, uscc)
	if err != nil {
		return fmt.Errorf("link uscc: %w", err)
	}
	return nil
}

func (t *txStore) PutResidency(ctx context.Context, r app.ResidencyRecord) error {
	return t.upsertNewer(ctx, "residencies", "id",
		[]string{"id", "company_id", "region_id", "carrier_id", "carrier_kind", "chain_order", "status", "admitted_on", "moved_in_on", "ended_on",
			"term_end_on", "area_m2", "promoted_to_carrier_id", "rule_pack_version", "stamp"},
		[]any{r.ID, r.CompanyID, r.RegionID, r.CarrierID, r.CarrierKind, r.ChainOrder, r.Status, r.AdmittedOn, r.MovedInOn, r.EndedOn,
			r.TermEndOn, r.AreaM2, r.PromotedToCarrierID, r.RulePackVersion, r.Stamp})
}

func (t *txStore) PutLadderStep(ctx context.Context, l app.LadderRecord) error {
	return t.upsertNewer(ctx, "ladder_steps", "entry_id",
		[]string{"entry_id", "company_id", "region_id", "step", "status", "step_on", "expiry_on", "certificate_no", "stamp"},
		[]any{l.EntryID, l.CompanyID, l.RegionID, l.Step, l.Status, l.StepOn, l.ExpiryOn, l.CertificateNo, l.Stamp})
}

// PutReportFigures keeps a revision's figures; its review, which may have
// arrived first, stays. add (a faulty projection only) adds the figures
// to what is there.
func (t *txStore) PutReportFigures(ctx context.Context, r app.ReportFigures, add bool) error {
	w, _ := domain.PeriodWindow(r.Period)
	m := r.Metrics
	set := `company_id = excluded.company_id, region_id = excluded.region_id, period = excluded.period, period_start = excluded.period_start,
		period_end = excluded.period_end, cadence = excluded.cadence, has_figures = 1, figures_stamp = excluded.figures_stamp,
		rd_expenditure = excluded.rd_expenditure, revenue = excluded.revenue, taxes_paid = excluded.taxes_paid,
		employees_total = excluded.employees_total, ip_filed = excluded.ip_filed, ip_granted = excluded.ip_granted,
		financing_amount = excluded.financing_amount`
	where := "WHERE report_revisions.figures_stamp < excluded.figures_stamp"
	if add {
		set = `rd_expenditure = report_revisions.rd_expenditure + excluded.rd_expenditure, revenue = report_revisions.revenue + excluded.revenue,
			taxes_paid = report_revisions.taxes_paid + excluded.taxes_paid, employees_total = report_revisions.employees_total + excluded.employees_total,
			ip_filed = report_revisions.ip_filed + excluded.ip_filed, ip_granted = report_revisions.ip_granted + excluded.ip_granted,
			financing_amount = report_revisions.financing_amount + excluded.financing_amount`
		where = ""
	}
	_, err := t.ExecContext(ctx, `INSERT INTO report_revisions (report_id, revision, company_id, region_id, period, period_start, period_end, cadence,
		status, has_figures, rd_expenditure, revenue, taxes_paid, employees_total, ip_filed, ip_granted, financing_amount, figures_stamp)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', 1, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (report_id, revision) DO UPDATE SET `+set+" "+where,
		r.ReportID, r.Revision, r.CompanyID, r.RegionID, r.Period, w.From, w.To, r.Cadence,
		m.RDExpenditure, m.Revenue, m.TaxesPaid, m.EmployeesTotal, m.IPFiled, m.IPGranted, m.FinancingAmount, r.Stamp)
	if err != nil {
		return fmt.Errorf("project report figures: %w", err)
	}
	for _, c := range r.CarrierIDs {
		if _, err := t.ExecContext(ctx, "INSERT INTO report_carriers (report_id, carrier_id) VALUES (?, ?) ON CONFLICT DO NOTHING", r.ReportID, c); err != nil {
			return fmt.Errorf("project report carriers: %w", err)
		}
	}
	return nil
}

// PutReportReview keeps a revision's latest verdict, with or without its
// figures yet.
func (t *txStore) PutReportReview(ctx context.Context, r app.ReportReview) error {
	w, _ := domain.PeriodWindow(r.Period)
	_, err := t.ExecContext(ctx, `INSERT INTO report_revisions (report_id, revision, company_id, region_id, period, period_start, period_end,
		status, review_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (report_id, revision) DO UPDATE SET status = excluded.status, review_stamp = excluded.review_stamp
		WHERE report_revisions.review_stamp < excluded.review_stamp`,
		r.ReportID, r.Revision, r.CompanyID, r.RegionID, r.Period, w.From, w.To, r.Status, r.Stamp)
	if err != nil {
		return fmt.Errorf("project report review: %w", err)
	}
	return nil
}

func (t *txStore) PutDocument(ctx context.Context, d app.DocumentRecord) error {
	return t.upsertNewer(ctx, "documents", "id",
		[]string{"id", "region_id", "carrier_id", "company_id", "type", "status", "version", "stamp"},
		[]any{d.ID, d.RegionID, d.CarrierID, d.CompanyID, d.Type, d.Status, d.Version, d.Stamp})
}

func (t *txStore) PutRulePack(ctx context.Context, p app.RulePackRecord) error {
	return t.upsertNewer(ctx, "rule_packs", "region_id, version", []string{"region_id", "version", "cadence", "grace_days", "stamp"},
		[]any{p.RegionID, p.Version, p.Cadence, p.GraceDays, p.Stamp})
}

func (t *txStore) PutMilestone(ctx context.Context, m app.MilestoneRecord) error {
	return t.upsertNewer(ctx, "milestones", "id",
		[]string{"id", "region_id", "carrier_id", "company_id", "residency_id", "title_zh", "category", "state", "due_on", "stamp"},
		[]any{m.ID, m.RegionID, m.CarrierID, m.CompanyID, m.ResidencyID, m.TitleZH, m.Category, m.State, m.DueOn, m.Stamp})
}

// readModels are the tables Reset empties.
var readModels = []string{"regions", "carriers", "companies", "residencies", "ladder_steps", "report_revisions", "report_carriers", "documents",
	"rule_packs", "milestones", "applied_events"}

func (t *txStore) Reset(ctx context.Context) error {
	for _, table := range readModels {
		if _, err := t.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("empty %s: %w", table, err)
		}
	}
	return nil
}

// Analyze refreshes the planner's statistics of the read models after a
// rebuild filled them: without them PostgreSQL plans the figures' joins
// as if the tables were empty (tier D's reports figure took seconds).
func (s *Store) Analyze(ctx context.Context) error {
	return s.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		t := tx.(*txStore)
		for _, table := range readModels {
			if _, err := t.ExecContext(ctx, "ANALYZE "+table); err != nil {
				return fmt.Errorf("analyze %s: %w", table, err)
			}
		}
		return nil
	})
}
