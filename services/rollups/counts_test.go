package rollups

import (
	"context"
	"testing"

	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/query"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// The flows and ladder figures are counted by the database; each must
// equal the companies (counted once) of its drill-down's rows, which the
// query package selects row by row, for every filter.
func TestCountedFiguresEqualTheirRows(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			svc := newBenchService(t, d, bustest.Start(t))
			var evs []events.Envelope
			h := newBenchHistory(benchTier{Name: "test", Carriers: 12, Companies: 400}, 3, func(ev events.Envelope) error {
				evs = append(evs, ev)
				return nil
			})
			if err := h.Run(); err != nil {
				t.Fatal(err)
			}
			if err := svc.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
				for _, ev := range evs {
					if err := svc.project.Handle(ctx, tx, ev); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			figs := svc.figures.System()
			filters := []query.FilterInput{
				{Period: "2026-Q3"}, {Period: "2025"}, {Period: "2025-11"}, {Period: "2026-Q1", CarrierKind: "incubator"},
				{Period: "2025", CarrierID: "benchca00005"}, {Period: "2026-Q2", Industry: domain.IndustrySection("I6510")},
				{Period: "2026-Q3", CarrierKind: "accelerator", Industry: domain.IndustrySection("C3900")},
			}
			nonZero := 0
			for _, fi := range filters {
				req := query.Request{RegionID: "benchregion", Filter: fi}
				flows, err := figs.Flows(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range query.Measures {
					rows, err := figs.ResidencyRows(ctx, req, m)
					if err != nil {
						t.Fatal(err)
					}
					keys := map[string]bool{}
					for _, r := range rows {
						keys[r.CompanyKey()] = true
					}
					if flows.Companies[m] != len(keys) {
						t.Errorf("%+v %s: figure %d, rows %d companies", fi, m, flows.Companies[m], len(keys))
					}
					nonZero += len(keys)
				}
				promoted, err := figs.ResidencyRows(ctx, req, query.Promoted)
				if err != nil {
					t.Fatal(err)
				}
				byKinds := map[[2]string]map[string]bool{}
				for _, r := range promoted {
					k := [2]string{r.CarrierKind, r.PromotedToKind}
					if byKinds[k] == nil {
						byKinds[k] = map[string]bool{}
					}
					byKinds[k][r.CompanyKey()] = true
				}
				if len(flows.Promotions) != len(byKinds) {
					t.Errorf("%+v promotions: figure %+v, rows %d pairs", fi, flows.Promotions, len(byKinds))
				}
				for _, p := range flows.Promotions {
					if n := len(byKinds[[2]string{p.FromKind, p.ToKind}]); p.Companies != n {
						t.Errorf("%+v promotions %s→%s: figure %d, rows %d", fi, p.FromKind, p.ToKind, p.Companies, n)
					}
				}
				ladder, err := figs.Ladder(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				for _, rung := range ladder.Rungs {
					for m, want := range map[string]int{query.Holding: rung.Companies, query.New: rung.New, query.Expiring: rung.Expiring} {
						rows, err := figs.LadderRows(ctx, req, rung.Step, m)
						if err != nil {
							t.Fatal(err)
						}
						keys := map[string]bool{}
						for _, r := range rows {
							keys[r.USCC+"|"+r.CompanyID] = true
						}
						if want != len(keys) {
							t.Errorf("%+v ladder %s %s: figure %d, rows %d companies", fi, rung.Step, m, want, len(keys))
						}
						nonZero += len(keys)
					}
				}
			}
			if nonZero == 0 {
				t.Fatal("the history left every figure empty")
			}
		})
	}
}
