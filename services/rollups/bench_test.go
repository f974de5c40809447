package rollups

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/query"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// Issue 10's measurements of the rollups service (see the README's
// benchmark section). The dataset is benchHistory's synthetic history at
// the tier's size; its events go through the rollups service's own
// projection, and for the rebuild through a JetStream stream on an
// embedded NATS server replayed by Service.Rebuild.

// benchToday is the clock of the benchmarks: after the history's last
// quarter.
var benchToday = time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC)

// BenchmarkRollupsTierD_50Carriers5000Companies: rebuild from the stream,
// then the dashboard's figures against a GROUP BY over the source tables.
func BenchmarkRollupsTierD_50Carriers5000Companies(b *testing.B) {
	benchDashboard(b, tierD, 200)
}

// BenchmarkRollupsTierP_2000Carriers200000Companies is the same at tier P
// (make bench-p).
func BenchmarkRollupsTierP_2000Carriers200000Companies(b *testing.B) {
	benchDashboard(b, tierP, 10)
}

// BenchmarkRollupsCommitToVisibleTierD_5000Companies: an event committed
// through a source's outbox and relay until the rollups figure shows it,
// with the durable consumers running over read models of tier D's size.
func BenchmarkRollupsCommitToVisibleTierD_5000Companies(b *testing.B) {
	benchCommitToVisible(b, tierD, 200)
}

func newBenchService(b testing.TB, d string, bs *bus.Bus) *Service {
	b.Helper()
	svc, err := New(context.Background(), Config{Home: testkit.Home(b, d)},
		Deps{Bus: bs, Signer: testkit.Signer(b), Log: bustest.Logger(b), Now: func() time.Time { return benchToday }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = svc.DB.Close() })
	return svc
}

// eachDialect runs run once per database dialect, as a sub-benchmark.
func eachDialect(b *testing.B, run func(b *testing.B, d string)) {
	for _, d := range dbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			for range b.N {
				run(b, d)
			}
		})
	}
}

func benchDashboard(b *testing.B, tier benchTier, samples int) {
	eachDialect(b, func(b *testing.B, d string) { runDashboard(b, d, tier, samples) })
}

