package bus_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/audit"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// Write wakes the relay only after a commit that published; a rolled-back
// transaction leaves no event and wakes nobody.
func TestWriteNotifiesAfterPublishingCommits(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		notified := 0
		notify := func() { notified++ }
		pending := func() int {
			n, err := bdb.NewSelect().Table("outbox").Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		if err := bus.Write(ctx, bdb, notify, func(ctx context.Context, tx bun.Tx, o *bus.Outbox) error { return nil }); err != nil || notified != 0 {
			t.Fatalf("nothing published: notified %d, %v", notified, err)
		}
		boom := errors.New("boom")
		err := bus.Write(ctx, bdb, notify, func(ctx context.Context, tx bun.Tx, o *bus.Outbox) error {
			if err := o.Publish(ctx, thing(t, "a", 1)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || notified != 0 || pending() != 0 {
			t.Fatalf("rolled back: err %v, notified %d, pending %d", err, notified, pending())
		}
		err = bus.Write(ctx, bdb, notify, func(ctx context.Context, tx bun.Tx, o *bus.Outbox) error {
			return o.Publish(ctx, thing(t, "a", 1), thing(t, "a", 2))
		})
		if err != nil || notified != 1 || pending() != 2 {
			t.Fatalf("committed: err %v, notified %d, pending %d", err, notified, pending())
		}
	}, bus.Migrations)
}

// auditTables is a service's audit_log.
var auditTables = db.Migrations{Component: "unit-test", FS: fstest.MapFS{
	"0001_audit.sql": {Data: []byte(`CREATE TABLE audit_log (
    id TEXT PRIMARY KEY, at TIMESTAMP NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, object_id TEXT NOT NULL,
    region_id TEXT NOT NULL DEFAULT '', carrier_id TEXT NOT NULL DEFAULT '', company_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}');
`)},
}}

// serviceTx is what a service's transaction type looks like: bus.Tx and
// its own queries.
type serviceTx struct{ bus.Tx }

func (t *serviceTx) count(ctx context.Context, table string) int {
	n, err := t.NewSelect().Table(table).Count(ctx)
	if err != nil {
		panic(err)
	}
	return int(n)
}

// A Unit runs the service's function in one transaction: its events, its
// audit line and its own writes commit together or not at all, and only a
// committed write with events wakes the relay.
func TestUnitCommitsChangeEventsAndAuditTogether(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		notified := 0
		u := bus.NewUnit(bdb, func() { notified++ }, func(t bus.Tx) *serviceTx { return &serviceTx{t} })
		entry := audit.Entry{Actor: "u1", Action: "thing.make", ObjectID: "o1", RegionID: "r1", CompanyID: "c1", Detail: map[string]any{"n": 1.0}}
		boom := errors.New("boom")
		err := u.Write(ctx, func(ctx context.Context, tx *serviceTx) error {
			if err := tx.Publish(ctx, thing(t, "a", 1)); err != nil {
				return err
			}
			if err := tx.Audit(ctx, entry); err != nil {
				return err
			}
			return boom
		})
		var outbox, lines int
		_ = u.Read(ctx, func(ctx context.Context, tx *serviceTx) error {
			outbox, lines = tx.count(ctx, "outbox"), tx.count(ctx, "audit_log")
			return nil
		})
		if !errors.Is(err, boom) || notified != 0 || outbox != 0 || lines != 0 {
			t.Fatalf("rolled back: err %v, notified %d, outbox %d, audit %d", err, notified, outbox, lines)
		}
		err = u.Write(ctx, func(ctx context.Context, tx *serviceTx) error {
			if err := tx.Publish(ctx, thing(t, "a", 1)); err != nil {
				return err
			}
			return tx.Audit(ctx, entry)
		})
		if err != nil || notified != 1 {
			t.Fatalf("committed: err %v, notified %d", err, notified)
		}
		var rows []audit.Row
		if err := bdb.NewSelect().Model(&rows).Scan(ctx); err != nil || len(rows) != 1 {
			t.Fatalf("audit rows %v, %v", rows, err)
		}
		rec, err := rows[0].Record()
		if err != nil || rec.ID == "" || rec.At.IsZero() || rec.Actor != "u1" || rec.CompanyID != "c1" || rec.Detail["n"] != 1.0 {
			t.Fatalf("audit record %+v, %v", rec, err)
		}
		// An entry naming no company leaves the column to its default, so
		// a table without the column takes the same insert.
		if err := u.Write(ctx, func(ctx context.Context, tx *serviceTx) error {
			return tx.Audit(ctx, audit.Entry{Actor: "u2", Action: "thing.read", ObjectID: "o2"})
		}); err != nil || notified != 1 {
			t.Fatalf("audit without company: %v, notified %d", err, notified)
		}
		// In wraps a consumer's transaction the same way.
		err = bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return u.In(tx).Audit(ctx, audit.Entry{Actor: "svc", Action: "thing.follow", ObjectID: "o3"})
		})
		if n, _ := bdb.NewSelect().Table("audit_log").Count(ctx); err != nil || n != 3 {
			t.Fatalf("consumer's transaction: %v, %d lines", err, n)
		}
	}, bus.Migrations, auditTables)
}
