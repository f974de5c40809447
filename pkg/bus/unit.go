package bus

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

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

// Read runs fn in a transaction (which may still publish, e.g. an audit
// event of a read, but does not wake the relay).
func Read(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx, o *Outbox) error) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx, NewOutbox(tx)) })
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
