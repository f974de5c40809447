package milestones

import (
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

type planJSON struct {
	Status     string          `json:"status"`
	Outcome    string          `json:"outcome"`
	MovedInOn  string          `json:"moved_in_on"`
	EndedOn    string          `json:"ended_on"`
	Milestones []milestoneJSON `json:"milestones"`
}

func (h *harness) plan(as, residency string) (planJSON, response) {
	h.T.Helper()
	r := h.Do(as, "GET", "/api/v1/residencies/"+residency+"/milestone-plan", nil)
	var p planJSON
	if r.Status == 200 {
		r.Decode(h.T, &p)
	}
	return p, r
}

// Residency events open and close plans; the same facts again (a
// redelivery under a new id, a replay) or an older event after a newer
// one change nothing.
func TestResidencyEventsOnlyMovePlansForward(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		x := events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}
		// Out of order: a residency whose graduation arrives before its
		// admission and move-in.
		late := events.NewID()
		r := h.residencyV1("coA", "X", "resA", "incubator", "lixia")
		r.ResidencyID, r.EndedOn = late, movedIn.AddDate(1, 0, 0).Format(time.DateOnly)
		h.Fixture.Publish(h.Event(x, late, events.ResidencyGraduatedV1{ResidencyV1: r}))
		testkit.Eventually(t, "the graduated plan", func() bool { return h.count("plans", "residency_id = ?", late) == 1 })
		admitted := r
		admitted.MovedInOn, admitted.EndedOn = "", ""
		h.Fixture.Publish(h.Event(x, late, events.ResidencyAdmittedV1{ResidencyV1: admitted}), h.Event(x, late, events.ResidencyMovedInV1{ResidencyV1: r}))
		// A marker event behind them tells when they have been applied.
		marker := events.NewID()
		h.Fixture.Publish(h.Event(x, marker, events.CompanyUpdatedV1{CompanyV1: events.CompanyV1{CompanyID: marker, RegionID: h.IDs["lixia"], NameZH: "标记"}}))
		testkit.Eventually(t, "the events behind", func() bool { return h.count("companies", "id = ?", marker) == 1 })
		p, res := h.plan("operator@lixia.demo", late)
		if res.Status != 200 || p.Status != "closed" || p.Outcome != "graduated" || p.MovedInOn != movedIn.Format(time.DateOnly) {
			t.Fatalf("late plan: %d %+v", res.Status, p)
		}
		h.must(409, h.Do("operator@lixia.demo", "POST", "/api/v1/residencies/"+late+"/milestone-plan", nil), "plan a closed residency")

		// The same move-in again under new event ids: nothing changes.
		ids := h.applyTemplate("operator@lixia.demo", "resA")
		before, _ := h.plan("operator@lixia.demo", h.IDs["resA"])
		again := h.residencyV1("coA", "X", "resA", "incubator", "lixia")
		h.Fixture.Publish(h.Event(x, h.IDs["resA"], events.ResidencyMovedInV1{ResidencyV1: again}),
			h.Event(x, h.IDs["resA"], events.ResidencyAdmittedV1{ResidencyV1: again}))
		marker2 := events.NewID()
		h.Fixture.Publish(h.Event(x, marker2, events.CompanyUpdatedV1{CompanyV1: events.CompanyV1{CompanyID: marker2, RegionID: h.IDs["lixia"], NameZH: "标记"}}))
		testkit.Eventually(t, "the replay behind", func() bool { return h.count("companies", "id = ?", marker2) == 1 })
		after, _ := h.plan("operator@lixia.demo", h.IDs["resA"])
		if after.Status != "open" || len(after.Milestones) != len(ids) || after.Milestones[0].DueOn != before.Milestones[0].DueOn {
			t.Fatalf("replayed move-in changed the plan: %+v → %+v", before, after)
		}
		if n := h.count("milestone_history", "milestone_id = ?", ids[0]); n != 1 {
			t.Fatalf("history lines after replay: %d", n)
		}
	})
}

