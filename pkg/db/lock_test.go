package db_test

import (
	"context"
	"os"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// One holder at a time; released, it can be taken again. (On SQLite there
// is one process per file, and the lock is always granted.)
func TestTryLock(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		release, ok, err := db.TryLock(ctx, bdb, "purge")
		if err != nil || !ok {
			t.Fatalf("first: %v %v", ok, err)
		}
		if db.IsPostgres(bdb) {
			if _, ok, err := db.TryLock(ctx, bdb, "purge"); err != nil || ok {
				t.Fatalf("second while held: %v %v", ok, err)
			}
			if r, ok, err := db.TryLock(ctx, bdb, "reconcile"); err != nil || !ok {
				t.Fatalf("another name: %v %v", ok, err)
			} else {
				r()
			}
		}
		release()
		again, ok, err := db.TryLock(ctx, bdb, "purge")
		if err != nil || !ok {
			t.Fatalf("after release: %v %v", ok, err)
		}
		again()
	})
}

// The lock is a deployment's: a schema of its own in the same database
// (another deployment, another test package) takes the same name at once.
func TestTryLockIsPerSchema(t *testing.T) {
	if os.Getenv(dbtest.EnvPostgres) == "" {
		t.Skip("PostgreSQL only: SQLite always grants the lock")
	}
	ctx := context.Background()
	a, b := dbtest.Open(t, "postgres"), dbtest.Open(t, "postgres")
	release, ok, err := db.TryLock(ctx, a, "purge")
	if err != nil || !ok {
		t.Fatalf("schema a: %v %v", ok, err)
	}
	defer release()
	other, ok, err := db.TryLock(ctx, b, "purge")
	if err != nil || !ok {
		t.Fatalf("schema b waits for schema a's lock: %v %v", ok, err)
	}
	other()
	if _, ok, err := db.TryLock(ctx, a, "purge"); err != nil || ok {
		t.Fatalf("schema a again while held: %v %v", ok, err)
	}
}
