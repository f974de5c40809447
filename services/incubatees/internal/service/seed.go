package service

import (
	"context"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// SeedCompany registers a demo company with founderEmail as its admin,
// once this service has learnt of the region and the user from parks'
// events (which arrive asynchronously, so it waits up to wait). It does
// nothing when the founder already belongs to a company.
func (a Application) SeedCompany(ctx context.Context, regionCode, founderEmail, uscc string, f domain.CompanyFields, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		regionID, err := a.reads.RegionByCode(ctx, regionCode)
		var user app.User
		if err == nil {
			user, err = a.reads.UserByEmail(ctx, founderEmail)
		}
		switch {
		case err == nil:
			founder := app.Actor{UserID: user.ID}
			ms, err := a.Queries.MyCompanies.Handle(ctx, query.MyCompanies{Actor: founder})
			if err != nil || len(ms) > 0 {
				return err
			}
			_, err = a.Commands.RegisterCompany.Handle(ctx, command.RegisterCompany{Actor: founder, RegionID: regionID, USCC: uscc, Fields: f})
			return err
		case !apperr.Is(err, apperr.NotFound):
			return err
		case time.Now().After(deadline):
			return fmt.Errorf("seed company: %s or %s not known here yet: %w", regionCode, founderEmail, err)
		}
		if err := app.SeedPause(ctx); err != nil {
			return err
		}
	}
}
