package dbtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
)

// Recorder keeps the ordered SELECTs that run on a database, so a test
// can run a repository's real list query and then look at its plan.
type Recorder struct {
	mu      sync.Mutex
	queries []string
}

// Record starts recording the SELECT … ORDER BY statements run on bdb or
// on its readers (db.Reader).
func Record(bdb *bun.DB) *Recorder {
	r := &Recorder{}
	// WithQueryHook would hook a copy; the repositories under test hold
	// these very handles (and db.Reader finds the readers by the writer).
	//lint:ignore SA1019 the hook must be on the handles in use
	bdb.AddQueryHook(r)
	if rd := db.Reader(bdb); rd != bdb {
		//lint:ignore SA1019 as above
		rd.AddQueryHook(r)
	}
	return r
}

// BeforeQuery implements bun.QueryHook.
func (r *Recorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (r *Recorder) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	q := strings.TrimSpace(ev.Query)
	if !strings.HasPrefix(strings.ToUpper(q), "SELECT") || !strings.Contains(q, "ORDER BY") {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, q)
}

// Take returns the statements recorded since the last Take.
func (r *Recorder) Take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.queries
	r.queries = nil
	return out
}

// Plan is the query plan of query on bdb, one line per node: SQLite's
// EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with sorting priced out of
// reach (enable_sort off), so that a plan still sorting has no index that
// yields the order, whatever the table sizes.
func Plan(ctx context.Context, bdb *bun.DB, query string) ([]string, error) {
	var lines []string
	err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if db.IsPostgres(tx) {
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_sort = off"); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_incremental_sort = off"); err != nil {
				return err
			}
			return tx.NewRaw("EXPLAIN "+query).Scan(ctx, &lines)
		}
		rows, err := tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			lines = append(lines, detail)
		}
		return rows.Err()
	})
	return lines, err
}

// Sorts reports the plan line that sorts rows (SQLite's temp B-tree for
// an ORDER BY, PostgreSQL's Sort node), or "" when the plan reads rows in
// index order.
func Sorts(plan []string) string {
	for _, l := range plan {
		s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "->"))
		if strings.Contains(s, "USE TEMP B-TREE FOR") && strings.Contains(s, "ORDER BY") ||
			strings.HasPrefix(s, "Sort ") || strings.HasPrefix(s, "Incremental Sort ") {
			return l
		}
	}
	return ""
}

// AssertIndexOrder runs run (a repository's list query) and fails t for
// every ordered SELECT it issued whose plan sorts instead of reading an
// index in order; it fails, too, when run issued no ordered SELECT.
func AssertIndexOrder(t *testing.T, bdb *bun.DB, rec *Recorder, run func(ctx context.Context) error) {
	t.Helper()
	ctx := context.Background()
	rec.Take()
	if err := run(ctx); err != nil {
		t.Fatalf("run list: %v", err)
	}
	queries := rec.Take()
	if len(queries) == 0 {
		t.Fatal("the list ran no SELECT … ORDER BY")
	}
	for _, q := range queries {
		plan, err := Plan(ctx, bdb, q)
		if err != nil {
			t.Fatalf("plan of %s: %v", q, err)
		}
		if l := Sorts(plan); l != "" {
			t.Errorf("the plan sorts (%s) instead of reading an index in order:\n%s\nplan:\n  %s", strings.TrimSpace(l), q, strings.Join(plan, "\n  "))
		}
	}
}

// Reader is a unit of work that runs a function in a read transaction
// (a service's store, bus.Unit).
type Reader[T any] interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx T) error) error
}

// CheckListPlans runs, on each database migrated with set, the list
// queries cases names, each in a read transaction of the store open
// builds (a service's adapters.NewStore), and asserts with
// AssertIndexOrder that none sorts its rows.
func CheckListPlans[T any, S Reader[T]](t *testing.T, set db.Migrations, open func(bdb *bun.DB, notify func()) S, cases func(l *Lists[T])) {
	t.Helper()
	ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		rec, store := Record(bdb), open(bdb, nil)
		cases(&Lists[T]{check: func(name string, query func(ctx context.Context, tx T) error) {
			t.Run(name, func(t *testing.T) {
				AssertIndexOrder(t, bdb, rec, func(ctx context.Context) error { return store.Read(ctx, query) })
			})
		}})
	}, set)
}

// Lists names the list queries of a plan test (see CheckListPlans).
type Lists[T any] struct {
	check func(name string, query func(ctx context.Context, tx T) error)
}

// Page is a list query: it reads the page p asks for in tx.
type Page[T any] func(ctx context.Context, tx T, p list.Params) error

// Page checks the page p of a list.
func (l *Lists[T]) Page(name string, p list.Params, page Page[T]) {
	l.check(name, func(ctx context.Context, tx T) error { return page(ctx, tx, p) })
}

// After checks the page of a list after the row whose sort column (p's
// sort) holds key and whose id is id (see the function After), and that
// the list seeked there instead of paging by offset.
func (l *Lists[T]) After(name string, p list.Params, key, id string, page Page[T]) {
	l.check(name, func(ctx context.Context, tx T) error {
		after := p
		after.Keyset = After(key, id)
		if err := page(ctx, tx, after); err != nil {
			return err
		}
		if !after.Keyset.Seeked {
			return fmt.Errorf("the list did not seek after the cursor's position")
		}
		return nil
	})
}

// InOrders calls fn with p in each order of a list: its default order
// ("") and each of sorts, each ascending and descending, with the name of
// that order (`"sort"/desc=true`).
func InOrders(p list.Params, sorts []string, fn func(order string, p list.Params)) {
	for _, sort := range append([]string{""}, sorts...) {
		for _, desc := range []bool{false, true} {
			p.Sort, p.Desc = sort, desc
			fn(fmt.Sprintf("%q/desc=%v", sort, desc), p)
		}
	}
}

// After is a keyset request for the page after the row whose sort column
// holds key (a text, a date or an RFC 3339 time) and whose id is id, for
// the plan tests of keyset pages.
func After(key, id string) *list.Keyset {
	k, _ := json.Marshal(key) // a string always marshals
	i, _ := json.Marshal(id)
	return &list.Keyset{After: &list.Position{Key: k, ID: i}}
}
