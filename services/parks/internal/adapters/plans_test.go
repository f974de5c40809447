package adapters_test

import (
	"context"
	"testing"

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
	dbtest.CheckListPlans(t, migrations.Set, adapters.NewStore, func(l *dbtest.Lists[app.Tx]) {
		carriers := func(ctx context.Context, tx app.Tx, p list.Params) error {
			_, _, err := tx.ListCarriers(ctx, app.CarrierFilter{RegionID: "r1"}, p)
			return err
		}
		dbtest.InOrders(list.Params{Page: 2, PageSize: 20}, adapters.CarrierSortFields(), func(order string, p list.Params) {
			l.Page("carriers/"+order, p, carriers)
		})
		l.Page("invitations", list.Params{Page: 1, PageSize: 20}, func(ctx context.Context, tx app.Tx, p list.Params) error {
			_, _, err := tx.ListInvitations(ctx, "carrier:c1", p)
			return err
		})
		audit := func(ctx context.Context, tx app.Tx, p list.Params) error {
			_, _, err := tx.ListAudit(ctx, app.AuditFilter{RegionID: "r1"}, p)
			return err
		}
		l.Page("audit", list.Params{Page: 1, PageSize: 20}, audit)
		l.After("audit-after", list.Params{Page: 1, PageSize: 20, Sort: "at"}, "2026-01-02T03:04:05Z", "au9", audit)
	})
}
