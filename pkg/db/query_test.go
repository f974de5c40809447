package db_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/list"
)

type noteRow struct {
	bun.BaseModel `bun:"table:notes"`
	ID            string `bun:"id,pk"`
	Title         string `bun:"title"`
	Body          string `bun:"body"`
}

// notes creates the notes table and writes each of rows with put.
func notes(t *testing.T, bdb *bun.DB, put func(*noteRow) error, rows ...noteRow) {
	t.Helper()
	if _, err := bdb.ExecContext(context.Background(), "CREATE TABLE notes (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := put(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
}

// Upsert inserts a new row and, on the key, updates only the columns it
// names; Exec says what failed; Search matches any named column.
func TestUpsertExecSearch(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		notes(t, bdb, func(n *noteRow) error { return db.Exec(ctx, db.Upsert(bdb, n, "id", "title"), "put note") },
			noteRow{ID: "a", Title: "Alpha", Body: "first"}, noteRow{ID: "b", Title: "Beta", Body: "50% off"})
		if err := db.Exec(ctx, db.Upsert(bdb, &noteRow{ID: "a", Title: "Alef", Body: "ignored"}, "id", "title"), "put note"); err != nil {
			t.Fatal(err)
		}
		var a noteRow
		if err := bdb.NewSelect().Model(&a).Where("id = ?", "a").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if a.Title != "Alef" || a.Body != "first" {
			t.Fatalf("after upsert = %+v, want the title changed and the body kept", a)
		}

		for title, want := range map[string]int64{"": 2, "Beta": 1, "Gamma": 0} {
			n, err := db.Filter(bdb.NewSelect().Model((*noteRow)(nil)), "title = ?", title).Count(ctx)
			if err != nil || n != want {
				t.Errorf("Filter(title = %q) = %d, %v; want %d", title, n, err, want)
			}
		}

		var rows []noteRow
		titles, total, err := db.MapPage(ctx, bdb.NewSelect().Model(&rows).Order("id"), list.Params{Page: 2, PageSize: 1}, &rows, "list notes",
			func(n noteRow) string { return n.Title })
		if err != nil || total != 2 || !reflect.DeepEqual(titles, []string{"Beta"}) {
			t.Fatalf("MapPage = %v, %d, %v; want [Beta], 2", titles, total, err)
		}
		_, _, err = db.DecodePage(ctx, bdb.NewSelect().Model(&rows), list.Params{Page: 1, PageSize: 5}, &rows, "list notes",
			func(n noteRow) (int, error) { return strconv.Atoi(n.Title) })
		if err == nil {
			t.Fatal("DecodePage of rows that do not decode succeeded")
		}

		all, err := db.MapAll(ctx, bdb.NewSelect().Model(&rows).Order("id"), &rows, "all notes", func(n noteRow) string { return n.ID })
		if err != nil || !reflect.DeepEqual(all, []string{"a", "b"}) {
			t.Fatalf("MapAll = %v, %v", all, err)
		}
		if _, err := db.DecodeAll(ctx, bdb.NewSelect().Model(&rows).Where("nope = 1"), &rows, "all notes",
			func(n noteRow) (string, error) { return n.ID, nil }); err == nil || !strings.HasPrefix(err.Error(), "all notes: ") {
			t.Fatalf("DecodeAll of a bad query = %v, want the error named", err)
		}

		err = db.Exec(ctx, bdb.NewInsert().Model(&noteRow{ID: "a", Title: "dup", Body: "dup"}), "insert note")
		if err == nil || !strings.HasPrefix(err.Error(), "insert note: ") || !db.IsUniqueViolation(err) {
			t.Fatalf("Exec of a duplicate = %v, want a wrapped unique violation", err)
		}

		for text, want := range map[string][]string{"": {"a", "b"}, "ALE": {"a"}, "%": {"b"}, "IRST": {"a"}, "zzz": nil} {
			var ids []string
			q := db.Search(bdb.NewSelect().Model((*noteRow)(nil)).Column("id"), text, "title", "body").Where("id <> ?", "none")
			if err := q.Order("id").Scan(ctx, &ids); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids, want) {
				t.Errorf("Search(%q) = %v, want %v", text, ids, want)
			}
		}

	})
}

