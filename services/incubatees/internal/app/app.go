// Package app holds the incubatees service's use cases, one area per file
// (companies, membership, intake, residency, reports), each authorizing
// its caller with the Casbin enforcer before it reads or writes.
package app

import (
	"context"
	"log/slog"
	"time"

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
	return authz.CompanyScopes(regionID, companyID, carriers), nil
}

// authorizeCompany lets act on obj through when any of the company's
// scopes allows it; a caller who cannot read the company gets 404.
func (a *App) authorizeCompany(ctx context.Context, tx Tx, actor Actor, companyID, regionID, obj, act string) error {
	_, err := a.authorizeCompanyScopes(ctx, tx, actor, companyID, regionID, obj, act)
	return err
}

// authorizeCompanyScopes is authorizeCompany returning the company's
// scopes it decided on. Visibility: who may read the company in one of
// them sees it.
func (a *App) authorizeCompanyScopes(ctx context.Context, tx Tx, actor Actor, companyID, regionID, obj, act string) ([]authz.Scope, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	scopes, err := a.companyScopes(ctx, tx, companyID, regionID)
	if err != nil {
		return nil, err
	}
	return scopes, a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: scopes, Object: obj, Action: act,
		CanSee: a.authz.MayRead(actor.UserID, "company", scopes...), NotFound: "company-not-found"})
}

// authorizeCarrier authorizes act on obj in a carrier: 401 anonymous, 404
// when the caller cannot even see the carrier, 403 when they can see it
// but not act.
func (a *App) authorizeCarrier(ctx context.Context, tx Tx, actor Actor, carrierID, obj, act string) (Carrier, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return Carrier{}, err
	}
	c, err := tx.GetCarrier(ctx, carrierID)
	if err != nil {
		return Carrier{}, err
	}
	if err := a.decideInCarrier(actor, c.RegionID, c.ID, obj, act); err != nil {
		return Carrier{}, err
	}
	return c, nil
}

// decideInCarrier decides act on obj in a carrier; who may read the
// carrier sees it.
func (a *App) decideInCarrier(actor Actor, regionID, carrierID, obj, act string) error {
	return AuthorizeInCarrier(a.authz, actor, Carrier{ID: carrierID, RegionID: regionID}, obj, act)
}
