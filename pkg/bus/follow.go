package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/events"
)

// Follow delivers the events of service whose types match filterTypes (all
// when empty), stored at or after since (all when zero), to fn in stream
// order, until stop is called or ctx is done. It uses an ordered ephemeral
// consumer: nothing is stored on the server, so every process follows on
// its own — meant for in-memory state such as Casbin enforcers, loaded
// from the database at since and kept current from then on (fn must
// tolerate an event it has already seen).
//
// A failing fn is retried with back-off until it succeeds, since skipping
// an event would leave the state wrong; Permanent errors and undecodable
// messages are logged and skipped.
//
// Another service's stream that is not declared yet is waited for in the
// background (see whenDeclared), so no service waits on another to start.
func (b *Bus) Follow(ctx context.Context, service string, filterTypes []string, since time.Time,
	fn func(ctx context.Context, ev events.Envelope) error) (stop func(), err error) {
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if !since.IsZero() {
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		cfg.OptStartTime = &since
	}
	return b.whenDeclared(ctx, service, "follow "+service, func(ctx context.Context) (func(), error) {
		return b.follow(ctx, service, filterTypes, cfg, func(ctx context.Context, _ uint64, ev events.Envelope) error { return fn(ctx, ev) })
	})
}

// FollowAfter is Follow from the first event stored after stream sequence
// after (the whole stream when 0), telling fn each event's stream
// sequence, so a follower that keeps its state and the last sequence it
// applied can start again from there instead of the first event.
func (b *Bus) FollowAfter(ctx context.Context, service string, filterTypes []string, after uint64,
	fn func(ctx context.Context, seq uint64, ev events.Envelope) error) (stop func(), err error) {
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if after > 0 {
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = after + 1
	}
	return b.whenDeclared(ctx, service, "follow "+service, func(ctx context.Context) (func(), error) {
		return b.follow(ctx, service, filterTypes, cfg, fn)
	})
}

// LastSeq is the sequence of the last message in service's stream (0
// when it is empty or not declared yet).
func (b *Bus) LastSeq(ctx context.Context, service string) (uint64, error) {
	st, err := b.js.Stream(ctx, b.StreamName(service))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", b.StreamName(service), err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream %s info: %w", b.StreamName(service), err)
	}
	return info.State.LastSeq, nil
}

func (b *Bus) follow(ctx context.Context, service string, filterTypes []string, cfg jetstream.OrderedConsumerConfig,
	fn func(ctx context.Context, seq uint64, ev events.Envelope) error) (stop func(), err error) {
	cfg.FilterSubjects = b.filters(service, filterTypes)
	cons, err := b.js.OrderedConsumer(ctx, b.StreamName(service), cfg)
	if err != nil {
		return nil, fmt.Errorf("follow %s: %w", service, err)
	}
	log := b.log.With("component", "bus-follow", "stream", b.StreamName(service))
	cctx, cancel := context.WithCancel(ctx)
	var mu sync.Mutex // held while fn runs
	var stopped atomic.Bool
	lag := &lagTracker{what: "follow " + service, cons: cons}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		mu.Lock()
		defer mu.Unlock()
		if stopped.Load() {
			return
		}
		// Applied, or skipped for good, below; not when stopping.
		defer func() {
			if !stopped.Load() && cctx.Err() == nil {
				lag.handled(msg)
			}
		}()
		var ev events.Envelope
		if err := json.Unmarshal(msg.Data(), &ev); err != nil || ev.ID == "" {
			log.Error("skipping undecodable message", "subject", msg.Subject(), "err", err)
			return
		}
		if err := b.checkOrigin(service, msg.Subject(), ev); err != nil {
			log.Error("skipping event: refusing an event that does not come from its service", "event_id", ev.ID,
				"event_type", ev.Type, "subject", msg.Subject(), "source", ev.Source, "err", err)
			return
		}
		var seq uint64
		if md, err := msg.Metadata(); err == nil {
			seq = md.Sequence.Stream
		}
		delay := 100 * time.Millisecond
		for attempt := 1; ; attempt++ {
			err := fn(cctx, seq, ev)
			if err == nil {
				return
			}
			if isPermanent(err) {
				log.Error("skipping event: permanent error", "event_id", ev.ID, "event_type", ev.Type, "err", err)
				return
			}
			log.Warn("follow handler failed; retrying", "event_id", ev.ID, "event_type", ev.Type,
				"attempt", attempt, "err", err, "retry_in", delay)
			t := time.NewTimer(delay)
			select {
			case <-cctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			delay = min(2*delay, 5*time.Second)
		}
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		log.Debug("follow", "err", err)
	}))
	if err != nil {
		cancel()
		return nil, fmt.Errorf("follow %s: %w", service, err)
	}
	untrack := b.lag.add(lag)
	stop = sync.OnceFunc(func() {
		untrack()
		stopped.Store(true)
		cc.Stop()
		cancel()
		mu.Lock()
		defer mu.Unlock()
	})
	go func() {
		<-cctx.Done()
		stop()
	}()
	return stop, nil
}
