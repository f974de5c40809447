package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// A SQLite database reads on a pool of its own: a read neither waits for
// a write transaction in progress (it sees the last commit) nor for other
// reads, and cannot write.
func TestSQLiteReadsOnReadOnlyPool(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound on a hang, not a speed check
	defer cancel()
	path := filepath.Join(t.TempDir(), "r.db")
	bdb, err := db.Open(ctx, db.Config{DSN: "sqlite://" + path + "?read_conns=3"})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	readers := db.Reader(bdb)
	if readers == bdb {
		t.Fatal("SQLite has no pool of readers")
	}
	if got := readers.DB.Stats().MaxOpenConnections; got != 3 {
		t.Fatalf("readers' pool size = %d, want read_conns=3", got)
	}
	if _, err := bdb.ExecContext(ctx, "CREATE TABLE n (v INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := bdb.ExecContext(ctx, "INSERT INTO n (v) VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	count := func(idb bun.IDB) int {
		t.Helper()
		var n int
		if err := idb.QueryRowContext(ctx, "SELECT COUNT(*) FROM n").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The writer's one connection is taken by an open write transaction;
	// the read goes on beside it and sees the last commit.
	wtx, err := bdb.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wtx.ExecContext(ctx, "INSERT INTO n (v) VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	err = readers.RunInTx(ctx, db.ReadTx, func(ctx context.Context, tx bun.Tx) error {
		if got := count(tx); got != 1 {
			t.Errorf("a read during a write saw %d rows, want the 1 committed", got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read during a write: %v", err)
	}
	if err := wtx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := count(readers); got != 2 {
		t.Fatalf("a read after the commit saw %d rows, want 2", got)
	}

	// Three read transactions are open at once.
	var open []bun.Tx
	for range 3 {
		tx, err := readers.BeginTx(ctx, db.ReadTx)
		if err != nil {
			t.Fatal(err)
		}
		count(tx)
		open = append(open, tx)
	}
	for _, tx := range open {
		_ = tx.Rollback()
	}

	// A write on a reader fails instead of racing the writer.
	if _, err := readers.ExecContext(ctx, "INSERT INTO n (v) VALUES (3)"); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("write on a reader: err = %v, want a read-only refusal", err)
	}

	// Closing the database closes its readers.
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}
	if err := readers.PingContext(ctx); err == nil {
		t.Fatal("the readers are still open after Close")
	}
	if db.Reader(bdb) != bdb {
		t.Fatal("a closed database still names its readers")
	}
}

func TestPoolSizesFromTheDSN(t *testing.T) {
	ctx := context.Background()
	if _, err := db.Open(ctx, db.Config{DSN: "sqlite://" + filepath.Join(t.TempDir(), "x.db") + "?read_conns=zero"}); err == nil ||
		!strings.Contains(err.Error(), "read_conns") {
		t.Fatalf("Open with read_conns=zero: err = %v, want it named", err)
	}
	dsn := os.Getenv(dbtest.EnvPostgres)
	if dsn == "" {
		t.Skipf("PostgreSQL leg not run: %s is not set", dbtest.EnvPostgres)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	bdb, err := db.Open(ctx, db.Config{DSN: dsn + sep + "max_conns=7"})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if got := bdb.DB.Stats().MaxOpenConnections; got != 7 {
		t.Fatalf("PostgreSQL pool size = %d, want max_conns=7", got)
	}
	if db.Reader(bdb) != bdb {
		t.Fatal("PostgreSQL reads should share its one pool")
	}
	var ro string
	err = bdb.RunInTx(ctx, db.ReadTx, func(ctx context.Context, tx bun.Tx) error {
		return tx.QueryRowContext(ctx, "SHOW transaction_read_only").Scan(&ro)
	})
	if err != nil || ro != "on" {
		t.Fatalf("a read transaction on PostgreSQL: transaction_read_only = %q, %v; want on", ro, err)
	}
}
