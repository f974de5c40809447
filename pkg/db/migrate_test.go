package db_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

func files(m map[string]string) fstest.MapFS {
	fs := fstest.MapFS{}
	for name, body := range m {
		fs[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fs
}

func tableExists(t *testing.T, bdb bun.IDB, name string) bool {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if db.IsPostgres(bdb) {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int
	if err := bdb.QueryRowContext(context.Background(), q, name).Scan(&n); err != nil {
		t.Fatalf("look up table %s: %v", name, err)
	}
	return n > 0
}

type applied struct {
	Component string
	Version   int
	Name      string
}

func appliedMigrations(t *testing.T, bdb bun.IDB) []applied {
	t.Helper()
	var out []applied
	err := bdb.NewSelect().Table("schema_migrations").Column("component", "version", "name").
		OrderExpr("component, version").Scan(context.Background(), &out)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return out
}

func count(t *testing.T, bdb bun.IDB, table string) int {
	t.Helper()
	var n int
	if err := bdb.NewSelect().Table(table).ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestMigrateDialectFileWins(t *testing.T) {
	set := db.Migrations{Component: "svc", FS: files(map[string]string{
		"0001_init.sql":          "CREATE TABLE shared_1 (id INTEGER)",
		"0001_init.postgres.sql": "CREATE TABLE pg_1 (id INTEGER)",
		"0001_init.sqlite.sql":   "CREATE TABLE lite_1 (id INTEGER)",
		// The shared file sorts after the dialect files here.
		"0002_a.postgres.sql": "CREATE TABLE pg_2 (id INTEGER)",
		"0002_a.sqlite.sql":   "CREATE TABLE lite_2 (id INTEGER)",
		"0002_z.sql":          "CREATE TABLE shared_2 (id INTEGER)",
		// Only a file for the other dialect: nothing runs here.
		"0003_only.postgres.sql": "CREATE TABLE pg_only (id INTEGER)",
		"0004_shared.sql":        "CREATE TABLE shared_4 (id INTEGER)",
		"README.md":              "not a migration",
		"sub/0009_nested.sql":    "CREATE TABLE nested (id INTEGER)",
	})}
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		if err := db.Migrate(context.Background(), bdb, set); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		pg := db.IsPostgres(bdb)
		want := map[string]bool{
			"shared_1": false, "pg_1": pg, "lite_1": !pg,
			"shared_2": false, "pg_2": pg, "lite_2": !pg,
			"pg_only": pg, "shared_4": true, "nested": false,
		}
		for table, exists := range want {
			if got := tableExists(t, bdb, table); got != exists {
				t.Errorf("table %s exists = %v, want %v", table, got, exists)
			}
		}
		var versions []string
		for _, a := range appliedMigrations(t, bdb) {
			versions = append(versions, fmt.Sprintf("%s/%d/%s", a.Component, a.Version, a.Name))
		}
		wantVersions := "svc/1/init,svc/2/a,svc/4/shared"
		if pg {
			wantVersions = "svc/1/init,svc/2/a,svc/3/only,svc/4/shared"
		}
		if strings.Join(versions, ",") != wantVersions {
			t.Fatalf("schema_migrations = %v, want %s", versions, wantVersions)
		}
	})
}

func TestMigrateIdempotentAndIncremental(t *testing.T) {
	v1 := map[string]string{
		// Not IF NOT EXISTS: running it twice would fail.
		"0001_init.sql": "CREATE TABLE regions (id INTEGER PRIMARY KEY)",
		"0002_seed.sql": "INSERT INTO regions (id) VALUES (1)",
	}
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		set := db.Migrations{Component: "parks", FS: files(v1)}
		if err := db.Migrate(ctx, bdb, set); err != nil {
			t.Fatalf("first Migrate: %v", err)
		}
		var firstAt time.Time
		if err := bdb.NewSelect().Table("schema_migrations").Column("applied_at").Where("version = 1").Scan(ctx, &firstAt); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx, bdb, set); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if n := count(t, bdb, "regions"); n != 1 {
			t.Fatalf("regions = %d rows after two runs, want 1", n)
		}
		if got := appliedMigrations(t, bdb); len(got) != 2 {
			t.Fatalf("schema_migrations = %v, want 2 rows", got)
		}
		var again time.Time
		if err := bdb.NewSelect().Table("schema_migrations").Column("applied_at").Where("version = 1").Scan(ctx, &again); err != nil {
			t.Fatal(err)
		}
		if !again.Equal(firstAt) {
			t.Fatalf("applied_at changed from %v to %v", firstAt, again)
		}

		v2 := map[string]string{"0003_more.sql": "INSERT INTO regions (id) VALUES (2)"}
		for k, v := range v1 {
			v2[k] = v
		}
		if err := db.Migrate(ctx, bdb, db.Migrations{Component: "parks", FS: files(v2)}); err != nil {
			t.Fatalf("Migrate with a new file: %v", err)
		}
		if n := count(t, bdb, "regions"); n != 2 {
			t.Fatalf("regions = %d rows, want 2 (only the new migration ran)", n)
		}
	})
}

