package adapters

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

type regionRow struct {
	bun.BaseModel `bun:"table:regions"`
	ID            string `bun:"id,pk"`
	Code          string `bun:"code"`
}

type carrierRow struct {
	bun.BaseModel `bun:"table:carriers"`
	ID            string `bun:"id,pk"`
	RegionID      string `bun:"region_id"`
	NameZH        string `bun:"name_zh"`
}

type companyRow struct {
	bun.BaseModel `bun:"table:companies"`
	ID            string `bun:"id,pk"`
	RegionID      string `bun:"region_id"`
	NameZH        string `bun:"name_zh"`
}

type companyCarrierRow struct {
	bun.BaseModel `bun:"table:company_carriers"`
	CompanyID     string `bun:"company_id,pk"`
	CarrierID     string `bun:"carrier_id,pk"`
}

func (t *txStore) UpsertRegion(ctx context.Context, id, code string) error {
	return db.Exec(ctx, db.Upsert(t, &regionRow{ID: id, Code: code}, "id", "code"), "upsert region")
}

func (t *txStore) RegionExists(ctx context.Context, id string) (bool, error) {
	return t.NewSelect().Model((*regionRow)(nil)).Where("id = ?", id).Exists(ctx)
}

func (t *txStore) UpsertCarrier(ctx context.Context, c app.Carrier) error {
	return db.Exec(ctx, db.Upsert(t, &carrierRow{ID: c.ID, RegionID: c.RegionID, NameZH: c.NameZH}, "id", "region_id", "name_zh"), "upsert carrier")
}

func (t *txStore) GetCarrier(ctx context.Context, id string) (app.Carrier, error) {
	return db.MapByID(ctx, t, id, "carrier-not-found", carrierRow.carrier)
}

func (r carrierRow) carrier() app.Carrier {
	return app.Carrier{ID: r.ID, RegionID: r.RegionID, NameZH: r.NameZH}
}

func (t *txStore) UpsertCompany(ctx context.Context, c app.Company) error {
	return db.Exec(ctx, db.Upsert(t, &companyRow{ID: c.ID, RegionID: c.RegionID, NameZH: c.NameZH}, "id", "name_zh"), "upsert company")
}

func (t *txStore) GetCompany(ctx context.Context, id string) (app.Company, error) {
	return db.MapByID(ctx, t, id, "company-not-found", companyRow.company)
}

func (r companyRow) company() app.Company {
	return app.Company{ID: r.ID, RegionID: r.RegionID, NameZH: r.NameZH}
}

func (t *txStore) LinkCarrier(ctx context.Context, companyID, carrierID string) error {
	q := t.NewInsert().Model(&companyCarrierRow{CompanyID: companyID, CarrierID: carrierID}).On("CONFLICT DO NOTHING")
	return db.Exec(ctx, q, "link company carrier")
}

func (t *txStore) CompanyCarriers(ctx context.Context, companyID string) ([]string, error) {
	q := t.NewSelect().Model((*companyCarrierRow)(nil)).Column("carrier_id").Where("company_id = ?", companyID).Order("carrier_id")
	return db.Values[[]string](ctx, q, "company carriers")
}
