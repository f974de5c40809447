// Package db opens bun on PostgreSQL or SQLite from one DSN, runs versioned
// migrations under a lock, and offers the transaction helper repositories
// use. The same models and migrations serve both databases.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // pure-Go SQLite driver, registered as "sqlite"
)

// Config says where a service's tables live.
type Config struct {
	// DSN is postgres://… or sqlite:///abs/path.db or sqlite://rel/path.db.
	DSN string
	// Schema is the PostgreSQL schema holding the service's tables
	// (created if missing); ignored on SQLite, where each service has
	// its own file.
	Schema string
}

// Open connects and checks the connection.
func Open(ctx context.Context, cfg Config) (*bun.DB, error) {
	switch {
	case strings.HasPrefix(cfg.DSN, "postgres://"), strings.HasPrefix(cfg.DSN, "postgresql://"):
		return openPostgres(ctx, cfg)
	case strings.HasPrefix(cfg.DSN, "sqlite://"):
		return openSQLite(ctx, strings.TrimPrefix(cfg.DSN, "sqlite://"))
	default:
		return nil, fmt.Errorf("open database: unsupported DSN %q (want postgres:// or sqlite://)", redact(cfg.DSN))
	}
}

func openPostgres(ctx context.Context, cfg Config) (*bun.DB, error) {
	pcfg, err := pgx.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("parse postgres DSN: %w", err)
	}
	if cfg.Schema != "" {
		if err := ensureSchema(ctx, *pcfg, cfg.Schema); err != nil {
			return nil, err
		}
		// Quoted like the CREATE SCHEMA above, or a name with capitals
		// would resolve to its lower-case twin.
		pcfg.RuntimeParams["search_path"] = pgx.Identifier{cfg.Schema}.Sanitize()
	}
	sqldb := stdlib.OpenDB(*pcfg)
	sqldb.SetMaxOpenConns(20)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	bdb := bun.NewDB(sqldb, pgdialect.New())
	if err := bdb.PingContext(ctx); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("ping postgres: %w", err)
	}
	return bdb, nil
}

func ensureSchema(ctx context.Context, cfg pgx.ConnConfig, schema string) error {
	conn, err := pgx.ConnectConfig(ctx, &cfg)
	if err != nil {
		return fmt.Errorf("connect postgres: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	return nil
}

func openSQLite(ctx context.Context, path string) (*bun.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("open sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create sqlite directory: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	// Every transaction takes the write lock at BEGIN, so two writers never
	// deadlock upgrading a read lock.
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// SQLite has one writer; one connection keeps writes serialized in
	// process instead of failing with SQLITE_BUSY.
	sqldb.SetMaxOpenConns(1)
	bdb := bun.NewDB(sqldb, sqlitedialect.New())
	if err := bdb.PingContext(ctx); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("ping sqlite %s: %w", path, err)
	}
	return bdb, nil
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// InTx runs fn in a transaction, committing when it returns nil.
func InTx(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return db.RunInTx(ctx, nil, fn)
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "<unparseable>"
	}
	return u.Redacted()
}
