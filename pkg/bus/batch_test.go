package bus_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// batchLedger is what a batched handler did: the transactions it ran in
// and, per committed event, the order it was applied in (a table, so a
// rolled-back batch leaves nothing).
type batchLedger struct {
	mu  sync.Mutex
	txs map[*sql.Tx]int // events handled per transaction, committed or not
	pos int
}

func newBatchLedger(t *testing.T, bdb *bun.DB) *batchLedger {
	t.Helper()
	if _, err := bdb.ExecContext(context.Background(), "CREATE TABLE applied (event_id TEXT NOT NULL, aggregate TEXT NOT NULL, n INTEGER NOT NULL, pos INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return &batchLedger{txs: map[*sql.Tx]int{}}
}

// record notes ev as applied in tx.
func (l *batchLedger) record(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
	var p thingHappened
	if err := ev.Decode(&p); err != nil {
		return bus.Permanent(err)
	}
	l.mu.Lock()
	l.txs[tx.Tx]++
	l.pos++
	pos := l.pos
	l.mu.Unlock()
	_, err := tx.ExecContext(ctx, "INSERT INTO applied (event_id, aggregate, n, pos) VALUES (?, ?, ?, ?)", ev.ID, p.Aggregate, p.N, pos)
	return err
}

// check fails t unless every event of want was applied exactly once,
// nothing else was, and each aggregate's events in the order of N.
func (l *batchLedger) check(t *testing.T, bdb *bun.DB, want []events.Envelope) {
	t.Helper()
	var rows []struct {
		EventID   string `bun:"event_id"`
		Aggregate string `bun:"aggregate"`
		N         int    `bun:"n"`
	}
	if err := bdb.NewRaw("SELECT event_id, aggregate, n FROM applied ORDER BY pos").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	seen, last := map[string]int{}, map[string]int{}
	for _, r := range rows {
		seen[r.EventID]++
		if r.N <= last[r.Aggregate] {
			t.Errorf("aggregate %s: event %d applied after %d", r.Aggregate, r.N, last[r.Aggregate])
		}
		last[r.Aggregate] = r.N
	}
	for _, ev := range want {
		if seen[ev.ID] != 1 {
			t.Errorf("event %s applied %d times, want once", ev.ID, seen[ev.ID])
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d events applied, want %d", len(rows), len(want))
	}
}

func (l *batchLedger) transactions() (n, largest int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range l.txs {
		n, largest = n+1, max(largest, k)
	}
	return n, largest
}

// consumeAll publishes evs on a fresh bus, consumes them with spec and h
// until the consumer has nothing pending or awaiting an ack, and stops it.
func consumeAll(t *testing.T, bdb *bun.DB, spec bus.ConsumerSpec, h bus.Handler, evs []events.Envelope) {
	t.Helper()
	b := bustest.Start(t)
	// On a PostgreSQL server shared with other work, a transaction open
	// elsewhere holds the relay's horizon back: publish until the stream
	// holds every event, or the consumer would find it drained at once.
	if err := b.EnsureStream(context.Background(), testService); err != nil {
		t.Fatal(err)
	}
	enqueue(t, bdb, evs...)
	relay := bus.NewRelay(bdb, b, bustest.Logger(t))
	eventually(t, 30*time.Second, func() (bool, string) {
		if _, err := relay.PublishPending(context.Background()); err != nil {
			return false, err.Error()
		}
		n := streamCount(t, b, testService)
		return n == uint64(len(evs)), fmt.Sprintf("%d of %d events on the stream", n, len(evs))
	})
	spec.Service = testService
	stop, err := b.Consume(context.Background(), bdb, spec, h, bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	eventually(t, 20*time.Second, func() (bool, string) { return drained(t, b, spec.Durable) })
}

// burst is n events over four aggregates, numbered per aggregate.
func burst(t *testing.T, n int) []events.Envelope {
	var evs []events.Envelope
	for i := range n {
		evs = append(evs, thing(t, fmt.Sprintf("agg%d", i%4), i/4+1))
	}
	return evs
}

// A batched consumer applies a burst waiting on the stream in few
// transactions, each event once, each aggregate in order, and records
// each event once in processed_events.
func TestBatchConsumerAppliesABurstInFewTransactions(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ledger := newBatchLedger(t, bdb)
		evs := burst(t, 40)
		const durable = "batch-burst"
		consumeAll(t, bdb, bus.ConsumerSpec{Durable: durable, Batch: 16}, ledger.record, evs)
		ledger.check(t, bdb, evs)
		if n, largest := ledger.transactions(); n > 10 || largest < 2 || largest > 16 {
			t.Errorf("40 waiting events took %d transactions, the largest of %d events; want at most 10, none over the batch of 16", n, largest)
		}
		if got := countRows(t, bdb, "SELECT count(*) FROM processed_events WHERE consumer = ?", durable); got != 40 {
			t.Errorf("processed_events holds %d rows, want 40", got)
		}
	}, bus.Migrations)
}

// One event that fails in a batch rolls the batch back; its events are
// then applied one by one: the others once each and acknowledged, the
// flaky one after its retries, the poison one terminated and never
// applied — nothing acknowledged that was not committed.
func TestBatchConsumerSplitsAroundAFailure(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ledger := newBatchLedger(t, bdb)
		evs := burst(t, 24)
		flaky := newEvent(t, thingHappened{Aggregate: "flaky", N: 1, Kind: "flaky"}, "flaky")
		poison := newEvent(t, thingHappened{Aggregate: "poison", N: 1, Kind: "permanent"}, "poison")
		all := append(append(append([]events.Envelope{}, evs[:8]...), flaky), evs[8:16]...)
		all = append(append(all, poison), evs[16:]...)

		attempts := newRecorder()
		handler := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
			var p thingHappened
			if err := ev.Decode(&p); err != nil {
				return bus.Permanent(err)
			}
			switch p.Kind {
			case "flaky":
				if attempts.add(ev.ID) <= 2 {
					return errors.New("downstream unavailable")
				}
			case "permanent":
				attempts.add(ev.ID)
				return bus.Permanent(errors.New("violates an invariant"))
			}
			return ledger.record(ctx, tx, ev)
		}
		const durable = "batch-split"
		consumeAll(t, bdb, bus.ConsumerSpec{Durable: durable, Batch: 10, MaxDeliver: 5, Backoff: []time.Duration{50 * time.Millisecond}}, handler, all)
		ledger.check(t, bdb, append(append([]events.Envelope{}, evs...), flaky))
		if got := attempts.count(flaky.ID); got < 3 {
			t.Errorf("the flaky event was tried %d times, want at least 3 (two failures, then applied)", got)
		}
		if got := countRows(t, bdb, "SELECT count(*) FROM processed_events WHERE consumer = ? AND event_id = ?", durable, poison.ID); got != 0 {
			t.Errorf("the poison event is recorded as processed")
		}
		if got := countRows(t, bdb, "SELECT count(*) FROM processed_events WHERE consumer = ?", durable); got != 25 {
			t.Errorf("processed_events holds %d rows, want 25 (24 and the flaky one)", got)
		}
	}, bus.Migrations)
}

// A batched consumer that dies after its commit and before its acks
// changes nothing when the batch is redelivered: every event is skipped
// as processed, and applied once in all.
func TestBatchConsumerCrashAfterCommitBeforeAck(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ledger := newBatchLedger(t, bdb)
		evs := burst(t, 12)
		const durable = "batch-crash"
		var mu sync.Mutex
		crashed := map[string]bool{}
		spec := bus.WithTestHooks(bus.ConsumerSpec{Durable: durable, Batch: 12}, time.Second,
			func(ev events.Envelope, delivered uint64) bool {
				mu.Lock()
				defer mu.Unlock()
				if delivered == 1 {
					crashed[ev.ID] = true
					return false // committed, never acked
				}
				return true
			})
		consumeAll(t, bdb, spec, ledger.record, evs)
		ledger.check(t, bdb, evs)
		mu.Lock()
		defer mu.Unlock()
		if len(crashed) != 12 {
			t.Errorf("%d events were committed without their ack, want all 12", len(crashed))
		}
	}, bus.Migrations)
}
