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
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		rec := dbtest.Record(bdb)
		store := adapters.NewStore(bdb, nil)
		read := func(fn func(ctx context.Context, tx app.Tx) error) func(ctx context.Context) error {
			return func(ctx context.Context) error { return store.Read(ctx, fn) }
		}
		for _, sort := range append([]string{""}, adapters.CarrierSortFields()...) {
			for _, desc := range []bool{false, true} {
				t.Run(fmt.Sprintf("carriers/%q/desc=%v", sort, desc), func(t *testing.T) {
					dbtest.AssertIndexOrder(t, bdb, rec, read(func(ctx context.Context, tx app.Tx) error {
						_, _, err := tx.ListCarriers(ctx, app.CarrierFilter{RegionID: "r1"}, list.Params{Page: 2, PageSize: 20, Sort: sort, Desc: desc})
						return err
					}))
				})
			}
		}
		t.Run("invitations", func(t *testing.T) {
			dbtest.AssertIndexOrder(t, bdb, rec, read(func(ctx context.Context, tx app.Tx) error {
				_, _, err := tx.ListInvitations(ctx, "carrier:c1", list.Params{Page: 1, PageSize: 20})
				return err
			}))
		})
		t.Run("audit", func(t *testing.T) {
			dbtest.AssertIndexOrder(t, bdb, rec, read(func(ctx context.Context, tx app.Tx) error {
				_, _, err := tx.ListAudit(ctx, app.AuditFilter{RegionID: "r1"}, list.Params{Page: 1, PageSize: 20})
				return err
			}))
		})
	}, migrations.Set)
}
