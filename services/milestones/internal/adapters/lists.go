package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// milestoneViewRow is a milestone with what the lists show of its plan,
// carrier and company.
type milestoneViewRow struct {
	milestoneRow  `bun:",extend"`
	CarrierKind   string `bun:"carrier_kind"`
	ChainOrder    int    `bun:"chain_order"`
	Stage         int    `bun:"stage"`
	Outcome       string `bun:"outcome"`
	CarrierNameZH string `bun:"carrier_name_zh"`
	CarrierNameEN string `bun:"carrier_name_en"`
	CompanyNameZH string `bun:"company_name_zh"`
}

// finalStates are the states nothing more happens in.
var finalStates = []string{string(domain.Verified), string(domain.Waived)}

// milestoneSorts are the lists' sortable fields and their columns.
var milestoneSorts = map[string]string{"due_on": "m.due_on", "position": "m.position", "updated_at": "m.updated_at", "state": "m.state"}

func (t *txStore) ListMilestones(ctx context.Context, f app.MilestoneFilter, p list.Params) ([]app.MilestoneView, int, error) {
	var rows []milestoneViewRow
	q := t.NewSelect().Model(&rows).ColumnExpr("m.*").
		ColumnExpr("p.carrier_kind, p.chain_order, p.stage, p.outcome").
		ColumnExpr("COALESCE(c.name_zh, '') AS carrier_name_zh, COALESCE(c.name_en, '') AS carrier_name_en, COALESCE(co.name_zh, '') AS company_name_zh").
		Join("JOIN plans AS p ON p.residency_id = m.residency_id").
		Join("LEFT JOIN carriers AS c ON c.id = m.carrier_id").
		Join("LEFT JOIN companies AS co ON co.id = m.company_id")
	q = db.Filter(q, "m.residency_id = ?", f.ResidencyID)
	q = db.Filter(q, "m.carrier_id = ?", f.CarrierID)
	if f.OnlyCarriers {
		if len(f.CarrierIn) == 0 {
			q = q.Where("1 = 0")
		} else {
			q = q.Where("m.carrier_id IN (?)", bun.List(f.CarrierIn))
		}
	}
	q = db.Filter(q, "m.company_id = ?", f.CompanyID)
	q = db.Filter(q, "m.state = ?", string(f.State))
	q = db.Filter(q, "m.category = ?", f.Category)
	if f.OpenPlans {
		q = q.Where("p.stage < ?", int(domain.StageEnded))
	}
	if !f.OverdueOn.IsZero() {
		q = q.Where("m.due_on < ?", domain.FormatDate(f.OverdueOn)).Where("m.state NOT IN (?)", bun.List(finalStates))
	}
	q = db.Search(q, p.Q, "m.title_zh", "m.title_en", "co.name_zh")
	if f.CompanyID != "" {
		q = q.Order("p.chain_order", "p.admitted_on")
	}
	q = db.OrderBy(q, milestoneSorts, p.Sort, p.Desc, "m.due_on", "m.id")
	return db.DecodePage(ctx, q, p, &rows, "list milestones", func(r milestoneViewRow) (app.MilestoneView, error) {
		m, err := milestoneOf(r.milestoneRow)
		if err != nil {
			return app.MilestoneView{}, err
		}
		status := "open"
		if domain.Stage(r.Stage) >= domain.StageEnded {
			status = "closed"
		}
		return app.MilestoneView{Milestone: m, CarrierKind: r.CarrierKind, CarrierNameZH: r.CarrierNameZH, CarrierNameEN: r.CarrierNameEN,
			ChainOrder: r.ChainOrder, CompanyNameZH: r.CompanyNameZH, PlanStatus: status, Outcome: r.Outcome}, nil
	})
}

func (t *txStore) CompanyCarriers(ctx context.Context, companyID string) ([]string, error) {
	var out []string
	err := t.NewSelect().Model((*planRow)(nil)).Column("carrier_id").Distinct().Where("company_id = ?", companyID).Order("carrier_id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("company carriers: %w", err)
	}
	return out, nil
}

func (t *txStore) CountByCarrier(ctx context.Context, regionID string, today time.Time) ([]app.CarrierCounts, error) {
	carriers, err := t.RegionCarriers(ctx, regionID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		CarrierID string `bun:"carrier_id"`
		State     string `bun:"state"`
		N         int    `bun:"n"`
		Overdue   int    `bun:"overdue"`
	}
	err = t.NewSelect().TableExpr("milestones AS m").Join("JOIN plans AS p ON p.residency_id = m.residency_id").
		ColumnExpr("m.carrier_id, m.state, COUNT(*) AS n").
		ColumnExpr("SUM(CASE WHEN m.due_on < ? AND m.state NOT IN (?) THEN 1 ELSE 0 END) AS overdue", domain.FormatDate(today), bun.List(finalStates)).
		Where("m.region_id = ?", regionID).Where("p.stage < ?", int(domain.StageEnded)).
		GroupExpr("m.carrier_id, m.state").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count milestones: %w", err)
	}
	byCarrier := map[string]*app.CarrierCounts{}
	out := make([]app.CarrierCounts, len(carriers))
	for i, c := range carriers {
		out[i] = app.CarrierCounts{Carrier: c, ByState: map[domain.State]int{}}
		byCarrier[c.ID] = &out[i]
	}
	for _, r := range rows {
		c, ok := byCarrier[r.CarrierID]
		if !ok {
			continue // a carrier whose event has not arrived yet
		}
		c.ByState[domain.State(r.State)] += r.N
		c.Overdue += r.Overdue
		c.Total += r.N
	}
	return out, nil
}

func (t *txStore) DueBy(ctx context.Context, today, until time.Time, limit int) ([]app.Due, error) {
	var rows []milestoneViewRow
	d := domain.FormatDate(today)
	err := t.NewSelect().Model(&rows).ColumnExpr("m.*").ColumnExpr("p.carrier_kind").
		Join("JOIN plans AS p ON p.residency_id = m.residency_id").
		Where("p.stage < ?", int(domain.StageEnded)).
		Where("m.state NOT IN (?)", bun.List(finalStates)).
		Where("m.due_on <= ?", domain.FormatDate(until)).
		Where(`NOT EXISTS (SELECT 1 FROM milestone_reminders AS r WHERE r.milestone_id = m.id AND r.due_on = m.due_on
			AND r.kind = CASE WHEN m.due_on < ? THEN ? ELSE ? END)`, d, domain.ReminderOverdue, domain.ReminderDueSoon).
		Order("m.due_on", "m.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("due milestones: %w", err)
	}
	out := make([]app.Due, 0, len(rows))
	for _, r := range rows {
		m, err := milestoneOf(r.milestoneRow)
		if err != nil {
			return nil, err
		}
		out = append(out, app.Due{Milestone: m, CarrierKind: r.CarrierKind})
	}
	return out, nil
}
