package documents

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// milestoneEvent builds a milestones event of company key's milestone id
// at carrier, in state, asking for evidence types.
func milestoneEvent(t *testing.T, h *harness, key, region, carrier, id, state string, evidence []string,
	wrap func(events.MilestoneV1) events.Payload) events.Envelope {
	t.Helper()
	m := events.MilestoneV1{MilestoneID: id, ResidencyID: events.NewID(), CompanyID: h.IDs[key], RegionID: h.IDs[region], CarrierID: h.IDs[carrier],
		CarrierKind: "incubator", TitleZH: "首笔营收", TitleEN: "First revenue", Category: "revenue", State: state, DueOn: "2026-06-30",
		EvidenceTypes: evidence}
	return testkit.NewEvent(t, events.Scope{RegionID: h.IDs[region], CarrierID: h.IDs[carrier]}, id, wrap(m))
}

func planned(m events.MilestoneV1) events.Payload { return events.MilestonePlannedV1{MilestoneV1: m} }
func waived(m events.MilestoneV1) events.Payload  { return events.MilestoneWaivedV1{MilestoneV1: m} }

// A planned milestone's evidence types become the documents checklist
// "milestone:<id>" of its company at its carrier, read through the same
// route as an application's checklist and hidden from other carriers
// alike; redelivery and an older event arriving late change nothing, a
// waived milestone's checklist is closed, and a milestone asking for no
// evidence has none.
func TestMilestoneChecklist(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		evidence := []string{"sales_contract", "invoice"}
		id := events.NewID()
		// The planned event; again (under a new event id, as a replay
		// by the outbox would be once its dedup row is gone) it is the
		// same milestone's planning delivered twice.
		plan := func() events.Envelope {
			return milestoneEvent(t, h, "coA", "lixia", "X", id, "planned", evidence, planned)
		}
		h.Fixture.Publish(plan())
		path := "/api/v1/checklists/milestone:" + id
		var c map[string]any
		testkit.Eventually(t, "milestone checklist", func() bool {
			res := h.Do("operator@lixia.demo", "GET", path, nil)
			c = res.JSON(t)
			return res.Status == 200
		})
		want := func(c map[string]any, open bool) {
			t.Helper()
			slots, _ := c["slots"].([]any)
			if c["owner_kind"] != "milestone" || c["owner_id"] != id || c["company_id"] != h.IDs["coA"] || c["carrier_id"] != h.IDs["X"] ||
				c["region_id"] != h.IDs["lixia"] || c["open"] != open || c["complete"] != false || len(slots) != 2 {
				t.Fatalf("milestone checklist: %v", c)
			}
			for i, s := range slots {
				if s.(map[string]any)["type"] != evidence[i] || s.(map[string]any)["document"] != nil {
					t.Fatalf("slot %d: %v, want empty %s", i, s, evidence[i])
				}
			}
		}
		want(c, true)
		if res := h.Do("founder@lixia.demo", "GET", path, nil); res.Status != 200 {
			t.Fatalf("the company's own member: %d %s", res.Status, res.Body)
		}
		for _, who := range []string{"makeradmin@lixia.demo", "operator@huaiyin.demo", "founder2@lixia.demo", "founder3@huaiyin.demo"} {
			if res := h.Do(who, "GET", path, nil); res.Status != 404 {
				t.Fatalf("%s reads another carrier's milestone checklist: %d %s", who, res.Status, res.Body)
			}
		}

		// Redelivery of the planned event, then a milestone with no
		// evidence and one whose waiver overtook its planning; a marker
		// milestone behind them shows they were all handled.
		bare := events.NewID()
		early := events.NewID()
		marker := events.NewID()
		h.Fixture.Publish(plan(),
			milestoneEvent(t, h, "coA", "lixia", "X", bare, "planned", nil, planned),
			milestoneEvent(t, h, "coA", "lixia", "X", early, "waived", evidence, waived),
			milestoneEvent(t, h, "coA", "lixia", "X", early, "planned", evidence, planned),
			milestoneEvent(t, h, "coA", "lixia", "X", marker, "planned", []string{"invoice"}, planned))
		testkit.Eventually(t, "marker checklist", func() bool {
			return h.Do("operator@lixia.demo", "GET", "/api/v1/checklists/milestone:"+marker, nil).Status == 200
		})
		want(h.Do("operator@lixia.demo", "GET", path, nil).JSON(t), true)
		if res := h.Do("admin@incuchain.demo", "GET", "/api/v1/checklists/milestone:"+bare, nil); res.Status != 404 {
			t.Fatalf("a milestone asking for no evidence has a checklist: %d %s", res.Status, res.Body)
		}
		if res := h.Do("operator@lixia.demo", "GET", "/api/v1/checklists/milestone:"+early, nil); res.Status != 200 || res.JSON(t)["open"] != false {
			t.Fatalf("a late planned event reopened a waived milestone's checklist: %d %s", res.Status, res.Body)
		}

		// The waiver closes the checklist; the planned event redelivered
		// after it does not reopen it.
		h.Fixture.Publish(milestoneEvent(t, h, "coA", "lixia", "X", id, "waived", evidence, waived), plan())
		testkit.Eventually(t, "closed checklist", func() bool {
			return h.Do("operator@lixia.demo", "GET", path, nil).JSON(t)["open"] == false
		})
		marker2 := events.NewID()
		h.Fixture.Publish(milestoneEvent(t, h, "coA", "lixia", "X", marker2, "planned", []string{"invoice"}, planned))
		testkit.Eventually(t, "second marker checklist", func() bool {
			return h.Do("operator@lixia.demo", "GET", "/api/v1/checklists/milestone:"+marker2, nil).Status == 200
		})
		want(h.Do("operator@lixia.demo", "GET", path, nil).JSON(t), false)
	})
}
