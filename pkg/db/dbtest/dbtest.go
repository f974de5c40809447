// Package dbtest runs a test against every database Incuchain supports:
// SQLite always, PostgreSQL when INCUCHAIN_TEST_POSTGRES holds a DSN. Each
// PostgreSQL run gets a fresh schema that is dropped afterwards.
package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "INCUCHAIN_TEST_POSTGRES"

var announce sync.Once

// Dialects lists the databases a test runs on here.
func Dialects() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// ForEachDB runs fn once per database, each as a subtest named after it,
// with migrations applied.
func ForEachDB(t *testing.T, fn func(t *testing.T, bdb *bun.DB), sets ...db.Migrations) {
	t.Helper()
	if os.Getenv(EnvPostgres) == "" {
		announce.Do(func() {
			fmt.Fprintf(os.Stderr, "dbtest: PostgreSQL leg not run: set %s=postgres://… to run it\n", EnvPostgres)
		})
	}
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d, sets...))
		})
	}
}

// Open returns a migrated database of dialect d ("sqlite" or "postgres")
// private to t.
func Open(t testing.TB, d string, sets ...db.Migrations) *bun.DB {
	t.Helper()
	ctx := context.Background()
	cfg := Config(t, d)
	bdb, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	if err := db.Migrate(ctx, bdb, sets...); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return bdb
}

// Config returns connection settings of dialect d private to t, for code
// that opens its own database (a whole service under test). A PostgreSQL
// schema is dropped when the test ends.
func Config(t testing.TB, d string) db.Config {
	t.Helper()
	cfg := db.Config{}
	switch d {
	case "sqlite":
		cfg.DSN = "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	case "postgres":
		dsn := os.Getenv(EnvPostgres)
		if dsn == "" {
			t.Skipf("PostgreSQL leg not run: %s is not set", EnvPostgres)
		}
		cfg.DSN = dsn
		cfg.Schema = "t_" + strings.ToLower(events.NewID())
	default:
		t.Fatalf("unknown dialect %q", d)
	}
	if cfg.Schema != "" {
		t.Cleanup(func() { dropSchema(cfg) })
	}
	return cfg
}

func dropSchema(cfg db.Config) {
	bdb, err := db.Open(context.Background(), db.Config{DSN: cfg.DSN})
	if err != nil {
		return
	}
	defer bdb.Close()
	_, _ = bdb.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+cfg.Schema+" CASCADE")
}

// EachDialect runs fn as a subtest once per database the run covers
// (SQLite always, PostgreSQL when INCUCHAIN_TEST_POSTGRES is set).
func EachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// EachHarness runs fn as a subtest once per database the run covers
// (EachDialect), on the harness open starts for that dialect: a service's
// tests pass their newHarness.
func EachHarness[H any](t *testing.T, open func(t *testing.T, dialect string) H, fn func(t *testing.T, h H)) {
	EachDialect(t, func(t *testing.T, d string) { fn(t, open(t, d)) })
}

// EachHarnessWith is EachHarness for a newHarness that takes options: each
// harness is opened with opts.
func EachHarnessWith[H, O any](t *testing.T, open func(t testing.TB, dialect string, opts ...O) H, fn func(t *testing.T, h H), opts ...O) {
	EachDialect(t, func(t *testing.T, d string) { fn(t, open(t, d, opts...)) })
}

// Count is the number of rows of table in bdb (where, args narrow it);
// an error fails t.
func Count(t testing.TB, bdb bun.IDB, table, where string, args ...any) int {
	t.Helper()
	q := bdb.NewSelect().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}