func TestMigrateComponentsAreSeparate(t *testing.T) {
	bus := db.Migrations{Component: "bus", FS: files(map[string]string{
		"0001_outbox.sql": "CREATE TABLE outbox (id INTEGER)",
		"0002_inbox.sql":  "CREATE TABLE inbox (id INTEGER)",
	})}
	parks := db.Migrations{Component: "parks", FS: files(map[string]string{
		"0001_init.sql": "CREATE TABLE carriers (id INTEGER)",
	})}
	// Sets given to dbtest are applied before fn runs.
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		want := []applied{{"bus", 1, "outbox"}, {"bus", 2, "inbox"}, {"parks", 1, "init"}}
		got := appliedMigrations(t, bdb)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("schema_migrations = %v, want %v", got, want)
		}
		for _, table := range []string{"outbox", "inbox", "carriers"} {
			if !tableExists(t, bdb, table) {
				t.Errorf("table %s missing", table)
			}
		}
	}, bus, parks)
}

func TestMigrateSplitsStatements(t *testing.T) {
	tests := map[string]string{
		"lf":                             "CREATE TABLE a (id INTEGER);\n-- split\nCREATE TABLE b (id INTEGER);\n-- split\n\nINSERT INTO a (id) VALUES (1);\n-- split\nINSERT INTO a (id) VALUES (2);\n",
		"crlf":                           "CREATE TABLE a (id INTEGER);\r\n-- split\r\nCREATE TABLE b (id INTEGER);\r\n-- split\r\nINSERT INTO a (id) VALUES (1);\r\n-- split\r\nINSERT INTO a (id) VALUES (2);\r\n",
		"trailing space and empty parts": "-- split\nCREATE TABLE a (id INTEGER);\n-- split  \nCREATE TABLE b (id INTEGER);\n-- split\n-- split\nINSERT INTO a (id) VALUES (1);\n-- split\nINSERT INTO a (id) VALUES (2)\n-- split",
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
				if err := db.Migrate(context.Background(), bdb, db.Migrations{Component: "x", FS: files(map[string]string{"0001_multi.sql": body})}); err != nil {
					t.Fatalf("Migrate: %v", err)
				}
				if !tableExists(t, bdb, "a") || !tableExists(t, bdb, "b") {
					t.Fatal("not every statement ran")
				}
				if n := count(t, bdb, "a"); n != 2 {
					t.Fatalf("a = %d rows, want 2", n)
				}
			})
		})
	}
}

