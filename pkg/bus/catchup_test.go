package bus_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// A follower and a durable consumer started over a history of 300 events
// are not caught up (so a service's /readyz answers 503) until they have
// handled all of it; the first time CaughtUp says yes, every event of the
// history has been handled.
func TestCaughtUpOnlyOnceTheHistoryIsHandled(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		b := bustest.Start(t)
		const history = 300
		var evs []events.Envelope
		for n := 1; n <= history; n++ {
			evs = append(evs, thing(t, fmt.Sprintf("agg-%d", n%7), n))
		}
		publish(t, bdb, b, evs...)

		startup := bus.NewStartup(b, "test events", bustest.Logger(t))
		gate := make(chan struct{})
		var followed, consumed atomic.Int64
		stop, err := startup.Run(ctx, func(ctx context.Context) (func(), error) {
			return bus.StartAll(ctx, func(ctx context.Context) (func(), error) {
				return b.Follow(ctx, testService, nil, time.Time{}, func(ctx context.Context, ev events.Envelope) error {
					<-gate
					followed.Add(1)
					return nil
				})
			}, func(ctx context.Context) (func(), error) {
				return b.Consume(ctx, bdb, bus.ConsumerSpec{Service: testService, Durable: "catch-up"}, func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
					<-gate
					consumed.Add(1)
					return nil
				}, bustest.Logger(t))
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		defer stop()

		if err := startup.Ready(ctx); err == nil {
			t.Fatal("ready before any event of the history was handled")
		} else {
			t.Logf("not ready yet, as it should be: %v", err)
		}
		close(gate)
		eventually(t, 30*time.Second, func() (bool, string) {
			err := startup.Ready(ctx)
			f, c := followed.Load(), consumed.Load()
			if err == nil && (f < history || c < history) {
				t.Fatalf("ready with %d of %d events followed and %d consumed", f, history, c)
			}
			return err == nil, fmt.Sprintf("ready (%v)", err)
		})
	}, bus.Migrations)
}
