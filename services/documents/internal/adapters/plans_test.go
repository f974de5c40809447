package adapters_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/documents/internal/adapters"
	"github.com/incuchain/incuchain/services/documents/internal/app"
	"github.com/incuchain/incuchain/services/documents/migrations"
)

// TestDocumentListReadsIndexOrder asserts from the query plans, on each
// database, that the document list of a region, a company, a carrier or
// a checklist reads its page in index order (newest change first, or by
// creation) instead of sorting the tenant's documents per page.
func TestDocumentListReadsIndexOrder(t *testing.T) {
	cases := []struct {
		what string
		f    app.DocumentFilter
		sort string
	}{
		{"region", app.DocumentFilter{RegionID: "r1"}, ""},
		{"region", app.DocumentFilter{RegionID: "r1"}, "created_at"},
		{"company", app.DocumentFilter{RegionID: "r1", CompanyID: "co1"}, ""},
		{"company", app.DocumentFilter{RegionID: "r1", CompanyID: "co1"}, "created_at"},
		{"carrier", app.DocumentFilter{RegionID: "r1", CarrierID: "c1"}, ""},
		{"checklist", app.DocumentFilter{RegionID: "r1", ChecklistID: "k1"}, ""},
	}
	open := func(bdb *bun.DB) dbtest.Reader[app.Tx] { return adapters.NewStore(bdb, nil) }
	dbtest.CheckListPlans(t, migrations.Set, open, func(check func(string, func(context.Context, app.Tx) error)) {
		for _, c := range cases {
			check(fmt.Sprintf("%s/%q", c.what, c.sort), func(ctx context.Context, tx app.Tx) error {
				_, _, err := tx.ListDocuments(ctx, c.f, list.Params{Page: 1, PageSize: 20, Sort: c.sort})
				return err
			})
			// The page after a cursor seeks in the same index: no sort.
			check(fmt.Sprintf("%s/%q/after", c.what, c.sort), func(ctx context.Context, tx app.Tx) error {
				p := list.Params{Page: 1, PageSize: 20, Sort: c.sort, Keyset: dbtest.After("2026-01-02T03:04:05Z", "d9")}
				_, _, err := tx.ListDocuments(ctx, c.f, p)
				if err == nil && !p.Keyset.Seeked {
					return fmt.Errorf("the list did not seek after the cursor's position")
				}
				return err
			})
		}
	})
}
