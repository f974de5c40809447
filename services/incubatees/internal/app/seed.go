package app

import (
	"context"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// SeedIntakeCall opens a demo intake call at the region's first carrier of
// kind, created by staffEmail (who must be able to create calls there), once
// parks' events have brought the carrier, the user and the role. It does
// nothing when the carrier already has a call.
func (a *App) SeedIntakeCall(ctx context.Context, regionCode, kind, staffEmail string, f domain.CallFields, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		var (
			carrier Carrier
			user    User
		)
		err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
			regionID, err := tx.RegionByCode(ctx, regionCode)
			if err != nil {
				return err
			}
			cs, err := tx.RegionCarriers(ctx, regionID)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if c.Kind == kind && carrier.ID == "" {
					carrier = c
				}
			}
			if carrier.ID == "" {
				return apperr.NotFoundErr("carrier-not-found")
			}
			user, err = tx.UserByEmail(ctx, staffEmail)
			return err
		})
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		actor := Actor{UserID: user.ID}
		if err == nil && a.authz.Can(user.ID, authz.Scope{RegionID: carrier.RegionID, CarrierID: carrier.ID}, "intake_call", "create") {
			_, total, err := a.ListCarrierIntakeCalls(ctx, actor, carrier.ID, "", list.First(1))
			if err != nil || total > 0 {
				return err
			}
			c, err := a.CreateIntakeCall(ctx, actor, carrier.ID, f)
			if err != nil {
				return fmt.Errorf("seed intake call: %w", err)
			}
			_, err = a.OpenIntakeCall(ctx, actor, c.ID)
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("seed intake call: %s at a %s of %s not ready in %s", staffEmail, kind, regionCode, wait)
		}
		if err := SeedPause(ctx); err != nil {
			return err
		}
	}
}

// SeedPause waits a moment before a seed looks again for what parks'
// events have not brought yet; the context's end stops it.
func SeedPause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}
