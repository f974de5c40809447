// Package adapters implements the notifications store on bun (PostgreSQL
// or SQLite): the read models, the inboxes, and the outbox in the same
// transaction as each delivery (pkg/bus's unit of work).
package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// Store is the bun implementation of app.Store.
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

var _ app.Tx = (*txStore)(nil)

type namedRow struct {
	ID       string `bun:"id,pk"`
	RegionID string `bun:"region_id"`
	NameZH   string `bun:"name_zh"`
	NameEN   string `bun:"name_en"`
}

type carrierRow struct {
	bun.BaseModel `bun:"table:carriers"`
	namedRow
}

type companyRow struct {
	bun.BaseModel `bun:"table:companies"`
	namedRow
}

type userRow struct {
	bun.BaseModel `bun:"table:users"`
	ID            string `bun:"id,pk"`
	Email         string `bun:"email"`
	DisplayName   string `bun:"display_name"`
}

type roleRow struct {
	bun.BaseModel `bun:"table:role_assignments"`
	UserID        string `bun:"user_id,pk"`
	Role          string `bun:"role,pk"`
	Domain        string `bun:"domain,pk"`
}

type notificationRow struct {
	bun.BaseModel `bun:"table:notifications"`
	ID            string     `bun:"id,pk"`
	UserID        string     `bun:"user_id"`
	Kind          string     `bun:"kind"`
	SourceEventID string     `bun:"source_event_id"`
	RegionID      string     `bun:"region_id"`
	CarrierID     string     `bun:"carrier_id"`
	CompanyID     string     `bun:"company_id"`
	Link          string     `bun:"link"`
	TitleZH       string     `bun:"title_zh"`
	TitleEN       string     `bun:"title_en"`
	BodyZH        string     `bun:"body_zh"`
	BodyEN        string     `bun:"body_en"`
	CreatedAt     time.Time  `bun:"created_at"`
	ReadAt        *time.Time `bun:"read_at"`
}

func named(r namedRow) app.Named {
	return app.Named{ID: r.ID, RegionID: r.RegionID, Name: domain.Name{ZH: r.NameZH, EN: r.NameEN}}
}

func (t *txStore) UpsertCarrier(ctx context.Context, c app.Named) error {
	return db.Exec(ctx, db.Upsert(t, &carrierRow{namedRow: namedRow{c.ID, c.RegionID, c.Name.ZH, c.Name.EN}}, "id", "region_id", "name_zh", "name_en"),
		"upsert carrier")
}

func (t *txStore) UpsertCompany(ctx context.Context, c app.Named) error {
	return db.Exec(ctx, db.Upsert(t, &companyRow{namedRow: namedRow{c.ID, c.RegionID, c.Name.ZH, c.Name.EN}}, "id", "region_id", "name_zh", "name_en"),
		"upsert company")
}

func (t *txStore) UpsertUser(ctx context.Context, id, email, displayName string) error {
	return db.Exec(ctx, db.Upsert(t, &userRow{ID: id, Email: email, DisplayName: displayName}, "id", "email", "display_name"), "upsert user")
}

func (t *txStore) Grant(ctx context.Context, userID, role, domain string) error {
	_, err := t.NewInsert().Model(&roleRow{UserID: userID, Role: role, Domain: domain}).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("grant %s in %s: %w", role, domain, err)
	}
	return nil
}

func (t *txStore) Revoke(ctx context.Context, userID, role, domain string) error {
	_, err := t.NewDelete().Model((*roleRow)(nil)).Where("user_id = ? AND role = ? AND domain = ?", userID, role, domain).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke %s in %s: %w", role, domain, err)
	}
	return nil
}

// Carrier answers the carrier, or ok false (and no name) while its event
// has not arrived.
func (t *txStore) Carrier(ctx context.Context, id string) (app.Named, bool, error) {
	var r carrierRow
	return scanNamed(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r.namedRow, "carrier")
}

func (t *txStore) Company(ctx context.Context, id string) (app.Named, bool, error) {
	var r companyRow
	return scanNamed(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r.namedRow, "company")
}

