package testkit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/httpx/openapitest"
	"github.com/incuchain/incuchain/pkg/linkseal"
)

// Signer returns the signer a service under test and its clients share,
// as the gateway and the services share one in production.
func Signer(t testing.TB) *authn.Signer {
	t.Helper()
	signer, err := authn.NewSigner([]byte("test-secret-test-secret-test-secret!"))
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// LinkKey is a fresh key for sealing invitation links (pkg/linkseal).
func LinkKey(t testing.TB) *linkseal.Key {
	t.Helper()
	text, err := linkseal.NewKeyText()
	if err != nil {
		t.Fatal(err)
	}
	k, err := linkseal.ParseKey(text)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Runner is a service under test: Run serves until its context ends.
type Runner interface {
	Run(ctx context.Context) error
}

// Start builds the service called name with start, under a context that
// ends with the test, and runs it in the background until then; a service
// that cannot start, or stops with an error before the test ends, fails t.
// It returns the service and its context.
func Start[S Runner](t testing.TB, name string, start func(ctx context.Context) (S, error)) (S, context.Context) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := start(ctx)
	if err != nil {
		cancel()
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("%s stopped: %v", name, err)
		}
	})
	return svc, ctx
}

// Serve serves handler over real HTTP until the test ends; every answer is
// checked against the service's OpenAPI document.
func Serve(t testing.TB, handler http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(openapitest.Wrap(t, handler))
	t.Cleanup(srv.Close)
	return srv
}

// Served is a service under test that answers HTTP.
type Served interface {
	Runner
	Handler() http.Handler
}

// StartServed starts the service called name as Start does and serves its
// handler as Serve does. It answers the service, its context and a client
// of it that signs in as users with signer.
func StartServed[S Served](t testing.TB, name string, signer *authn.Signer, users map[string]string, start func(ctx context.Context) (S, error)) (S, context.Context, *Client) {
	t.Helper()
	svc, ctx := Start(t, name, start)
	return svc, ctx, NewClient(t, Serve(t, svc.Handler()).URL, signer, users)
}

// Outbox stands in for another service: the events it is given go out
// through its own outbox and relay to the bus, as they do in production.
type Outbox struct {
	t   testing.TB
	db  *bun.DB
	bus *bus.Bus
	evs []events.Envelope
}

// NewOutbox opens an outbox of its own that publishes to b.
func NewOutbox(t testing.TB, b *bus.Bus) *Outbox {
	t.Helper()
	return &Outbox{t: t, db: dbtest.Open(t, "sqlite", bus.Migrations), bus: b}
}

// Add queues an event by "system" on aggregate agg for the next Publish.
func (o *Outbox) Add(scope events.Scope, agg string, p events.Payload) {
	o.t.Helper()
	o.evs = append(o.evs, NewEvent(o.t, scope, agg, p))
}

// Publish sends the queued events, then evs, in order, through the outbox
// and its relay.
func (o *Outbox) Publish(evs ...events.Envelope) {
	o.t.Helper()
	evs, o.evs = append(o.evs, evs...), nil
	ctx := context.Background()
	if err := bus.Enqueue(ctx, o.db, evs...); err != nil {
		o.t.Fatal(err)
	}
	if _, err := bus.NewRelay(o.db, o.bus, bustest.Logger(o.t)).PublishPending(ctx); err != nil {
		o.t.Fatal(err)
	}
}
