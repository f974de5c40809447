package testkit

import (
	"context"
	"testing"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/platform"
)

// World is what every service harness holds beside its service: the test,
// a client of the service, the bus, the outbox that stands in for the
// services the world's events come from, and the ids the fixture learnt.
// A harness embeds it and adds its service and its own fixture; StartIn
// starts the service in it.
type World struct {
	*Client                   // as a user: Do, Request, Send; set by StartIn
	T       testing.TB        // the test the harness serves
	Signer  *authn.Signer     // signs the callers' identity, as the gateway does
	Bus     *bus.Bus          // the NATS server the service and Fixture share
	Fixture *Outbox           // standing in for the services that publish the world
	Users   map[string]string // e-mail → user id; the Client signs in by this same map
	IDs     map[string]string // fixture key → id
}

// NewWorld starts a NATS server and opens the fixture's outbox on it; the
// world holds no users or ids yet.
func NewWorld(t testing.TB) *World {
	t.Helper()
	b := bustest.Start(t)
	return &World{T: t, Signer: Signer(t), Bus: b, Fixture: NewOutbox(t, b), Users: map[string]string{}, IDs: map[string]string{}}
}

// StartIn starts the service called name with start as StartServed does,
// signing in as w's users with w's signer, and makes w's client a client
// of it. It answers the service and its context.
func StartIn[S Served](w *World, name string, start func(ctx context.Context) (S, error)) (S, context.Context) {
	w.T.Helper()
	svc, ctx, client := StartServed(w.T, name, w.Signer, w.Users, start)
	w.Client = client
	return svc, ctx
}

// PublishAndWait sends the fixture's queued events and waits, as
// Eventually does, until applied holds: the service has applied them.
func (w *World) PublishAndWait(what string, applied func() bool) {
	w.T.Helper()
	w.Fixture.Publish()
	Eventually(w.T, what, applied)
}

// AddRegions queues the FixtureRegions, as parks publishes them.
func (w *World) AddRegions() {
	w.T.Helper()
	AddRegions(w.Fixture.Add, w.IDs, FixtureRegions...)
}

// AddCarrier queues carrier c (its RegionID set) as parks publishes it,
// under a new id it learns as key.
func (w *World) AddCarrier(key string, c events.CarrierV1) {
	w.T.Helper()
	AddCarrier(w.Fixture.Add, w.IDs, key, c)
}

// AddUsers queues users and their roles (Outbox.AddUsers) and learns
// their ids.
func (w *World) AddUsers(users []FixtureUser) {
	w.T.Helper()
	w.Fixture.AddUsers(w.Users, w.IDs, users)
}

// Event builds an event by "system" as its publisher would (NewEvent).
func (w *World) Event(scope events.Scope, agg string, p events.Payload) events.Envelope {
	w.T.Helper()
	return NewEvent(w.T, scope, agg, p)
}

// ID is the id of fixture key.
func (w *World) ID(key string) string { return w.IDs[key] }

// Home is a fresh database of dialect (see dbtest.Config) as a service's
// home.
func Home(t testing.TB, dialect string) platform.Home {
	t.Helper()
	cfg := dbtest.Config(t, dialect)
	return platform.Home{DB: cfg.DSN, Schema: cfg.Schema}
}
