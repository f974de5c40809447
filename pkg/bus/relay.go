package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
)

// Relay publishes the outbox of one database to JetStream.
type Relay struct {
	db  *bun.DB
	bus *Bus
	log *slog.Logger

	wake chan struct{}
	// mu makes the passes of one Relay sequential (Run and a direct
	// PublishPending may race); relays of other processes are kept apart
	// by an advisory lock on PostgreSQL.
	mu      sync.Mutex
	ensured map[string]bool // services whose stream is known to exist

	batch          int
	pollEvery      time.Duration
	maxBackoff     time.Duration
	publishTimeout time.Duration
	retention      time.Duration
	cleanupEvery   time.Duration

	// duplicates counts publishes JetStream reported as duplicates: rows
	// published twice (a crash between publish and mark, or two relays).
	duplicates atomic.Int64
}

// NewRelay returns a relay for the outbox in bdb.
func NewRelay(bdb *bun.DB, b *Bus, log *slog.Logger) *Relay {
	if log == nil {
		log = slog.Default()
	}
	return &Relay{
		db:             bdb,
		bus:            b,
		log:            log.With("component", "outbox-relay"),
		wake:           make(chan struct{}, 1),
		ensured:        map[string]bool{},
		batch:          500,
		pollEvery:      250 * time.Millisecond,
		maxBackoff:     2 * time.Second,
		publishTimeout: 5 * time.Second,
		retention:      7 * 24 * time.Hour,
		cleanupEvery:   10 * time.Minute,
	}
}

