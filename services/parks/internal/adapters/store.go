package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// Store is the bun implementation of app.Store: the shared unit of work
// (transaction, outbox, audit trail) around this service's queries.
type Store = bus.Unit[app.Tx]

// NewStore returns the store on db; notify (may be nil) wakes the outbox
// relay after each write transaction that published events.
func NewStore(bdb *bun.DB, notify func()) *Store {
	return bus.NewUnit(bdb, notify, func(t bus.Tx) app.Tx { return &txStore{Tx: t} })
}

// txStore is one transaction with this service's queries.
type txStore struct {
	bus.Tx
}

type regionRow struct {
	bun.BaseModel `bun:"table:regions"`
	ID            string    `bun:"id,pk"`
	Code          string    `bun:"code"`
	NameZH        string    `bun:"name_zh"`
	NameEN        string    `bun:"name_en"`
	CreatedAt     time.Time `bun:"created_at"`
}

type carrierRow struct {
	bun.BaseModel   `bun:"table:carriers"`
	ID              string    `bun:"id,pk"`
	RegionID        string    `bun:"region_id"`
	Kind            string    `bun:"kind"`
	ChainOrder      int       `bun:"chain_order"`
	NameZH          string    `bun:"name_zh"`
	NameEN          string    `bun:"name_en"`
	Address         string    `bun:"address"`
	AreaM2          float64   `bun:"area_m2"`
	FocusIndustries string    `bun:"focus_industries"`
	Capacity        int       `bun:"capacity"`
	Status          string    `bun:"status"`
	CreatedAt       time.Time `bun:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

type userRow struct {
	bun.BaseModel `bun:"table:users"`
	ID            string    `bun:"id,pk"`
	Email         string    `bun:"email"`
	DisplayName   string    `bun:"display_name"`
	PasswordHash  string    `bun:"password_hash"`
	CreatedAt     time.Time `bun:"created_at"`
}

type grantRow struct {
	bun.BaseModel `bun:"table:role_grants"`
	UserID        string    `bun:"user_id,pk"`
	Role          string    `bun:"role,pk"`
	Domain        string    `bun:"domain,pk"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	GrantedBy     string    `bun:"granted_by"`
	GrantedAt     time.Time `bun:"granted_at"`
}

