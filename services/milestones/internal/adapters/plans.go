package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// The plans and milestones tables: a plan with its milestones as the
// domain loads and saves them, and the milestones as the lists show them.

type planRow struct {
	bun.BaseModel   `bun:"table:plans"`
	ResidencyID     string    `bun:"residency_id,pk"`
	CompanyID       string    `bun:"company_id"`
	RegionID        string    `bun:"region_id"`
	CarrierID       string    `bun:"carrier_id"`
	CarrierKind     string    `bun:"carrier_kind"`
	ChainOrder      int       `bun:"chain_order"`
	Stage           int       `bun:"stage"`
	AdmittedOn      string    `bun:"admitted_on"`
	MovedInOn       string    `bun:"moved_in_on"`
	EndedOn         string    `bun:"ended_on"`
	Outcome         string    `bun:"outcome"`
	ToResidencyID   string    `bun:"to_residency_id"`
	TemplateID      string    `bun:"template_id"`
	TemplateVersion int       `bun:"template_version"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

type milestoneRow struct {
	bun.BaseModel `bun:"table:milestones,alias:m"`
	ID            string    `bun:"id,pk"`
	ResidencyID   string    `bun:"residency_id"`
	CompanyID     string    `bun:"company_id"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	Position      int       `bun:"position"`
	TitleZH       string    `bun:"title_zh"`
	TitleEN       string    `bun:"title_en"`
	Category      string    `bun:"category"`
	Criteria      string    `bun:"criteria"`
	TargetValue   *float64  `bun:"target_value"`
	TargetUnit    string    `bun:"target_unit"`
	EvidenceTypes string    `bun:"evidence_types"`
	DueOn         string    `bun:"due_on"`
	OwnerID       string    `bun:"owner_id"`
	State         string    `bun:"state"`
	Percent       *int      `bun:"percent"`
	FigureValue   *float64  `bun:"figure_value"`
	FigureUnit    string    `bun:"figure_unit"`
	Evidence      string    `bun:"evidence"`
	Authors       string    `bun:"authors"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type updateRow struct {
	bun.BaseModel `bun:"table:milestone_updates"`
	ID            string    `bun:"id,pk"`
	MilestoneID   string    `bun:"milestone_id"`
	AuthorID      string    `bun:"author_id"`
	At            time.Time `bun:"at"`
	Text          string    `bun:"text"`
	Percent       *int      `bun:"percent"`
	FigureValue   *float64  `bun:"figure_value"`
	FigureUnit    string    `bun:"figure_unit"`
	Evidence      string    `bun:"evidence"`
}

type historyRow struct {
	bun.BaseModel `bun:"table:milestone_history"`
	ID            string    `bun:"id,pk"`
	MilestoneID   string    `bun:"milestone_id"`
	At            time.Time `bun:"at"`
	Actor         string    `bun:"actor"`
	Action        string    `bun:"action"`
	FromState     string    `bun:"from_state"`
	ToState       string    `bun:"to_state"`
	Reason        string    `bun:"reason"`
	Detail        string    `bun:"detail"`
}

type reminderRow struct {
	bun.BaseModel `bun:"table:milestone_reminders"`
	MilestoneID   string    `bun:"milestone_id,pk"`
	Kind          string    `bun:"kind,pk"`
	DueOn         string    `bun:"due_on,pk"`
	SentAt        time.Time `bun:"sent_at"`
}

func date(s string) time.Time {
	t, err := domain.ParseDate(s)
	if err != nil {
		return time.Time{} // empty: not known yet
	}
	return t
}

func planRecord(r planRow) domain.PlanRecord {
	return domain.PlanRecord{ResidencyFacts: domain.ResidencyFacts{ResidencyID: r.ResidencyID, CompanyID: r.CompanyID, RegionID: r.RegionID,
		CarrierID: r.CarrierID, CarrierKind: r.CarrierKind, ChainOrder: r.ChainOrder, Stage: domain.Stage(r.Stage), AdmittedOn: date(r.AdmittedOn),
		MovedInOn: date(r.MovedInOn), EndedOn: date(r.EndedOn), Outcome: r.Outcome, ToResidencyID: r.ToResidencyID},
		TemplateID: r.TemplateID, TemplateVersion: r.TemplateVersion, UpdatedAt: r.UpdatedAt}
}

func planRowOf(r domain.PlanRecord) *planRow {
	return &planRow{ResidencyID: r.ResidencyID, CompanyID: r.CompanyID, RegionID: r.RegionID, CarrierID: r.CarrierID, CarrierKind: r.CarrierKind,
		ChainOrder: r.ChainOrder, Stage: int(r.Stage), AdmittedOn: domain.FormatDate(r.AdmittedOn), MovedInOn: domain.FormatDate(r.MovedInOn),
		EndedOn: domain.FormatDate(r.EndedOn), Outcome: r.Outcome, ToResidencyID: r.ToResidencyID, TemplateID: r.TemplateID,
		TemplateVersion: r.TemplateVersion, UpdatedAt: r.UpdatedAt}
}

func figureOf(v *float64, unit string) *domain.Figure {
	if v == nil {
		return nil
	}
	return &domain.Figure{Value: *v, Unit: unit}
}

func figureCols(f *domain.Figure) (*float64, string) {
	if f == nil {
		return nil, ""
	}
	v := f.Value
	return &v, f.Unit
}

func milestoneOf(r milestoneRow) (*domain.Milestone, error) {
	rec := domain.MilestoneRecord{ID: r.ID, ResidencyID: r.ResidencyID, CompanyID: r.CompanyID, RegionID: r.RegionID, CarrierID: r.CarrierID,
		Position: r.Position, MilestoneInput: domain.MilestoneInput{TitleZH: r.TitleZH, TitleEN: r.TitleEN, Category: r.Category, Criteria: r.Criteria,
			Target: figureOf(r.TargetValue, r.TargetUnit), DueOn: date(r.DueOn), OwnerID: r.OwnerID},
		State: domain.State(r.State), Percent: r.Percent, Figure: figureOf(r.FigureValue, r.FigureUnit), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, c := range []struct {
		s   string
		dst *[]string
	}{{r.EvidenceTypes, &rec.EvidenceTypes}, {r.Evidence, &rec.Evidence}, {r.Authors, &rec.Authors}} {
		if err := fromJSON(c.s, "milestone "+r.ID, c.dst); err != nil {
			return nil, err
		}
	}
	return domain.MilestoneFromDB(rec), nil
}

func milestoneRowOf(m *domain.Milestone) *milestoneRow {
	r := m.Record()
	tv, tu := figureCols(r.Target)
	fv, fu := figureCols(r.Figure)
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return &milestoneRow{ID: r.ID, ResidencyID: r.ResidencyID, CompanyID: r.CompanyID, RegionID: r.RegionID, CarrierID: r.CarrierID, Position: r.Position,
		TitleZH: r.TitleZH, TitleEN: r.TitleEN, Category: r.Category, Criteria: r.Criteria, TargetValue: tv, TargetUnit: tu,
		EvidenceTypes: db.JSONText(nonNil(r.EvidenceTypes)), DueOn: domain.FormatDate(r.DueOn), OwnerID: r.OwnerID, State: string(r.State), Percent: r.Percent,
		FigureValue: fv, FigureUnit: fu, Evidence: db.JSONText(nonNil(r.Evidence)), Authors: db.JSONText(nonNil(r.Authors)), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (t *txStore) GetPlan(ctx context.Context, residencyID string) (*domain.Plan, error) {
	var pr planRow
	if err := t.NewSelect().Model(&pr).Where("residency_id = ?", residencyID).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "residency-not-found")
	}
	var rows []milestoneRow
	ms, err := db.DecodeAll(ctx, t.NewSelect().Model(&rows).Where("residency_id = ?", residencyID).Order("position", "id"), &rows, "plan milestones", milestoneOf)
	if err != nil {
		return nil, err
	}
	return domain.PlanFromDB(planRecord(pr), ms), nil
}

func (t *txStore) LockPlan(ctx context.Context, residencyID string) error {
	if !db.IsPostgres(t.Tx.Tx) {
		return nil
	}
	_, err := db.Values[[]string](ctx, t.NewSelect().Model((*planRow)(nil)).Column("residency_id").Where("residency_id = ?", residencyID).For("UPDATE"), "lock plan")
	return err
}

func (t *txStore) PlanOfMilestone(ctx context.Context, milestoneID string) (string, error) {
	var id string
	err := t.NewSelect().Model((*milestoneRow)(nil)).Column("residency_id").Where("id = ?", milestoneID).Scan(ctx, &id)
	if err != nil {
		return "", db.NotFound(err, "milestone-not-found")
	}
	return id, nil
}

func (t *txStore) SavePlan(ctx context.Context, p *domain.Plan) error {
	pr := planRowOf(p.Record())
	if err := db.Exec(ctx, db.Upsert(t, pr, "residency_id", "carrier_kind", "chain_order", "stage", "admitted_on", "moved_in_on", "ended_on", "outcome",
		"to_residency_id", "template_id", "template_version", "updated_at"), "save plan"); err != nil {
		return err
	}
	for _, id := range p.Removed() {
		if err := db.Exec(ctx, t.NewDelete().Model((*milestoneRow)(nil)).Where("id = ?", id), "remove milestone"); err != nil {
			return err
		}
	}
	for _, m := range p.Milestones() {
		if !m.Dirty() {
			continue
		}
		if err := db.Exec(ctx, db.Upsert(t, milestoneRowOf(m), "id", "title_zh", "title_en", "category", "criteria", "target_value", "target_unit",
			"evidence_types", "due_on", "owner_id", "state", "percent", "figure_value", "figure_unit", "evidence", "authors", "updated_at"), "save milestone"); err != nil {
			return err
		}
		for _, u := range m.PendingUpdates() {
			fv, fu := figureCols(u.Figure)
			ev := u.Evidence
			if ev == nil {
				ev = []string{}
			}
			row := &updateRow{ID: u.ID, MilestoneID: u.MilestoneID, AuthorID: u.AuthorID, At: u.At, Text: u.Text, Percent: u.Percent, FigureValue: fv,
				FigureUnit: fu, Evidence: db.JSONText(ev)}
			if err := db.Exec(ctx, t.NewInsert().Model(row), "insert update"); err != nil {
				return err
			}
		}
		for _, c := range m.PendingChanges() {
			detail := c.Detail
			if detail == nil {
				detail = map[string]any{}
			}
			row := &historyRow{ID: events.NewID(), MilestoneID: c.MilestoneID, At: c.At, Actor: c.Actor, Action: string(c.Action), FromState: string(c.From),
				ToState: string(c.To), Reason: c.Reason, Detail: db.JSONText(detail)}
			if err := db.Exec(ctx, t.NewInsert().Model(row), "insert history"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *txStore) Updates(ctx context.Context, milestoneID string) ([]domain.Update, error) {
	var rows []updateRow
	return db.DecodeAll(ctx, t.NewSelect().Model(&rows).Where("milestone_id = ?", milestoneID).Order("at", "id"), &rows, "updates",
		func(r updateRow) (domain.Update, error) {
			u := domain.Update{ID: r.ID, MilestoneID: r.MilestoneID, AuthorID: r.AuthorID, At: r.At, Text: r.Text, Percent: r.Percent,
				Figure: figureOf(r.FigureValue, r.FigureUnit)}
			return u, fromJSON(r.Evidence, "update evidence", &u.Evidence)
		})
}

func (t *txStore) History(ctx context.Context, milestoneID string) ([]domain.Change, error) {
	var rows []historyRow
	return db.DecodeAll(ctx, t.NewSelect().Model(&rows).Where("milestone_id = ?", milestoneID).Order("at", "id"), &rows, "history",
		func(r historyRow) (domain.Change, error) {
			c := domain.Change{MilestoneID: r.MilestoneID, At: r.At, Actor: r.Actor, Action: domain.Action(r.Action), From: domain.State(r.FromState),
				To: domain.State(r.ToState), Reason: r.Reason}
			return c, fromJSON(r.Detail, "history detail", &c.Detail)
		})
}

func (t *txStore) MarkReminder(ctx context.Context, id, kind string, due, at time.Time) (bool, error) {
	n, err := db.Affected(ctx, t.NewInsert().Model(&reminderRow{MilestoneID: id, Kind: kind, DueOn: domain.FormatDate(due), SentAt: at}).
		On("CONFLICT DO NOTHING"), "mark reminder")
	return n == 1, err
}

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
		return app.MilestoneView{Milestone: m, CarrierKind: r.CarrierKind, CarrierNameZH: r.CarrierNameZH, CarrierNameEN: r.CarrierNameEN,
			ChainOrder: r.ChainOrder, CompanyNameZH: r.CompanyNameZH, PlanStatus: domain.Stage(r.Stage).Status(), Outcome: r.Outcome}, nil
	})
}

func (t *txStore) CompanyCarriers(ctx context.Context, companyID string) ([]string, error) {
	q := t.NewSelect().Model((*planRow)(nil)).Column("carrier_id").Distinct().Where("company_id = ?", companyID).Order("carrier_id")
	return db.Values[[]string](ctx, q, "company carriers")
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
	return db.DecodeRows(rows, func(r milestoneViewRow) (app.Due, error) {
		m, err := milestoneOf(r.milestoneRow)
		return app.Due{Milestone: m, CarrierKind: r.CarrierKind}, err
	})
}
