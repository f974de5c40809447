package adapters_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/adapters"
	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/migrations"
)

// TestListsReadIndexOrder asserts from the query plans, on each database,
// that the carrier, invitation and audit lists read their pages in index
// order in every sort they offer, instead of sorting the region per page.
func TestListsReadIndexOrder(t *testing.T) {
	open := func(bdb *bun.DB) dbtest.Reader[app.Tx] { return adapters.NewStore(bdb, nil) }
	dbtest.CheckListPlans(t, migrations.Set, open, func(check func(string, func(context.Context, app.Tx) error)) {
		for _, sort := range append([]string{""}, adapters.CarrierSortFields()...) {
			for _, desc := range []bool{false, true} {
				check(fmt.Sprintf("carriers/%q/desc=%v", sort, desc), func(ctx context.Context, tx app.Tx) error {
					_, _, err := tx.ListCarriers(ctx, app.CarrierFilter{RegionID: "r1"}, list.Params{Page: 2, PageSize: 20, Sort: sort, Desc: desc})
					return err
				})
			}
		}
		check("invitations", func(ctx context.Context, tx app.Tx) error {
			_, _, err := tx.ListInvitations(ctx, "carrier:c1", list.Params{Page: 1, PageSize: 20})
			return err
		})
		check("audit", func(ctx context.Context, tx app.Tx) error {
			_, _, err := tx.ListAudit(ctx, app.AuditFilter{RegionID: "r1"}, list.Params{Page: 1, PageSize: 20})
			return err
		})
		check("audit-after", func(ctx context.Context, tx app.Tx) error {
			p := list.Params{Page: 1, PageSize: 20, Sort: "at", Keyset: dbtest.After("2026-01-02T03:04:05Z", "au9")}
			_, _, err := tx.ListAudit(ctx, app.AuditFilter{RegionID: "r1"}, p)
			if err == nil && !p.Keyset.Seeked {
				return fmt.Errorf("the trail did not seek after the cursor's position")
			}
			return err
		})
	})
}