func TestJSONText(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{{[]string{"a"}, `["a"]`}, {map[string]int{"x": 1}, `{"x":1}`}, {nil, "null"}, {func() {}, "null"}} {
		if got := db.JSONText(c.v); got != c.want {
			t.Errorf("JSONText(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestMapAndDecodeRows(t *testing.T) {
	if got := db.MapRows([]int{1, 2, 3}, strconv.Itoa); !reflect.DeepEqual(got, []string{"1", "2", "3"}) {
		t.Fatalf("MapRows = %v", got)
	}
	if got := db.MapRows(nil, strconv.Itoa); got == nil || len(got) != 0 {
		t.Fatalf("MapRows(nil) = %#v, want an empty, non-nil slice (it encodes as [])", got)
	}
	got, err := db.DecodeRows([]string{"4", "5"}, strconv.Atoi)
	if err != nil || !reflect.DeepEqual(got, []int{4, 5}) {
		t.Fatalf("DecodeRows = %v, %v", got, err)
	}
	got, err = db.DecodeRows([]string{"4", "x"}, strconv.Atoi)
	if err == nil || got != nil {
		t.Fatalf("DecodeRows of a bad row = %v, %v, want nil and the error", got, err)
	}
}

// OrderBy runs the tiebreak in the sort's direction, so one index serves
// the ascending and the descending order without a sort.
func TestOrderByTiebreakFollowsTheDirection(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		sorts := map[string]string{"title": "title"}
		for _, c := range []struct {
			field, tiebreak string
			desc            bool
			want            string
		}{
			{"title", "id ASC", false, `ORDER BY title ASC, id ASC`},
			{"title", "id ASC", true, `ORDER BY title DESC, id DESC`},
			{"", "id", true, `ORDER BY body DESC, id DESC`},
			{"unknown", "n.id DESC", false, `ORDER BY body ASC, n.id ASC`},
		} {
			got := strings.ReplaceAll(db.OrderBy(bdb.NewSelect().Model((*noteRow)(nil)), sorts, c.field, c.desc, "body", c.tiebreak).String(), `"`, "")
			if !strings.HasSuffix(got, c.want) {
				t.Errorf("OrderBy(%q, desc=%v, %q) = %s, want it to end %s", c.field, c.desc, c.tiebreak, got, c.want)
			}
		}
	})
}

// MapOne and DecodeOne read one row or the not-found error their slug
// names; MapKeyed indexes rows; Affected counts what a change touched;
// ExecUnique answers a unique violation with its conflict; Values and
// Count read what a query selects and counts.
func TestOneKeyedAffected(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		notes(t, bdb, func(n *noteRow) error { return db.Exec(ctx, bdb.NewInsert().Model(n), "insert note") },
			noteRow{ID: "a", Title: "1", Body: "x"}, noteRow{ID: "b", Title: "two", Body: "x"})
		title := func(n noteRow) string { return n.Title }
		var r noteRow
		if got, err := db.MapOne(ctx, bdb.NewSelect().Model(&r).Where("id = ?", "a"), &r, "note-not-found", title); err != nil || got != "1" {
			t.Fatalf("MapOne(a) = %q, %v; want 1", got, err)
		}
		got, err := db.MapOne(ctx, bdb.NewSelect().Model(&r).Where("id = ?", "zzz"), &r, "note-not-found", title)
		if ae, ok := apperr.As(err); !ok || ae.Category != apperr.NotFound || ae.Slug != "note-not-found" || got != "" {
			t.Fatalf("MapOne(zzz) = %q, %v; want note-not-found", got, err)
		}
		if _, err := db.MapOne(ctx, bdb.NewSelect().Model(&r).Where("nope = 1"), &r, "note-not-found", title); err == nil || apperr.Is(err, apperr.NotFound) {
			t.Fatalf("MapOne of a bad query = %v, want the database's error", err)
		}
		atoi := func(n noteRow) (int, error) { return strconv.Atoi(n.Title) }
		if n, err := db.DecodeOne(ctx, bdb.NewSelect().Model(&r).Where("id = ?", "a"), &r, "note-not-found", atoi); err != nil || n != 1 {
			t.Fatalf("DecodeOne(a) = %d, %v; want 1", n, err)
		}
		if _, err := db.DecodeOne(ctx, bdb.NewSelect().Model(&r).Where("id = ?", "b"), &r, "note-not-found", atoi); err == nil || apperr.Is(err, apperr.NotFound) {
			t.Fatalf("DecodeOne of a row that does not decode = %v, want the decoding error", err)
		}

		var rows []noteRow
		byID, err := db.MapKeyed(ctx, bdb.NewSelect().Model(&rows), &rows, "notes", func(n noteRow) (string, string) { return n.ID, n.Title })
		if err != nil || !reflect.DeepEqual(byID, map[string]string{"a": "1", "b": "two"}) {
			t.Fatalf("MapKeyed = %v, %v", byID, err)
		}
		if _, err := db.MapKeyed(ctx, bdb.NewSelect().Model(&rows).Where("nope = 1"), &rows, "notes",
			func(n noteRow) (string, string) { return n.ID, n.Title }); err == nil || !strings.HasPrefix(err.Error(), "notes: ") {
			t.Fatalf("MapKeyed of a bad query = %v, want the error named", err)
		}

		n, err := db.Affected(ctx, bdb.NewUpdate().Model((*noteRow)(nil)).Set("body = ?", "y").Where("body = ?", "x"), "touch notes")
		if err != nil || n != 2 {
			t.Fatalf("Affected = %d, %v; want 2", n, err)
		}
		if n, err := db.Affected(ctx, bdb.NewDelete().Model((*noteRow)(nil)).Where("id = ?", "zzz"), "drop note"); err != nil || n != 0 {
			t.Fatalf("Affected of nothing = %d, %v; want 0", n, err)
		}
		if _, err := db.Affected(ctx, bdb.NewInsert().Model(&noteRow{ID: "a", Title: "dup", Body: "dup"}), "insert note"); err == nil ||
			!strings.HasPrefix(err.Error(), "insert note: ") || !db.IsUniqueViolation(err) {
			t.Fatalf("Affected of a duplicate = %v, want a wrapped unique violation", err)
		}

		dup := bdb.NewInsert().Model(&noteRow{ID: "a", Title: "dup", Body: "dup"})
		if err := db.ExecUnique(ctx, dup, "insert note", apperr.ConflictErr("note-exists")); !apperr.Is(err, apperr.Conflict) || !db.IsUniqueViolation(err) {
			t.Fatalf("ExecUnique of a duplicate = %v, want note-exists caused by the violation", err)
		}
		if err := db.ExecUnique(ctx, bdb.NewInsert().Model(&noteRow{ID: "c", Title: "3", Body: "y"}), "insert note", apperr.ConflictErr("note-exists")); err != nil {
			t.Fatalf("ExecUnique of a new note = %v", err)
		}
		if err := db.ExecUnique(ctx, bdb.NewInsert().TableExpr("nope").Value("id", "?", "d"), "insert note", apperr.ConflictErr("note-exists")); err == nil ||
			apperr.Is(err, apperr.Conflict) || !strings.HasPrefix(err.Error(), "insert note: ") {
			t.Fatalf("ExecUnique of a bad insert = %v, want the error named", err)
		}

		ids, err := db.Values[[]string](ctx, bdb.NewSelect().Model((*noteRow)(nil)).Column("id").Where("body = ?", "y").Order("id"), "note ids")
		if err != nil || !reflect.DeepEqual(ids, []string{"a", "b", "c"}) {
			t.Fatalf("Values = %v, %v", ids, err)
		}
		if _, err := db.Values[[]string](ctx, bdb.NewSelect().Model((*noteRow)(nil)).Column("id").Where("nope = 1"), "note ids"); err == nil || !strings.HasPrefix(err.Error(), "note ids: ") {
			t.Fatalf("Values of a bad query = %v, want the error named", err)
		}
		if n, err := db.Count(ctx, bdb.NewSelect().Model((*noteRow)(nil)).Where("body = ?", "y"), "count notes"); err != nil || n != 3 {
			t.Fatalf("Count = %d, %v; want 3", n, err)
		}
		if _, err := db.Count(ctx, bdb.NewSelect().Model((*noteRow)(nil)).Where("nope = 1"), "count notes"); err == nil || !strings.HasPrefix(err.Error(), "count notes: ") {
			t.Fatalf("Count of a bad query = %v, want the error named", err)
		}
	})
}