type invitationRow struct {
	bun.BaseModel `bun:"table:invitations"`
	ID            string     `bun:"id,pk"`
	TokenHash     string     `bun:"token_hash"`
	Email         string     `bun:"email"`
	Role          string     `bun:"role"`
	Domain        string     `bun:"domain"`
	RegionID      string     `bun:"region_id"`
	CarrierID     string     `bun:"carrier_id"`
	InvitedBy     string     `bun:"invited_by"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	AcceptedAt    *time.Time `bun:"accepted_at"`
	CreatedAt     time.Time  `bun:"created_at"`
}

func (t *txStore) InsertRegion(ctx context.Context, r *domain.Region) error {
	row := &regionRow{ID: r.ID, Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, CreatedAt: r.CreatedAt.UTC()}
	return db.Exec(ctx, t.NewInsert().Model(row), "insert region")
}

func (t *txStore) GetRegion(ctx context.Context, id string) (*domain.Region, error) {
	return db.MapByID(ctx, t, id, "region-not-found", regionFrom)
}

func regionFrom(row regionRow) *domain.Region {
	return &domain.Region{ID: row.ID, Code: row.Code, NameZH: row.NameZH, NameEN: row.NameEN, CreatedAt: row.CreatedAt}
}

func (t *txStore) UpdateRegion(ctx context.Context, r *domain.Region) error {
	q := t.NewUpdate().Model((*regionRow)(nil)).Set("name_zh = ?", r.NameZH).Set("name_en = ?", r.NameEN).Where("id = ?", r.ID)
	return db.Exec(ctx, q, "update region")
}

func (t *txStore) RegionCodeTaken(ctx context.Context, code string) (bool, error) {
	return t.NewSelect().Model((*regionRow)(nil)).Where("code = ?", code).Exists(ctx)
}

func (t *txStore) ListRegions(ctx context.Context, ids []string) ([]*domain.Region, error) {
	var rows []regionRow
	q := t.NewSelect().Model(&rows).Order("code")
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		q = q.Where("id IN (?)", bun.List(ids))
	}
	return db.MapAll(ctx, q, &rows, "list regions", regionFrom)
}

func carrierToRow(c *domain.Carrier) (carrierRow, error) {
	f := c.Fields()
	inds, err := json.Marshal(f.FocusIndustries)
	if err != nil {
		return carrierRow{}, err
	}
	return carrierRow{ID: c.ID(), RegionID: c.RegionID(), Kind: string(f.Kind), ChainOrder: c.ChainOrder(),
		NameZH: f.NameZH, NameEN: f.NameEN, Address: f.Address, AreaM2: f.AreaM2, FocusIndustries: string(inds),
		Capacity: f.Capacity, Status: string(f.Status), CreatedAt: c.CreatedAt().UTC(), UpdatedAt: c.UpdatedAt().UTC()}, nil
}

func carrierFrom(row carrierRow) (*domain.Carrier, error) {
	var inds []string
	if err := json.Unmarshal([]byte(row.FocusIndustries), &inds); err != nil {
		return nil, fmt.Errorf("decode focus_industries of carrier %s: %w", row.ID, err)
	}
	return domain.CarrierFromDB(row.ID, row.RegionID, domain.CarrierFields{
		Kind: domain.Kind(row.Kind), NameZH: row.NameZH, NameEN: row.NameEN, Address: row.Address, AreaM2: row.AreaM2,
		FocusIndustries: inds, Capacity: row.Capacity, Status: domain.Status(row.Status),
	}, row.CreatedAt, row.UpdatedAt), nil
}

func (t *txStore) InsertCarrier(ctx context.Context, c *domain.Carrier) error {
	row, err := carrierToRow(c)
	if err != nil {
		return err
	}
	return db.Exec(ctx, t.NewInsert().Model(&row), "insert carrier")
}

func (t *txStore) UpdateCarrier(ctx context.Context, c *domain.Carrier) error {
	row, err := carrierToRow(c)
	if err != nil {
		return err
	}
	return db.Exec(ctx, t.NewUpdate().Model(&row).WherePK().ExcludeColumn("id", "region_id", "created_at"), "update carrier")
}

func (t *txStore) GetCarrier(ctx context.Context, id string) (*domain.Carrier, error) {
	return db.DecodeByID(ctx, t, id, "carrier-not-found", carrierFrom)
}

func (t *txStore) CarrierNameTaken(ctx context.Context, regionID, nameZH, exceptID string) (bool, error) {
	return t.NewSelect().Model((*carrierRow)(nil)).
		Where("region_id = ? AND name_zh = ? AND id <> ?", regionID, nameZH, exceptID).Exists(ctx)
}

// carrierSorts maps sortable API fields to columns.
var carrierSorts = map[string]string{"name": "name_zh", "chain_order": "chain_order", "created_at": "created_at", "capacity": "capacity", "area_m2": "area_m2"}

func (t *txStore) ListCarriers(ctx context.Context, f app.CarrierFilter, p list.Params) ([]*domain.Carrier, int, error) {
	var rows []carrierRow
	q := t.NewSelect().Model(&rows).Where("region_id = ?", f.RegionID)
	if f.CarrierIDs != nil {
		if len(f.CarrierIDs) == 0 {
			return nil, 0, nil
		}
		q = q.Where("id IN (?)", bun.List(f.CarrierIDs))
	}
	q = db.Filter(q, "kind = ?", f.Kind)
	q = db.Filter(q, "status = ?", f.Status)
	q = db.Search(q, p.Q, "name_zh", "name_en", "address")
	return db.DecodePage(ctx, db.OrderBy(q, carrierSorts, p.Sort, p.Desc, "name_zh", "id ASC"), p, &rows, "list carriers", carrierFrom)
}

// CarrierSortFields lists the sortable fields for the HTTP layer.
func CarrierSortFields() []string {
	return []string{"name", "chain_order", "created_at", "capacity", "area_m2"}
}

func (t *txStore) CarriersByIDs(ctx context.Context, ids []string) ([]*domain.Carrier, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []carrierRow
	q := t.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)).Order("name_zh")
	return db.DecodeAll(ctx, q, &rows, "carriers by ids", carrierFrom)
}

func userFrom(r userRow) *domain.User {
	return &domain.User{ID: r.ID, Email: r.Email, DisplayName: r.DisplayName, PasswordHash: r.PasswordHash, CreatedAt: r.CreatedAt}
}

func (t *txStore) InsertUser(ctx context.Context, u *domain.User) error {
	return db.Exec(ctx, t.NewInsert().Model(&userRow{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, PasswordHash: u.PasswordHash,
		CreatedAt: u.CreatedAt.UTC()}), "insert user")
}

func (t *txStore) GetUser(ctx context.Context, id string) (*domain.User, error) {
	return db.MapByID(ctx, t, id, "user-not-found", userFrom)
}

func (t *txStore) GetUserByEmail(ctx context.Context, email string) (*domain.User, error) {
	var row userRow
	return db.MapOne(ctx, t.NewSelect().Model(&row).Where("email = ?", email), &row, "user-not-found", userFrom)
}

func (t *txStore) ListUsers(ctx context.Context, p list.Params) ([]*domain.User, int, error) {
	var rows []userRow
	q := t.NewSelect().Model(&rows)
	q = db.Search(q, p.Q, "email", "display_name")
	return db.MapPage(ctx, q.Order("email"), p, &rows, "list users", userFrom)
}

func (t *txStore) InsertGrant(ctx context.Context, g app.Grant) (bool, error) {
	exists, err := t.NewSelect().Model((*grantRow)(nil)).
		Where("user_id = ? AND role = ? AND domain = ?", g.UserID, g.Role, g.Domain).Exists(ctx)
	if err != nil || exists {
		return false, err
	}
	_, err = t.NewInsert().Model(&grantRow{UserID: g.UserID, Role: g.Role, Domain: g.Domain, RegionID: g.RegionID,
		CarrierID: g.CarrierID, GrantedBy: g.GrantedBy, GrantedAt: g.GrantedAt.UTC()}).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("insert grant: %w", err)
	}
	return true, nil
}

func (t *txStore) DeleteGrant(ctx context.Context, userID, role, domain string) (bool, error) {
	n, err := db.Affected(ctx, t.NewDelete().Model((*grantRow)(nil)).
		Where("user_id = ? AND role = ? AND domain = ?", userID, role, domain), "delete grant")
	return n > 0, err
}

func (t *txStore) ListMembers(ctx context.Context, domainName string, p list.Params) ([]app.Member, int, error) {
	var users []userRow
	sub := t.NewSelect().Model((*grantRow)(nil)).Column("user_id").Where("domain = ?", domainName)
	q := t.NewSelect().Model(&users).Where("id IN (?)", sub)
	q = db.Search(q, p.Q, "email", "display_name")
	total, err := db.ScanList(ctx, q.Order("email"), p)
	if err != nil {
		return nil, 0, fmt.Errorf("list members: %w", err)
	}
	if len(users) == 0 {
		return nil, total, nil
	}
	ids := db.MapRows(users, func(u userRow) string { return u.ID })
	var grants []grantRow
	if err := t.NewSelect().Model(&grants).Where("domain = ? AND user_id IN (?)", domainName, bun.List(ids)).Order("role").Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("list member roles: %w", err)
	}
	roles := map[string][]string{}
	for _, g := range grants {
		roles[g.UserID] = append(roles[g.UserID], g.Role)
	}
	return db.MapRows(users, func(u userRow) app.Member {
		return app.Member{UserID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Roles: roles[u.ID]}
	}), total, nil
}

func grantFrom(r grantRow) app.Grant {
	return app.Grant{UserID: r.UserID, Role: r.Role, Domain: r.Domain, RegionID: r.RegionID, CarrierID: r.CarrierID, GrantedBy: r.GrantedBy, GrantedAt: r.GrantedAt}
}

func (t *txStore) AllGrants(ctx context.Context) ([]app.Grant, error) {
	var rows []grantRow
	return db.MapAll(ctx, t.NewSelect().Model(&rows).Order("user_id", "domain", "role"), &rows, "all grants", grantFrom)
}

func (t *txStore) GrantsOfUser(ctx context.Context, userID string) ([]app.Grant, error) {
	var rows []grantRow
	q := t.NewSelect().Model(&rows).Where("user_id = ?", userID).Order("domain", "role")
	return db.MapAll(ctx, q, &rows, "grants of user", grantFrom)
}

func invitationFrom(r invitationRow) *domain.Invitation {
	return &domain.Invitation{ID: r.ID, TokenHash: r.TokenHash, Email: r.Email, Role: r.Role, Domain: r.Domain,
		InvitedBy: r.InvitedBy, ExpiresAt: r.ExpiresAt, AcceptedAt: r.AcceptedAt, CreatedAt: r.CreatedAt}
}

func (t *txStore) InsertInvitation(ctx context.Context, inv *domain.Invitation) error {
	regionID, carrierID := "", ""
	if id, ok := strings.CutPrefix(inv.Domain, "carrier:"); ok {
		carrierID = id
	} else if id, ok := strings.CutPrefix(inv.Domain, "region:"); ok {
		regionID = id
	}
	return db.Exec(ctx, t.NewInsert().Model(&invitationRow{ID: inv.ID, TokenHash: inv.TokenHash, Email: inv.Email, Role: inv.Role,
		Domain: inv.Domain, RegionID: regionID, CarrierID: carrierID, InvitedBy: inv.InvitedBy,
		ExpiresAt: inv.ExpiresAt.UTC(), CreatedAt: inv.CreatedAt.UTC()}), "insert invitation")
}

func (t *txStore) InvitationByTokenHash(ctx context.Context, hash string) (*domain.Invitation, error) {
	var row invitationRow
	return db.MapOne(ctx, t.NewSelect().Model(&row).Where("token_hash = ?", hash), &row, "invitation-not-found", invitationFrom)
}

func (t *txStore) MarkInvitationAccepted(ctx context.Context, id string, at time.Time) error {
	return db.Exec(ctx, t.NewUpdate().Model((*invitationRow)(nil)).Set("accepted_at = ?", at.UTC()).Where("id = ?", id), "accept invitation")
}

func (t *txStore) ListInvitations(ctx context.Context, domainName string, p list.Params) ([]*domain.Invitation, int, error) {
	var rows []invitationRow
	q := t.NewSelect().Model(&rows).Where("domain = ?", domainName)
	q = db.Search(q, p.Q, "email")
	return db.MapPage(ctx, q.Order("created_at DESC", "id DESC"), p, &rows, "list invitations", invitationFrom)
}

// auditOrder is the trail's one order, newest first; deep trails page by cursor.
var auditOrder = db.Order{Default: "at", DefaultDesc: true, Tiebreak: "id"}

func (t *txStore) ListAudit(ctx context.Context, f app.AuditFilter, p list.Params) ([]app.AuditRecord, int, error) {
	var rows []audit.Row
	// parks' audit_log has no company_id column: its trail names none.
	q := t.NewSelect().Model(&rows).ExcludeColumn("company_id").Where("region_id = ?", f.RegionID)
	q = db.Filter(q, "carrier_id = ?", f.CarrierID)
	q = db.Filter(q, "action = ?", f.Action)
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	// The trail reads newest first whatever sort is asked (it offers only "at").
	p.Sort, p.Desc = "", false
	return db.SortedPage(ctx, q, auditOrder, p, &rows, "list audit", audit.Row.Record)
}
