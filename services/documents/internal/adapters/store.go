// Package adapters implements the documents store on bun (PostgreSQL or
// SQLite), writing events to the outbox in the same transaction as the
// change.
package adapters

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

// Store is the bun implementation of app.Store: the shared unit of work
// (transaction, outbox, audit trail) around this service's queries.
type Store = bus.Unit[app.Tx]

// NewStore returns the store on db; notify (may be nil) wakes the outbox
// relay after each write transaction that published events.
func NewStore(bdb *bun.DB, notify func()) *Store {
	return bus.NewUnit(bdb, notify, func(t bus.Tx) app.Tx { return &txStore{Tx: t} })
}

// txStore is one transaction with this service's queries.
type txStore struct {
	bus.Tx
}

func (t *txStore) AuditOf(ctx context.Context, objectID string, p list.Params) ([]app.AuditEntry, int, error) {
	var rows []audit.Row
	q := t.NewSelect().Model(&rows).Where("object_id = ?", objectID).Order("at DESC", "id DESC")
	return db.MapPage(ctx, q, p, &rows, "list audit", func(r audit.Row) app.AuditEntry {
		rec, _ := r.Record() // an undecodable detail reads as none
		return rec.Entry
	})
}
