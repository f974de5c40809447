package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

func carrierScope(c *domain.Carrier) authz.Scope {
	return authz.Scope{RegionID: c.RegionID(), CarrierID: c.ID()}
}

func carrierPayload(c *domain.Carrier) events.CarrierV1 {
	f := c.Fields()
	return events.CarrierV1{CarrierID: c.ID(), RegionID: c.RegionID(), Kind: string(f.Kind), ChainOrder: c.ChainOrder(),
		NameZH: f.NameZH, NameEN: f.NameEN, Address: f.Address, AreaM2: f.AreaM2, FocusIndustries: f.FocusIndustries,
		Capacity: f.Capacity, Status: string(f.Status)}
}

func nameTaken() error {
	e := apperr.ConflictErr("carrier-name-taken")
	e.Fields = []apperr.FieldError{{Field: "name_zh", Code: "duplicate"}}
	return e
}

// CreateCarrier adds a carrier to a region (district admins, platform admins).
func (a *App) CreateCarrier(ctx context.Context, actor Actor, regionID string, f domain.CarrierFields) (*domain.Carrier, error) {
	var c *domain.Carrier
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if err := a.authorizeRegion(ctx, tx, actor, regionID, "carrier", "create"); err != nil {
			return err
		}
		var err error
		if c, err = domain.NewCarrier(events.NewID(), regionID, f, a.now()); err != nil {
			return err
		}
		taken, err := tx.CarrierNameTaken(ctx, regionID, c.Fields().NameZH, "")
		if err != nil {
			return err
		}
		if taken {
			return nameTaken()
		}
		if err := tx.InsertCarrier(ctx, c); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: regionID, CarrierID: c.ID()}, actor, c.ID(), events.CarrierCreatedV1{CarrierV1: carrierPayload(c)}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "carrier.create", ObjectID: c.ID(), RegionID: regionID, CarrierID: c.ID(),
			Detail: map[string]any{"name_zh": c.Fields().NameZH, "kind": c.Fields().Kind}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// authorizeRegion checks an action on a region-level object: the region
// must exist and be visible (see regionVisible), else 404.
func (a *App) authorizeRegion(ctx context.Context, tx Tx, actor Actor, regionID, obj, act string) error {
	err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{{RegionID: regionID}}, Object: obj, Action: act,
		CanSee: a.regionVisible(ctx, tx, actor, regionID), NotFound: "region-not-found"})
	if err != nil {
		return err
	}
	_, err = tx.GetRegion(ctx, regionID)
	return err
}

// UpdateCarrier changes a carrier's fields.
func (a *App) UpdateCarrier(ctx context.Context, actor Actor, id string, p domain.CarrierPatch) (*domain.Carrier, error) {
	var c *domain.Carrier
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if c, err = tx.GetCarrier(ctx, id); err != nil {
			return err
		}
		if err := a.authorize(actor, carrierScope(c), "carrier", "update", "carrier-not-found"); err != nil {
			return err
		}
		if err := c.Update(p, a.now()); err != nil {
			return err
		}
		taken, err := tx.CarrierNameTaken(ctx, c.RegionID(), c.Fields().NameZH, c.ID())
		if err != nil {
			return err
		}
		if taken {
			return nameTaken()
		}
		if err := tx.UpdateCarrier(ctx, c); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID(), CarrierID: c.ID()}, actor, c.ID(), events.CarrierUpdatedV1{CarrierV1: carrierPayload(c)}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "carrier.update", ObjectID: c.ID(), RegionID: c.RegionID(), CarrierID: c.ID()})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// GetCarrier returns one carrier visible to the actor.
func (a *App) GetCarrier(ctx context.Context, actor Actor, id string) (*domain.Carrier, error) {
	var c *domain.Carrier
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if c, err = tx.GetCarrier(ctx, id); err != nil {
			return err
		}
		return a.authorize(actor, carrierScope(c), "carrier", "read", "carrier-not-found")
	})
	return c, err
}

// ListCarriers lists a region's carriers that the actor can see.
func (a *App) ListCarriers(ctx context.Context, actor Actor, f CarrierFilter, p list.Params) ([]*domain.Carrier, int, error) {
	var out []*domain.Carrier
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		ids, err := a.visibleCarriers(ctx, tx, actor, f.RegionID)
		if err != nil {
			return err
		}
		if _, err := tx.GetRegion(ctx, f.RegionID); err != nil {
			return err
		}
		f.CarrierIDs = ids
		out, total, err = tx.ListCarriers(ctx, f, p)
		return err
	})
	return out, total, err
}
