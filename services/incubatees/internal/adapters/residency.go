package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

type residencyRow struct {
	bun.BaseModel   `bun:"table:residencies,alias:r"`
	ID              string    `bun:"id,pk"`
	CompanyID       string    `bun:"company_id"`
	CarrierID       string    `bun:"carrier_id"`
	RegionID        string    `bun:"region_id"`
	ApplicationID   string    `bun:"application_id"`
	PromotedFromID  string    `bun:"promoted_from_id"`
	EnrolmentOffer  string    `bun:"enrolment_offer_id"`
	Status          string    `bun:"status"`
	AdmittedOn      string    `bun:"admitted_on"`
	MovedInOn       *string   `bun:"moved_in_on"`
	Unit            string    `bun:"unit"`
	AreaM2          float64   `bun:"area_m2"`
	TermEndOn       *string   `bun:"term_end_on"`
	RulePackVersion int       `bun:"rule_pack_version"`
	EndedOn         *string   `bun:"ended_on"`
	EndReason       string    `bun:"end_reason"`
	CreatedAt       time.Time `bun:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

func dayp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func parseDayp(s *string) *time.Time {
	if s == nil {
		return nil
	}
	d, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil
	}
	return &d
}

func residencyToRow(r *domain.Residency) residencyRow {
	x := r.Record()
	return residencyRow{ID: x.ID, CompanyID: x.CompanyID, CarrierID: x.CarrierID, RegionID: x.RegionID, ApplicationID: x.ApplicationID,
		PromotedFromID: x.PromotedFromID, EnrolmentOffer: x.EnrolmentOfferID, Status: string(x.Status), AdmittedOn: x.AdmittedOn.Format(time.DateOnly),
		MovedInOn: dayp(x.MovedInOn), Unit: x.Unit, AreaM2: x.AreaM2, TermEndOn: dayp(x.TermEndOn), RulePackVersion: x.RulePackVersion,
		EndedOn: dayp(x.EndedOn), EndReason: x.EndReason, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
}

func residencyFrom(r residencyRow) *domain.Residency {
	return domain.ResidencyFromDB(domain.ResidencyRecord{ID: r.ID, CompanyID: r.CompanyID, CarrierID: r.CarrierID, RegionID: r.RegionID,
		ApplicationID: r.ApplicationID, PromotedFromID: r.PromotedFromID, EnrolmentOfferID: r.EnrolmentOffer, Status: domain.ResidencyStatus(r.Status),
		AdmittedOn: dateOf(r.AdmittedOn), MovedInOn: parseDayp(r.MovedInOn), Unit: r.Unit, AreaM2: r.AreaM2, TermEndOn: parseDayp(r.TermEndOn),
		RulePackVersion: r.RulePackVersion, EndedOn: parseDayp(r.EndedOn), EndReason: r.EndReason, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
}

// InsertResidency stores a new residency. Here and in the residency
// area's other writes, a unique index refuses what two writers racing
// past a use case's own check would both write: the loser gets the
// conflict that check gives.
func (t *txStore) InsertResidency(ctx context.Context, r *domain.Residency) error {
	row := residencyToRow(r)
	return db.ExecUnique(ctx, t.NewInsert().Model(&row), "insert residency", apperr.ConflictErr("residency-exists"))
}

func (t *txStore) UpdateResidency(ctx context.Context, r *domain.Residency) error {
	row := residencyToRow(r)
	q := t.NewUpdate().Model(&row).WherePK().ExcludeColumn("id", "company_id", "carrier_id", "region_id", "created_at")
	return db.ExecUnique(ctx, q, "update residency", apperr.ConflictErr("already-in-residence"))
}

func (t *txStore) GetResidency(ctx context.Context, id string) (*domain.Residency, error) {
	var r residencyRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r, "residency-not-found", residencyFrom)
}

func (t *txStore) OpenResidencyAt(ctx context.Context, companyID, carrierID string) (*domain.Residency, error) {
	return companyAtCarrier(ctx, t, companyID, carrierID, "residency-not-found", residencyFrom, domain.Admitted, domain.InResidence)
}

// companyAtCarrier reads a row of the company at the carrier in one of
// statuses (there is one at most: a unique index keeps it so) with from;
// none is the not-found error slug names.
func companyAtCarrier[R, T any, S ~string](ctx context.Context, t *txStore, companyID, carrierID, slug string, from func(R) T, statuses ...S) (T, error) {
	var r R
	q := t.NewSelect().Model(&r).Where("company_id = ? AND carrier_id = ? AND status IN (?)", companyID, carrierID, bun.List(strs(statuses))).Limit(1)
	return db.MapOne(ctx, q, &r, slug, from)
}

// strs is each of ss as a plain string, for a query's IN list.
func strs[S ~string](ss []S) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// residencyViewRow is a residency joined with its company and carrier.
type residencyViewRow struct {
	residencyRow  `bun:",extend"`
	CompanyNameZH string  `bun:"company_name_zh"`
	USCC          *string `bun:"company_uscc"`
	ProvisionalID *string `bun:"company_provisional_id"`
	IndustryCode  string  `bun:"company_industry_code"`
	CarrierNameZH string  `bun:"carrier_name_zh"`
	CarrierNameEN string  `bun:"carrier_name_en"`
	CarrierKind   string  `bun:"carrier_kind"`
	ChainOrder    int     `bun:"carrier_chain_order"`
}

func (t *txStore) viewQuery(rows *[]residencyViewRow) *bun.SelectQuery {
	return t.NewSelect().Model(rows).ColumnExpr("r.*").
		ColumnExpr("co.name_zh AS company_name_zh, co.uscc AS company_uscc, co.provisional_id AS company_provisional_id, co.industry_code AS company_industry_code").
		ColumnExpr("ca.name_zh AS carrier_name_zh, ca.name_en AS carrier_name_en, ca.kind AS carrier_kind, ca.chain_order AS carrier_chain_order").
		Join("JOIN companies AS co ON co.id = r.company_id").
		Join("JOIN carriers AS ca ON ca.id = r.carrier_id")
}

func viewFrom(r residencyViewRow) app.ResidencyView {
	v := app.ResidencyView{Residency: *residencyFrom(r.residencyRow), CompanyNameZH: r.CompanyNameZH, IndustryCode: r.IndustryCode,
		CarrierNameZH: r.CarrierNameZH, CarrierNameEN: r.CarrierNameEN, CarrierKind: r.CarrierKind, ChainOrder: r.ChainOrder}
	if r.USCC != nil {
		v.USCC, v.CompanyKey = *r.USCC, *r.USCC
	} else if r.ProvisionalID != nil {
		v.CompanyKey = *r.ProvisionalID
	}
	return v
}

func (t *txStore) InResidenceElsewhere(ctx context.Context, companyID, uscc, exceptID string) ([]app.ResidencyView, error) {
	open, err := t.openOfCompany(ctx, companyID, uscc)
	if err != nil {
		return nil, err
	}
	var out []app.ResidencyView
	for _, o := range open {
		if o.Status() == domain.InResidence && o.ID() != exceptID {
			out = append(out, o)
		}
	}
	return out, nil
}

func (t *txStore) OpenElsewhere(ctx context.Context, companyID, uscc, carrierID string) ([]app.ResidencyView, error) {
	open, err := t.openOfCompany(ctx, companyID, uscc)
	if err != nil {
		return nil, err
	}
	return app.OpenElsewhereIn(open, companyID, uscc, carrierID), nil
}

// openOfCompany is OpenOf for one company and its USCC (none when empty).
func (t *txStore) openOfCompany(ctx context.Context, companyID, uscc string) ([]app.ResidencyView, error) {
	var usccs []string
	if uscc != "" {
		usccs = []string{uscc}
	}
	return t.OpenOf(ctx, []string{companyID}, usccs)
}

func (t *txStore) OpenOf(ctx context.Context, companyIDs, usccs []string) ([]app.ResidencyView, error) {
	ids := slices.Clone(companyIDs)
	if len(usccs) > 0 {
		// The companies with those USCCs first (companies_uscc), so the
		// residencies are read by company (residencies_company) rather
		// than by an OR across the join.
		var same []string
		if err := t.NewSelect().Table("companies").Column("id").Where("uscc IN (?)", bun.List(usccs)).Scan(ctx, &same); err != nil {
			return nil, fmt.Errorf("companies of usccs: %w", err)
		}
		ids = append(ids, same...)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []residencyViewRow
	q := t.viewQuery(&rows).Where("r.status IN (?)", bun.List(strs([]domain.ResidencyStatus{domain.Admitted, domain.InResidence}))).
		Where("r.company_id IN (?)", bun.List(ids))
	return db.MapAll(ctx, q.Order("r.created_at", "r.id"), &rows, "open residencies of companies", viewFrom)
}

// residencyOrder maps sortable API fields to columns. moved_in_on and
// term_end_on may be NULL and the company's name is another table's, so
// those sorts page by offset only.
var residencyOrder = db.Order{
	Columns: map[string]string{"admitted_on": "r.admitted_on", "moved_in_on": "r.moved_in_on", "term_end_on": "r.term_end_on", "company": "co.name_zh"},
	Default: "r.admitted_on", Tiebreak: "r.id", OffsetOnly: []string{"r.moved_in_on", "r.term_end_on", "co.name_zh"},
}

// ResidencySortFields lists the sortable fields for the HTTP layer.
func ResidencySortFields() []string {
	return []string{"admitted_on", "moved_in_on", "term_end_on", "company"}
}

func (t *txStore) ListResidencies(ctx context.Context, f app.ResidencyFilter, p list.Params) ([]app.ResidencyView, int, error) {
	var rows []residencyViewRow
	q := t.viewQuery(&rows).Where("r.region_id = ?", f.RegionID)
	q = db.Filter(q, "r.carrier_id = ?", f.CarrierID)
	q = db.Filter(q, "r.status = ?", string(f.Status))
	if f.Industry != "" {
		q = q.Where("co.industry_code LIKE ?", f.Industry+"%")
	}
	if !f.Overstaying.IsZero() {
		q = q.Where("r.status = ? AND r.term_end_on < ?", string(domain.InResidence), f.Overstaying.Format(time.DateOnly))
	}
	return db.MapSorted(ctx, q, residencyOrder, p, &rows, "list residencies", viewFrom)
}

func (t *txStore) CompanyResidencies(ctx context.Context, companyID string) ([]app.ResidencyView, error) {
	var rows []residencyViewRow
	q := t.viewQuery(&rows).Where("r.company_id = ?", companyID).Order("r.admitted_on", "r.created_at", "r.id")
	return db.MapAll(ctx, q, &rows, "company residencies", viewFrom)
}

type promotionRow struct {
	bun.BaseModel  `bun:"table:promotions,alias:p"`
	ID             string    `bun:"id,pk"`
	ResidencyID    string    `bun:"residency_id"`
	CompanyID      string    `bun:"company_id"`
	RegionID       string    `bun:"region_id"`
	FromCarrierID  string    `bun:"from_carrier_id"`
	FromKind       string    `bun:"from_kind"`
	FromOrder      int       `bun:"from_order"`
	ToCarrierID    string    `bun:"to_carrier_id"`
	ToKind         string    `bun:"to_kind"`
	ToOrder        int       `bun:"to_order"`
	Status         string    `bun:"status"`
	Note           string    `bun:"note"`
	Shared         string    `bun:"shared"`
	Packet         string    `bun:"packet"`
	ProposedBy     string    `bun:"proposed_by"`
	ConsentedBy    string    `bun:"consented_by"`
	AcceptedBy     string    `bun:"accepted_by"`
	DeclinedBy     string    `bun:"declined_by"`
	DeclineReason  string    `bun:"decline_reason"`
	NewResidencyID string    `bun:"new_residency_id"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func promotionToRow(p *domain.Promotion) (promotionRow, error) {
	x := p.Record()
	shared, err := json.Marshal(x.Shared)
	if err != nil {
		return promotionRow{}, err
	}
	return promotionRow{ID: x.ID, ResidencyID: x.ResidencyID, CompanyID: x.CompanyID, RegionID: x.RegionID,
		FromCarrierID: x.From.ID, FromKind: x.From.Kind, FromOrder: x.From.ChainOrder, ToCarrierID: x.To.ID, ToKind: x.To.Kind, ToOrder: x.To.ChainOrder,
		Status: string(x.Status), Note: x.Note, Shared: string(shared), Packet: string(x.Packet), ProposedBy: x.ProposedBy,
		ConsentedBy: x.ConsentedBy, AcceptedBy: x.AcceptedBy, DeclinedBy: x.DeclinedBy, DeclineReason: x.DeclineReason,
		NewResidencyID: x.NewResidencyID, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}, nil
}

func promotionFrom(r promotionRow) *domain.Promotion {
	x := domain.PromotionRecord{ID: r.ID, ResidencyID: r.ResidencyID, CompanyID: r.CompanyID, RegionID: r.RegionID,
		From:   domain.ChainCarrier{ID: r.FromCarrierID, RegionID: r.RegionID, Kind: r.FromKind, ChainOrder: r.FromOrder},
		To:     domain.ChainCarrier{ID: r.ToCarrierID, RegionID: r.RegionID, Kind: r.ToKind, ChainOrder: r.ToOrder},
		Status: domain.PromotionStatus(r.Status), Note: r.Note, ProposedBy: r.ProposedBy, ConsentedBy: r.ConsentedBy, AcceptedBy: r.AcceptedBy,
		DeclinedBy: r.DeclinedBy, DeclineReason: r.DeclineReason, NewResidencyID: r.NewResidencyID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	_ = json.Unmarshal([]byte(r.Shared), &x.Shared)
	if r.Packet != "" {
		x.Packet = []byte(r.Packet)
	}
	return domain.PromotionFromDB(x)
}

func (t *txStore) InsertPromotion(ctx context.Context, p *domain.Promotion) error {
	row, err := promotionToRow(p)
	if err != nil {
		return err
	}
	return db.ExecUnique(ctx, t.NewInsert().Model(&row), "insert promotion", apperr.ConflictErr("promotion-in-progress"))
}

func (t *txStore) UpdatePromotion(ctx context.Context, p *domain.Promotion) error {
	row, err := promotionToRow(p)
	if err != nil {
		return err
	}
	q := t.NewUpdate().Model(&row).WherePK().Column("status", "packet", "consented_by", "accepted_by", "declined_by", "decline_reason", "new_residency_id", "updated_at")
	return db.Exec(ctx, q, "update promotion")
}

func (t *txStore) LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error) {
	var r promotionRow
	q := t.NewSelect().Model(&r).Where("residency_id = ?", residencyID).Order("created_at DESC", "id DESC").Limit(1)
	return db.MapOne(ctx, q, &r, "promotion-not-found", promotionFrom)
}

// promotionViewRow is a promotion joined with its company and carriers.
type promotionViewRow struct {
	promotionRow  `bun:",extend"`
	CompanyNameZH string `bun:"company_name_zh"`
	FromNameZH    string `bun:"from_name_zh"`
	FromNameEN    string `bun:"from_name_en"`
	ToNameZH      string `bun:"to_name_zh"`
	ToNameEN      string `bun:"to_name_en"`
}

// promotionSorts maps sortable API fields to columns; updated_at is when
// the promotion reached its status (consented, then accepted).
var promotionSorts = map[string]string{"updated_at": "p.updated_at", "created_at": "p.created_at"}

// PromotionSortFields lists the sortable fields for the HTTP layer.
func PromotionSortFields() []string { return []string{"updated_at", "created_at"} }

func incomingPromotions(q *bun.SelectQuery, f app.IncomingPromotionFilter) *bun.SelectQuery {
	return q.Where("p.to_carrier_id = ? AND p.status = ?", f.CarrierID, string(f.Status))
}

func (t *txStore) IncomingPromotions(ctx context.Context, f app.IncomingPromotionFilter, p list.Params) ([]app.PromotionView, int, error) {
	var rows []promotionViewRow
	// Every column but the packet, which the inbox does not show.
	q := t.NewSelect().Model(&rows).
		ColumnExpr("p.id, p.residency_id, p.company_id, p.region_id, p.from_carrier_id, p.from_kind, p.from_order, p.to_carrier_id, p.to_kind, p.to_order").
		ColumnExpr("p.status, p.note, p.shared, p.proposed_by, p.consented_by, p.accepted_by, p.declined_by, p.decline_reason, p.new_residency_id").
		ColumnExpr("p.created_at, p.updated_at").
		ColumnExpr("co.name_zh AS company_name_zh").
		ColumnExpr("fc.name_zh AS from_name_zh, fc.name_en AS from_name_en, tc.name_zh AS to_name_zh, tc.name_en AS to_name_en").
		Join("LEFT JOIN companies AS co ON co.id = p.company_id").
		Join("LEFT JOIN carriers AS fc ON fc.id = p.from_carrier_id").
		Join("LEFT JOIN carriers AS tc ON tc.id = p.to_carrier_id")
	q = db.OrderBy(incomingPromotions(q, f), promotionSorts, p.Sort, p.Desc, "p.updated_at", "p.id")
	return db.MapPage(ctx, q, p, &rows, "incoming promotions", func(r promotionViewRow) app.PromotionView {
		return app.PromotionView{Promotion: promotionFrom(r.promotionRow), CompanyNameZH: r.CompanyNameZH,
			FromNameZH: r.FromNameZH, FromNameEN: r.FromNameEN, ToNameZH: r.ToNameZH, ToNameEN: r.ToNameEN}
	})
}

func (t *txStore) CountIncomingPromotions(ctx context.Context, f app.IncomingPromotionFilter) (int, error) {
	return db.Count(ctx, incomingPromotions(t.NewSelect().TableExpr("promotions AS p"), f), "count incoming promotions")
}

type rulePackRow struct {
	bun.BaseModel  `bun:"table:rule_packs"`
	RegionID       string    `bun:"region_id,pk"`
	Version        int       `bun:"version,pk"`
	Name           string    `bun:"name"`
	EntryAgeMonths int       `bun:"entry_age_months"`
	TermMonths     int       `bun:"term_months"`
	IndustryTerms  string    `bun:"industry_terms"`
	Graduation     string    `bun:"graduation"`
	Cadence        string    `bun:"cadence"`
	PublishedAt    time.Time `bun:"published_at"`
	PublishedBy    string    `bun:"published_by"`
}

func rulePackFrom(r rulePackRow) domain.RulePack {
	p := domain.RulePack{RegionID: r.RegionID, Version: r.Version, Name: r.Name, EntryAgeMonths: r.EntryAgeMonths, TermMonths: r.TermMonths,
		Cadence: r.Cadence, PublishedAt: r.PublishedAt, PublishedBy: r.PublishedBy, IndustryTerms: map[string]int{}}
	_ = json.Unmarshal([]byte(r.IndustryTerms), &p.IndustryTerms)
	_ = json.Unmarshal([]byte(r.Graduation), &p.Graduation)
	return p
}

func (t *txStore) RulePack(ctx context.Context, regionID string, version int) (domain.RulePack, error) {
	var r rulePackRow
	q := t.NewSelect().Model(&r).Where("region_id = ?", regionID)
	if version > 0 {
		q = q.Where("version = ?", version)
	}
	return db.MapOne(ctx, q.Order("version DESC").Limit(1), &r, "rule-pack-not-found", rulePackFrom)
}

func (t *txStore) ListRulePacks(ctx context.Context, regionID string) ([]domain.RulePack, error) {
	var rows []rulePackRow
	q := t.NewSelect().Model(&rows).Where("region_id = ?", regionID).Order("version DESC")
	return db.MapAll(ctx, q, &rows, "list rule packs", rulePackFrom)
}

func (t *txStore) InsertRulePack(ctx context.Context, p domain.RulePack) (bool, error) {
	terms := p.IndustryTerms
	if terms == nil {
		terms = map[string]int{}
	}
	it, err := json.Marshal(terms)
	if err != nil {
		return false, err
	}
	g, err := json.Marshal(p.Graduation)
	if err != nil {
		return false, err
	}
	row := rulePackRow{RegionID: p.RegionID, Version: p.Version, Name: p.Name, EntryAgeMonths: p.EntryAgeMonths, TermMonths: p.TermMonths,
		IndustryTerms: string(it), Graduation: string(g), Cadence: p.Cadence, PublishedAt: p.PublishedAt.UTC(), PublishedBy: p.PublishedBy}
	// Two first uses of a region's packs may race to seed version 1: the
	// loser waits for the winner's commit and inserts nothing.
	n, err := db.Affected(ctx, t.NewInsert().Model(&row).On("CONFLICT (region_id, version) DO NOTHING"), "insert rule pack")
	return n == 1, err
}

type enrolmentRow struct {
	bun.BaseModel `bun:"table:enrolment_offers,alias:o"`
	ID            string    `bun:"id,pk"`
	CompanyID     string    `bun:"company_id"`
	CarrierID     string    `bun:"carrier_id"`
	RegionID      string    `bun:"region_id"`
	CompanyRef    string    `bun:"company_ref"`
	Status        string    `bun:"status"`
	AdmittedOn    *string   `bun:"admitted_on"`
	MovedInOn     *string   `bun:"moved_in_on"`
	Unit          string    `bun:"unit"`
	AreaM2        float64   `bun:"area_m2"`
	Note          string    `bun:"note"`
	Reason        string    `bun:"reason"`
	OfferedBy     string    `bun:"offered_by"`
	DecidedBy     string    `bun:"decided_by"`
	ResidencyID   string    `bun:"residency_id"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func enrolmentToRow(o *domain.EnrolmentOffer) enrolmentRow {
	x := o.Record()
	r := enrolmentRow{ID: x.ID, CompanyID: x.CompanyID, CarrierID: x.CarrierID, RegionID: x.RegionID, CompanyRef: x.CompanyRef,
		Status: string(x.Status), AdmittedOn: dayp(x.AdmittedOn), Note: x.Note, Reason: x.Reason, OfferedBy: x.OfferedBy,
		DecidedBy: x.DecidedBy, ResidencyID: x.ResidencyID, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
	if x.MoveIn != nil {
		r.MovedInOn, r.Unit, r.AreaM2 = dayp(&x.MoveIn.On), x.MoveIn.Unit, x.MoveIn.AreaM2
	}
	return r
}

func enrolmentFrom(r enrolmentRow) *domain.EnrolmentOffer {
	x := domain.EnrolmentOfferRecord{ID: r.ID, CompanyID: r.CompanyID, CarrierID: r.CarrierID, RegionID: r.RegionID, CompanyRef: r.CompanyRef,
		Status: domain.EnrolmentStatus(r.Status), AdmittedOn: parseDayp(r.AdmittedOn), Note: r.Note, Reason: r.Reason,
		OfferedBy: r.OfferedBy, DecidedBy: r.DecidedBy, ResidencyID: r.ResidencyID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if on := parseDayp(r.MovedInOn); on != nil {
		x.MoveIn = &domain.MoveInFacts{On: *on, Unit: r.Unit, AreaM2: r.AreaM2}
	}
	return domain.EnrolmentOfferFromDB(x)
}

func (t *txStore) InsertEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error {
	row := enrolmentToRow(o)
	return db.ExecUnique(ctx, t.NewInsert().Model(&row), "insert enrolment offer", apperr.ConflictErr("enrolment-pending"))
}

func (t *txStore) UpdateEnrolmentOffer(ctx context.Context, o *domain.EnrolmentOffer) error {
	row := enrolmentToRow(o)
	q := t.NewUpdate().Model(&row).WherePK().ExcludeColumn("id", "company_id", "carrier_id", "region_id", "company_ref", "offered_by", "created_at")
	return db.Exec(ctx, q, "update enrolment offer")
}

// LockEnrolmentOffer reads an offer and holds its row until the
// transaction ends.
func (t *txStore) LockEnrolmentOffer(ctx context.Context, id string) (*domain.EnrolmentOffer, error) {
	var r enrolmentRow
	return db.MapOne(ctx, forUpdate(t.NewSelect().Model(&r).Where("id = ?", id)), &r, "enrolment-not-found", enrolmentFrom)
}

func (t *txStore) PendingEnrolmentOffer(ctx context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error) {
	return companyAtCarrier(ctx, t, companyID, carrierID, "enrolment-not-found", enrolmentFrom, domain.EnrolmentPending)
}

// enrolmentViewRow is an offer with the carrier's names and the company's.
type enrolmentViewRow struct {
	enrolmentRow  `bun:",extend"`
	CompanyNameZH string `bun:"company_name_zh"`
	CarrierNameZH string `bun:"carrier_name_zh"`
	CarrierNameEN string `bun:"carrier_name_en"`
}

func (t *txStore) ListEnrolmentOffers(ctx context.Context, f app.EnrolmentFilter, p list.Params) ([]app.EnrolmentView, int, error) {
	var rows []enrolmentViewRow
	q := t.NewSelect().Model(&rows).ColumnExpr("o.*").
		ColumnExpr("co.name_zh AS company_name_zh, ca.name_zh AS carrier_name_zh, ca.name_en AS carrier_name_en").
		Join("JOIN companies AS co ON co.id = o.company_id").
		Join("JOIN carriers AS ca ON ca.id = o.carrier_id")
	q = db.Filter(q, "o.carrier_id = ?", f.CarrierID)
	q = db.Filter(q, "o.company_id = ?", f.CompanyID)
	q = db.Filter(q, "o.status = ?", string(f.Status))
	sorts := map[string]string{"created_at": "o.created_at", "updated_at": "o.updated_at"}
	q = db.OrderBy(q, sorts, p.Sort, p.Sort == "" || p.Desc, "o.created_at", "o.id ASC")
	return db.MapPage(ctx, q, p, &rows, "list enrolment offers", func(r enrolmentViewRow) app.EnrolmentView {
		return app.EnrolmentView{EnrolmentOffer: *enrolmentFrom(r.enrolmentRow), CompanyNameZH: r.CompanyNameZH,
			CarrierNameZH: r.CarrierNameZH, CarrierNameEN: r.CarrierNameEN}
	})
}
