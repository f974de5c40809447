// Package db opens bun on PostgreSQL or SQLite from one DSN, runs versioned
// migrations under a lock, and offers the transaction helper repositories
// use. The same models and migrations serve both databases. A SQLite
// database has one writing connection and a pool of read-only ones
// (Reader); pool sizes come from the DSN (max_conns, read_conns).
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
	dsn, pool, err := poolSettings(cfg.DSN)
	if err != nil {
		return nil, err
	}
	pcfg, err := pgx.ParseConfig(dsn)
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
	sqldb.SetMaxOpenConns(pool.maxConns)
	sqldb.SetMaxIdleConns(pool.maxConns)
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

func openSQLite(ctx context.Context, dsn string) (*bun.DB, error) {
	path, pool, err := poolSettings(dsn)
	if err != nil {
		return nil, err
	}
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
	// Every write transaction takes the write lock at BEGIN, so two
	// writers never deadlock upgrading a read lock.
	q.Set("_txlock", "immediate")
	drv, err := sqliteDriver()
	if err != nil {
		return nil, err
	}
	w := &sqliteConnector{drv: drv, dsn: "file:" + path + "?" + q.Encode()}
	// SQLite has one writer; one connection keeps writes serialized in
	// process instead of failing with SQLITE_BUSY.
	sqldb := sql.OpenDB(w)
	sqldb.SetMaxOpenConns(1)
	bdb := bun.NewDB(sqldb, sqlitedialect.New())
	if err := bdb.PingContext(ctx); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("ping sqlite %s: %w", path, err)
	}
	// Reads go to a pool of their own, opened once the writer has put the
	// file in WAL mode: in WAL readers see the last commit without
	// waiting for the writer, so a read never queues behind a write nor
	// behind another read. query_only makes a stray write in a read fail
	// loudly instead of racing the writer.
	rq := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "foreign_keys(1)", "query_only(1)"} {
		rq.Add("_pragma", p)
	}
	rdb := sql.OpenDB(&sqliteConnector{drv: drv, dsn: "file:" + path + "?" + rq.Encode()})
	rdb.SetMaxOpenConns(pool.readConns)
	rdb.SetMaxIdleConns(pool.readConns)
	readers := bun.NewDB(rdb, sqlitedialect.New())
	if err := readers.PingContext(ctx); err != nil {
		_ = readers.Close()
		_ = bdb.Close()
		return nil, fmt.Errorf("ping sqlite readers %s: %w", path, err)
	}
	pools.Store(bdb, readers)
	w.close = func() error {
		pools.Delete(bdb)
		return readers.Close()
	}
	return bdb, nil
}

// pools maps a SQLite database (its one writing connection) to its pool
// of reading connections.
var pools sync.Map

// Reader is the handle reads of bdb should go to: the pool of read-only
// connections of a SQLite database, or bdb itself on PostgreSQL (one pool
// serves both there). Closing bdb closes its readers.
func Reader(bdb *bun.DB) *bun.DB {
	if r, ok := pools.Load(bdb); ok {
		return r.(*bun.DB)
	}
	return bdb
}

// ReadTx is the transaction options of a read: read-only, so that
// PostgreSQL may skip what writes need, and SQLite begins it deferred
// (without the write lock a write transaction takes at BEGIN).
var ReadTx = &sql.TxOptions{ReadOnly: true}

// sqliteConnector opens connections of the registered SQLite driver and,
// when the database it serves is closed, closes what hangs off it (the
// writer's pool of readers).
type sqliteConnector struct {
	drv   driver.Driver
	dsn   string
	close func() error
}

func (c *sqliteConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c *sqliteConnector) Driver() driver.Driver                        { return c.drv }

// Close is called by sql.DB.Close.
func (c *sqliteConnector) Close() error {
	if c.close == nil {
		return nil
	}
	return c.close()
}

func sqliteDriver() (driver.Driver, error) {
	d, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, fmt.Errorf("sqlite driver: %w", err)
	}
	defer d.Close()
	return d.Driver(), nil
}

// pool is how many connections a database keeps.
type pool struct {
	maxConns  int // PostgreSQL: open connections at most
	readConns int // SQLite: reading connections beside the one writer
}

// poolSettings takes the pool sizes out of a DSN's query (max_conns for
// PostgreSQL, read_conns for SQLite) and returns the DSN without them, so
// that each deployment sizes its pools in the setting that names its
// database (INCUCHAIN_PARKS_DB=postgres://…?max_conns=40).
func poolSettings(dsn string) (string, pool, error) {
	p := pool{maxConns: 20, readConns: max(4, 2*runtime.GOMAXPROCS(0))}
	base, query, ok := strings.Cut(dsn, "?")
	if !ok {
		return dsn, p, nil
	}
	var keep []string
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		var dst *int
		switch k {
		case "max_conns":
			dst = &p.maxConns
		case "read_conns":
			dst = &p.readConns
		default:
			keep = append(keep, kv)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return "", p, fmt.Errorf("open database: %s=%q is not a positive number", k, v)
		}
		*dst = n
	}
	if len(keep) == 0 {
		return base, p, nil
	}
	return base + "?" + strings.Join(keep, "&"), p, nil
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
