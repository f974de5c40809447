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

// SeedCompany registers a demo company with founderEmail as its admin,
// once this service has learnt of the region and the user from parks'
// events (which arrive asynchronously, so it waits up to wait). It does
// nothing when the founder already belongs to a company.
func (a *App) SeedCompany(ctx context.Context, regionCode, founderEmail, uscc string, f domain.CompanyFields, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		var regionID string
		var user User
		err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
			var err error
			if regionID, err = tx.RegionByCode(ctx, regionCode); err != nil {
				return err
			}
			user, err = tx.UserByEmail(ctx, founderEmail)
			return err
		})
		switch {
		case err == nil:
			ms, _, err := a.MyCompanies(ctx, Actor{UserID: user.ID})
			if err != nil || len(ms) > 0 {
				return err
			}
			_, err = a.RegisterCompany(ctx, Actor{UserID: user.ID}, regionID, uscc, f)
			return err
		case !apperr.Is(err, apperr.NotFound):
			return err
		case time.Now().After(deadline):
			return fmt.Errorf("seed company: %s or %s not known here yet: %w", regionCode, founderEmail, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

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
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
