package adapters_test

import (
	"context"
	"fmt"
	"testing"

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
	dbtest.CheckListPlans(t, migrations.Set, adapters.NewStore, func(l *dbtest.Lists[app.Tx]) {
		for _, c := range cases {
			documents := func(ctx context.Context, tx app.Tx, p list.Params) error {
				_, _, err := tx.ListDocuments(ctx, c.f, p)
				return err
			}
			p := list.Params{Page: 1, PageSize: 20, Sort: c.sort}
			l.Page(fmt.Sprintf("%s/%q", c.what, c.sort), p, documents)
			// The page after a cursor seeks in the same index: no sort.
			l.After(fmt.Sprintf("%s/%q/after", c.what, c.sort), p, "2026-01-02T03:04:05Z", "d9", documents)
		}
	})
}
