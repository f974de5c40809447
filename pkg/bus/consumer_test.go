package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

func consumerInfo(t *testing.T, b *bus.Bus, durable string) *jetstream.ConsumerInfo {
	t.Helper()
	ctx := context.Background()
	c, err := b.JetStream().Consumer(ctx, b.StreamName(testService), durable)
	if err != nil {
		t.Fatalf("consumer %s: %v", durable, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		t.Fatalf("consumer %s info: %v", durable, err)
	}
	return info
}

func drained(t *testing.T, b *bus.Bus, durable string) (bool, string) {
	t.Helper()
	info := consumerInfo(t, b, durable)
	return info.NumPending == 0 && info.NumAckPending == 0,
		fmt.Sprintf("consumer %s: %d pending, %d awaiting ack", durable, info.NumPending, info.NumAckPending)
}

// A consumer that dies after its commit and before its ack changes
// nothing when the event is redelivered: the handler's side effect
// happens exactly once.
func TestConsumerCrashAfterCommitBeforeAck(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		b := bustest.Start(t)
		if _, err := bdb.ExecContext(ctx, "CREATE TABLE side_effects (event_id TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		var evs []events.Envelope
		for n := 1; n <= 5; n++ {
			evs = append(evs, thing(t, "a", n))
		}
		publish(t, bdb, b, evs...)
		victim := evs[2]

		handled := newRecorder()
		handler := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
			handled.add(ev.ID)
			_, err := tx.ExecContext(ctx, "INSERT INTO side_effects (event_id) VALUES (?)", ev.ID)
			return err
		}
		spec := bus.ConsumerSpec{Service: testService, Durable: "crash-test", FilterSubjects: []string{"bustest.thing.>"}}

		crashed := make(chan struct{})
		var crashOnce sync.Once
		first := bus.WithTestHooks(spec, time.Second, func(ev events.Envelope, _ uint64) bool {
			if ev.ID != victim.ID {
				return true
			}
			crashOnce.Do(func() { close(crashed) })
			return false // committed, never acked
		})
		stopFirst, err := b.Consume(ctx, bdb, first, handler, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-crashed:
		case <-time.After(15 * time.Second):
			t.Fatal("victim event never committed")
		}
		stopFirst() // the process is gone

		var mu sync.Mutex
		var victimRedeliveredAt uint64
		second := bus.WithTestHooks(spec, time.Second, func(ev events.Envelope, delivered uint64) bool {
			if ev.ID == victim.ID {
				mu.Lock()
				victimRedeliveredAt = delivered
				mu.Unlock()
			}
			return true
		})
		stopSecond, err := b.Consume(ctx, bdb, second, handler, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer stopSecond()
		eventually(t, 20*time.Second, func() (bool, string) {
			mu.Lock()
			at := victimRedeliveredAt
			mu.Unlock()
			if at == 0 {
				return false, "victim to be redelivered to the restarted consumer"
			}
			return drained(t, b, "crash-test")
		})

		if victimRedeliveredAt < 2 {
			t.Errorf("victim delivered %d time(s), want a redelivery", victimRedeliveredAt)
		}
		for _, ev := range evs {
			if n := countRows(t, bdb, "SELECT count(*) FROM side_effects WHERE event_id = ?", ev.ID); n != 1 {
				t.Errorf("event %s: %d side effects, want 1", ev.ID, n)
			}
		}
		// The victim's change committed before the crash: the redelivery
		// must not run the handler again. (Other events may have been in
		// hand when the first consumer stopped; their transaction was
		// rolled back, so they may run twice but commit once.)
		if n := handled.count(victim.ID); n != 1 {
			t.Errorf("victim: handler ran %d times, want 1", n)
		}
		if n := countRows(t, bdb, "SELECT count(*) FROM processed_events WHERE consumer = ?", "crash-test"); n != len(evs) {
			t.Errorf("%d processed_events rows, want %d", n, len(evs))
		}
	}, bus.Migrations)
}

