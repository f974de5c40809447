package db

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Migrations is one component's set of versioned SQL files in FS:
//
//	0001_init.sql           runs on both databases
//	0002_outbox.postgres.sql / 0002_outbox.sqlite.sql  one per dialect
//
// A file may hold several statements separated by lines "-- split".
// Component namespaces the versions so that pkg's own tables (outbox,
// inbox) and a service's tables migrate side by side.
type Migrations struct {
	Component string
	FS        fs.FS
}

type migration struct {
	version int
	name    string
	sql     string

	file            string
	dialectSpecific bool
}

// Migrate applies every pending migration of every set, each in its own
// transaction, under a database-wide lock so that replicas starting at once
// apply each migration exactly once.
func Migrate(ctx context.Context, db *bun.DB, sets ...Migrations) error {
	// Under the lock too: on PostgreSQL, concurrent CREATE TABLE IF NOT
	// EXISTS can both miss the table and one then fails on a catalog
	// unique index.
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lock(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL,
		version INTEGER NOT NULL,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL,
		PRIMARY KEY (component, version))`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, set := range sets {
		ms, err := load(set.FS, IsPostgres(db))
		if err != nil {
			return fmt.Errorf("load migrations of %s: %w", set.Component, err)
		}
		for _, m := range ms {
			if err := apply(ctx, db, set.Component, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func apply(ctx context.Context, db *bun.DB, component string, m migration) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lock(ctx, tx); err != nil {
			return err
		}
		var n int
		if err := tx.NewSelect().Table("schema_migrations").ColumnExpr("count(*)").
			Where("component = ? AND version = ?", component, m.version).Scan(ctx, &n); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if n > 0 {
			return nil
		}
		for _, stmt := range strings.Split(m.sql, "\n-- split\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrate %s %04d_%s: %w", component, m.version, m.name, err)
			}
		}
		_, err := tx.NewInsert().Table("schema_migrations").Model(&map[string]any{
			"component": component, "version": m.version, "name": m.name, "applied_at": time.Now().UTC(),
		}).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record migration %s %d: %w", component, m.version, err)
		}
		return nil
	})
}

// lock takes the database-wide migration lock until tx ends. SQLite needs
// none: its transactions begin immediate, holding the write lock.
func lock(ctx context.Context, tx bun.Tx) error {
	if !IsPostgres(tx) {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("incuchain-migrate"))
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(h.Sum64()>>1)); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	return nil
}

func load(fsys fs.FS, postgres bool) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	want := "sqlite"
	if postgres {
		want = "postgres"
	}
	byVersion := map[int]migration{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		base := strings.TrimSuffix(name, ".sql")
		dialectSpecific := false
		if d, ok := strings.CutSuffix(base, ".postgres"); ok {
			if !postgres {
				continue
			}
			base, dialectSpecific = d, true
		} else if d, ok := strings.CutSuffix(base, ".sqlite"); ok {
			if postgres {
				continue
			}
			base, dialectSpecific = d, true
		}
		verStr, title, ok := strings.Cut(base, "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: want NNNN_name[.%s].sql", name, want)
		}
		v, err := strconv.Atoi(verStr)
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad version: %w", name, err)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if prev, dup := byVersion[v]; dup {
			switch {
			case prev.dialectSpecific == dialectSpecific:
				// Silently running only one of them would lose the other.
				return nil, fmt.Errorf("migrations %s and %s have the same version", prev.file, name)
			case prev.dialectSpecific:
				continue // a dialect-specific file wins over a shared one
			}
		}
		byVersion[v] = migration{version: v, name: title, sql: string(body), file: name, dialectSpecific: dialectSpecific}
	}
	out := make([]migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}
