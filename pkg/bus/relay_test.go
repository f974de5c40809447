package bus_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// Events written while NATS is down are all delivered, in order per
// aggregate, once it is back. This test always runs its own embedded
// server, even when NATS_URL is set, because it has to stop and restart
// the server on the same store and port.
func TestRelayDeliversEverythingAfterNATSOutage(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		n := startStoppableNATS(t)
		relay := bus.NewRelay(bdb, n.client, bustest.Logger(t))
		runRelay(t, relay)

		aggregates := []string{"a", "b", "c"}
		var want []events.Envelope
		write := func(from, to int) {
			for n := from; n <= to; n++ {
				for _, agg := range aggregates {
					ev := thing(t, agg, n)
					enqueue(t, bdb, ev)
					want = append(want, ev)
				}
				relay.Notify()
			}
		}

		write(1, 4)
		eventually(t, 15*time.Second, func() (bool, string) {
			n := pendingRows(t, bdb)
			return n == 0, fmt.Sprintf("%d rows pending before the outage", n)
		})

		n.stop() // NATS goes down
		write(5, 8)
		if n, err := relay.PublishPending(ctx); err == nil || n != 0 {
			t.Fatalf("PublishPending during the outage = %d, %v; want 0 and an error", n, err)
		}
		if n := pendingRows(t, bdb); n != 4*len(aggregates) {
			t.Fatalf("%d rows pending during the outage, want %d", n, 4*len(aggregates))
		}

		n.start() // NATS is back, same store
		eventually(t, 20*time.Second, func() (bool, string) {
			n := pendingRows(t, bdb)
			return n == 0, fmt.Sprintf("%d rows pending after the outage", n)
		})
		checkDelivered(t, streamMessages(t, n.srv, testService), want)
	}, bus.Migrations)
}

// stoppableNATS is an embedded server of the test's own, which can be
// stopped and started again on the same store and port, and a client
// connection of the test service to it.
type stoppableNATS struct {
	t      *testing.T
	dir    string
	port   int
	srv    *bus.Bus
	client *bus.Bus
}

func startStoppableNATS(t *testing.T) *stoppableNATS {
	t.Helper()
	n := &stoppableNATS{t: t, dir: t.TempDir()}
	n.srv = bustest.StartEmbeddedAt(t, n.dir, 0)
	cfg := bustest.Client(t, n.srv, testService)
	n.port = portOf(t, cfg.URL)
	client, err := bus.Connect(context.Background(), cfg, bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	n.client = client
	return n
}

// stop stops the server and waits until the client has noticed.
func (n *stoppableNATS) stop() {
	n.t.Helper()
	n.srv.Close()
	eventually(n.t, 10*time.Second, func() (bool, string) {
		return !n.client.Conn().IsConnected(), "client to notice the outage"
	})
}

// start starts the server again on the same store and port.
func (n *stoppableNATS) start() {
	n.t.Helper()
	n.srv = bustest.StartEmbeddedAt(n.t, n.dir, n.port)
}

func portOf(t *testing.T, rawURL string) int {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("port of %s: %v", rawURL, err)
	}
	return p
}

// Many writers commit while relays run continuously — on PostgreSQL two
// relays, and some transactions stay open while others with higher seq
// commit — and every event is published exactly once, in order per
// aggregate.
func TestRelayConcurrentWritersLoseNothing(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		b := bustest.Start(t)
		relays := []*bus.Relay{bus.NewRelay(bdb, b, bustest.Logger(t))}
		if db.IsPostgres(bdb) {
			relays = append(relays, bus.NewRelay(bdb, b, bustest.Logger(t)))
		}
		for _, r := range relays {
			runRelay(t, r)
		}
		const writers, txsPerWriter = 6, 15
		var mu sync.Mutex
		var want []events.Envelope
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				agg := fmt.Sprintf("w%d", w)
				n := 0
				for k := range txsPerWriter {
					var evs []events.Envelope
					for range k%3 + 1 {
						n++
						ev, err := events.New(events.Scope{}, "tester", agg, thingHappened{Aggregate: agg, N: n})
						if err != nil {
							errs <- err
							return
						}
						evs = append(evs, ev)
					}
					err := bdb.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
						for _, ev := range evs { // one insert each: the transaction stays open longer
							if err := bus.Enqueue(ctx, tx, ev); err != nil {
								return err
							}
						}
						if db.IsPostgres(bdb) && (w+k)%4 == 0 {
							// Work inside the transaction, so that it commits
							// after transactions that took a higher seq.
							if _, err := tx.ExecContext(ctx, "SELECT pg_sleep(0.02)"); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						errs <- fmt.Errorf("writer %d tx %d: %w", w, k, err)
						return
					}
					mu.Lock()
					want = append(want, evs...)
					mu.Unlock()
					relays[k%len(relays)].Notify()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		eventually(t, 30*time.Second, func() (bool, string) {
			n := pendingRows(t, bdb)
			return n == 0, fmt.Sprintf("%d rows pending", n)
		})
		checkDelivered(t, streamMessages(t, b, testService), want)
		for i, r := range relays {
			if d := r.Duplicates(); d != 0 {
				t.Errorf("relay %d published %d rows a second time", i, d)
			}
		}
	}, bus.Migrations)
}

// A transaction that took a lower seq but commits late holds back every
// later row, so that it is neither skipped nor overtaken; a rolled-back
// one holds back nothing once it is gone.
func TestRelayWaitsForLateCommit(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		if !db.IsPostgres(bdb) {
			t.Skip("SQLite has one writer: a transaction cannot commit after a later one")
		}
		ctx := context.Background()
		b := bustest.Start(t)
		if err := b.EnsureStream(ctx, testService); err != nil {
			t.Fatal(err)
		}
		relay := bus.NewRelay(bdb, b, bustest.Logger(t))
		early, late, rolledBack := thing(t, "x", 1), thing(t, "x", 2), thing(t, "y", 1)

		slow, err := bdb.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = slow.Rollback() }()
		if err := bus.Enqueue(ctx, slow, early); err != nil {
			t.Fatal(err)
		}
		doomed, err := bdb.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := bus.Enqueue(ctx, doomed, rolledBack); err != nil {
			t.Fatal(err)
		}
		enqueue(t, bdb, late) // commits, with a higher seq than early

		if n, err := relay.PublishPending(ctx); err != nil || n != 0 {
			t.Fatalf("PublishPending with an older transaction open = %d, %v; want 0, nil", n, err)
		}
		if n := streamCount(t, b, testService); n != 0 {
			t.Fatalf("%d messages published ahead of an open older transaction", n)
		}
		if err := doomed.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err := slow.Commit(); err != nil {
			t.Fatal(err)
		}
		// The horizon is the whole server's: other tests' transactions may
		// hold it back a moment longer, so poll passes until both are out.
		relayAll(t, relay, 2, 10*time.Second)
		msgs := streamMessages(t, b, testService)
		checkDelivered(t, msgs, []events.Envelope{early, late})
		if len(msgs) == 2 && msgs[0].Event.ID != early.ID {
			t.Errorf("the late commit was overtaken: stream order %s, %s", msgs[0].Event.ID, msgs[1].Event.ID)
		}
	}, bus.Migrations)
}
