package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
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

// saveCarrier stores c, inserted when it is new, once no other carrier of
// its region has its Chinese name, with its created or updated event and
// its audit line (detail: the audit line's detail).
func (a *App) saveCarrier(ctx context.Context, tx Tx, actor Actor, c *domain.Carrier, isNew bool, detail map[string]any) error {
	if err := unlessTaken("carrier-name-taken", "name_zh")(tx.CarrierNameTaken(ctx, c.RegionID(), c.Fields().NameZH, c.ID())); err != nil {
		return err
	}
	store, action, ev := tx.UpdateCarrier, "carrier.update", events.Payload(events.CarrierUpdatedV1{CarrierV1: carrierPayload(c)})
	if isNew {
		store, action, ev = tx.InsertCarrier, "carrier.create", events.CarrierCreatedV1{CarrierV1: carrierPayload(c)}
	}
	if err := store(ctx, c); err != nil {
		return err
	}
	if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID(), CarrierID: c.ID()}, actor, c.ID(), ev); err != nil {
		return err
	}
	return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: c.ID(), RegionID: c.RegionID(), CarrierID: c.ID(), Detail: detail})
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
		return a.saveCarrier(ctx, tx, actor, c, true, map[string]any{"name_zh": c.Fields().NameZH, "kind": c.Fields().Kind})
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
		return a.saveCarrier(ctx, tx, actor, c, false, nil)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// GetCarrier returns one carrier visible to the actor.
func (a *App) GetCarrier(ctx context.Context, actor Actor, id string) (*domain.Carrier, error) {
	return bus.Fetch(ctx, a.store.Read, func(ctx context.Context, tx Tx) (*domain.Carrier, error) {
		c, err := tx.GetCarrier(ctx, id)
		if err != nil {
			return nil, err
		}
		return c, a.authorize(actor, carrierScope(c), "carrier", "read", "carrier-not-found")
	})
}

// ListCarriers lists a region's carriers that the actor can see.
func (a *App) ListCarriers(ctx context.Context, actor Actor, f CarrierFilter, p list.Params) ([]*domain.Carrier, int, error) {
	return readPage(ctx, a.store, func(ctx context.Context, tx Tx) ([]*domain.Carrier, int, error) {
		ids, err := a.visibleCarriers(ctx, tx, actor, f.RegionID)
		if err != nil {
			return nil, 0, err
		}
		if _, err := tx.GetRegion(ctx, f.RegionID); err != nil {
			return nil, 0, err
		}
		f.CarrierIDs = ids
		return tx.ListCarriers(ctx, f, p)
	})
}
