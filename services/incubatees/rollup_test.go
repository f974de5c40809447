package incubatees

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// carrierRollup is what a district dashboard shows per carrier.
type carrierRollup struct {
	Residents int   // in residence now
	Graduates int   // graduated, ever
	RDYuan    int64 // R&D expenditure of the latest submitted revision of every report, in 元
}

// fullReport is a complete, plausible report whose R&D is rdThousand 千元.
func fullReport(rdThousand int64) domain.ReportInput {
	in := domain.ReportInput{Metrics: map[string]domain.MetricInput{}, Submit: true}
	for _, d := range domain.Metrics {
		if d.Kind == domain.CountMetric {
			in.Metrics[d.Key] = domain.MetricInput{Value: 1}
		} else {
			in.Metrics[d.Key] = domain.MetricInput{Value: 10, Unit: domain.ReportUnitThousandYuan}
		}
	}
	in.Metrics["revenue"] = domain.MetricInput{Value: 100000, Unit: domain.ReportUnitThousandYuan}
	in.Metrics["rd_expenditure"] = domain.MetricInput{Value: rdThousand, Unit: domain.ReportUnitThousandYuan}
	in.Metrics["employees_total"] = domain.MetricInput{Value: 20}
	in.Metrics["employees_college_plus"] = domain.MetricInput{Value: 10}
	return in
}

