// Package adapters implements the milestones store on bun (PostgreSQL or
// SQLite): read models, templates, plans and milestones, the lists, and
// reminders, with the outbox and the audit trail in the same transaction
// as each change (pkg/bus's unit of work).
package adapters

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
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

type regionRow struct {
	bun.BaseModel `bun:"table:regions"`
	ID            string `bun:"id,pk"`
	Code          string `bun:"code"`
}

type carrierRow struct {
	bun.BaseModel `bun:"table:carriers"`
	ID            string `bun:"id,pk"`
	RegionID      string `bun:"region_id"`
	Kind          string `bun:"kind"`
	NameZH        string `bun:"name_zh"`
	NameEN        string `bun:"name_en"`
}

type companyRow struct {
	bun.BaseModel `bun:"table:companies"`
	ID            string `bun:"id,pk"`
	RegionID      string `bun:"region_id"`
	NameZH        string `bun:"name_zh"`
	NameEN        string `bun:"name_en"`
}

type documentRow struct {
	bun.BaseModel `bun:"table:company_documents"`
	ID            string `bun:"id,pk"`
	CompanyID     string `bun:"company_id"`
	Type          string `bun:"type"`
	Filename      string `bun:"filename"`
	Deleted       bool   `bun:"deleted"`
}

func (t *txStore) UpsertRegion(ctx context.Context, id, code string) error {
	return db.Exec(ctx, db.Upsert(t, &regionRow{ID: id, Code: code}, "id", "code"), "upsert region")
}

func (t *txStore) RegionExists(ctx context.Context, id string) (bool, error) {
	return t.NewSelect().Model((*regionRow)(nil)).Where("id = ?", id).Exists(ctx)
}

func (t *txStore) UpsertCarrier(ctx context.Context, c app.Carrier) error {
	return db.Exec(ctx, db.Upsert(t, &carrierRow{ID: c.ID, RegionID: c.RegionID, Kind: c.Kind, NameZH: c.NameZH, NameEN: c.NameEN},
		"id", "region_id", "kind", "name_zh", "name_en"), "upsert carrier")
}

func carrierOf(r carrierRow) app.Carrier {
	return app.Carrier{ID: r.ID, RegionID: r.RegionID, Kind: r.Kind, NameZH: r.NameZH, NameEN: r.NameEN}
}

func (t *txStore) GetCarrier(ctx context.Context, id string) (app.Carrier, error) {
	return db.MapByID(ctx, t, id, "carrier-not-found", carrierOf)
}

func (t *txStore) RegionCarriers(ctx context.Context, regionID string) ([]app.Carrier, error) {
	var rows []carrierRow
	return db.MapAll(ctx, t.NewSelect().Model(&rows).Where("region_id = ?", regionID).Order("name_zh", "id"), &rows, "region carriers", carrierOf)
}

func (t *txStore) UpsertCompany(ctx context.Context, c app.Company) error {
	return db.Exec(ctx, db.Upsert(t, &companyRow{ID: c.ID, RegionID: c.RegionID, NameZH: c.NameZH, NameEN: c.NameEN}, "id", "name_zh", "name_en"), "upsert company")
}

func (t *txStore) GetCompany(ctx context.Context, id string) (app.Company, error) {
	return db.MapByID(ctx, t, id, "company-not-found", func(r companyRow) app.Company {
		return app.Company{ID: r.ID, RegionID: r.RegionID, NameZH: r.NameZH, NameEN: r.NameEN}
	})
}

func (t *txStore) UpsertDocument(ctx context.Context, d domain.EvidenceDoc, filename string) error {
	return db.Exec(ctx, db.Upsert(t, &documentRow{ID: d.ID, CompanyID: d.CompanyID, Type: d.Type, Filename: filename, Deleted: d.Deleted},
		"id", "type", "filename", "deleted"), "upsert document")
}

func (t *txStore) Documents(ctx context.Context, ids []string) (map[string]domain.EvidenceDoc, error) {
	if len(ids) == 0 {
		return map[string]domain.EvidenceDoc{}, nil
	}
	var rows []documentRow
	return db.MapKeyed(ctx, t.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)), &rows, "documents",
		func(r documentRow) (string, domain.EvidenceDoc) {
			return r.ID, domain.EvidenceDoc{ID: r.ID, CompanyID: r.CompanyID, Type: r.Type, Deleted: r.Deleted}
		})
}

// fromJSON decodes a TEXT column into v, naming what for errors.
func fromJSON(s, what string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

type userRow struct {
	bun.BaseModel `bun:"table:users"`
	ID            string `bun:"id,pk"`
	DisplayName   string `bun:"display_name"`
	Email         string `bun:"email"`
}

func (t *txStore) UpsertUser(ctx context.Context, u app.User) error {
	return db.Exec(ctx, db.Upsert(t, &userRow{ID: u.ID, DisplayName: u.DisplayName, Email: u.Email}, "id", "display_name", "email"), "upsert user")
}

func (t *txStore) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	if len(ids) == 0 {
		return map[string]string{}, nil
	}
	var rows []userRow
	return db.MapKeyed(ctx, t.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)), &rows, "user names", func(r userRow) (string, string) {
		return r.ID, app.User{ID: r.ID, DisplayName: r.DisplayName, Email: r.Email}.Name()
	})
}