func TestMigrateFailureRollsBack(t *testing.T) {
	good := map[string]string{
		"0001_ok.sql": "CREATE TABLE ok_t (id INTEGER)",
	}
	bad := map[string]string{
		"0001_ok.sql":    good["0001_ok.sql"],
		"0002_bad.sql":   "CREATE TABLE half_t (id INTEGER);\n-- split\nINSERT INTO half_t (id) VALUES (1);\n-- split\nINSERT INTO no_such_table (id) VALUES (1);",
		"0003_after.sql": "CREATE TABLE after_t (id INTEGER)",
	}
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		bad := maps.Clone(bad)
		err := db.Migrate(ctx, bdb, db.Migrations{Component: "svc", FS: files(bad)})
		if err == nil {
			t.Fatal("Migrate with a failing statement succeeded")
		}
		if !strings.Contains(err.Error(), "svc 0002_bad") {
			t.Fatalf("error %q does not name the migration", err)
		}
		if !tableExists(t, bdb, "ok_t") {
			t.Fatal("the migration before the failing one was not kept")
		}
		if tableExists(t, bdb, "half_t") {
			t.Fatal("the failing migration left its table behind")
		}
		if tableExists(t, bdb, "after_t") {
			t.Fatal("a migration after the failing one ran")
		}
		if got := appliedMigrations(t, bdb); fmt.Sprint(got) != fmt.Sprint([]applied{{"svc", 1, "ok"}}) {
			t.Fatalf("schema_migrations = %v, want only svc/1", got)
		}

		// Once fixed, the rest applies.
		bad["0002_bad.sql"] = "CREATE TABLE half_t (id INTEGER)"
		if err := db.Migrate(ctx, bdb, db.Migrations{Component: "svc", FS: files(bad)}); err != nil {
			t.Fatalf("Migrate after the fix: %v", err)
		}
		if !tableExists(t, bdb, "half_t") || !tableExists(t, bdb, "after_t") {
			t.Fatal("fixed migrations did not apply")
		}
	})
}

func TestMigrateRejectsBadFiles(t *testing.T) {
	tests := map[string]map[string]string{
		"no underscore":            {"0001.sql": "SELECT 1"},
		"bad version":              {"first_init.sql": "SELECT 1"},
		"duplicate shared version": {"0001_a.sql": "SELECT 1", "0001_b.sql": "SELECT 1"},
		"duplicate dialect version": {"0001_a.sqlite.sql": "SELECT 1", "0001_b.sqlite.sql": "SELECT 1",
			"0001_a.postgres.sql": "SELECT 1", "0001_b.postgres.sql": "SELECT 1"},
	}
	for name, fs := range tests {
		t.Run(name, func(t *testing.T) {
			dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
				err := db.Migrate(context.Background(), bdb, db.Migrations{Component: "svc", FS: files(fs)})
				if err == nil {
					t.Fatal("Migrate accepted bad migration files")
				}
				if !strings.Contains(err.Error(), "svc") {
					t.Fatalf("error %q does not name the component", err)
				}
				if got := appliedMigrations(t, bdb); len(got) != 0 {
					t.Fatalf("schema_migrations = %v, want none", got)
				}
			})
		})
	}
}

// Replicas starting at once (separate connections, even separate pools)
// apply each migration exactly once and all succeed.
func TestMigrateConcurrently(t *testing.T) {
	const migrations = 6
	m := map[string]string{}
	for i := 1; i <= migrations; i++ {
		body := fmt.Sprintf("CREATE TABLE t%d (id INTEGER)", i)
		if i == 1 {
			body = "CREATE TABLE runs (version INTEGER NOT NULL)\n-- split\nINSERT INTO runs (version) VALUES (1)"
		} else {
			body += fmt.Sprintf("\n-- split\nINSERT INTO runs (version) VALUES (%d)", i)
		}
		m[fmt.Sprintf("%04d_m%d.sql", i, i)] = body
	}
	set := db.Migrations{Component: "race", FS: files(m)}
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			for round := range 3 {
				ctx := context.Background()
				cfg := dbtest.Config(t, d)
				const replicas = 4
				dbs := make([]*bun.DB, replicas)
				for i := range dbs {
					bdb, err := db.Open(ctx, cfg)
					if err != nil {
						t.Fatalf("open replica %d: %v", i, err)
					}
					defer bdb.Close()
					dbs[i] = bdb
				}
				start := make(chan struct{})
				errs := make([]error, replicas)
				var wg sync.WaitGroup
				for i, bdb := range dbs {
					wg.Go(func() {
						<-start
						errs[i] = db.Migrate(ctx, bdb, set)
					})
				}
				close(start)
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Fatalf("round %d replica %d: %v", round, i, err)
					}
				}
				if n := count(t, dbs[0], "runs"); n != migrations {
					t.Fatalf("round %d: %d migration runs recorded, want %d (each exactly once)", round, n, migrations)
				}
				if got := appliedMigrations(t, dbs[0]); len(got) != migrations {
					t.Fatalf("round %d: schema_migrations = %v", round, got)
				}
			}
		})
	}
}
