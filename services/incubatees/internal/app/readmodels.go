package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ParksEventTypes are the parks events this service keeps copies from.
var ParksEventTypes = []string{"parks.region.>", "parks.carrier.>", "parks.user.>"}

// ApplyParksEvent updates the read models of regions, carriers and users
// from one parks event, inside the consumer's transaction; a new region's
// rule pack is stamped with now.
func ApplyParksEvent(ctx context.Context, tx Tx, ev events.Envelope, now time.Time) error {
	switch ev.Type {
	case events.RegionCreated:
		return bus.Apply(ev, func(p events.RegionCreatedV1) error {
			if err := tx.UpsertRegion(ctx, p.RegionID, p.Code, p.NameZH, p.NameEN); err != nil {
				return err
			}
			// Every region starts with the national rule pack as version
			// 1, so no use case has to seed it while others race to do
			// the same.
			_, err := InsertRulePack(ctx, tx, Actor{}, domain.NationalPack2018(p.RegionID, now))
			return err
		})
	case events.RegionUpdated:
		return bus.Apply(ev, func(p events.RegionUpdatedV1) error { return tx.UpsertRegion(ctx, p.RegionID, "", p.NameZH, p.NameEN) })
	case events.CarrierCreated, events.CarrierUpdated:
		return bus.Apply(ev, func(p events.CarrierV1) error {
			return tx.UpsertCarrier(ctx, Carrier{ID: p.CarrierID, RegionID: p.RegionID, Kind: p.Kind, ChainOrder: p.ChainOrder,
				NameZH: p.NameZH, NameEN: p.NameEN, Status: p.Status})
		})
	case events.UserCreated:
		return bus.Apply(ev, func(p events.UserCreatedV1) error {
			return tx.UpsertUser(ctx, User{ID: p.UserID, Email: p.Email, DisplayName: p.DisplayName})
		})
	}
	return nil
}
