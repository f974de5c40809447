package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://root:hunter2@db/app", "sqlite:/tmp/x.db", "file:x.db", "postgres:/x"} {
		_, err := db.Open(context.Background(), db.Config{DSN: dsn})
		if err == nil {
			t.Fatalf("Open(%q) succeeded", dsn)
		}
		if !strings.Contains(err.Error(), "unsupported DSN") {
			t.Fatalf("Open(%q) = %v, want an unsupported-DSN error", dsn, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("the password leaked into the error: %v", err)
		}
	}
	if _, err := db.Open(context.Background(), db.Config{DSN: "sqlite://"}); err == nil {
		t.Fatal("Open(sqlite://) with an empty path succeeded")
	}
}

func TestOpenPostgresUnreachable(t *testing.T) {
	// Port 1 refuses at once; the error says which step failed.
	_, err := db.Open(context.Background(), db.Config{DSN: "postgres://u:hunter2@127.0.0.1:1/x?connect_timeout=5"})
	if err == nil || !strings.Contains(err.Error(), "postgres") {
		t.Fatalf("Open = %v, want a postgres connection error", err)
	}
	_, err = db.Open(context.Background(), db.Config{DSN: "postgres://u@127.0.0.1:1/x?connect_timeout=5", Schema: "s"})
	if err == nil || !strings.Contains(err.Error(), "connect postgres") {
		t.Fatalf("Open with schema = %v, want a connect error", err)
	}
}

func pragma(t *testing.T, bdb *bun.DB, name string) string {
	t.Helper()
	var v string
	if err := bdb.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "deeper", "parks.db")
	bdb, err := db.Open(ctx, db.Config{DSN: "sqlite://" + path, Schema: "ignored"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer bdb.Close()
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		t.Fatalf("directory not created: %v", err)
	}
	if db.IsPostgres(bdb) {
		t.Fatal("IsPostgres(sqlite) = true")
	}
	for name, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000", "synchronous": "1"} {
		if got := pragma(t, bdb, name); got != want {
			t.Errorf("PRAGMA %s = %q, want %q", name, got, want)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}

	// Foreign keys are enforced, not just declared.
	for _, q := range []string{
		"CREATE TABLE parent (id INTEGER PRIMARY KEY)",
		"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))",
	} {
		if _, err := bdb.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bdb.ExecContext(ctx, "INSERT INTO child (id, parent_id) VALUES (1, 99)"); err == nil {
		t.Fatal("an orphan row was accepted: foreign keys are off")
	}

	// The settings hold after reopening the file.
	_ = bdb.Close()
	again, err := db.Open(ctx, db.Config{DSN: "sqlite://" + path})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	if got := pragma(t, again, "foreign_keys"); got != "1" {
		t.Fatalf("foreign_keys after reopen = %s", got)
	}
}

func TestOpenSQLiteRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	bdb, err := db.Open(context.Background(), db.Config{DSN: "sqlite://data/rel.db"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer bdb.Close()
	if _, err := os.Stat(filepath.Join(dir, "data", "rel.db")); err != nil {
		t.Fatalf("relative path not resolved against the working directory: %v", err)
	}
}

// InTx commits on nil and rolls back on error, on both databases.
func TestInTx(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		if _, err := bdb.ExecContext(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		err := db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO notes (id, body) VALUES (1, 'kept')")
			return err
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		boom := errFixed("boom")
		err = db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO notes (id, body) VALUES (2, 'dropped')"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("InTx = %v, want the function's error", err)
		}
		var n int
		if err := bdb.NewSelect().Table("notes").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("notes = %d rows, want 1 (the failed transaction must roll back)", n)
		}
	})
}

type errFixed string

func (e errFixed) Error() string { return string(e) }

// A schema name that needs quoting (upper case) still becomes the search
// path, so tables land in it.
func TestOpenPostgresSchema(t *testing.T) {
	dsn := os.Getenv(dbtest.EnvPostgres)
	if dsn == "" {
		t.Skipf("%s not set", dbtest.EnvPostgres)
	}
	ctx := context.Background()
	for _, schema := range []string{"t_" + strings.ToLower(events.NewID()), "T_Mixed_" + events.NewID()} {
		t.Run(schema, func(t *testing.T) {
			bdb, err := db.Open(ctx, db.Config{DSN: dsn, Schema: schema})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() {
				_, _ = bdb.ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
				_ = bdb.Close()
			})
			if !db.IsPostgres(bdb) {
				t.Fatal("IsPostgres = false")
			}
			var current string
			if err := bdb.QueryRowContext(ctx, "SELECT current_schema()").Scan(&current); err != nil {
				t.Fatal(err)
			}
			if current != schema {
				t.Fatalf("current_schema() = %q, want %q", current, schema)
			}
			if _, err := bdb.ExecContext(ctx, "CREATE TABLE things (id INTEGER)"); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := bdb.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'things'", schema).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("table not created in schema %s", schema)
			}
			// Opening again with the schema present is fine.
			again, err := db.Open(ctx, db.Config{DSN: dsn, Schema: schema})
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			_ = again.Close()
		})
	}
}
