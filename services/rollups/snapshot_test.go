package rollups

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// A district admin freezes 2026-Q2 as filed; a revision accepted later
// shows as a difference from it; the period freezes once; the freeze is
// announced on the rollups stream.
func TestSnapshotFreezeAndDiff(t *testing.T) {
	h := newHistory(t, "sqlite")
	var mu sync.Mutex
	var frozen []events.SnapshotFrozenV1
	stop, err := h.Bus.Follow(context.Background(), "rollups", []string{events.SnapshotFrozen}, time.Time{}, func(_ context.Context, ev events.Envelope) error {
		var p events.SnapshotFrozenV1
		if err := ev.Decode(&p); err != nil {
			return err
		}
		mu.Lock()
		frozen = append(frozen, p)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	snaps := "/api/v1/regions/" + h.IDs["lixia"] + "/rollups/snapshots"
	r := h.Do("district@lixia.demo", "POST", snaps, map[string]string{"period": "2026-Q2"})
	if r.Status != http.StatusCreated || r.JSON(t)["period"] != "2026-Q2" {
		t.Fatalf("freeze: %d %s", r.Status, r.Body)
	}
	if again := h.Do("district@lixia.demo", "POST", snaps, map[string]string{"period": "2026-Q2"}); again.Status != http.StatusConflict {
		t.Errorf("freeze twice: %d %s", again.Status, again.Body)
	}
	if month := h.Do("district@lixia.demo", "POST", snaps, map[string]string{"period": "2026-05"}); month.Status != http.StatusUnprocessableEntity {
		t.Errorf("freeze a month: %d %s", month.Status, month.Body)
	}
	testkit.Eventually(t, "the snapshot event", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(frozen) == 1 && frozen[0].Period == "2026-Q2" && frozen[0].FrozenBy == h.Users["district@lixia.demo"]
	})

	diff := func() []struct {
		Figure          string
		Frozen, Current float64
	} {
		var d struct {
			Changes []struct {
				Figure          string
				Frozen, Current float64
			}
		}
		h.get("officer@lixia.demo", "snapshots/diff", map[string][]string{"period": {"2026-Q2"}}, &d)
		return d.Changes
	}
	if c := diff(); len(c) != 0 {
		t.Fatalf("nothing changed, yet: %+v", c)
	}
	h.add(events.Scope{RegionID: h.IDs["lixia"]}, h.IDs["repA"], events.MetricsReviewedV1{ReportID: h.IDs["repA"], CompanyID: h.IDs["coA"],
		RegionID: h.IDs["lixia"], Period: "2026-Q2", Revision: 2, Decision: "accept", Status: "accepted"})
	h.publish()
	h.settle("the later review", "founder3@huaiyin.demo", "coC")
	found := false
	for _, c := range diff() {
		if c.Figure == "reports.sums.rd_expenditure" {
			found = c.Frozen == 120 && c.Current == 180
		}
	}
	if !found {
		t.Errorf("the accepted revision 2 does not show as a difference: %+v", diff())
	}
}
