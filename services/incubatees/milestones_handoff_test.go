package incubatees

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// publishMilestones publishes evs as the milestones service would, and
// waits until incubatees' consumer has processed every one.
func (h *harness) publishMilestones(out *testkit.Outbox, evs ...events.Envelope) {
	h.T.Helper()
	out.Publish(evs...)
	h.awaitProcessed("incubatees-milestones", "milestones", evs)
}

// milestoneEvent is a milestones event about milestone id of company at
// carrier (keys of h.IDs), in state.
func (h *harness) milestoneEvent(p events.Payload, scope events.Scope) events.Envelope {
	h.T.Helper()
	ev, err := events.New(scope, "operator", "plan", p)
	if err != nil {
		h.T.Fatal(err)
	}
	return ev
}

// TestHandoffListsVerifiedMilestones: a company whose milestone the maker
// space verified is promoted; the incubator's packet lists that milestone
// (from the milestones service's events alone) once, though its verified
// event arrived twice, and lists neither another company's verification
// nor a milestone only submitted.
func TestHandoffListsVerifiedMilestones(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		M, coA, coB := h.IDs["M"], h.IDs["coA"], h.IDs["coB"]
		id := h.makerResidency()

		scope := events.Scope{RegionID: h.IDs["lixia"], CarrierID: M}
		ms := func(mid, company, state, title string) events.MilestoneV1 {
			return events.MilestoneV1{MilestoneID: mid, ResidencyID: id, CompanyID: company, RegionID: h.IDs["lixia"], CarrierID: M, CarrierKind: "maker_space",
				TitleZH: title, TitleEN: "MVP", Category: "product", State: state, DueOn: "2025-12-01"}
		}
		verified := h.milestoneEvent(events.MilestoneVerifiedV1{MilestoneV1: ms("m-mvp", coB, "verified", "完成最小可行产品")}, scope)
		other := h.milestoneEvent(events.MilestoneVerifiedV1{MilestoneV1: ms("m-other", coA, "verified", "别家的里程碑")}, scope)
		submitted := h.milestoneEvent(events.MilestoneSubmittedV1{MilestoneV1: ms("m-team", coB, "submitted", "组建团队")}, scope)
		out := testkit.NewOutbox(t, h.Bus)
		h.publishMilestones(out, verified, other)
		out.Publish(submitted) // filtered out: nothing to wait for
		// The same verification again, as a redelivery under a new event id.
		h.publishMilestones(out, h.milestoneEvent(events.MilestoneVerifiedV1{MilestoneV1: ms("m-mvp", coB, "verified", "完成最小可行产品")}, scope))
		if n := h.count("verified_milestones"); n != 2 {
			t.Fatalf("verified_milestones rows: %d, want 2", n)
		}

		h.proposeToIncubator(id, []string{"milestones"})
		h.mustStatus(h.Do("founder2@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil), 200, "consent")
		p := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+id+"/promotion", nil), 200, "target reads the packet")
		packet, _ := p["packet"].(map[string]any)
		list, _ := packet["milestones"].([]any)
		if len(list) != 1 {
			t.Fatalf("packet milestones: %v", packet["milestones"])
		}
		m := list[0].(map[string]any)
		carrier, _ := m["carrier"].(map[string]any)
		if m["milestone_id"] != "m-mvp" || m["title_zh"] != "完成最小可行产品" || m["title_en"] != "MVP" || m["category"] != "product" ||
			m["verified_on"] != calendar.Date(verified.OccurredAt) ||
			carrier["id"] != M || carrier["name_zh"] != "历下创客空间" || carrier["kind"] != "maker_space" {
			t.Errorf("packet milestone: %v", m)
		}
		if chain, _ := packet["chain"].([]any); len(chain) != 1 {
			t.Errorf("packet chain: %v", packet["chain"])
		}
	})
}
