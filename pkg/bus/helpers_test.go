package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/events"
)

// testService owns the stream of the test events.
const testService = bustest.Service

// thingHappened is the payload of the test events: N counts the events of
// one aggregate, so order per aggregate can be checked.
type thingHappened struct {
	Aggregate string `json:"aggregate"`
	N         int    `json:"n"`
	Kind      string `json:"kind,omitempty"`
}

func (thingHappened) EventType() string { return "bustest.thing.happened" }
func (thingHappened) EventVersion() int { return 1 }

// otherHappened is a second event type of the same service, for filters.
type otherHappened struct {
	N int `json:"n"`
}

func (otherHappened) EventType() string { return "bustest.other.happened" }
func (otherHappened) EventVersion() int { return 1 }

func newEvent(t *testing.T, p events.Payload, aggregate string) events.Envelope {
	t.Helper()
	ev, err := events.New(events.Scope{RegionID: "r1", CarrierID: "c1"}, "tester", aggregate, p)
	if err != nil {
		t.Fatalf("new event: %v", err)
	}
	return ev
}

func thing(t *testing.T, aggregate string, n int) events.Envelope {
	t.Helper()
	return newEvent(t, thingHappened{Aggregate: aggregate, N: n}, aggregate)
}

// enqueue commits evs in one transaction.
func enqueue(t *testing.T, bdb *bun.DB, evs ...events.Envelope) {
	t.Helper()
	err := bdb.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		return bus.Enqueue(ctx, tx, evs...)
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// publish enqueues evs and publishes the outbox.
func publish(t *testing.T, bdb *bun.DB, b *bus.Bus, evs ...events.Envelope) {
	t.Helper()
	enqueue(t, bdb, evs...)
	relayAll(t, bus.NewRelay(bdb, b, bustest.Logger(t)), len(evs), 30*time.Second)
}

// relayAll runs r until it has published want rows, within the given
// time. On PostgreSQL the
// relay takes only rows below the snapshot's xmin, and xmin is the whole
// server's: a transaction open in another schema (another test package
// running beside this one) holds the rows back until it ends, so one pass
// may publish none.
func relayAll(t *testing.T, r *bus.Relay, want int, within time.Duration) {
	t.Helper()
	total := 0
	eventually(t, within, func() (bool, string) {
		n, err := r.PublishPending(context.Background())
		if err != nil {
			t.Fatalf("publish pending: %v", err)
		}
		total += n
		return total >= want, fmt.Sprintf("%d of %d rows published", total, want)
	})
	if total != want {
		t.Fatalf("published %d rows, want %d", total, want)
	}
}

func countRows(t *testing.T, bdb *bun.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := bdb.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func pendingRows(t *testing.T, bdb *bun.DB) int {
	t.Helper()
	return countRows(t, bdb, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
}

// eventually polls cond until it holds or the deadline passes; cond
// returns a description of what it still waits for.
func eventually(t *testing.T, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, what := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %s: %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond) // poll interval, not a wait for an outcome
	}
}

// storedMessage is one message read back from a stream.
type storedMessage struct {
	Subject string
	Headers map[string]string
	Event   events.Envelope
}

// streamMessages reads every message of service's stream in order.
func streamMessages(t *testing.T, b *bus.Bus, service string) []storedMessage {
	t.Helper()
	ctx := context.Background()
	s, err := b.JetStream().Stream(ctx, b.StreamName(service))
	if err != nil {
		t.Fatalf("stream %s: %v", b.StreamName(service), err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatalf("stream info: %v", err)
	}
	var out []storedMessage
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		raw, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("get message %d: %v", seq, err)
		}
		m := storedMessage{Subject: raw.Subject, Headers: map[string]string{}}
		for k := range raw.Header {
			m.Headers[k] = raw.Header.Get(k)
		}
		if err := json.Unmarshal(raw.Data, &m.Event); err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		out = append(out, m)
	}
	return out
}

func streamCount(t *testing.T, b *bus.Bus, service string) uint64 {
	t.Helper()
	s, err := b.JetStream().Stream(context.Background(), b.StreamName(service))
	if err != nil {
		t.Fatalf("stream %s: %v", b.StreamName(service), err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatalf("stream info: %v", err)
	}
	return info.State.Msgs
}

// checkDelivered asserts that msgs hold exactly the events in want, each
// once, and that each aggregate's events appear in increasing N.
func checkDelivered(t *testing.T, msgs []storedMessage, want []events.Envelope) {
	t.Helper()
	wantIDs := map[string]bool{}
	for _, ev := range want {
		wantIDs[ev.ID] = true
	}
	seen := map[string]int{}
	lastN := map[string]int{}
	for i, m := range msgs {
		seen[m.Event.ID]++
		if !wantIDs[m.Event.ID] {
			t.Errorf("message %d: unexpected event %s", i, m.Event.ID)
		}
		var p thingHappened
		if err := m.Event.Decode(&p); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if prev, ok := lastN[p.Aggregate]; ok && p.N <= prev {
			t.Errorf("aggregate %s: event n=%d arrived after n=%d", p.Aggregate, p.N, prev)
		}
		lastN[p.Aggregate] = p.N
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s stored %d times", id, n)
		}
	}
	for id := range wantIDs {
		if seen[id] == 0 {
			t.Errorf("event %s lost", id)
		}
	}
	if len(msgs) != len(want) {
		t.Errorf("stream holds %d messages, want %d", len(msgs), len(want))
	}
}

// runRelay runs r until the test ends.
func runRelay(t *testing.T, r *bus.Relay) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("relay run: %v", err)
		}
	})
}

// recorder collects what handlers saw, safely across goroutines.
type recorder struct {
	mu    sync.Mutex
	calls map[string]int
	order []string
}

func newRecorder() *recorder { return &recorder{calls: map[string]int{}} }

func (r *recorder) add(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[id]++
	r.order = append(r.order, id)
	return r.calls[id]
}

func (r *recorder) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[id]
}

func (r *recorder) seq() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.order...)
}

func ids(evs []events.Envelope) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.ID
	}
	return out
}
