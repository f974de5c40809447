// Package app holds the incubatees service's use cases, one area per file
// (companies, membership, intake, residency, reports), each authorizing
// its caller with the Casbin enforcer before it reads or writes.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
)

// App is the incubatees service's use cases.
type App struct {
	store Store
	authz *authz.Enforcer
	log   *slog.Logger
	now   func() time.Time

	admissions AdmissionHandler
}

// New returns the use cases over store, enforcing with e.
func New(store Store, e *authz.Enforcer, log *slog.Logger) *App {
	return &App{store: store, authz: e, log: log, now: func() time.Time { return time.Now().UTC() }}
}

// Store returns the store (fixtures in tests write through it).
func (a *App) Store() Store { return a.store }

// SetClock replaces the clock (tests of dated rules).
func (a *App) SetClock(now func() time.Time) { a.now = now }

// Actor is who calls a use case; UserID is empty for anonymous callers.
type Actor struct{ UserID string }

func unauthenticated() error { return apperr.New(apperr.Unauthenticated, "not-authenticated") }

func (a *App) event(scope events.Scope, actor Actor, aggregateID string, p events.Payload) (events.Envelope, error) {
	return events.New(scope, actor.UserID, aggregateID, p)
}

// publish builds and stores one event in tx.
func (a *App) publish(ctx context.Context, tx Tx, scope events.Scope, actor Actor, aggregateID string, p events.Payload) error {
	ev, err := a.event(scope, actor, aggregateID, p)
	if err != nil {
		return err
	}
	return tx.Publish(ctx, ev)
}

// companyScopes are the places a company is seen from: its region and
// company domains, and every carrier it has applied to or resides in.
func (a *App) companyScopes(ctx context.Context, tx Tx, companyID, regionID string) ([]authz.Scope, error) {
	carriers, err := tx.CompanyCarriers(ctx, companyID)
	if err != nil {
		return nil, err
	}
	scopes := []authz.Scope{{RegionID: regionID, CompanyID: companyID}}
	for _, c := range carriers {
		scopes = append(scopes, authz.Scope{RegionID: regionID, CarrierID: c, CompanyID: companyID})
	}
	return scopes, nil
}

// authorizeCompany lets act on obj through when any of the company's
// scopes allows it; a caller who cannot read the company gets 404.
func (a *App) authorizeCompany(ctx context.Context, tx Tx, actor Actor, companyID, regionID, obj, act string) error {
	if actor.UserID == "" {
		return unauthenticated()
	}
	scopes, err := a.companyScopes(ctx, tx, companyID, regionID)
	if err != nil {
		return err
	}
	canRead := false
	for _, s := range scopes {
		if a.authz.Can(actor.UserID, s, obj, act) {
			return nil
		}
		canRead = canRead || a.authz.Can(actor.UserID, s, "company", "read")
	}
	if canRead {
		return apperr.ForbiddenErr("not-allowed")
	}
	return apperr.NotFoundErr("company-not-found")
}

// authorizeCarrier authorizes act on obj in a carrier: 401 anonymous, 404
// when the caller cannot even see the carrier, 403 when they can see it
// but not act.
func (a *App) authorizeCarrier(ctx context.Context, tx Tx, actor Actor, carrierID, obj, act string) (Carrier, error) {
	if actor.UserID == "" {
		return Carrier{}, unauthenticated()
	}
	c, err := tx.GetCarrier(ctx, carrierID)
	if err != nil {
		return Carrier{}, err
	}
	s := authz.Scope{RegionID: c.RegionID, CarrierID: c.ID}
	if a.authz.Can(actor.UserID, s, obj, act) {
		return c, nil
	}
	if a.authz.Can(actor.UserID, s, "carrier", "read") {
		return Carrier{}, apperr.ForbiddenErr("not-allowed")
	}
	return Carrier{}, apperr.NotFoundErr("carrier-not-found")
}
