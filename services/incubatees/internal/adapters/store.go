// Package adapters implements the incubatees store on bun (PostgreSQL or
// SQLite), one file per area, writing events to the outbox in the same
// transaction as the change.
package adapters

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// Store is the bun implementation of app.Store.
type Store struct {
	db     *bun.DB
	notify func()
}

// NewStore returns a store on db; notify (may be nil) wakes the outbox
// relay after each write transaction that published events.
func NewStore(bdb *bun.DB, notify func()) *Store { return &Store{db: bdb, notify: notify} }

// Read implements app.Store.
func (s *Store) Read(ctx context.Context, fn func(context.Context, app.Tx) error) error {
	return bus.Read(ctx, s.db, func(ctx context.Context, tx bun.Tx, o *bus.Outbox) error { return fn(ctx, &txStore{tx: tx, Outbox: o}) })
}

// Write implements app.Store.
func (s *Store) Write(ctx context.Context, fn func(context.Context, app.Tx) error) error {
	return bus.Write(ctx, s.db, s.notify, func(ctx context.Context, tx bun.Tx, o *bus.Outbox) error { return fn(ctx, &txStore{tx: tx, Outbox: o}) })
}

// InTx wraps a transaction opened elsewhere (an event consumer's) as app.Tx.
func InTx(tx bun.Tx) app.Tx { return &txStore{tx: tx, Outbox: bus.NewOutbox(tx)} }

type txStore struct {
	tx bun.Tx
	*bus.Outbox
}

func notFound(err error, slug string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundErr(slug)
	}
	return err
}

// scanPage is db.ScanList under the name residency.go still calls it by.
func scanPage(ctx context.Context, q *bun.SelectQuery, p list.Params) (int, error) {
	return db.ScanList(ctx, q, p)
}

type auditRow struct {
	bun.BaseModel `bun:"table:audit_log"`
	ID            string    `bun:"id,pk"`
	At            time.Time `bun:"at"`
	Actor         string    `bun:"actor"`
	Action        string    `bun:"action"`
	ObjectID      string    `bun:"object_id"`
	RegionID      string    `bun:"region_id"`
	CarrierID     string    `bun:"carrier_id"`
	CompanyID     string    `bun:"company_id"`
	Detail        string    `bun:"detail"`
}

func (t *txStore) Audit(ctx context.Context, e app.AuditEntry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	_, err = t.tx.NewInsert().Model(&auditRow{ID: events.NewID(), At: time.Now().UTC(), Actor: e.Actor, Action: e.Action,
		ObjectID: e.ObjectID, RegionID: e.RegionID, CarrierID: e.CarrierID, CompanyID: e.CompanyID, Detail: string(detail)}).Exec(ctx)
	if err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}