func runDashboard(b *testing.B, d string, tier benchTier, samples int) {
	ctx := context.Background()
	bs := bustest.Start(b)
	svc := newBenchService(b, d, bs)
	src := dbtest.Open(b, d, incubateesSchema)
	for _, s := range []string{"parks", "incubatees"} {
		if err := bs.EnsureStream(ctx, s); err != nil {
			b.Fatal(err)
		}
	}

	// The history: into the source tables, and into the streams as the
	// relay publishes (Nats-Msg-Id = event id).
	start := time.Now()
	js := bs.JetStream()
	sw := newSourceWriter(src)
	h := newBenchHistory(tier, 10, func(ev events.Envelope) error {
		if err := sw.Apply(ctx, ev); err != nil {
			return err
		}
		data, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		_, err = js.PublishAsync(bs.Subject(ev.Type), data, jetstream.WithMsgID(ev.ID))
		return err
	})
	if err := h.Run(); err != nil {
		b.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(5 * time.Minute):
		b.Fatal("publishing the history did not complete")
	}
	fmt.Printf("tier %s (%s): %d carriers, %d companies, %d events, %d source rows written and published in %s",
		tier.Name, d, tier.Carriers, tier.Companies, h.Events, sw.rows, time.Since(start).Round(time.Second))
	fmt.Println()

	// Rebuild from the streams.
	b.ResetTimer()
	start = time.Now()
	if err := svc.Rebuild(ctx, nil); err != nil {
		b.Fatal(err)
	}
	rebuild := time.Since(start)
	b.StopTimer()
	applied, err := svc.DB.NewSelect().Table("applied_events").Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if int(applied) != h.Events {
		b.Fatalf("rebuild applied %d events of %d", applied, h.Events)
	}

	// Both ways give the same figures.
	w, _ := domain.PeriodWindow(benchPeriod)
	base := newBaseline(src, "benchregion", w.From, w.To)
	figs := svc.figures.System()
	req := query.Request{RegionID: "benchregion", Filter: query.FilterInput{Period: benchPeriod}}
	var fromRollups, fromSources benchFigures
	rollupsQueries := []func() error{
		func() error { return rollupsResidents(ctx, figs, req, &fromRollups) },
		func() error { return rollupsFlows(ctx, figs, req, &fromRollups) },
		func() error { return rollupsReports(ctx, figs, req, &fromRollups) },
		func() error { return rollupsLadder(ctx, figs, req, &fromRollups) },
	}
	baselineQueries := []func() error{
		func() error { return base.Residents(ctx, &fromSources) },
		func() error { return base.Flows(ctx, &fromSources) },
		func() error { return base.Reports(ctx, &fromSources) },
		func() error { return base.Ladder(ctx, &fromSources) },
	}
	for i := range rollupsQueries {
		if err := rollupsQueries[i](); err != nil {
			b.Fatal(err)
		}
		if err := baselineQueries[i](); err != nil {
			b.Fatal(err)
		}
	}
	if !reflect.DeepEqual(fromRollups, fromSources) {
		b.Fatalf("rollups and the GROUP BY over the source tables disagree:\nrollups %+v\nsources %+v", fromRollups, fromSources)
	}
	if fromRollups.Flows["in_residence"] == 0 || fromRollups.Reports == 0 || fromRollups.LadderHolding["tech_sme"] == 0 {
		b.Fatalf("the history left empty figures: %+v", fromRollups)
	}
	fmt.Printf("figures (both ways): %+v\n", fromRollups)

	// The dashboard: the four figures one after another, each way, in
	// alternation so that both see the same load.
	names := []string{"residents", "flows", "reports", "ladder"}
	per := make([][2][]time.Duration, len(names))
	var dash, dashBase []time.Duration
	for range samples {
		var sum, sumBase time.Duration
		for i := range names {
			t0 := time.Now()
			if err := rollupsQueries[i](); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if err := baselineQueries[i](); err != nil {
				b.Fatal(err)
			}
			t2 := time.Now()
			per[i][0], per[i][1] = append(per[i][0], t1.Sub(t0)), append(per[i][1], t2.Sub(t1))
			sum += t1.Sub(t0)
			sumBase += t2.Sub(t1)
		}
		dash, dashBase = append(dash, sum), append(dashBase, sumBase)
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(h.Events), "events")
	b.ReportMetric(rebuild.Seconds(), "rebuild_s")
	b.ReportMetric(float64(h.Events)/rebuild.Seconds(), "events_per_s")
	b.ReportMetric(ms(pct(dash, 50)), "p50_ms")
	b.ReportMetric(ms(pct(dash, 95)), "p95_ms")
	b.ReportMetric(ms(pct(dash, 99)), "p99_ms")
	b.ReportMetric(ms(pct(dashBase, 95)), "baseline_p95_ms")
	b.ReportMetric(ms(pct(dashBase, 95))/ms(pct(dash, 95)), "ratio")
	for i, n := range names {
		b.ReportMetric(ms(pct(per[i][0], 95)), n+"_p95_ms")
		b.ReportMetric(ms(pct(per[i][1], 95)), n+"_baseline_p95_ms")
	}
	fmt.Printf("tier %s (%s): rebuild %d events in %s; dashboard (4 figures) over %d samples p50 %.1f ms p95 %.1f ms p99 %.1f ms; GROUP BY p95 %.1f ms",
		tier.Name, d, h.Events, rebuild.Round(time.Millisecond), samples, ms(pct(dash, 50)), ms(pct(dash, 95)), ms(pct(dash, 99)), ms(pct(dashBase, 95)))
	fmt.Println()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// pct is the p-th percentile of xs (nearest rank).
func pct(xs []time.Duration, p int) time.Duration {
	s := slices.Sorted(slices.Values(xs))
	i := (len(s)*p+99)/100 - 1
	return s[max(i, 0)]
}

func rollupsResidents(ctx context.Context, q query.Figures, req query.Request, out *benchFigures) error {
	f, err := q.Carriers(ctx, req)
	if err != nil {
		return err
	}
	out.Residents = map[string]int{}
	for _, g := range f.Groups {
		out.Residents[g.Kind] += g.Residents
	}
	return nil
}

func rollupsFlows(ctx context.Context, q query.Figures, req query.Request, out *benchFigures) error {
	f, err := q.Flows(ctx, req)
	out.Flows = f.Companies
	return err
}

func rollupsReports(ctx context.Context, q query.Figures, req query.Request, out *benchFigures) error {
	f, err := q.Reports(ctx, req)
	if err != nil {
		return err
	}
	// Sums are in 千元; the baseline's in 元.
	out.Reports, out.ReportCompanies = f.Reports, f.Companies
	out.RDExpenditure, out.Revenue = int64(f.Sums.RDExpenditure*1000+0.5), int64(f.Sums.Revenue*1000+0.5)
	return nil
}

func rollupsLadder(ctx context.Context, q query.Figures, req query.Request, out *benchFigures) error {
	f, err := q.Ladder(ctx, req)
	if err != nil {
		return err
	}
	out.LadderHolding, out.LadderNew = map[string]int{}, map[string]int{}
	for _, r := range f.Rungs {
		if r.Companies > 0 {
			out.LadderHolding[r.Step] = r.Companies
		}
		if r.New > 0 {
			out.LadderNew[r.Step] = r.New
		}
	}
	return nil
}

func benchCommitToVisible(b *testing.B, tier benchTier, samples int) {
	eachDialect(b, func(b *testing.B, d string) { runCommitToVisible(b, d, tier, samples) })
}

func runCommitToVisible(b *testing.B, d string, tier benchTier, samples int) {
	ctx := context.Background()
	bs := bustest.Start(b)
	home := testkit.Home(b, d)
	svc, _ := testkit.Start(b, "rollups", func(ctx context.Context) (*Service, error) {
		return New(ctx, Config{Home: home}, Deps{Bus: bs, Signer: testkit.Signer(b), Log: bustest.Logger(b),
			Now: func() time.Time { return benchToday }})
	})
	// The read models at the tier's size, by the service's projection in
	// batches (the stream path is what this measures, for new events).
	var batch []events.Envelope
	flush := func() error {
		err := svc.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
			for _, ev := range batch {
				if err := svc.project.Handle(ctx, tx, ev); err != nil {
					return err
				}
			}
			return nil
		})
		batch = batch[:0]
		return err
	}
	h := newBenchHistory(tier, 10, func(ev events.Envelope) error {
		batch = append(batch, ev)
		if len(batch) == 1000 {
			return flush()
		}
		return nil
	})
	if err := h.Run(); err != nil {
		b.Fatal(err)
	}
	if err := flush(); err != nil {
		b.Fatal(err)
	}
	figs := svc.figures.System()
	req := query.Request{RegionID: "benchregion", Filter: query.FilterInput{Period: benchPeriod}}
	residents := func() int {
		f, err := figs.Carriers(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		return f.Total.Residents
	}
	outbox := testkit.NewOutbox(b, bs)
	carrier := "benchca00001" // an incubator
	var lat []time.Duration
	b.ResetTimer()
	for i := range samples {
		before := residents()
		r := events.ResidencyV1{ResidencyID: fmt.Sprintf("probe%d", i), CompanyID: "benchco000000", RegionID: "benchregion", CarrierID: carrier,
			CarrierKind: "incubator", ChainOrder: 2, Status: "in_residence", AdmittedOn: "2026-08-01", MovedInOn: "2026-08-10"}
		outbox.Add(events.Scope{RegionID: "benchregion", CarrierID: carrier}, r.ResidencyID, events.ResidencyMovedInV1{ResidencyV1: r})
		t0 := time.Now()
		outbox.Publish()
		deadline := t0.Add(10 * time.Second)
		for residents() != before+1 {
			if time.Now().After(deadline) {
				b.Fatalf("sample %d: the figure did not show the event within 10 s", i)
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(h.Events), "events")
	b.ReportMetric(float64(samples), "samples")
	b.ReportMetric(ms(pct(lat, 50)), "p50_ms")
	b.ReportMetric(ms(pct(lat, 95)), "p95_ms")
	b.ReportMetric(ms(pct(lat, 99)), "p99_ms")
	fmt.Printf("tier %s (%s): read models of %d events; commit → visible over %d samples p50 %.1f ms p99 %.1f ms",
		tier.Name, d, h.Events, samples, ms(pct(lat, 50)), ms(pct(lat, 99)))
	fmt.Println()
}
