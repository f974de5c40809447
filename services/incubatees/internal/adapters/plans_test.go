package adapters_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/migrations"
)

// TestListsReadIndexOrder runs every list query in its default order and
// in each sort the API offers, on each database, and asserts from the
// query plans that no page sorts the tenant's rows: an index yields them
// in order (issue 13: a sort of the region per page was 82% of the CPU of
// GET /regions/:id/companies at 5,000 companies).
func TestListsReadIndexOrder(t *testing.T) {
	open := func(bdb *bun.DB) dbtest.Reader[app.Tx] { return adapters.NewStore(bdb, nil) }
	dbtest.CheckListPlans(t, migrations.Set, open, func(check func(string, func(context.Context, app.Tx) error)) {
		for _, sort := range append([]string{""}, adapters.CompanySortFields()...) {
			for _, desc := range []bool{false, true} {
				check(fmt.Sprintf("companies/%q/desc=%v", sort, desc), func(ctx context.Context, tx app.Tx) error {
					_, _, err := tx.ListCompanies(ctx, app.CompanyFilter{RegionID: "r1"}, list.Params{Page: 3, PageSize: 20, Sort: sort, Desc: desc})
					return err
				})
			}
		}
		for _, sort := range append([]string{""}, adapters.IntakeCallSortFields()...) {
			for what, f := range map[string]app.CallFilter{"region": {RegionID: "r1"}, "carrier": {CarrierID: "c1"}} {
				check(fmt.Sprintf("intake-calls/%s/%q", what, sort), func(ctx context.Context, tx app.Tx) error {
					_, _, err := tx.ListIntakeCalls(ctx, f, list.Params{Page: 1, PageSize: 20, Sort: sort})
					return err
				})
			}
		}
		for what, f := range map[string]app.ApplicationFilter{"carrier": {CarrierID: "c1"}, "call": {CallID: "k1"}, "company": {CompanyID: "co1"}} {
			check("applications/"+what, func(ctx context.Context, tx app.Tx) error {
				_, _, err := tx.ListApplications(ctx, f, list.Params{Page: 1, PageSize: 20})
				return err
			})
		}
		for _, sort := range []string{"", "admitted_on", "moved_in_on", "term_end_on"} {
			for what, f := range map[string]app.ResidencyFilter{"region": {RegionID: "r1"}, "carrier": {RegionID: "r1", CarrierID: "c1"}} {
				check(fmt.Sprintf("residencies/%s/%q", what, sort), func(ctx context.Context, tx app.Tx) error {
					_, _, err := tx.ListResidencies(ctx, f, list.Params{Page: 1, PageSize: 20, Sort: sort})
					return err
				})
			}
		}
		for what, f := range map[string]app.EnrolmentFilter{"carrier": {CarrierID: "c1"}, "company": {CompanyID: "co1"}} {
			check("enrolment-offers/"+what, func(ctx context.Context, tx app.Tx) error {
				_, _, err := tx.ListEnrolmentOffers(ctx, f, list.Params{Page: 1, PageSize: 20})
				return err
			})
		}
		for _, sort := range append([]string{""}, adapters.PromotionSortFields()...) {
			for _, desc := range []bool{false, true} {
				check(fmt.Sprintf("incoming-promotions/%q/desc=%v", sort, desc), func(ctx context.Context, tx app.Tx) error {
					_, _, err := tx.IncomingPromotions(ctx, app.IncomingPromotionFilter{CarrierID: "c1", Status: "consented"}, list.Params{Page: 2, PageSize: 20, Sort: sort, Desc: desc})
					return err
				})
			}
		}
		check("metric-reports", func(ctx context.Context, tx app.Tx) error {
			_, _, err := tx.ListMetricReports(ctx, app.ReportFilter{CompanyID: "co1"}, list.Params{Page: 1, PageSize: 20})
			return err
		})
	})
}
