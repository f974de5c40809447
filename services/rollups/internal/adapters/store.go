// Package adapters implements the rollups store on bun (PostgreSQL or
// SQLite): the projections' writes and the figures' reads.
package adapters

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
)

// Store is the rollups unit of work (Read, Write, In): one transaction
// with this service's queries.
type Store struct{ *bus.Unit[app.Tx] }

// NewStore returns the store on db; notify (may be nil) wakes the outbox
// relay after a write that published events (a frozen snapshot).
func NewStore(bdb *bun.DB, notify func()) *Store {
	return &Store{bus.NewUnit(bdb, notify, func(t bus.Tx) app.Tx { return &txStore{Tx: t} })}
}

// txStore is one transaction with this service's queries.
type txStore struct {
	bus.Tx
}

// upsertNewer inserts a row of table keyed by key, or replaces the row
// there when its stamp is older than this one: a late older event changes
// nothing. cols and vals pair up; "stamp" must be among them.
func (t *txStore) upsertNewer(ctx context.Context, table, key string, cols []string, vals []any) error {
	set := make([]string, 0, len(cols))
	for _, c := range cols {
		if c != key {
			set = append(set, c+" = excluded."+c)
		}
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s WHERE %s.stamp < excluded.stamp",
		table, strings.Join(cols, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "), key, strings.Join(set, ", "), table)
	if _, err := t.ExecContext(ctx, q, vals...); err != nil {
		return fmt.Errorf("project %s: %w", table, err)
	}
	return nil
}
