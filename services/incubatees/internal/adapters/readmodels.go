package adapters

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

type regionRow struct {
	bun.BaseModel `bun:"table:regions"`
	ID            string `bun:"id,pk"`
	Code          string `bun:"code"`
	NameZH        string `bun:"name_zh"`
	NameEN        string `bun:"name_en"`
}

type carrierRow struct {
	bun.BaseModel `bun:"table:carriers"`
	ID            string `bun:"id,pk"`
	RegionID      string `bun:"region_id"`
	Kind          string `bun:"kind"`
	ChainOrder    int    `bun:"chain_order"`
	NameZH        string `bun:"name_zh"`
	NameEN        string `bun:"name_en"`
	Status        string `bun:"status"`
}

type userRow struct {
	bun.BaseModel `bun:"table:users"`
	ID            string `bun:"id,pk"`
	Email         string `bun:"email"`
	DisplayName   string `bun:"display_name"`
}

func (t *txStore) UpsertRegion(ctx context.Context, id, code, nameZH, nameEN string) error {
	q := db.Upsert(t, &regionRow{ID: id, Code: code, NameZH: nameZH, NameEN: nameEN}, "id", "name_zh", "name_en")
	if code != "" {
		q = q.Set("code = EXCLUDED.code")
	}
	return db.Exec(ctx, q, "upsert region")
}

func (t *txStore) RegionExists(ctx context.Context, id string) (bool, error) {
	return t.NewSelect().Model((*regionRow)(nil)).Where("id = ?", id).Exists(ctx)
}

func (t *txStore) UpsertCarrier(ctx context.Context, c app.Carrier) error {
	return db.Exec(ctx, db.Upsert(t, &carrierRow{ID: c.ID, RegionID: c.RegionID, Kind: c.Kind, ChainOrder: c.ChainOrder,
		NameZH: c.NameZH, NameEN: c.NameEN, Status: c.Status}, "id", "kind", "chain_order", "name_zh", "name_en", "status"), "upsert carrier")
}

func (t *txStore) GetCarrier(ctx context.Context, id string) (app.Carrier, error) {
	var r carrierRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("id = ?", id), &r, "carrier-not-found", carrierRow.carrier)
}

func (r carrierRow) carrier() app.Carrier {
	return app.Carrier{ID: r.ID, RegionID: r.RegionID, Kind: r.Kind, ChainOrder: r.ChainOrder, NameZH: r.NameZH, NameEN: r.NameEN, Status: r.Status}
}

func (t *txStore) UpsertUser(ctx context.Context, u app.User) error {
	return db.Exec(ctx, db.Upsert(t, &userRow{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName}, "id", "email", "display_name"), "upsert user")
}

func (t *txStore) UserByEmail(ctx context.Context, email string) (app.User, error) {
	var r userRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("email = ?", email), &r, "user-not-found", userRow.user)
}

func (r userRow) user() app.User {
	return app.User{ID: r.ID, Email: r.Email, DisplayName: r.DisplayName}
}

func (t *txStore) UsersByIDs(ctx context.Context, ids []string) (map[string]app.User, error) {
	if len(ids) == 0 {
		return map[string]app.User{}, nil
	}
	var rows []userRow
	return db.MapKeyed(ctx, t.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)), &rows, "users by ids",
		func(r userRow) (string, app.User) { return r.ID, r.user() })
}

func (t *txStore) RegionByCode(ctx context.Context, code string) (string, error) {
	var id string
	if err := t.NewSelect().Model((*regionRow)(nil)).Column("id").Where("code = ?", code).Scan(ctx, &id); err != nil {
		return "", db.NotFound(err, "region-not-found")
	}
	return id, nil
}

func (t *txStore) RegionCarriers(ctx context.Context, regionID string) ([]app.Carrier, error) {
	var rows []carrierRow
	q := t.NewSelect().Model(&rows).Where("region_id = ?", regionID).Order("chain_order", "name_zh")
	return db.MapAll(ctx, q, &rows, "carriers of region", carrierRow.carrier)
}
