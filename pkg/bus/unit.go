package bus

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
)

// Outbox publishes events inside one transaction and remembers whether it
// did, so the relay is woken only after commits that published something.
// Services embed it in their transaction type.
type Outbox struct {
	tx        bun.IDB
	published bool
}

// NewOutbox returns the outbox of tx (a consumer's transaction, say).
func NewOutbox(tx bun.IDB) *Outbox { return &Outbox{tx: tx} }

// Publish writes evs to the outbox table in the transaction.
func (o *Outbox) Publish(ctx context.Context, evs ...events.Envelope) error {
	if err := Enqueue(ctx, o.tx, evs...); err != nil {
		return fmt.Errorf("enqueue events: %w", err)
	}
	o.published = o.published || len(evs) > 0
	return nil
}

// Read runs fn in a read-only transaction on the database's readers
// (db.Reader: SQLite's pool of read-only connections in WAL, which
// neither waits for the writer nor takes its lock). fn must not write:
// a write fails there.
func Read(ctx context.Context, bdb *bun.DB, fn func(ctx context.Context, tx bun.Tx, o *Outbox) error) error {
	return db.Reader(bdb).RunInTx(ctx, db.ReadTx, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx, NewOutbox(tx)) })
}

// Write runs fn in a transaction and, once it has committed with events,
// calls notify (Relay.Notify; nil for none) so they go out at once.
func Write(ctx context.Context, db *bun.DB, notify func(), fn func(ctx context.Context, tx bun.Tx, o *Outbox) error) error {
	var o *Outbox
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		o = NewOutbox(tx)
		return fn(ctx, tx, o)
	})
	if err == nil && o != nil && o.published && notify != nil {
		notify()
	}
	return err
}

// Tx is one transaction of a Unit: the bun transaction, the outbox its
// events go to and the audit trail, all committing together. A service's
// transaction type embeds it and adds its own queries.
type Tx struct {
	bun.Tx
	*Outbox
}

// NewTx is the Tx of a transaction opened elsewhere (an event
// consumer's), with its own outbox.
func NewTx(tx bun.Tx) Tx { return Tx{tx, NewOutbox(tx)} }

// Audit adds e to the service's audit trail in the transaction.
func (t Tx) Audit(ctx context.Context, e audit.Entry) error { return audit.Write(ctx, t.Tx, e) }

// Unit is a service's unit of work: Read and Write run a use case's
// function in one transaction, as the service's own transaction type T
// (its repository methods on top of Tx), with the outbox and the audit
// trail in the same transaction. A service's store is
//
//	bus.NewUnit(db, relay.Notify, func(t bus.Tx) app.Tx { return &txStore{Tx: t} })
//
// and keeps only its own queries.
type Unit[T any] struct {
	db     *bun.DB
	notify func()
	open   func(Tx) T
}

// NewUnit returns the unit of work on db; notify (Relay.Notify; may be nil)
// runs after a write transaction that published events has committed.
func NewUnit[T any](db *bun.DB, notify func(), open func(Tx) T) *Unit[T] {
	return &Unit[T]{db: db, notify: notify, open: open}
}

// Read runs fn in a read-only transaction on the database's readers
// (see the function Read).
func (u *Unit[T]) Read(ctx context.Context, fn func(ctx context.Context, tx T) error) error {
	return Read(ctx, u.db, func(ctx context.Context, tx bun.Tx, o *Outbox) error { return fn(ctx, u.open(Tx{tx, o})) })
}

// Write runs fn in a transaction and wakes the relay once it has
// committed with events.
func (u *Unit[T]) Write(ctx context.Context, fn func(ctx context.Context, tx T) error) error {
	return Write(ctx, u.db, u.notify, func(ctx context.Context, tx bun.Tx, o *Outbox) error { return fn(ctx, u.open(Tx{tx, o})) })
}

// In wraps a transaction opened elsewhere (an event consumer's) as T.
func (u *Unit[T]) In(tx bun.Tx) T { return u.open(NewTx(tx)) }
