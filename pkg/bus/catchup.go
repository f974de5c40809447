package bus

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/nats-io/nats.go/jetstream"
)

// lagTracker says whether one follower or consumer has handled every
// event that matched it when it started. Once it has, it stays caught up:
// readiness means the state built from the stream was complete at some
// point after the start, not that no event is ever in flight.
type lagTracker struct {
	what    string
	cons    jetstream.Consumer
	durable bool // acks mark what is handled; else lastHandled does
	// lastHandled is the consumer sequence of the last message handled
	// (an ordered consumer's, for followers).
	lastHandled atomic.Uint64
	caughtUp    atomic.Bool
}

// handled records msg as handled (applied, or skipped for good).
func (t *lagTracker) handled(msg jetstream.Msg) {
	if t == nil {
		return
	}
	if meta, err := msg.Metadata(); err == nil {
		t.lastHandled.Store(meta.Sequence.Consumer)
	}
}

// check asks the server whether the consumer has anything left that was
// there before: nothing pending, and every message it delivered handled
// (acknowledged, for a durable consumer).
func (t *lagTracker) check(ctx context.Context) error {
	if t.caughtUp.Load() {
		return nil
	}
	info, err := t.cons.Info(ctx)
	if err != nil {
		return fmt.Errorf("%s: catching up: %w", t.what, err)
	}
	behind := info.NumPending
	if t.durable {
		behind += uint64(info.NumAckPending)
	} else if last := t.lastHandled.Load(); info.Delivered.Consumer > last {
		behind += info.Delivered.Consumer - last
	}
	if behind > 0 {
		return fmt.Errorf("%s: catching up, %d event(s) behind", t.what, behind)
	}
	t.caughtUp.Store(true)
	return nil
}

// lagTrackers are the followers and consumers running on a Bus.
type lagTrackers struct {
	mu sync.Mutex
	ts map[*lagTracker]struct{}
}

func (l *lagTrackers) add(t *lagTracker) (remove func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ts == nil {
		l.ts = map[*lagTracker]struct{}{}
	}
	l.ts[t] = struct{}{}
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.ts, t)
	}
}

// CaughtUp reports whether every follower and consumer running on b has
// handled the events stored before it started; the error names the first
// that has not. Startup.Ready includes it, so /readyz answers 503 until a
// service's enforcer and read models are as complete as the stream.
func (b *Bus) CaughtUp(ctx context.Context) error {
	b.lag.mu.Lock()
	ts := make([]*lagTracker, 0, len(b.lag.ts))
	for t := range b.lag.ts {
		ts = append(ts, t)
	}
	b.lag.mu.Unlock()
	for _, t := range ts {
		if err := t.check(ctx); err != nil {
			return err
		}
	}
	return nil
}
