package bus_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// A 2,000-event burst over 40 aggregates, with NATS stopped and started
// again three times while the relay has waves in flight: every event is
// stored exactly once, each aggregate's events in order, and a durable
// consumer running throughout handles each event once.
func TestRelayBurstSurvivesNATSRestartsMidWave(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		n := startStoppableNATS(t)
		relay := bus.NewRelay(bdb, n.client, bustest.Logger(t))
		runRelay(t, relay)
		handled := newRecorder()
		if err := n.client.EnsureStream(ctx, testService); err != nil {
			t.Fatal(err)
		}
		stopConsumer, err := n.client.Consume(ctx, bdb, bus.ConsumerSpec{Service: testService, Durable: "downstream"},
			func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
				handled.add(ev.ID)
				return nil
			}, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer stopConsumer()

		const aggregates, perAggregate, perTx = 40, 50, 20
		var want []events.Envelope
		for n := 1; n <= perAggregate; n++ {
			for a := range aggregates {
				want = append(want, thing(t, fmt.Sprintf("agg-%02d", a), n))
			}
		}
		written := make(chan int, len(want)/perTx)
		defer func() {
			for range written { // the writer ends before the database closes
			}
		}()
		go func() {
			defer close(written)
			for i := 0; i < len(want); i += perTx {
				if err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					return bus.Enqueue(ctx, tx, want[i:i+perTx]...)
				}); err != nil {
					t.Errorf("enqueue: %v", err)
					return
				}
				relay.Notify()
				written <- i + perTx
			}
		}()
		// Stop NATS each time the relay has stored some of what was
		// written since the last start, while writes go on.
		for restart := range 3 {
			floor := stored(t, n.srv)
			eventually(t, 30*time.Second, func() (bool, string) {
				got := stored(t, n.srv)
				return got > floor, fmt.Sprintf("restart %d: the relay to store past %d", restart, floor)
			})
			n.stop()
			n.start()
		}
		eventually(t, 60*time.Second, func() (bool, string) {
			n := pendingRows(t, bdb)
			return n == 0, fmt.Sprintf("%d rows pending after the restarts", n)
		})
		checkDelivered(t, streamMessages(t, n.srv, testService), want)
		eventually(t, 60*time.Second, func() (bool, string) {
			got := countRows(t, bdb, "SELECT COUNT(*) FROM processed_events WHERE consumer = ?", "downstream")
			return got == len(want), fmt.Sprintf("the consumer to handle %d events (%d so far)", len(want), got)
		})
		for _, ev := range want {
			if c := handled.count(ev.ID); c != 1 {
				t.Errorf("event %s handled %d times downstream", ev.ID, c)
			}
		}
		t.Logf("%d of %d publishes were answered as duplicates (acks lost in the restarts)", relay.Duplicates(), len(want))
	}, bus.Migrations)
}

// stored is how many messages the test stream holds; none before the
// relay created it.
func stored(t *testing.T, b *bus.Bus) uint64 {
	t.Helper()
	if _, err := b.JetStream().Stream(context.Background(), b.StreamName(testService)); errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0
	}
	return streamCount(t, b, testService)
}

// Acks that fail in the middle of a wave, while later rows of the batch
// would be accepted, delay only their aggregates: each aggregate's events
// still reach the stream in order, each once. The stream refuses the
// second half of one event type (a per-subject limit), then accepts it.
func TestRelayFailedAcksMidWaveKeepOrderPerAggregate(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		b := bustest.Start(t)
		if err := b.EnsureStream(ctx, testService); err != nil {
			t.Fatal(err)
		}
		limit := func(perSubject int64) {
			t.Helper()
			s, err := b.JetStream().Stream(ctx, b.StreamName(testService))
			if err != nil {
				t.Fatal(err)
			}
			cfg := s.CachedInfo().Config
			cfg.MaxMsgsPerSubject, cfg.Discard, cfg.DiscardNewPerSubject = perSubject, jetstream.DiscardNew, perSubject > 0
			if perSubject <= 0 {
				cfg.Discard = jetstream.DiscardOld
			}
			if _, err := b.JetStream().UpdateStream(ctx, cfg); err != nil {
				t.Fatal(err)
			}
		}
		limit(50)

		// 100 aggregates, each: other, then thing; all in one batch, the
		// things in reverse order of aggregate. The limit takes the first
		// 50 of each subject: the others of aggregates 50-99 fail, while
		// their things would be accepted, ahead of them.
		const aggs = 100
		var want []events.Envelope
		for a := range aggs {
			want = append(want, newEvent(t, otherHappened{N: 1}, fmt.Sprintf("agg-%03d", a)))
		}
		for a := aggs - 1; a >= 0; a-- {
			want = append(want, thing(t, fmt.Sprintf("agg-%03d", a), 2))
		}
		enqueue(t, bdb, want...)
		relay := bus.NewRelay(bdb, b, bustest.Logger(t))
		// A pass held back by another package's open transaction (the
		// PostgreSQL horizon is the server's) publishes nothing: try again.
		var passErr error
		eventually(t, 30*time.Second, func() (bool, string) {
			var n int
			n, passErr = relay.PublishPending(ctx)
			return passErr != nil || n > 0, "a pass that reaches the stream"
		})
		if passErr == nil {
			t.Fatal("PublishPending over the limit succeeded; the test set-up does not fail acks")
		}
		if n := pendingRows(t, bdb); n == 0 {
			t.Fatal("nothing left pending after failed acks")
		}
		checkOrderPerAggregate(t, streamMessages(t, b, testService), want, false)

		limit(0)
		eventually(t, 30*time.Second, func() (bool, string) {
			if _, err := relay.PublishPending(ctx); err != nil {
				t.Fatal(err)
			}
			n := pendingRows(t, bdb)
			return n == 0, fmt.Sprintf("%d rows pending after the limit was lifted", n)
		})
		checkOrderPerAggregate(t, streamMessages(t, b, testService), want, true)
	}, bus.Migrations)
}

// checkOrderPerAggregate asserts that msgs hold events of want at most
// once each (exactly once when complete) and each aggregate's in the order
// of want, with no gap: an event only after all earlier ones of its
// aggregate.
func checkOrderPerAggregate(t *testing.T, msgs []storedMessage, want []events.Envelope, complete bool) {
	t.Helper()
	perAgg := map[string][]string{}
	for _, ev := range want {
		perAgg[ev.AggregateID] = append(perAgg[ev.AggregateID], ev.ID)
	}
	next := map[string]int{}
	for i, m := range msgs {
		seq := perAgg[m.Event.AggregateID]
		k := next[m.Event.AggregateID]
		if k >= len(seq) || seq[k] != m.Event.ID {
			t.Fatalf("message %d: event %s of %s out of order or repeated (expected #%d of its aggregate)", i, m.Event.ID, m.Event.AggregateID, k+1)
		}
		next[m.Event.AggregateID] = k + 1
	}
	if complete && len(msgs) != len(want) {
		t.Fatalf("stream holds %d messages, want %d", len(msgs), len(want))
	}
}
