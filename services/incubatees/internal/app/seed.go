package app

import (
	"context"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
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
