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
		// A keyset page (after a cursor) seeks in the same index: no sort.
		companyKeys := map[string]string{"": "某公司", "name": "某公司", "created_at": "2026-01-02T03:04:05Z", "industry": "I65"}
		for _, sort := range append([]string{""}, adapters.CompanySortFields()...) {
			for _, desc := range []bool{false, true} {
				check(fmt.Sprintf("companies-after/%q/desc=%v", sort, desc), func(ctx context.Context, tx app.Tx) error {
					p := list.Params{Page: 1, PageSize: 20, Sort: sort, Desc: desc, Keyset: dbtest.After(companyKeys[sort], "co9")}
					_, _, err := tx.ListCompanies(ctx, app.CompanyFilter{RegionID: "r1"}, p)
					return seeked(p, err)
				})
			}
		}
		for what, f := range map[string]app.ApplicationFilter{"carrier": {CarrierID: "c1"}, "call": {CallID: "k1"}, "company": {CompanyID: "co1"}} {
			check("applications-after/"+what, func(ctx context.Context, tx app.Tx) error {
				p := list.Params{Page: 1, PageSize: 20, Sort: "created_at", Keyset: dbtest.After("2026-01-02T03:04:05Z", "a9")}
				_, _, err := tx.ListApplications(ctx, f, p)
				return seeked(p, err)
			})
		}
		for what, f := range map[string]app.ResidencyFilter{"region": {RegionID: "r1"}, "carrier": {RegionID: "r1", CarrierID: "c1"}} {
			check("residencies-after/"+what, func(ctx context.Context, tx app.Tx) error {
				p := list.Params{Page: 1, PageSize: 20, Sort: "admitted_on", Desc: true, Keyset: dbtest.After("2026-01-02", "rs9")}
				_, _, err := tx.ListResidencies(ctx, f, p)
				return seeked(p, err)
			})
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

// seeked is err, or an error when the list paged by offset instead of
// seeking after the position it was given.
func seeked(p list.Params, err error) error {
	if err == nil && !p.Keyset.Seeked {
		return fmt.Errorf("the list did not seek after the cursor's position")
	}
	return err
}
