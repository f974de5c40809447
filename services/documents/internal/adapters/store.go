// Package adapters implements the documents store on bun (PostgreSQL or
// SQLite), writing events to the outbox in the same transaction as the
// change.
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
	"github.com/incuchain/incuchain/services/documents/internal/app"
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
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	_, err = t.tx.NewInsert().Model(&auditRow{ID: events.NewID(), At: e.At, Actor: e.Actor, Action: e.Action,
		ObjectID: e.ObjectID, RegionID: e.RegionID, CarrierID: e.CarrierID, CompanyID: e.CompanyID, Detail: string(detail)}).Exec(ctx)
	if err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}

func (t *txStore) AuditOf(ctx context.Context, objectID string, p list.Params) ([]app.AuditEntry, int, error) {
	var rows []auditRow
	q := t.tx.NewSelect().Model(&rows).Where("object_id = ?", objectID).Order("at DESC", "id DESC")
	total, err := db.ScanList(ctx, q, p)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	out := make([]app.AuditEntry, 0, len(rows))
	for _, r := range rows {
		e := app.AuditEntry{At: r.At, Actor: r.Actor, Action: r.Action, ObjectID: r.ObjectID, RegionID: r.RegionID, CarrierID: r.CarrierID, CompanyID: r.CompanyID}
		_ = json.Unmarshal([]byte(r.Detail), &e.Detail)
		out = append(out, e)
	}
	return out, total, nil
}
