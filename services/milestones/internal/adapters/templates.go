package adapters

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

type templateRow struct {
	bun.BaseModel `bun:"table:templates"`
	ID            string    `bun:"id,pk"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	Kind          string    `bun:"kind"`
	Items         string    `bun:"items"`
	Version       int       `bun:"version"`
	UpdatedBy     string    `bun:"updated_by"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// itemJSON is a template item as the items column holds it.
type itemJSON struct {
	TitleZH       string   `json:"title_zh"`
	TitleEN       string   `json:"title_en"`
	Category      string   `json:"category"`
	OffsetDays    int      `json:"offset_days"`
	Criteria      string   `json:"criteria"`
	Target        *figure  `json:"target,omitempty"`
	EvidenceTypes []string `json:"evidence_types"`
}

type figure struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

func toFigure(f *domain.Figure) *figure {
	if f == nil {
		return nil
	}
	return &figure{Value: f.Value, Unit: f.Unit}
}

func (f *figure) domain() *domain.Figure {
	if f == nil {
		return nil
	}
	return &domain.Figure{Value: f.Value, Unit: f.Unit}
}

func templateOf(r templateRow) (*domain.Template, error) {
	var items []itemJSON
	if err := fromJSON(r.Items, "template items", &items); err != nil {
		return nil, err
	}
	out := make([]domain.TemplateItem, len(items))
	for i, it := range items {
		out[i] = domain.TemplateItem{TitleZH: it.TitleZH, TitleEN: it.TitleEN, Category: it.Category, OffsetDays: it.OffsetDays, Criteria: it.Criteria,
			Target: it.Target.domain(), EvidenceTypes: it.EvidenceTypes}
	}
	return domain.TemplateFromDB(domain.TemplateRecord{ID: r.ID, RegionID: r.RegionID, CarrierID: r.CarrierID, Kind: r.Kind, Items: out,
		Version: r.Version, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}), nil
}

func (t *txStore) Template(ctx context.Context, regionID, carrierID, kind string) (*domain.Template, error) {
	var r templateRow
	q := t.NewSelect().Model(&r).Where("region_id = ? AND carrier_id = ? AND kind = ?", regionID, carrierID, kind)
	return db.DecodeOne(ctx, q, &r, "template-not-found", templateOf)
}

func (t *txStore) RegionTemplates(ctx context.Context, regionID string) ([]*domain.Template, error) {
	var rows []templateRow
	return db.DecodeAll(ctx, t.NewSelect().Model(&rows).Where("region_id = ?", regionID).Order("carrier_id", "kind"), &rows, "region templates", templateOf)
}

func (t *txStore) PutTemplate(ctx context.Context, tpl *domain.Template) error {
	r := tpl.Record()
	items := make([]itemJSON, len(r.Items))
	for i, it := range r.Items {
		items[i] = itemJSON{TitleZH: it.TitleZH, TitleEN: it.TitleEN, Category: it.Category, OffsetDays: it.OffsetDays, Criteria: it.Criteria,
			Target: toFigure(it.Target), EvidenceTypes: it.EvidenceTypes}
	}
	row := &templateRow{ID: r.ID, RegionID: r.RegionID, CarrierID: r.CarrierID, Kind: r.Kind, Items: db.JSONText(items), Version: r.Version,
		UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
	if r.Version <= 1 {
		// A new template: whoever inserted the (region, carrier, kind) row
		// first won; the other answers 409 rather than a unique violation.
		return db.ExecUnique(ctx, t.NewInsert().Model(row), "insert template", apperr.ConflictErr("template-changed"))
	}
	// A new version of the one loaded: it must still be the latest, else
	// someone saved in between (optimistic lock; no lost edit).
	n, err := db.Affected(ctx, t.NewUpdate().Model(row).Column("items", "version", "updated_by", "updated_at").
		Where("id = ? AND version = ?", r.ID, r.Version-1), "update template")
	if err == nil && n != 1 {
		return apperr.ConflictErr("template-changed")
	}
	return err
}
