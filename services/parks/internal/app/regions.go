package app

import (
	"context"
	"strings"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// CreateRegion adds a district; only platform admins may.
func (a *App) CreateRegion(ctx context.Context, actor Actor, code, nameZH, nameEN string) (*domain.Region, error) {
	if err := a.platformAct(actor, "region", "create"); err != nil {
		return nil, err
	}
	r, err := domain.NewRegion(events.NewID(), code, nameZH, nameEN, a.now())
	if err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if err := unlessTaken("region-code-taken", "code")(tx.RegionCodeTaken(ctx, r.Code)); err != nil {
			return err
		}
		if err := tx.InsertRegion(ctx, r); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: r.ID}, actor, r.ID, events.RegionCreatedV1{RegionID: r.ID, Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "region.create", ObjectID: r.ID, RegionID: r.ID, Detail: map[string]any{"code": r.Code}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ListRegions returns the regions the actor can see.
func (a *App) ListRegions(ctx context.Context, actor Actor) ([]*domain.Region, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	return bus.Fetch(ctx, a.store.Read, func(ctx context.Context, tx Tx) ([]*domain.Region, error) {
		if a.authz.Can(actor.UserID, authz.Scope{}, "region", "read") {
			return tx.ListRegions(ctx, nil)
		}
		ids, err := a.regionIDsOf(ctx, tx, actor)
		if err != nil {
			return nil, err
		}
		return tx.ListRegions(ctx, ids)
	})
}

// regionIDsOf lists the regions where the actor holds a role, directly or
// through one of its carriers.
func (a *App) regionIDsOf(ctx context.Context, tx Tx, actor Actor) ([]string, error) {
	seen := map[string]bool{}
	ids := []string{}
	var carrierIDs []string
	for _, as := range a.authz.Assignments(actor.UserID) {
		if id, ok := strings.CutPrefix(as.Domain, "region:"); ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
		if id, ok := strings.CutPrefix(as.Domain, "carrier:"); ok {
			carrierIDs = append(carrierIDs, id)
		}
	}
	cs, err := tx.CarriersByIDs(ctx, carrierIDs)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if !seen[c.RegionID()] {
			seen[c.RegionID()] = true
			ids = append(ids, c.RegionID())
		}
	}
	return ids, nil
}

// GetRegion returns one region visible to the actor.
func (a *App) GetRegion(ctx context.Context, actor Actor, id string) (*domain.Region, error) {
	return bus.Fetch(ctx, a.store.Read, func(ctx context.Context, tx Tx) (*domain.Region, error) {
		if !a.authz.Can(actor.UserID, authz.Scope{RegionID: id}, "region", "read") {
			if _, err := a.visibleCarriers(ctx, tx, actor, id); err != nil {
				return nil, err
			}
		}
		return tx.GetRegion(ctx, id)
	})
}
