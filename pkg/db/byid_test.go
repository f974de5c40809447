package db_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// MapByID and DecodeByID read the row of an id, or the not-found error
// their slug names; a row that does not decode is the decoding error.
func TestByID(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		notes(t, bdb, func(n *noteRow) error { return db.Exec(ctx, bdb.NewInsert().Model(n), "insert note") },
			noteRow{ID: "a", Title: "1", Body: "x"}, noteRow{ID: "b", Title: "two", Body: "x"})
		title := func(n noteRow) string { return n.Title }
		if got, err := db.MapByID(ctx, bdb, "b", "note-not-found", title); err != nil || got != "two" {
			t.Fatalf("MapByID(b) = %q, %v; want two", got, err)
		}
		got, err := db.MapByID(ctx, bdb, "zzz", "note-not-found", title)
		if ae, ok := apperr.As(err); !ok || ae.Category != apperr.NotFound || ae.Slug != "note-not-found" || got != "" {
			t.Fatalf("MapByID(zzz) = %q, %v; want note-not-found", got, err)
		}
		atoi := func(n noteRow) (int, error) { return strconv.Atoi(n.Title) }
		if n, err := db.DecodeByID(ctx, bdb, "a", "note-not-found", atoi); err != nil || n != 1 {
			t.Fatalf("DecodeByID(a) = %d, %v; want 1", n, err)
		}
		if _, err := db.DecodeByID(ctx, bdb, "b", "note-not-found", atoi); err == nil || apperr.Is(err, apperr.NotFound) {
			t.Fatalf("DecodeByID of a row that does not decode = %v, want the decoding error", err)
		}
		if _, err := db.DecodeByID(ctx, bdb, "zzz", "note-not-found", atoi); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("DecodeByID(zzz) = %v, want note-not-found", err)
		}
	})
}
