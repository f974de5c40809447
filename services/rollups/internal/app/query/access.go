// Package query holds the rollups service's reads: each figure of a
// region, filtered, and the rows behind it. Queries never write: their
// reader has no method that does.
package query

import (
	"context"
	"slices"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// FilterInput is a figure request's raw filters.
type FilterInput = domain.FilterInput

// Request is what every figure is asked with.
type Request struct {
	Actor    app.Actor
	RegionID string
	Filter   domain.FilterInput
}

// ReadStore runs a read in one transaction.
type ReadStore interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx app.Tx) error) error
}

// Figures answers every figure and its rows.
type Figures struct {
	store  ReadStore
	authz  *authz.Enforcer
	now    func() time.Time
	faults app.Faults
	// system answers for the service itself (a snapshot, a recount):
	// every row of the region, no caller.
	system bool
}

// System is q answering for the service itself, not for a caller.
func (q Figures) System() Figures {
	q.system = true
	return q
}

// NewFigures returns the figures' handler; faults are for tests only.
func NewFigures(store ReadStore, e *authz.Enforcer, now func() time.Time, faults app.Faults) Figures {
	return Figures{store: store, authz: e, now: now, faults: faults}
}

// read decides who may see what of the region, checks the filters and
// runs fn with both.
func (q Figures) read(ctx context.Context, req Request, fn func(ctx context.Context, r app.Reader, f domain.Filter, s app.Scope) error) error {
	if !q.system {
		if err := authz.Authenticated(req.Actor.UserID); err != nil {
			return err
		}
	}
	return q.store.Read(ctx, func(ctx context.Context, tx app.Tx) error {
		s, err := q.access(ctx, tx, req.Actor.UserID, req.RegionID)
		if err != nil {
			return err
		}
		f, err := domain.ParseFilter(req.RegionID, req.Filter, calendar.Today(q.now()))
		if err != nil {
			return err
		}
		if f.CarrierID != "" {
			region, ok, err := tx.CarrierRegion(ctx, f.CarrierID)
			if err != nil {
				return err
			}
			if !ok || region != req.RegionID || !s.Sees(f.CarrierID) {
				return apperr.NotFoundErr("carrier-not-found")
			}
		}
		return fn(ctx, tx, f, s)
	})
}

// access is who sees what: district staff (and platform admins) every
// row of the region; park staff the region's totals and their own
// carriers' rows; a startup member of a company of the region is refused
// (403); everyone else is told the region does not exist (404).
func (q Figures) access(ctx context.Context, r app.Reader, user, regionID string) (app.Scope, error) {
	_, known, err := r.Region(ctx, regionID)
	if err != nil {
		return app.Scope{}, err
	}
	region := authz.Scope{RegionID: regionID}
	if !known {
		return app.Scope{}, apperr.NotFoundErr("region-not-found")
	}
	if q.system {
		return app.Scope{All: true}, nil
	}
	if q.authz.Can(user, region, "carrier", "read") {
		return app.Scope{All: true}, nil
	}
	var own, companies []string
	for _, d := range q.authz.VisibleDomains(user) {
		kind, id, ok := authz.ParseDomain(d)
		if !ok {
			continue
		}
		var in string
		switch kind {
		case authz.KindCarrier:
			in, ok, err = r.CarrierRegion(ctx, id)
		case authz.KindCompany:
			in, ok, err = r.CompanyRegion(ctx, id)
		default:
			continue
		}
		if err != nil {
			return app.Scope{}, err
		}
		if !ok || in != regionID {
			continue
		}
		if kind == authz.KindCarrier && q.authz.Can(user, authz.Scope{RegionID: regionID, CarrierID: id}, "carrier", "read") {
			own = append(own, id)
		} else if kind == authz.KindCompany {
			companies = append(companies, id)
		}
	}
	if len(own) > 0 {
		slices.Sort(own)
		return app.Scope{Carriers: own}, nil
	}
	// Refused: a member of one of the region's companies knows the
	// region (403); anyone else learns nothing of it (404).
	err = q.authz.Decide(authz.Request{UserID: user, Scopes: []authz.Scope{region}, Object: "carrier", Action: "read",
		CanSee: func() (bool, error) { return len(companies) > 0, nil }, NotFound: "region-not-found"})
	return app.Scope{}, err
}