// On promotion the plan closes and its history travels: the next
// carrier's staff see the company's verified milestones from the
// previous carrier in its timeline, beside their own plan's; the closed
// plan takes no more updates.
func TestPromotionKeepsTheChainTimeline(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		ids := h.applyTemplate("operator@lixia.demo", "resA")
		first := "/api/v1/milestones/" + ids[0]
		h.must(201, h.Do("founder@lixia.demo", "POST", first+"/updates", map[string]any{"text": "首单", "evidence": []string{h.IDs["docA-evidence"]}}), "progress")
		h.must(200, h.Do("founder@lixia.demo", "POST", first+"/submit", nil), "submit")
		h.must(200, h.Do("operator@lixia.demo", "POST", first+"/verify", map[string]any{}), "verify")
		// Before the promotion the accelerator knows nothing of the company.
		h.must(404, h.Do("accel@lixia.demo", "GET", "/api/v1/companies/"+h.IDs["coA"]+"/milestone-timeline", nil), "timeline before promotion")

		x := events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}
		next := events.NewID()
		promoted := h.residencyV1("coA", "X", "resA", "incubator", "lixia")
		promoted.Status, promoted.EndedOn = "promoted", movedIn.AddDate(1, 0, 0).Format(time.DateOnly)
		opened := h.residencyV1("coA", "A", "resA", "accelerator", "lixia")
		opened.ResidencyID, opened.PromotedFromID = next, h.IDs["resA"]
		opened.AdmittedOn, opened.MovedInOn = movedIn.AddDate(1, 0, 0).Format(time.DateOnly), movedIn.AddDate(1, 0, 1).Format(time.DateOnly)
		h.Fixture.Publish(h.Event(x, h.IDs["resA"], events.ResidencyPromotedV1{ResidencyV1: promoted, ToCarrierID: h.IDs["A"], ToResidencyID: next}),
			h.Event(events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["A"]}, next, events.ResidencyMovedInV1{ResidencyV1: opened}))
		testkit.Eventually(t, "the accelerator's plan", func() bool { return h.count("plans", "residency_id = ?", next) == 1 })

		p, _ := h.plan("operator@lixia.demo", h.IDs["resA"])
		if p.Status != "closed" || p.Outcome != "promoted" {
			t.Fatalf("promoted plan: %+v", p)
		}
		r := h.must(409, h.Do("founder@lixia.demo", "POST", "/api/v1/milestones/"+ids[1]+"/updates", map[string]any{"text": "还在推进"}), "update on a closed residency")
		if codes := r.FieldCodes(t); len(codes) != 1 || codes[0] != "residency_id:residency_closed" {
			t.Fatalf("closed residency field errors: %v (%s)", codes, r.Body)
		}
		h.clock.Set(movedIn.AddDate(1, 0, 2))
		accel := h.applyTemplate("accel@lixia.demo", next)
		if len(accel) != 3 {
			t.Fatalf("accelerator template planned %d", len(accel))
		}
		tl := h.page("accel@lixia.demo", "/api/v1/companies/"+h.IDs["coA"]+"/milestone-timeline?page_size=50")
		byCarrier := map[string]int{}
		verified := 0
		for _, m := range tl.Items {
			byCarrier[m.Carrier]++
			if m.State == "verified" {
				verified++
			}
		}
		if tl.Total != 6 || byCarrier[h.IDs["X"]] != 3 || byCarrier[h.IDs["A"]] != 3 || verified != 1 {
			t.Fatalf("timeline at the accelerator: %+v", tl)
		}
		if tl.Items[0].Carrier != h.IDs["X"] || tl.Items[5].Carrier != h.IDs["A"] {
			t.Fatalf("timeline not in chain order: %+v", tl.Items)
		}
		// Once every date of the closed plan has passed, its unfinished
		// milestones are history, not late: none shows as overdue.
		last := ""
		for _, m := range tl.Items {
			if m.Carrier == h.IDs["X"] && m.DueOn > last {
				last = m.DueOn
			}
		}
		lastDue, err := time.Parse(time.DateOnly, last)
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Set(lastDue.AddDate(0, 0, 1))
		pastDue := 0
		for _, m := range h.page("accel@lixia.demo", "/api/v1/companies/"+h.IDs["coA"]+"/milestone-timeline?page_size=50").Items {
			if m.Carrier == h.IDs["X"] && m.State != "verified" {
				pastDue++
				if m.Overdue {
					t.Errorf("milestone %s of the closed plan (due %s) shows as overdue", m.ID, m.DueOn)
				}
			}
		}
		if pastDue == 0 {
			t.Fatal("no unfinished milestone of the closed plan to check")
		}
		// The accelerator's board lists only its own open plan.
		board := h.page("accel@lixia.demo", "/api/v1/carriers/"+h.IDs["A"]+"/milestones")
		if board.Total != 3 {
			t.Fatalf("accelerator board: %+v", board)
		}
		// The previous carrier no longer counts a closed plan.
		old := h.page("operator@lixia.demo", "/api/v1/carriers/"+h.IDs["X"]+"/milestones")
		if old.Total != 0 {
			t.Fatalf("incubator board after promotion: %+v", old)
		}
	})
}
