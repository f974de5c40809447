// Package adapters implements the incubatees store on bun (PostgreSQL or
// SQLite), one file per area, writing events to the outbox in the same
// transaction as the change.
package adapters

import (
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// Store is the service's store on bun: the shared unit of work
// (transaction, outbox, audit trail) around this service's queries.
type Store = bus.Unit[app.Tx]

// NewStore returns the store on db; notify (may be nil) wakes the outbox
// relay after each write transaction that published events.
func NewStore(bdb *bun.DB, notify func()) *Store {
	return bus.NewUnit(bdb, notify, open)
}

func open(t bus.Tx) app.Tx { return &txStore{Tx: t} }

// InTx wraps a transaction opened elsewhere (an event consumer's) as app.Tx.
func InTx(tx bun.Tx) app.Tx { return open(bus.NewTx(tx)) }

// txStore is one transaction with this service's queries.
type txStore struct {
	bus.Tx
}

// utcp is the instant t points to in UTC, or nil.
func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// forUpdate holds the rows q reads until the transaction ends: FOR UPDATE
// on PostgreSQL, while on SQLite every transaction holds the one write
// lock from BEGIN already.
func forUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if q.Dialect().Name() == dialect.PG {
		return q.For("UPDATE")
	}
	return q
}
