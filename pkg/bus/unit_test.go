package bus_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
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
