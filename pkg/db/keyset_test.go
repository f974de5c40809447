package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/list"
)

type firmRow struct {
	bun.BaseModel `bun:"table:firms,alias:f"`
	ID            string    `bun:"id,pk"`
	RegionID      string    `bun:"region_id"`
	Name          string    `bun:"name"`
	CreatedAt     time.Time `bun:"created_at"`
	Rank          int       `bun:"rank"`
	ClosedOn      *string   `bun:"closed_on"`
}

var firmOrder = db.Order{
	Columns:    map[string]string{"name": "f.name", "created_at": "f.created_at", "rank": "f.rank", "closed_on": "f.closed_on"},
	Default:    "f.name",
	Tiebreak:   "f.id",
	OffsetOnly: []string{"f.closed_on"},
}

// firms creates the table with an index per sort, as the services' list
// indexes are, and n firms in region r1 (plus some in r2) whose sort keys
// repeat, so that the tiebreak decides between equal keys.
func firms(t *testing.T, bdb *bun.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for _, s := range []string{
		"CREATE TABLE firms (id TEXT PRIMARY KEY, region_id TEXT NOT NULL, name TEXT NOT NULL, created_at TIMESTAMP NOT NULL, rank INTEGER NOT NULL, closed_on TEXT NULL)",
		"CREATE INDEX firms_region_name ON firms (region_id, name, id)",
		"CREATE INDEX firms_region_created ON firms (region_id, created_at, id)",
		"CREATE INDEX firms_region_rank ON firms (region_id, rank, id)",
	} {
		if _, err := bdb.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var rows []firmRow
	for i := range n + 10 {
		r := firmRow{ID: fmt.Sprintf("f%04d", (i*37)%(n+10)), RegionID: "r1", Name: fmt.Sprintf("公司%02d", i%13),
			CreatedAt: t0.Add(time.Duration(i%17) * 1500 * time.Microsecond), Rank: i % 7}
		if i >= n {
			r.RegionID = "r2"
		}
		rows = append(rows, r)
	}
	if _, err := bdb.NewInsert().Model(&rows).Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

func listFirms(ctx context.Context, bdb *bun.DB, p list.Params) ([]string, int, error) {
	return listFirmsIn(ctx, bdb, firmOrder, p)
}

func listFirmsIn(ctx context.Context, bdb *bun.DB, o db.Order, p list.Params) ([]string, int, error) {
	var rows []firmRow
	q := bdb.NewSelect().Model(&rows).Where("f.region_id = ?", "r1")
	return db.MapSorted(ctx, q, o, p, &rows, "list firms", func(r firmRow) string { return r.ID })
}

// newestFirst is a list with one order, newest first, like an audit trail.
var newestFirst = db.Order{Default: "f.created_at", DefaultDesc: true, Tiebreak: "f.id"}

// walk reads every page of the list, by cursor when byCursor, by page
// number otherwise, and returns the ids in the order read; between pages
// it runs between (may be nil).
func walk(t *testing.T, bdb *bun.DB, sort string, desc, byCursor bool, between func(page int)) []string {
	t.Helper()
	return walkIn(t, bdb, firmOrder, sort, desc, byCursor, between)
}

func walkIn(t *testing.T, bdb *bun.DB, o db.Order, sort string, desc, byCursor bool, between func(page int)) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	var after *list.Position
	for page := 1; page < 1000; page++ {
		p := list.Params{Page: page, PageSize: 7, Sort: sort, Desc: desc, Keyset: &list.Keyset{}}
		if byCursor {
			p.Page, p.Keyset.After = 1, after
		}
		got, total, err := listFirmsIn(ctx, bdb, o, p)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if total < 50 {
			t.Fatalf("page %d: total %d", page, total)
		}
		ids = append(ids, got...)
		if byCursor {
			if p.Keyset.Next == nil {
				return ids
			}
			after = p.Keyset.Next
		} else if len(got) == 0 {
			return ids
		}
		if between != nil {
			between(page)
		}
	}
	t.Fatal("the walk did not end")
	return nil
}

// Every page by cursor, in every order both ways, yields what the offset
// walk yields: the same rows in the same order, each once.
func TestKeysetWalkEqualsOffsetWalk(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		firms(t, bdb, 50)
		for _, sort := range []string{"", "name", "created_at", "rank"} {
			for _, desc := range []bool{false, true} {
				t.Run(fmt.Sprintf("%q/desc=%v", sort, desc), func(t *testing.T) {
					byOffset, byCursor := walk(t, bdb, sort, desc, false, nil), walk(t, bdb, sort, desc, true, nil)
					if len(byOffset) != 50 {
						t.Fatalf("offset walk read %d rows, want 50", len(byOffset))
					}
					if !slices.Equal(byCursor, byOffset) {
						t.Fatalf("cursor walk\n%v\n!= offset walk\n%v", byCursor, byOffset)
					}
				})
			}
		}
	})
}

