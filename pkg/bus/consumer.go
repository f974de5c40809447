package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/events"
)

// Handler applies one event inside the consumer's transaction tx; its
// change commits together with the record that the event was processed.
type Handler func(ctx context.Context, tx bun.Tx, ev events.Envelope) error

// ConsumerSpec describes a durable consumer.
type ConsumerSpec struct {
	// Service owns the stream consumed (e.g. "parks").
	Service string
	// Durable is the consumer's stable name, e.g. "companies-parks-members";
	// it also keys processed_events.
	Durable string
	// FilterSubjects are event types, wildcards allowed
	// ("parks.member.>"); empty means every event of Service.
	FilterSubjects []string
	// MaxDeliver is how often a message is tried before it is
	// terminated; 0 means 10, -1 unlimited.
	MaxDeliver int
	// Backoff is the delay before redelivery after the n-th failure (the
	// last one repeats); empty means 1s, 5s, 30s.
	Backoff []time.Duration

	// Test hooks, set through export_test.go.
	ackWait     time.Duration
	afterCommit func(ev events.Envelope, delivered uint64) (ack bool)
}

// Consumer defaults, see ConsumerSpec.
const defaultMaxDeliver = 10

var defaultBackoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}

// ackWait is how long the server waits for an ack before redelivering; a
// handler runs one short transaction, so 30s means the consumer died.
const ackWait = 30 * time.Second

type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks a handler error as one that no retry can fix (invalid
// payload, violated invariant): the message is terminated and logged
// instead of redelivered.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

func isPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Consume runs h for every event matching spec on a durable JetStream pull
// consumer until stop is called or ctx is done. Each message is handled in
// one transaction that first records (consumer, event id) in
// processed_events — a redelivered event already recorded skips h — and
// it is acknowledged only after the commit. A failing h is retried after
// the spec's back-off; after MaxDeliver attempts, or at once when h
// returns Permanent, the message is terminated and logged. stop waits for
// the message in hand (its transaction is cancelled and it is redelivered).
func (b *Bus) Consume(ctx context.Context, bdb *bun.DB, spec ConsumerSpec, h Handler, log *slog.Logger) (stop func(), err error) {
	if spec.Service == "" || spec.Durable == "" {
		return nil, fmt.Errorf("consume: service and durable name are required (got %q, %q)", spec.Service, spec.Durable)
	}
	if strings.ContainsAny(spec.Durable, ".*> \t") {
		return nil, fmt.Errorf("consume: invalid durable name %q", spec.Durable)
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "bus-consumer", "consumer", spec.Durable, "stream", b.StreamName(spec.Service))
	if spec.MaxDeliver == 0 {
		spec.MaxDeliver = defaultMaxDeliver
	}
	if len(spec.Backoff) == 0 {
		spec.Backoff = defaultBackoff
	}
	wait := ackWait
	if spec.ackWait > 0 {
		wait = spec.ackWait
	}
	// The owner may not have declared its stream yet: the consumer then
	// starts in the background once it has.
	return b.whenDeclared(ctx, spec.Service, "consume "+spec.Durable, func(ctx context.Context) (func(), error) {
		return b.consume(ctx, bdb, spec, h, log, wait)
	})
}

func (b *Bus) consume(ctx context.Context, bdb *bun.DB, spec ConsumerSpec, h Handler, log *slog.Logger, wait time.Duration) (stop func(), err error) {
	// Back-off is applied by NakWithDelay rather than the consumer's
	// BackOff setting: the server would use BackOff[0] as the ack wait,
	// redelivering messages whose handler is merely slow.
	cons, err := b.js.CreateOrUpdateConsumer(ctx, b.StreamName(spec.Service), jetstream.ConsumerConfig{
		Durable:        spec.Durable,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        wait,
		MaxDeliver:     spec.MaxDeliver,
		FilterSubjects: b.filters(spec.Service, spec.FilterSubjects),
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("consume %s: create consumer: %w", spec.Durable, err)
	}

	cctx, cancel := context.WithCancel(ctx)
	w := &consumeWorker{db: bdb, bus: b, spec: spec, h: h, log: log}
	cc, err := cons.Consume(func(msg jetstream.Msg) { w.handle(cctx, msg) },
		// Few messages in the client buffer: their ack wait runs while
		// they wait there.
		jetstream.PullMaxMessages(50),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			log.Debug("consume", "err", err)
		}))
	if err != nil {
		cancel()
		return nil, fmt.Errorf("consume %s: %w", spec.Durable, err)
	}
	untrack := b.lag.add(&lagTracker{what: "consume " + spec.Durable, cons: cons, durable: true})
	stop = sync.OnceFunc(func() {
		untrack()
		w.stopped.Store(true)
		cc.Stop()
		cancel()
		w.mu.Lock() // wait for the message in hand
		defer w.mu.Unlock()
	})
	go func() {
		<-cctx.Done()
		stop()
	}()
	return stop, nil
}

