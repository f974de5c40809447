package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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
	// Batch, above 1, applies up to Batch events that are waiting
	// together in one transaction (each still recorded once in
	// processed_events, in stream order) and acknowledges them after its
	// commit: a burst costs one commit, not one per event. Only for a
	// handler whose every effect goes through tx (a read model): a later
	// event of the batch sees the earlier ones' writes, and nothing of a
	// failed batch stays. When the batch fails, its events are applied
	// again one per transaction, each with its own retry or termination,
	// so one bad event delays the others but never loses or acks them
	// wrongly. 0 or 1: one event per transaction.
	Batch int

	// Test hooks, set through export_test.go.
	ackWait     time.Duration
	afterCommit func(ev events.Envelope, delivered uint64) (ack bool)
}

// PerSource is one consumer of service per source stream, in the order of
// sources: durable "service-source", taking the event types
// types[source].
func PerSource(service string, sources []string, types map[string][]string) []ConsumerSpec {
	specs := make([]ConsumerSpec, len(sources))
	for i, src := range sources {
		specs[i] = ConsumerSpec{Service: src, Durable: service + "-" + src, FilterSubjects: slices.Clone(types[src])}
	}
	return specs
}

// Consumer defaults, see ConsumerSpec.
const defaultMaxDeliver = 10

// ReadModelBatch is the Batch of the consumers that keep read models: a
// burst of registrations is applied in a few transactions, and a batch
// still commits in milliseconds, well inside the ack wait.
const ReadModelBatch = 64

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

// Apply decodes ev's payload as P and hands it to fn. A payload that does
// not decode is a permanent failure: redelivering it cannot mend it.
func Apply[P any](ev events.Envelope, fn func(P) error) error {
	_, err := Decoded(ev, func(p P) (struct{}, error) { return struct{}{}, fn(p) })
	return err
}

// Decoded is Apply for a handler that answers a result.
func Decoded[P, R any](ev events.Envelope, fn func(P) (R, error)) (R, error) {
	var p P
	if err := ev.Decode(&p); err != nil {
		var zero R
		return zero, Permanent(err)
	}
	return fn(p)
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
	if spec.Batch > 1 {
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.fetchLoop(cctx, cons)
		}()
		untrack := b.lag.add(&lagTracker{what: "consume " + spec.Durable, cons: cons, durable: true})
		stop = sync.OnceFunc(func() {
			untrack()
			w.stopped.Store(true)
			cancel()
			<-done // the batch in hand is rolled back and redelivered
		})
		go func() {
			<-cctx.Done()
			stop()
		}()
		return stop, nil
	}
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
	if d, ok := w.decode(msg); ok {
		w.applyOne(ctx, d)
	}
}

// delivery is a message with its decoded event.
type delivery struct {
	msg       jetstream.Msg
	ev        events.Envelope
	delivered uint64
	log       *slog.Logger
}

// decode reads msg's envelope and checks its origin; a message that is not
// an event of the consumed service is terminated (false).
func (w *consumeWorker) decode(msg jetstream.Msg) (delivery, bool) {
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
		return delivery{}, false
	}
	log := w.log.With("event_id", ev.ID, "event_type", ev.Type, "delivered", delivered)
	if err := w.bus.checkOrigin(w.spec.Service, msg.Subject(), ev); err != nil {
		log.Error("terminating event: refusing an event that does not come from its service", "subject", msg.Subject(),
			"source", ev.Source, "err", err)
		w.term(msg, "refused: "+err.Error())
		return delivery{}, false
	}
	return delivery{msg: msg, ev: ev, delivered: delivered, log: log}, true
}

// apply records ev as processed by this consumer in tx and runs the
// handler, unless ev was processed before (duplicate).
func (w *consumeWorker) apply(ctx context.Context, tx bun.Tx, ev events.Envelope) (duplicate bool, err error) {
	res, err := tx.ExecContext(ctx,
		"INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		w.spec.Durable, ev.ID, time.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("record processed event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record processed event: %w", err)
	}
	if n == 0 {
		return true, nil
	}
	return false, w.h(ctx, tx, ev)
}

// ack acknowledges a committed delivery (unless the test hook says the
// process died first).
func (w *consumeWorker) ack(ctx context.Context, d delivery) {
	if w.spec.afterCommit != nil && !w.spec.afterCommit(d.ev, d.delivered) {
		return // test hook: behave as if the process died here
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := d.msg.DoubleAck(actx); err != nil {
		// Committed already: the redelivery will be skipped.
		d.log.Warn("ack failed; the event will be redelivered and skipped", "err", err)
	}
}

// fetchLoop feeds handleBatch until ctx ends: it waits for one message,
// then takes whatever else is already waiting, up to Batch, so a lone
// event is applied at once and a burst in few transactions.
func (w *consumeWorker) fetchLoop(ctx context.Context, cons jetstream.Consumer) {
	for ctx.Err() == nil {
		first, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			w.log.Debug("fetch", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		var msgs []jetstream.Msg
		for m := range first.Messages() {
			msgs = append(msgs, m)
		}
		if len(msgs) == 0 {
			continue
		}
		if more, err := cons.FetchNoWait(w.spec.Batch - 1); err == nil {
			for m := range more.Messages() {
				msgs = append(msgs, m)
			}
		}
		w.handleBatch(ctx, msgs)
	}
}

// handleBatch applies msgs in one transaction and acks them after its
// commit; if it fails, each is applied again on its own (applyOne).
func (w *consumeWorker) handleBatch(ctx context.Context, msgs []jetstream.Msg) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped.Load() {
		return
	}
	var ds []delivery
	for _, m := range msgs {
		if d, ok := w.decode(m); ok {
			ds = append(ds, d)
		}
	}
	if len(ds) <= 1 {
		for _, d := range ds {
			w.applyOne(ctx, d)
		}
		return
	}
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, d := range ds {
			if _, err := w.apply(ctx, tx, d.ev); err != nil {
				return fmt.Errorf("event %s: %w", d.ev.ID, err)
			}
		}
		return nil
	})
	switch {
	case err == nil:
		for _, d := range ds {
			w.ack(ctx, d)
		}
	case ctx.Err() != nil:
		// Stopping: rolled back, redelivered after the ack wait.
	default:
		w.log.Info("batch failed; applying its events one by one", "events", len(ds), "err", err)
		for _, d := range ds {
			w.applyOne(ctx, d)
		}
	}
}

// applyOne applies one delivery in its own transaction, then acks it, or
// retries it after the back-off, or terminates it.
func (w *consumeWorker) applyOne(ctx context.Context, d delivery) {
	msg, ev, delivered, log := d.msg, d.ev, d.delivered, d.log
	var duplicate bool
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		duplicate, err = w.apply(ctx, tx, ev)
		return err
	})
	switch {
	case err == nil:
		if duplicate {
			log.Debug("event already processed; acknowledging again")
		}
		w.ack(ctx, d)
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
