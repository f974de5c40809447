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