// Notify wakes Run for a pass now; it never blocks. Call it after the
// commit of a transaction that enqueued events.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run publishes pending rows until ctx is done: at once on Notify, else
// every 250ms, backing off while NATS or the database fails. It returns
// nil when ctx is done.
func (r *Relay) Run(ctx context.Context) error {
	var failures int
	backoff := time.Duration(0)
	nextCleanup := time.Now().Add(r.cleanupEvery)
	timer := time.NewTimer(r.pollEvery)
	defer timer.Stop()
	for {
		_, err := r.PublishPending(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := r.pollEvery
		if err != nil {
			failures++
			backoff = min(max(2*backoff, r.pollEvery), r.maxBackoff)
			wait = backoff
			// Log the first failure and then every 30th so that an
			// outage does not flood the log.
			if failures == 1 || failures%30 == 0 {
				r.log.Warn("outbox relay pass failed; retrying", "err", err, "failures", failures, "retry_in", wait)
			}
		} else {
			if failures > 0 {
				r.log.Info("outbox relay recovered", "failures", failures)
			}
			failures, backoff = 0, 0
		}
		if err == nil && time.Now().After(nextCleanup) {
			nextCleanup = time.Now().Add(r.cleanupEvery)
			if n, err := r.cleanup(ctx); err != nil {
				r.log.Warn("outbox cleanup failed", "err", err)
			} else if n > 0 {
				r.log.Debug("outbox cleanup", "deleted", n)
			}
		}
		timer.Reset(wait)
		wake := r.wake
		if err != nil {
			wake = nil // keep backing off; a commit does not bring NATS back
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
	}
}

// PublishPending publishes every pending row it may take, in seq order,
// and returns how many it published. It stops at the first failed publish
// so that no later row overtakes it.
func (r *Relay) PublishPending(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	total := 0
	for {
		if !r.bus.nc.IsConnected() {
			return total, fmt.Errorf("publish outbox: %w", errNotConnected)
		}
		var n int
		var more bool
		var err error
		if db.IsPostgres(r.db) {
			n, more, err = r.passPostgres(ctx)
		} else {
			n, more, err = r.passSQLite(ctx)
		}
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

type outboxRow struct {
	Seq         int64  `bun:"seq"`
	EventID     string `bun:"event_id"`
	AggregateID string `bun:"aggregate_id"`
	Subject     string `bun:"subject"`
	Headers     string `bun:"headers"`
	Envelope    string `bun:"envelope"`
}

// passPostgres takes rows in one transaction. Only rows of transactions
// below the snapshot's xmin are taken: every transaction that could still
// commit a smaller seq has finished, so a late commit is neither skipped
// nor overtaken. The advisory lock lets one relay per schema publish at a
// time (two relays taking alternate batches could reorder an aggregate's
// events); FOR UPDATE SKIP LOCKED additionally keeps rows locked by another
// transaction from being published twice.
func (r *Relay) passPostgres(ctx context.Context) (published int, more bool, err error) {
	var pubErr error
	err = r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var locked bool
		if err := tx.QueryRowContext(ctx,
			"SELECT pg_try_advisory_xact_lock(?, hashtext(current_schema()))", relayLockClass).Scan(&locked); err != nil {
			return fmt.Errorf("take relay lock: %w", err)
		}
		if !locked {
			return nil // another relay is publishing this outbox
		}
		var rows []outboxRow
		if err := tx.NewRaw(`SELECT seq, event_id, aggregate_id, subject, headers, envelope FROM outbox
			WHERE published_at IS NULL AND txid < pg_snapshot_xmin(pg_current_snapshot())
			ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED`, r.batch).Scan(ctx, &rows); err != nil {
			return fmt.Errorf("select pending outbox rows: %w", err)
		}
		ids, err := r.publish(ctx, rows)
		pubErr = err
		if err := markPublished(ctx, tx, ids); err != nil {
			return err
		}
		published, more = len(ids), err == nil && len(rows) == r.batch
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return published, more, pubErr
}

// relayLockClass is the first key of the relay's advisory lock; the second
// is the hash of the schema, so each service's relay locks only its own
// outbox.
const relayLockClass = 0x1c0b

// passSQLite holds no transaction while publishing: SQLite has one
// connection, and a transaction held over network calls would stall every
// writer of the service.
func (r *Relay) passSQLite(ctx context.Context) (int, bool, error) {
	var rows []outboxRow
	if err := r.db.NewRaw(`SELECT seq, event_id, aggregate_id, subject, headers, envelope FROM outbox
		WHERE published_at IS NULL ORDER BY seq LIMIT ?`, r.batch).Scan(ctx, &rows); err != nil {
		return 0, false, fmt.Errorf("select pending outbox rows: %w", err)
	}
	ids, pubErr := r.publish(ctx, rows)
	if err := markPublished(ctx, r.db, ids); err != nil {
		return 0, false, err
	}
	return len(ids), pubErr == nil && len(rows) == r.batch, pubErr
}

func markPublished(ctx context.Context, idb bun.IDB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := idb.ExecContext(ctx, "UPDATE outbox SET published_at = ? WHERE event_id IN (?)",
		time.Now().UTC(), bun.List(ids)); err != nil {
		return fmt.Errorf("mark %d outbox row(s) published: %w", len(ids), err)
	}
	return nil
}

// publish sends rows asynchronously in waves and returns the ids
// JetStream stored. A wave is the longest run of rows, in seq order, in
// which no aggregate comes twice; its rows are all in flight at once on
// the one connection, so the stream keeps the outbox's order, and the
// next wave starts when every ack of the last has come back. An
// aggregate's next event is thus only sent once its previous one is
// stored: a failure (an ack lost, NATS restarting, a row refused) can
// delay an aggregate, never reorder it. Publishing stops after a wave
// with a failure; its stored rows count, the rest are sent again by the
// next pass, and Nats-Msg-Id keeps a row whose ack was lost from being
// stored twice.
func (r *Relay) publish(ctx context.Context, rows []outboxRow) ([]string, error) {
	ids := make([]string, 0, len(rows))
	for len(rows) > 0 {
		n := waveLen(rows)
		stored, err := r.publishWave(ctx, rows[:n])
		ids = append(ids, stored...)
		if err != nil {
			return ids, err
		}
		rows = rows[n:]
	}
	return ids, nil
}

// waveLen is the length of the longest prefix of rows in which no
// aggregate comes twice (rows without an aggregate count as one).
func waveLen(rows []outboxRow) int {
	seen := make(map[string]bool, len(rows))
	for i, row := range rows {
		if seen[row.AggregateID] {
			return i
		}
		seen[row.AggregateID] = true
	}
	return len(rows)
}

// publishWave sends rows without waiting in between and then collects
// their acks, within the publish timeout; it returns the ids stored and
// the first failure.
func (r *Relay) publishWave(ctx context.Context, rows []outboxRow) ([]string, error) {
	futures := make([]jetstream.PubAckFuture, 0, len(rows))
	var firstErr error
	for _, row := range rows {
		f, err := r.publishAsync(ctx, row)
		if err != nil {
			firstErr = err
			break
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(r.publishTimeout)
	defer timeout.Stop()
	expired := false
	ids := make([]string, 0, len(futures))
	for i, f := range futures {
		row := rows[i]
		var ack *jetstream.PubAck
		var err error
		if expired {
			select {
			case ack = <-f.Ok():
			case err = <-f.Err():
			default:
				err = fmt.Errorf("no ack within %s", r.publishTimeout)
			}
		} else {
			select {
			case ack = <-f.Ok():
			case err = <-f.Err():
			case <-timeout.C:
				expired = true
				err = fmt.Errorf("no ack within %s", r.publishTimeout)
			case <-ctx.Done():
				expired = true
				err = ctx.Err()
			}
		}
		if err != nil {
			// The stream may be gone (server restarted without its
			// store): check again next time.
			delete(r.ensured, events.Service(strings.TrimPrefix(row.Subject, events.SubjectPrefix+".")))
			if firstErr == nil {
				firstErr = fmt.Errorf("publish event %s to %s: %w", row.EventID, f.Msg().Subject, err)
			}
			continue
		}
		if ack.Duplicate {
			r.duplicates.Add(1)
			r.log.Debug("outbox row was already in the stream", "event_id", row.EventID, "seq", ack.Sequence)
		}
		ids = append(ids, row.EventID)
	}
	return ids, firstErr
}

// publishAsync sends one row and returns the future of its ack.
func (r *Relay) publishAsync(ctx context.Context, row outboxRow) (jetstream.PubAckFuture, error) {
	eventType := strings.TrimPrefix(row.Subject, events.SubjectPrefix+".")
	service := events.Service(eventType)
	if own := r.bus.service; own != "" && service != own {
		// A service publishes only its own events; NATS would refuse
		// the publish anyway, this says why.
		return nil, fmt.Errorf("publish event %s: %s's relay may not publish %s's event %s", row.EventID, own, service, eventType)
	}
	if !r.ensured[service] {
		// The relay may run before the owning service created its
		// stream (all-in-one start, fresh server): create it rather
		// than fail.
		if err := r.bus.EnsureStream(ctx, service); err != nil {
			return nil, fmt.Errorf("publish event %s: %w", row.EventID, err)
		}
		r.ensured[service] = true
	}
	msg := nats.NewMsg(r.bus.namespace + row.Subject)
	var headers map[string]string
	if err := json.Unmarshal([]byte(row.Headers), &headers); err != nil {
		return nil, fmt.Errorf("publish event %s: decode headers: %w", row.EventID, err)
	}
	for k, v := range headers {
		msg.Header.Set(k, v)
	}
	msg.Data = []byte(row.Envelope)
	f, err := r.bus.js.PublishMsgAsync(msg,
		jetstream.WithMsgID(row.EventID),
		jetstream.WithExpectStream(r.bus.StreamName(service)))
	if err != nil {
		return nil, fmt.Errorf("publish event %s to %s: %w", row.EventID, msg.Subject, err)
	}
	return f, nil
}

// cleanup deletes rows published longer than the retention ago; they are
// kept a while to help investigate a delivery.
func (r *Relay) cleanup(ctx context.Context) (int64, error) {
	res, err := r.db.ExecContext(ctx, "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?",
		time.Now().UTC().Add(-r.retention))
	if err != nil {
		return 0, fmt.Errorf("delete published outbox rows: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