// A Permanent error terminates at once, an ever-failing handler after
// MaxDeliver attempts, an undecodable message at once; the others are
// processed, and none of the poison is recorded as processed.
func TestConsumerTerminatesPoison(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		b := bustest.Start(t)
		if err := b.EnsureStream(ctx, testService); err != nil {
			t.Fatal(err)
		}
		const durable = "poison-test"
		advisories, err := b.Conn().SubscribeSync("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED." + b.StreamName(testService) + "." + durable)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = advisories.Unsubscribe() }()

		good1 := thing(t, "a", 1)
		permanent := newEvent(t, thingHappened{Aggregate: "b", N: 1, Kind: "permanent"}, "b")
		flaky := newEvent(t, thingHappened{Aggregate: "c", N: 1, Kind: "always-fails"}, "c")
		good2 := thing(t, "a", 2)
		publish(t, bdb, b, good1, permanent, flaky, good2)
		if _, err := b.JetStream().Publish(ctx, b.Subject("bustest.thing.happened"), []byte("not an envelope")); err != nil {
			t.Fatal(err)
		}

		const maxDeliver = 3
		attempts := newRecorder()
		spec := bus.ConsumerSpec{
			Service: testService, Durable: durable, MaxDeliver: maxDeliver,
			Backoff: []time.Duration{20 * time.Millisecond, 50 * time.Millisecond},
		}
		stop, err := b.Consume(ctx, bdb, spec, func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
			attempts.add(ev.ID)
			var p thingHappened
			if err := ev.Decode(&p); err != nil {
				return bus.Permanent(err)
			}
			switch p.Kind {
			case "permanent":
				return bus.Permanent(errors.New("violates an invariant"))
			case "always-fails":
				return errors.New("downstream unavailable")
			}
			return nil
		}, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer stop()

		var reasons []string
		for len(reasons) < 3 {
			msg, err := advisories.NextMsg(20 * time.Second)
			if err != nil {
				t.Fatalf("waiting for termination advisory %d: %v (got %q)", len(reasons)+1, err, reasons)
			}
			var adv struct {
				Reason     string `json:"reason"`
				Deliveries uint64 `json:"deliveries"`
			}
			if err := json.Unmarshal(msg.Data, &adv); err != nil {
				t.Fatal(err)
			}
			reasons = append(reasons, adv.Reason)
		}
		eventually(t, 10*time.Second, func() (bool, string) { return drained(t, b, durable) })

		slices.Sort(reasons)
		for i, prefix := range []string{"max deliveries", "permanent", "undecodable"} {
			if !strings.HasPrefix(reasons[i], prefix) {
				t.Errorf("termination reasons %q: want one starting with %q", reasons, prefix)
			}
		}
		wantAttempts := map[string]int{good1.ID: 1, permanent.ID: 1, flaky.ID: maxDeliver, good2.ID: 1}
		for id, want := range wantAttempts {
			if got := attempts.count(id); got != want {
				t.Errorf("event %s handled %d times, want %d", id, got, want)
			}
		}
		var processed []string
		if err := bdb.NewRaw("SELECT event_id FROM processed_events WHERE consumer = ? ORDER BY event_id", durable).
			Scan(ctx, &processed); err != nil {
			t.Fatal(err)
		}
		want := []string{good1.ID, good2.ID}
		slices.Sort(want)
		if !slices.Equal(processed, want) {
			t.Errorf("processed_events = %v, want %v", processed, want)
		}
		if msg, err := advisories.NextMsg(200 * time.Millisecond); err == nil {
			t.Errorf("unexpected extra termination: %s", msg.Data)
		}
	}, bus.Migrations)
}

// Follow delivers, in stream order, the events stored from since on that
// match the filter, retrying a failing callback without reordering.
func TestFollowDeliversInOrderFromSince(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		b := bustest.Start(t)
		a1, a2 := thing(t, "a", 1), thing(t, "a", 2)
		publish(t, bdb, b, a1, a2)
		since := time.Now() // a1 and a2 were acknowledged, so stored, before this
		a3, other, a4, b1 := thing(t, "a", 3), newEvent(t, otherHappened{N: 1}, "o"), thing(t, "a", 4), thing(t, "b", 1)
		sentinel := thing(t, "z", 1) // the last event: once it arrives, everything before it has
		publish(t, bdb, b, a3, other, a4, b1, sentinel)

		tests := []struct {
			name   string
			filter []string
			since  time.Time
			want   []events.Envelope
		}{
			{"all from the start", nil, time.Time{}, []events.Envelope{a1, a2, a3, other, a4, b1, sentinel}},
			{"one type from since", []string{"bustest.thing.happened"}, since, []events.Envelope{a3, a4, b1, sentinel}},
			{"wildcard from since", []string{"bustest.thing.>"}, since, []events.Envelope{a3, a4, b1, sentinel}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				applied := newRecorder()
				failures := newRecorder()
				stop, err := b.Follow(ctx, testService, tc.filter, tc.since, func(ctx context.Context, ev events.Envelope) error {
					if ev.ID == a3.ID && failures.add(ev.ID) == 1 {
						return errors.New("enforcer busy") // retried, not skipped
					}
					applied.add(ev.ID)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				defer stop()
				eventually(t, 15*time.Second, func() (bool, string) {
					return applied.count(sentinel.ID) > 0, fmt.Sprintf("sentinel; applied so far %v", applied.seq())
				})
				if got, want := applied.seq(), ids(tc.want); !slices.Equal(got, want) {
					t.Errorf("applied %v, want %v", got, want)
				}
			})
		}
	}, bus.Migrations)
}

// A durable consumer terminates, without handling, an event whose
// envelope names another service than the subject it arrived on.
func TestConsumerRefusesEventsFromAnotherService(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		b := bustest.Start(t)
		if err := b.EnsureStream(ctx, testService); err != nil {
			t.Fatal(err)
		}
		const durable = "origin-test"
		advisories, err := b.Conn().SubscribeSync("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED." + b.StreamName(testService) + "." + durable)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = advisories.Unsubscribe() }()

		wrongSource := thing(t, "a", 1)
		wrongSource.Source = "parks"
		wrongType := thing(t, "a", 2)
		wrongType.Type = "parks.member.role_granted"
		for _, ev := range []events.Envelope{wrongSource, wrongType} {
			raw, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.JetStream().Publish(ctx, b.Subject("bustest.thing.happened"), raw); err != nil {
				t.Fatal(err)
			}
		}
		good := thing(t, "a", 3)
		publish(t, bdb, b, good)

		handled := newRecorder()
		stop, err := b.Consume(ctx, bdb, bus.ConsumerSpec{Service: testService, Durable: durable},
			func(ctx context.Context, tx bun.Tx, ev events.Envelope) error { handled.add(ev.ID); return nil }, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		for i := range 2 {
			msg, err := advisories.NextMsg(20 * time.Second)
			if err != nil {
				t.Fatalf("waiting for termination %d: %v", i+1, err)
			}
			var adv struct {
				Reason string `json:"reason"`
			}
			if err := json.Unmarshal(msg.Data, &adv); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(adv.Reason, "refused") {
				t.Errorf("termination reason %q, want refused…", adv.Reason)
			}
		}
		eventually(t, 10*time.Second, func() (bool, string) { return handled.count(good.ID) == 1, "the genuine event to be handled" })
		if got := handled.seq(); len(got) != 1 {
			t.Errorf("handled %v, want only %s", got, good.ID)
		}
	}, bus.Migrations)
}
