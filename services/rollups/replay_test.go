package rollups

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
)

// publishRaw puts ev into its stream as a second copy would arrive (no
// Nats-Msg-Id: the server's duplicate window does not catch it).
func (h *harness) publishRaw(ev events.Envelope) {
	h.T.Helper()
	data, err := json.Marshal(ev)
	if err != nil {
		h.T.Fatal(err)
	}
	if _, err := h.Bus.JetStream().Publish(context.Background(), h.Bus.Subject(ev.Type), data); err != nil {
		h.T.Fatal(err)
	}
}

func (h *harness) figures(s *Service) Figures {
	h.T.Helper()
	f, err := s.Figures(context.Background(), h.IDs["lixia"], FilterInput{Period: "2026-Q2"})
	if err != nil {
		h.T.Fatal(err)
	}
	return f
}

// A redelivered event and an older event arriving after a newer one change
// nothing; dropping the read models and replaying the streams gives the
// same figures; a projection that adds a redelivery, or counts every
// revision, does not.
func TestRedeliveryOrderAndReplay(t *testing.T) {
	eachHistory(t, func(t *testing.T, h *harness) {
		before := h.figures(h.svc)

		lixia := events.Scope{RegionID: h.IDs["lixia"]}
		// A report of coB, accepted, and a copy of it.
		repB := events.NewID()
		rep := h.Event(lixia, repB, events.MetricsReportedV1{MetricsV1: events.MetricsV1{ReportID: repB, CompanyID: h.IDs["coB"],
			RegionID: h.IDs["lixia"], CarrierIDs: []string{h.IDs["X"]}, Period: "2026-Q2", Revision: 1, Metrics: map[string]int64{"rd_expenditure": 5000}}})
		okB := h.Event(lixia, repB, events.MetricsReviewedV1{ReportID: repB, CompanyID: h.IDs["coB"], RegionID: h.IDs["lixia"],
			Period: "2026-Q2", Revision: 1, Decision: "accept", Status: "accepted"})
		// coA's revision 2 accepted (twice), then a revision 3 submitted.
		accepted := h.Event(lixia, h.IDs["repA"], events.MetricsReviewedV1{ReportID: h.IDs["repA"], CompanyID: h.IDs["coA"], RegionID: h.IDs["lixia"],
			Period: "2026-Q2", Revision: 2, Decision: "accept", Status: "accepted"})
		repA := h.Event(lixia, h.IDs["repA"], events.MetricsRevisedV1{MetricsV1: events.MetricsV1{ReportID: h.IDs["repA"], CompanyID: h.IDs["coA"],
			RegionID: h.IDs["lixia"], CarrierIDs: []string{h.IDs["X"], h.IDs["A"]}, Period: "2026-Q2", Revision: 3, Metrics: map[string]int64{"rd_expenditure": 200_000}}})
		// An older state of carrier X (capacity 999) arriving late.
		stale := h.Event(events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}, h.IDs["X"], events.CarrierUpdatedV1{CarrierV1: events.CarrierV1{
			CarrierID: h.IDs["X"], RegionID: h.IDs["lixia"], Kind: "incubator", ChainOrder: 2, NameZH: "载体X", Status: "active", Capacity: 999, AreaM2: 1}})
		stale.OccurredAt = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		h.Fixture.Publish(rep, okB, accepted, repA, stale)
		h.published += 5
		h.publishRaw(rep)
		h.publishRaw(accepted)
		h.publishRaw(repA)
		h.settle("the late and repeated events", "founder3@huaiyin.demo", "coC")
		// A sentinel published last: once it is applied, so are the copies.
		h.add(lixia, "sentinel", events.RegionUpdatedV1{RegionID: h.IDs["lixia"], NameZH: "历下"})
		h.IDs["sentinel"] = "x"
		h.publish()
		h.settle("the sentinel", "founder3@huaiyin.demo", "coC")

		after := h.figures(h.svc)
		if after.Carriers.Total != before.Carriers.Total {
			t.Errorf("an older carrier state overwrote a newer one: %+v, was %+v", after.Carriers.Total, before.Carriers.Total)
		}
		// coA's revision 2 accepted: 180 千元; revision 3 submitted, not
		// counted; coB's 5 千元 once.
		if after.Reports.Sums.RDExpenditure != 185 || after.Reports.Reports != 2 {
			t.Errorf("reports after copies: %+v", after.Reports)
		}

		testkit.Eventually(t, "a rebuild", func() bool { return h.svc.Rebuild(context.Background(), nil) == nil })
		if rebuilt := h.figures(h.svc); !reflect.DeepEqual(rebuilt, after) {
			t.Errorf("a replay gives other figures:\n%+v\nwas\n%+v", rebuilt, after)
		}

		// The same through the API, with its progress.
		r := h.Do("admin@incuchain.demo", "POST", "/api/v1/rollups-maintenance/rebuild", nil)
		lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
		if r.Status != 200 || len(lines) < 4 || lines[len(lines)-1] != `{"done":true}` || !strings.Contains(lines[0], `"stream":"parks"`) {
			t.Errorf("rebuild through the API: %d %s", r.Status, r.Body)
		}
		if rebuilt := h.figures(h.svc); !reflect.DeepEqual(rebuilt, after) {
			t.Errorf("a replay through the API gives other figures:\n%+v\nwas\n%+v", rebuilt, after)
		}

		for _, c := range []struct {
			name   string
			faults app.Faults
		}{
			{"adds a redelivered revision", app.Faults{AddOnRedelivery: true}},
			{"counts every revision", app.Faults{SumEveryRevision: true}},
		} {
			faulty, err := New(context.Background(), Config{Home: testkit.Home(t, h.dialect)}, Deps{Bus: h.Bus, Signer: h.Signer, Log: bustest.Logger(t), Now: func() time.Time { return today }, Faults: c.faults})
			if err != nil {
				t.Fatal(err)
			}
			if err := faulty.Rebuild(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if got := h.figures(faulty); reflect.DeepEqual(got.Reports, after.Reports) {
				t.Errorf("a projection that %s gives the right report sums: %+v", c.name, got.Reports)
			}
			_ = faulty.DB.Close()
		}
	})
}
