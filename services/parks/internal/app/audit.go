package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// UpdateRegion renames a region (district admins).
func (a *App) UpdateRegion(ctx context.Context, actor Actor, id string, nameZH, nameEN *string) (*domain.Region, error) {
	var r *domain.Region
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := a.authorizeTarget(ctx, tx, actor, Target{Kind: "region", ID: id}, "region", "update"); err != nil {
			return err
		}
		var err error
		if r, err = tx.GetRegion(ctx, id); err != nil {
			return err
		}
		if err := r.Rename(nameZH, nameEN); err != nil {
			return err
		}
		if err := tx.UpdateRegion(ctx, r); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: id}, actor, id, events.RegionUpdatedV1{RegionID: id, NameZH: r.NameZH, NameEN: r.NameEN}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "region.update", ObjectID: id, RegionID: id,
			Detail: map[string]any{"name_zh": r.NameZH, "name_en": r.NameEN}})
	})
	return r, err
}

// ListAudit lists the audit trail of a region (district roles) or of one
// carrier (its park admin), newest first.
func (a *App) ListAudit(ctx context.Context, actor Actor, t Target, f AuditFilter, p list.Params) ([]AuditRecord, int, error) {
	return readTargetPage(ctx, a, actor, t, "audit", func(ctx context.Context, tx Tx, r resolved) ([]AuditRecord, int, error) {
		f.RegionID, f.CarrierID = r.scope.RegionID, r.scope.CarrierID
		return tx.ListAudit(ctx, f, p)
	})
}
