package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

type companyRow struct {
	bun.BaseModel `bun:"table:companies"`
	ID            string    `bun:"id,pk"`
	RegionID      string    `bun:"region_id"`
	USCC          *string   `bun:"uscc"`
	ProvisionalID *string   `bun:"provisional_id"`
	NameZH        string    `bun:"name_zh"`
	NameEN        string    `bun:"name_en"`
	IndustryCode  string    `bun:"industry_code"`
	TechField     string    `bun:"tech_field"`
	FoundedOn     *string   `bun:"founded_on"`
	FounderType   string    `bun:"founder_type"`
	FounderGender string    `bun:"founder_gender"`
	ContactName   string    `bun:"contact_name"`
	ContactPhone  string    `bun:"contact_phone"`
	ContactEmail  string    `bun:"contact_email"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func companyToRow(c *domain.Company) companyRow {
	return companyRow{ID: c.ID, RegionID: c.RegionID, USCC: strp(string(c.USCC)), ProvisionalID: strp(c.ProvisionalID),
		NameZH: c.Fields.NameZH, NameEN: c.Fields.NameEN, IndustryCode: c.Fields.IndustryCode, TechField: c.Fields.TechField,
		FounderType: c.Fields.FounderType, FounderGender: c.Fields.FounderGender, ContactName: c.Fields.ContactName,
		FoundedOn: dayp(c.Fields.FoundedOn), ContactPhone: c.Fields.ContactPhone, ContactEmail: c.Fields.ContactEmail,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

func companyFrom(r companyRow) *domain.Company {
	c := &domain.Company{ID: r.ID, RegionID: r.RegionID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Fields: domain.CompanyFields{
		NameZH: r.NameZH, NameEN: r.NameEN, IndustryCode: r.IndustryCode, TechField: r.TechField, FounderType: r.FounderType,
		FounderGender: r.FounderGender, FoundedOn: parseDayp(r.FoundedOn), ContactName: r.ContactName, ContactPhone: r.ContactPhone, ContactEmail: r.ContactEmail}}
	if r.USCC != nil {
		c.USCC = domain.USCC(*r.USCC)
	}
	if r.ProvisionalID != nil {
		c.ProvisionalID = *r.ProvisionalID
	}
	return c
}

func (t *txStore) InsertCompany(ctx context.Context, c *domain.Company, createdBy string) error {
	row := companyToRow(c)
	row.CreatedBy = createdBy
	return db.Exec(ctx, t.NewInsert().Model(&row), "insert company")
}

func (t *txStore) UpdateCompany(ctx context.Context, c *domain.Company) error {
	row := companyToRow(c)
	return db.Exec(ctx, t.NewUpdate().Model(&row).WherePK().ExcludeColumn("id", "region_id", "created_by", "created_at"), "update company")
}

func (t *txStore) GetCompany(ctx context.Context, id string) (*domain.Company, error) {
	var r companyRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r, "company-not-found", companyFrom)
}

func (t *txStore) CompanyByUSCC(ctx context.Context, regionID string, uscc domain.USCC) (*domain.Company, error) {
	var r companyRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("region_id = ? AND uscc = ?", regionID, string(uscc)), &r, "company-not-found", companyFrom)
}

// companyOrder maps sortable API fields to columns; every one is NOT
// NULL, so each pages by cursor too.
var companyOrder = db.Order{
	Columns: map[string]string{"name": "name_zh", "created_at": "created_at", "industry": "industry_code"},
	Default: "name_zh", Tiebreak: "id",
}

// CompanySortFields lists the sortable fields for the HTTP layer.
func CompanySortFields() []string { return []string{"name", "created_at", "industry"} }

func (t *txStore) ListCompanies(ctx context.Context, f app.CompanyFilter, p list.Params) ([]*domain.Company, int, error) {
	var rows []companyRow
	q := t.NewSelect().Model(&rows).Where("region_id = ?", f.RegionID)
	if f.CompanyIDs != nil || f.CarrierIDs != nil {
		if len(f.CompanyIDs) == 0 && len(f.CarrierIDs) == 0 {
			return nil, 0, nil
		}
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if len(f.CompanyIDs) > 0 {
				q = q.WhereOr("id IN (?)", bun.List(f.CompanyIDs))
			}
			if len(f.CarrierIDs) > 0 {
				sub := t.NewSelect().Table("company_carriers").Column("company_id").Where("carrier_id IN (?)", bun.List(f.CarrierIDs))
				q = q.WhereOr("id IN (?)", sub)
			}
			return q
		})
	}
	if f.Industry != "" {
		q = q.Where("industry_code LIKE ?", f.Industry+"%")
	}
	q = db.Search(q, p.Q, "name_zh", "name_en", "uscc")
	return db.MapSorted(ctx, q, companyOrder, p, &rows, "list companies", companyFrom)
}

type companyCarrierRow struct {
	bun.BaseModel `bun:"table:company_carriers"`
	CompanyID     string    `bun:"company_id,pk"`
	CarrierID     string    `bun:"carrier_id,pk"`
	Since         time.Time `bun:"since"`
}

func (t *txStore) LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error {
	return db.Exec(ctx, t.NewInsert().Model(&companyCarrierRow{CompanyID: companyID, CarrierID: carrierID, Since: since.UTC()}).
		On("CONFLICT (company_id, carrier_id) DO NOTHING"), "link company to carrier")
}

func (t *txStore) UnlinkCarrierUnbacked(ctx context.Context, companyID, carrierID, exceptPromotionID string) error {
	_, err := t.NewRaw(`DELETE FROM company_carriers WHERE company_id = ? AND carrier_id = ?
		AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.company_id = ? AND a.carrier_id = ? AND a.status <> 'draft')
		AND NOT EXISTS (SELECT 1 FROM residencies r WHERE r.company_id = ? AND r.carrier_id = ?
			AND (r.application_id <> '' OR r.promoted_from_id <> '' OR r.enrolment_offer_id <> ''))
		AND NOT EXISTS (SELECT 1 FROM promotions p WHERE p.company_id = ? AND p.to_carrier_id = ? AND p.id <> ?
			AND p.status IN ('consented', 'accepted'))`,
		companyID, carrierID, companyID, carrierID, companyID, carrierID, companyID, carrierID, exceptPromotionID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("unlink company from carrier: %w", err)
	}
	return nil
}

func (t *txStore) CompanyCarriers(ctx context.Context, companyID string) ([]string, error) {
	q := t.NewSelect().Model((*companyCarrierRow)(nil)).Column("carrier_id").Where("company_id = ?", companyID).Order("carrier_id")
	return db.Values[[]string](ctx, q, "company carriers")
}

type memberRow struct {
	bun.BaseModel `bun:"table:company_members"`
	CompanyID     string    `bun:"company_id,pk"`
	UserID        string    `bun:"user_id,pk"`
	Role          string    `bun:"role"`
	Status        string    `bun:"status"`
	InvitedBy     string    `bun:"invited_by"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func memberFrom(r memberRow) domain.Membership {
	return domain.Membership{CompanyID: r.CompanyID, UserID: r.UserID, Role: domain.MemberRole(r.Role), Status: domain.MemberStatus(r.Status), InvitedBy: r.InvitedBy, UpdatedAt: r.UpdatedAt}
}