func (b *Bus) filters(service string, types []string) []string {
	if len(types) == 0 {
		return []string{b.Subject(service + ".>")}
	}
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = b.Subject(t)
	}
	return out
}

type consumeWorker struct {
	db      *bun.DB
	bus     *Bus
	spec    ConsumerSpec
	h       Handler
	log     *slog.Logger
	mu      sync.Mutex // held while a message is handled
	stopped atomic.Bool
}

func (w *consumeWorker) handle(ctx context.Context, msg jetstream.Msg) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped.Load() {
		return // not acked: redelivered to whoever consumes next
	}
	delivered := uint64(1)
	if meta, err := msg.Metadata(); err == nil {
		delivered = meta.NumDelivered
	}
	var ev events.Envelope
	if err := json.Unmarshal(msg.Data(), &ev); err != nil || ev.ID == "" || ev.Type == "" {
		if err == nil {
			err = errors.New("envelope without id or type")
		}
		w.log.Error("terminating undecodable message", "subject", msg.Subject(), "err", err)
		w.term(msg, "undecodable: "+err.Error())
		return
	}
	log := w.log.With("event_id", ev.ID, "event_type", ev.Type, "delivered", delivered)
	if err := w.bus.checkOrigin(w.spec.Service, msg.Subject(), ev); err != nil {
		log.Error("terminating event: refusing an event that does not come from its service", "subject", msg.Subject(),
			"source", ev.Source, "err", err)
		w.term(msg, "refused: "+err.Error())
		return
	}

	duplicate := false
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.ExecContext(ctx,
			"INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			w.spec.Durable, ev.ID, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("record processed event: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("record processed event: %w", err)
		}
		if n == 0 {
			duplicate = true
			return nil
		}
		return w.h(ctx, tx, ev)
	})
	switch {
	case err == nil:
		if duplicate {
			log.Debug("event already processed; acknowledging again")
		}
		if w.spec.afterCommit != nil && !w.spec.afterCommit(ev, delivered) {
			return // test hook: behave as if the process died here
		}
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := msg.DoubleAck(actx); err != nil {
			// Committed already: the redelivery will be skipped.
			log.Warn("ack failed; the event will be redelivered and skipped", "err", err)
		}
	case ctx.Err() != nil:
		// Stopping: rolled back, redelivered after the ack wait.
	case isPermanent(err):
		log.Error("terminating event: handler reported a permanent error", "err", err)
		w.term(msg, err.Error())
	case delivered >= uint64(w.spec.MaxDeliver) && w.spec.MaxDeliver > 0:
		log.Error("terminating event: delivery attempts exhausted", "err", err, "max_deliver", w.spec.MaxDeliver)
		w.term(msg, "max deliveries: "+err.Error())
	default:
		delay := w.spec.Backoff[min(int(delivered)-1, len(w.spec.Backoff)-1)]
		log.Warn("handler failed; retrying", "err", err, "retry_in", delay)
		if err := msg.NakWithDelay(delay); err != nil {
			log.Warn("nak failed; redelivered after the ack wait", "err", err)
		}
	}
}

func (w *consumeWorker) term(msg jetstream.Msg, reason string) {
	if err := msg.TermWithReason(reason); err != nil {
		w.log.Warn("term failed; the message will be redelivered", "err", err)
	}
}