// The district's rollups are built from events alone. This test runs a
// small history through the real use cases, rebuilds each carrier's
// residents, graduates and R&D totals from the NATS stream, and compares
// them with what the service's own tables say.
func TestRollupsRebuiltFromEventsMatchTheTables(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		as := func(email string) app.Actor { return app.Actor{UserID: h.Users[email]} }
		now := h.svc.clock.Today()
		moveIn := &domain.MoveInFacts{On: now.AddDate(0, -6, 0), Unit: "A-101", AreaM2: 120}
		reside := func(admin, carrier, company string) *domain.Residency {
			return h.mustEnrol(admin, h.IDs[carrier], app.OfferEnrolmentInput{CompanyID: h.IDs[company], MoveIn: moveIn})
		}
		// A fourth company that lives at X and then leaves.
		coD, err := h.svc.cq.Commands.RegisterCompany.Handle(ctx, command.RegisterCompany{Actor: as("founder@lixia.demo"), RegionID: h.IDs["lixia"],
			Fields: domain.CompanyFields{NameZH: "coD团队", IndustryCode: "M"}})
		if err != nil {
			t.Fatal(err)
		}
		h.IDs["coD"] = coD.ID
		reside("parkadmin@lixia.demo", "X", "coA")
		rB := reside("makeradmin@lixia.demo", "M", "coB")
		rD := reside("parkadmin@lixia.demo", "X", "coD")
		if _, err := h.svc.cq.Commands.EndResidency.Handle(ctx, command.EndResidency{Actor: as("makeradmin@lixia.demo"), ResidencyID: rB.ID(), Action: domain.ActGraduate, Reason: "high_tech_certificate", On: now}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.cq.Commands.EndResidency.Handle(ctx, command.EndResidency{Actor: as("parkadmin@lixia.demo"), ResidencyID: rD.ID(), Action: domain.ActExit, Reason: "迁出", On: now}); err != nil {
			t.Fatal(err)
		}
		period := domain.LatestEndedPeriod(domain.Quarterly, now).String()
		if _, err := h.svc.cq.Commands.SubmitReport.Handle(ctx, command.SubmitReport{Actor: as("founder@lixia.demo"), CompanyID: h.IDs["coA"], Period: period, Input: fullReport(1200)}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.cq.Commands.ReviseReport.Handle(ctx, command.ReviseReport{Actor: as("founder@lixia.demo"), CompanyID: h.IDs["coA"], Period: period, Input: fullReport(1500)}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.cq.Commands.SubmitReport.Handle(ctx, command.SubmitReport{Actor: as("founder2@lixia.demo"), CompanyID: h.IDs["coB"], Period: period, Input: fullReport(300)}); err != nil {
			t.Fatal(err)
		}

		want := h.rollupsFromTables()
		if want[h.IDs["X"]].Residents != 1 || want[h.IDs["M"]].Graduates != 1 || want[h.IDs["X"]].RDYuan != 1_500_000 {
			t.Fatalf("the tables do not hold the history this test wrote: %+v", want)
		}
		got := h.rollupsFromEvents(t, want)
		for _, c := range []string{"X", "M", "I", "H"} {
			if got[h.IDs[c]] != want[h.IDs[c]] {
				t.Errorf("carrier %s: from events %+v, from tables %+v", c, got[h.IDs[c]], want[h.IDs[c]])
			}
		}
	})
}

// rollupsFromTables asks the service's own tables.
func (h *harness) rollupsFromTables() map[string]carrierRollup {
	h.T.Helper()
	ctx := context.Background()
	out := map[string]carrierRollup{}
	var rows []struct {
		CarrierID string `bun:"carrier_id"`
		Status    string `bun:"status"`
		N         int    `bun:"n"`
	}
	if err := h.svc.DB.NewSelect().Table("residencies").Column("carrier_id", "status").ColumnExpr("count(*) AS n").
		Group("carrier_id", "status").Scan(ctx, &rows); err != nil {
		h.T.Fatal(err)
	}
	for _, r := range rows {
		x := out[r.CarrierID]
		switch r.Status {
		case string(domain.InResidence):
			x.Residents += r.N
		case string(domain.Graduated):
			x.Graduates += r.N
		}
		out[r.CarrierID] = x
	}
	var reports []struct {
		CompanyID string `bun:"company_id"`
		Metrics   string `bun:"metrics"`
	}
	if err := h.svc.DB.NewSelect().TableExpr("metric_reports AS r").
		Join("JOIN metric_report_revisions AS v ON v.report_id = r.id").
		ColumnExpr("r.company_id, v.metrics").
		Where("v.submitted = ?", true).
		Where("v.revision = (SELECT max(v2.revision) FROM metric_report_revisions AS v2 WHERE v2.report_id = r.id AND v2.submitted = ?)", true).
		Scan(ctx, &reports); err != nil {
		h.T.Fatal(err)
	}
	for _, r := range reports {
		var m map[string]domain.MetricValue
		if err := json.Unmarshal([]byte(r.Metrics), &m); err != nil {
			h.T.Fatal(err)
		}
		var carriers []string
		if err := h.svc.DB.NewSelect().Table("company_carriers").Column("carrier_id").Where("company_id = ?", r.CompanyID).Scan(ctx, &carriers); err != nil {
			h.T.Fatal(err)
		}
		for _, c := range carriers {
			x := out[c]
			x.RDYuan += m["rd_expenditure"].Value
			out[c] = x
		}
	}
	return out
}

// rollupsFromEvents replays the incubatees stream from its start, as a
// rollup service would, until it agrees with want or a deadline passes
// (events arrive asynchronously); it returns what it built.
func (h *harness) rollupsFromEvents(t *testing.T, want map[string]carrierRollup) map[string]carrierRollup {
	t.Helper()
	var mu sync.Mutex
	status := map[string]struct{ carrier, status string }{} // residency -> latest
	latest := map[string]events.MetricsV1{}                 // report -> latest submitted revision
	build := func() map[string]carrierRollup {
		out := map[string]carrierRollup{}
		for _, s := range status {
			x := out[s.carrier]
			switch s.status {
			case string(domain.InResidence):
				x.Residents++
			case string(domain.Graduated):
				x.Graduates++
			}
			out[s.carrier] = x
		}
		for _, m := range latest {
			for _, c := range m.CarrierIDs {
				x := out[c]
				x.RDYuan += m.Metrics["rd_expenditure"]
				out[c] = x
			}
		}
		return out
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop, err := h.Bus.Follow(ctx, "incubatees", []string{"incubatees.residency.>", "incubatees.metrics.>"}, time.Time{},
		func(_ context.Context, ev events.Envelope) error {
			mu.Lock()
			defer mu.Unlock()
			switch ev.Type {
			case events.MetricsReported, events.MetricsRevised:
				var m events.MetricsV1
				if err := ev.Decode(&m); err != nil {
					return err
				}
				if m.Revision >= latest[m.ReportID].Revision {
					latest[m.ReportID] = m
				}
			default:
				var r events.ResidencyV1
				if err := ev.Decode(&r); err != nil {
					return err
				}
				status[r.ResidencyID] = struct{ carrier, status string }{r.CarrierID, r.Status}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		got := build()
		mu.Unlock()
		if equalRollups(got, want) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func equalRollups(a, b map[string]carrierRollup) bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	ks := make([]string, 0, len(keys))
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}
