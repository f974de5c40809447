package adapters_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
	"github.com/incuchain/incuchain/services/incubatees/migrations"
)

// TestOpenResidenciesOfACompanyAndItsUSCC checks, on each database, the
// one lookup behind a residency's concurrent residencies, a residents
// page's and the move-in check: a company's open residencies and those
// of a company with its USCC in another region, by company (OpenOf);
// OpenElsewhere leaves out the asking carrier and InResidenceElsewhere
// keeps residencies in residence other than the one moving in.
func TestOpenResidenciesOfACompanyAndItsUSCC(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		store := adapters.NewStore(bdb, nil)
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		const uscc = "91370102MA3C5T2R03"
		res := func(id, company, carrier, region string, st domain.ResidencyStatus) *domain.Residency {
			return domain.ResidencyFromDB(domain.ResidencyRecord{ID: id, CompanyID: company, CarrierID: carrier, RegionID: region,
				Status: st, AdmittedOn: now, CreatedAt: now.Add(time.Duration(len(id)) * time.Minute), UpdatedAt: now})
		}
		err := store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
			for _, r := range []struct{ id, region string }{{"cX", "r1"}, {"cM", "r1"}, {"cH", "r2"}, {"cG", "r2"}} {
				if err := tx.UpsertCarrier(ctx, app.Carrier{ID: r.id, RegionID: r.region, Kind: "incubator", NameZH: r.id, Status: "active"}); err != nil {
					return err
				}
			}
			for _, c := range []struct{ id, region, uscc string }{{"k1", "r1", uscc}, {"k2", "r2", uscc}, {"k3", "r1", ""}} {
				co, err := domain.NewCompany(c.id, c.region, c.uscc, domain.CompanyFields{NameZH: c.id, IndustryCode: "I65"}, now)
				if err != nil {
					return err
				}
				if err := tx.InsertCompany(ctx, co, "u"); err != nil {
					return err
				}
			}
			for _, r := range []*domain.Residency{
				res("a", "k1", "cX", "r1", domain.InResidence),
				res("bb", "k1", "cM", "r1", domain.Admitted),
				res("ccc", "k2", "cH", "r2", domain.InResidence),
				res("dddd", "k2", "cG", "r2", domain.Graduated), // ended: never concurrent
				res("eeeee", "k3", "cM", "r1", domain.InResidence),
			} {
				if err := tx.InsertResidency(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(vs []app.ResidencyView) []string {
			var out []string
			for _, v := range vs {
				out = append(out, v.ID())
			}
			return out
		}
		check := func(what string, want []string, fetch func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error)) {
			t.Helper()
			got, err := bus.Fetch(ctx, store.Read, fetch)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if !slices.Equal(ids(got), want) {
				t.Errorf("%s: %v, want %v", what, ids(got), want)
			}
		}
		check("open of k1 and its USCC", []string{"a", "bb", "ccc"}, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
			return tx.OpenOf(ctx, []string{"k1"}, []string{uscc})
		})
		check("open of k1 alone", []string{"a", "bb"}, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
			return tx.OpenOf(ctx, []string{"k1"}, nil)
		})
		check("open of nothing", nil, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
			return tx.OpenOf(ctx, nil, nil)
		})
		check("k1 open elsewhere than cX", []string{"bb", "ccc"}, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
			return tx.OpenElsewhere(ctx, "k1", uscc, "cX")
		})
		check("k3 (no USCC) open elsewhere than cX", []string{"eeeee"}, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
			return tx.OpenElsewhere(ctx, "k3", "", "cX")
		})
		check("k1 in residence other than a", []string{"ccc"}, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
			return tx.InResidenceElsewhere(ctx, "k1", uscc, "a")
		})
	}, migrations.Set)
}
