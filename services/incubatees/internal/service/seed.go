package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/list"
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
		if err := seedPause(ctx); err != nil {
			return err
		}
	}
}

// SeedIntakeCall opens a demo intake call at the region's first carrier of
// kind, created by staffEmail (who must be able to create calls there), once
// parks' events have brought the carrier, the user and the role. It does
// nothing when the carrier already has a call.
func (a Application) SeedIntakeCall(ctx context.Context, e *authz.Enforcer, regionCode, kind, staffEmail string, f domain.CallFields, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		carrier, user, err := a.seedStaff(ctx, regionCode, kind, staffEmail)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		actor := app.Actor{UserID: user.ID}
		if err == nil && e.Can(user.ID, authz.Scope{RegionID: carrier.RegionID, CarrierID: carrier.ID}, "intake_call", "create") {
			_, total, err := a.Queries.CarrierIntakeCalls.Handle(ctx, query.CarrierIntakeCalls{Actor: actor, CarrierID: carrier.ID, Page: list.First(1)})
			if err != nil || total > 0 {
				return err
			}
			c, err := a.Commands.CreateIntakeCall.Handle(ctx, command.CreateIntakeCall{Actor: actor, CarrierID: carrier.ID, Fields: f})
			if err != nil {
				return fmt.Errorf("seed intake call: %w", err)
			}
			_, err = a.Commands.OpenIntakeCall.Handle(ctx, command.MoveIntakeCall{Actor: actor, CallID: c.ID})
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("seed intake call: %s at a %s of %s not ready in %s", staffEmail, kind, regionCode, wait)
		}
		if err := seedPause(ctx); err != nil {
			return err
		}
	}
}

// seedStaff is the region's first carrier of kind and the staff user.
func (a Application) seedStaff(ctx context.Context, regionCode, kind, staffEmail string) (app.Carrier, app.User, error) {
	regionID, err := a.reads.RegionByCode(ctx, regionCode)
	if err != nil {
		return app.Carrier{}, app.User{}, err
	}
	cs, err := a.reads.RegionCarriers(ctx, regionID)
	if err != nil {
		return app.Carrier{}, app.User{}, err
	}
	i := slices.IndexFunc(cs, func(c app.Carrier) bool { return c.Kind == kind })
	if i < 0 {
		return app.Carrier{}, app.User{}, apperr.NotFoundErr("carrier-not-found")
	}
	user, err := a.reads.UserByEmail(ctx, staffEmail)
	return cs[i], user, err
}

// seedPause waits a moment before a seed looks again for what parks'
// events have not brought yet; the context's end stops it.
func seedPause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}