// A list with one order, newest first (the audit trail's shape), walks
// the same by cursor as by page, descending on both databases.
func TestKeysetWalkNewestFirst(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		firms(t, bdb, 50)
		byOffset, byCursor := walkIn(t, bdb, newestFirst, "", false, false, nil), walkIn(t, bdb, newestFirst, "", false, true, nil)
		if len(byOffset) != 50 || !slices.Equal(byCursor, byOffset) {
			t.Fatalf("cursor walk (%d rows)\n%v\n!= offset walk (%d rows)\n%v", len(byCursor), byCursor, len(byOffset), byOffset)
		}
		var times []time.Time
		if err := bdb.NewSelect().Model((*firmRow)(nil)).Column("created_at").Where("region_id = 'r1'").OrderExpr("created_at DESC, id DESC").Limit(1).Scan(context.Background(), &times); err != nil {
			t.Fatal(err)
		}
		var first firmRow
		if err := bdb.NewSelect().Model(&first).Where("id = ?", byCursor[0]).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !first.CreatedAt.Equal(times[0]) {
			t.Fatalf("the walk starts at %v, want the newest, %v", first.CreatedAt, times[0])
		}
	})
}

// Rows inserted during a cursor walk, before and after its position,
// neither make it skip nor repeat a row that was there when it started
// (an offset walk repeats rows when rows are inserted before its page).
func TestKeysetWalkSurvivesInserts(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		firms(t, bdb, 50)
		ctx := context.Background()
		before := walk(t, bdb, "name", false, true, nil)
		insert := func(page int) {
			// "公司" sorts before every existing name, "公司99" after all.
			for _, name := range []string{"公司", "公司99"} {
				r := firmRow{ID: fmt.Sprintf("new-%d-%s", page, name), RegionID: "r1", Name: name, CreatedAt: time.Now().UTC()}
				if _, err := bdb.NewInsert().Model(&r).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		// One row behind the position and one ahead per page turned: 8.
		dbtest.CheckWalkUnderInserts(t, before, walk(t, bdb, "name", false, true, insert), 8)
	})
}

// A position that does not decode into the columns' types, or one given
// for a sort over a column that may be NULL, is the caller's error on the
// field cursor; that sort answers no next position.
func TestKeysetRefusesWhatItCannotSeek(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		firms(t, bdb, 50)
		ctx := context.Background()
		bad := []struct {
			sort string
			pos  list.Position
		}{
			{"created_at", list.Position{Key: []byte(`"yesterday"`), ID: []byte(`"f0001"`)}},
			{"rank", list.Position{Key: []byte(`"three"`), ID: []byte(`"f0001"`)}},
			{"name", list.Position{Key: []byte(`"公司01"`), ID: []byte(`17`)}},
			{"closed_on", list.Position{Key: []byte(`"2026-01-01"`), ID: []byte(`"f0001"`)}},
		}
		for _, b := range bad {
			p := list.Params{Page: 1, PageSize: 7, Sort: b.sort, Keyset: &list.Keyset{After: &b.pos}}
			_, _, err := listFirms(ctx, bdb, p)
			ae, ok := apperr.As(err)
			if !ok || ae.Category != apperr.IncorrectInput || len(ae.Fields) != 1 || ae.Fields[0].Field != "cursor" {
				t.Errorf("sort %s, position %s: err = %v, want incorrect input on cursor", b.sort, b.pos.Key, err)
			}
		}
		p := list.Params{Page: 1, PageSize: 7, Sort: "closed_on", Keyset: &list.Keyset{}}
		if ids, _, err := listFirms(ctx, bdb, p); err != nil || len(ids) != 7 || p.Keyset.Next != nil {
			t.Errorf("nullable sort: %v, %v, next %v; want a page of 7 and no next position", ids, err, p.Keyset.Next)
		}
	})
}

// The page after a position reads the index from the position on, in
// order: no sort, in either direction, on either database.
func TestKeysetPageReadsIndexOrder(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		firms(t, bdb, 50)
		rec := dbtest.Record(bdb)
		for _, sort := range []string{"name", "created_at", "rank"} {
			for _, desc := range []bool{false, true} {
				p := list.Params{Page: 1, PageSize: 7, Sort: sort, Desc: desc, Keyset: &list.Keyset{}}
				if _, _, err := listFirms(context.Background(), bdb, p); err != nil || p.Keyset.Next == nil {
					t.Fatalf("first page: %v (next %v)", err, p.Keyset.Next)
				}
				after := p.Keyset.Next
				t.Run(fmt.Sprintf("%s/desc=%v", sort, desc), func(t *testing.T) {
					dbtest.AssertIndexOrder(t, bdb, rec, func(ctx context.Context) error {
						p := list.Params{Page: 1, PageSize: 7, Sort: sort, Desc: desc, Keyset: &list.Keyset{After: after}}
						_, _, err := listFirms(ctx, bdb, p)
						return err
					})
				})
			}
		}
	})
}
