package dbtest_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

func TestDialects(t *testing.T) {
	want := []string{"sqlite"}
	if os.Getenv(dbtest.EnvPostgres) != "" {
		want = append(want, "postgres")
	}
	if got := dbtest.Dialects(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Dialects = %v, want %v", got, want)
	}
}

var notes = db.Migrations{Component: "notes", FS: fstest.MapFS{
	"0001_init.sql": &fstest.MapFile{Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")},
}}

// ForEachDB runs one subtest per dialect, each on a fresh, migrated
// database; PostgreSQL schemas are dropped afterwards.
func TestForEachDB(t *testing.T) {
	var ran []string
	schemas := map[string]string{}
	t.Run("inner", func(t *testing.T) {
		dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
			ctx := context.Background()
			name := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
			ran = append(ran, name)
			if db.IsPostgres(bdb) != (name == "postgres") {
				t.Fatalf("subtest %s got the wrong dialect", name)
			}
			var n int
			if err := bdb.NewSelect().Table("notes").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
				t.Fatalf("migration not applied: %v", err)
			}
			if n != 0 {
				t.Fatalf("fresh database has %d notes", n)
			}
			if _, err := bdb.ExecContext(ctx, "INSERT INTO notes (id, body) VALUES (1, 'x')"); err != nil {
				t.Fatal(err)
			}
			if db.IsPostgres(bdb) {
				var s string
				if err := bdb.QueryRowContext(ctx, "SELECT current_schema()").Scan(&s); err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(s, "t_") {
					t.Fatalf("current schema %q is not a private test schema", s)
				}
				schemas[name] = s
			}
		}, notes)
	})
	if !reflect.DeepEqual(ran, dbtest.Dialects()) {
		t.Fatalf("ran on %v, want %v", ran, dbtest.Dialects())
	}
	if s, ok := schemas["postgres"]; ok {
		admin, err := db.Open(context.Background(), db.Config{DSN: os.Getenv(dbtest.EnvPostgres)})
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		var n int
		if err := admin.QueryRowContext(context.Background(), "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", s).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("schema %s survived the test", s)
		}
	}
}

// Each Open is private: what one test writes, another does not see.
func TestOpenIsPrivate(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			a := dbtest.Open(t, d, notes)
			b := dbtest.Open(t, d, notes)
			if _, err := a.ExecContext(ctx, "INSERT INTO notes (id, body) VALUES (1, 'a')"); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := b.NewSelect().Table("notes").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("second database sees %d rows of the first", n)
			}
			ca, cb := dbtest.Config(t, d), dbtest.Config(t, d)
			if ca == cb {
				t.Fatalf("two Configs are equal: %+v", ca)
			}
		})
	}
}