func scanNamed(ctx context.Context, q *bun.SelectQuery, r *namedRow, what string) (app.Named, bool, error) {
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return app.Named{}, false, nil
		}
		return app.Named{}, false, fmt.Errorf("read %s: %w", what, err)
	}
	return named(*r), true, nil
}

func (t *txStore) Holders(ctx context.Context, domain string, roles ...string) ([]string, error) {
	return db.Values[[]string](ctx, t.NewSelect().Model((*roleRow)(nil)).Distinct().Column("user_id").Where("domain = ?", domain).
		Where("role IN (?)", bun.List(roles)).Order("user_id"), "holders of "+domain)
}

func (t *txStore) Add(ctx context.Context, n domain.Notification) (bool, error) {
	r := notificationRow{ID: n.ID, UserID: n.UserID, Kind: n.Kind, SourceEventID: n.SourceEventID, RegionID: n.RegionID, CarrierID: n.CarrierID,
		CompanyID: n.CompanyID, Link: n.Link, TitleZH: n.TitleZH, TitleEN: n.TitleEN, BodyZH: n.BodyZH, BodyEN: n.BodyEN, CreatedAt: n.CreatedAt.UTC().Truncate(time.Microsecond)}
	added, err := db.Affected(ctx, t.NewInsert().Model(&r).On("CONFLICT (source_event_id, user_id) DO NOTHING"), "add notification")
	return err == nil && added == 1, err
}

func notificationOf(r notificationRow) domain.Notification {
	return domain.Notification{ID: r.ID, UserID: r.UserID, Kind: r.Kind, SourceEventID: r.SourceEventID, RegionID: r.RegionID, CarrierID: r.CarrierID,
		CompanyID: r.CompanyID, Link: r.Link, Text: domain.Text{TitleZH: r.TitleZH, TitleEN: r.TitleEN, BodyZH: r.BodyZH, BodyEN: r.BodyEN},
		CreatedAt: r.CreatedAt.UTC(), ReadAt: r.ReadAt}
}

func (t *txStore) mine(ctx context.Context, userID, id string) (notificationRow, error) {
	var r notificationRow
	if err := t.NewSelect().Model(&r).Where("id = ? AND user_id = ?", id, userID).Scan(ctx); err != nil {
		return r, db.NotFound(err, "notification-not-found")
	}
	return r, nil
}

func (t *txStore) MarkRead(ctx context.Context, userID, id string, at time.Time) (domain.Notification, error) {
	r, err := t.mine(ctx, userID, id)
	if err != nil {
		return domain.Notification{}, err
	}
	if r.ReadAt == nil {
		at = at.UTC().Truncate(time.Microsecond) // what both databases keep
		if _, err := t.NewUpdate().Model((*notificationRow)(nil)).Set("read_at = ?", at).Where("id = ? AND read_at IS NULL", id).Exec(ctx); err != nil {
			return domain.Notification{}, fmt.Errorf("mark read: %w", err)
		}
		r.ReadAt = &at
	}
	return notificationOf(r), nil
}

func (t *txStore) MarkAllRead(ctx context.Context, userID string, at time.Time) (int, error) {
	n, err := db.Affected(ctx, t.NewUpdate().Model((*notificationRow)(nil)).Set("read_at = ?", at.UTC()).Where("user_id = ? AND read_at IS NULL", userID),
		"mark all read")
	return int(n), err
}

func (t *txStore) inbox(userID string, f app.Filter, model any) *bun.SelectQuery {
	q := t.NewSelect().Model(model).Where("user_id = ?", userID)
	if f.UnreadOnly {
		q = q.Where("read_at IS NULL")
	}
	return db.Filter(q, "kind = ?", f.Kind)
}

func (t *txStore) List(ctx context.Context, userID string, f app.Filter, p list.Params) ([]domain.Notification, int, error) {
	var rows []notificationRow
	q := t.inbox(userID, f, &rows).OrderExpr("created_at DESC, id DESC")
	return db.MapPage(ctx, q, p, &rows, "list notifications", notificationOf)
}

func (t *txStore) Unread(ctx context.Context, userID string) (int, error) {
	return db.Count(ctx, t.inbox(userID, app.Filter{UnreadOnly: true}, (*notificationRow)(nil)), "count unread")
}