func (t *txStore) PutMembership(ctx context.Context, m domain.Membership) error {
	return db.Exec(ctx, db.Upsert(t, &memberRow{CompanyID: m.CompanyID, UserID: m.UserID, Role: string(m.Role), Status: string(m.Status),
		InvitedBy: m.InvitedBy, UpdatedAt: m.UpdatedAt.UTC()}, "company_id, user_id", "role", "status", "invited_by", "updated_at"), "put membership")
}

func (t *txStore) GetMembership(ctx context.Context, companyID, userID string) (domain.Membership, error) {
	var r memberRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("company_id = ? AND user_id = ?", companyID, userID), &r, "member-not-found", memberFrom)
}

func (t *txStore) members(ctx context.Context, where string, args ...any) ([]domain.Membership, error) {
	var rows []memberRow
	q := t.NewSelect().Model(&rows).Where(where, args...).Order("company_id", "user_id")
	return db.MapAll(ctx, q, &rows, "list memberships", memberFrom)
}

func (t *txStore) ListMemberships(ctx context.Context, companyID string) ([]domain.Membership, error) {
	return t.members(ctx, "company_id = ?", companyID)
}

func (t *txStore) MembershipsOfUser(ctx context.Context, userID string) ([]domain.Membership, error) {
	return t.members(ctx, "user_id = ? AND status <> ?", userID, string(domain.Left))
}

func (t *txStore) ActiveMemberships(ctx context.Context) ([]domain.Membership, error) {
	return t.members(ctx, "status = ?", string(domain.Active))
}
