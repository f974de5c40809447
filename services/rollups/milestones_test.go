package rollups

import (
	"net/url"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
)

// milestone is the state of milestone key of company's residency at
// carrier.
func (h *harness) milestone(key, company, carrier, state, due string) events.MilestoneV1 {
	if h.IDs[key] == "" {
		h.IDs[key] = events.NewID()
	}
	return events.MilestoneV1{MilestoneID: h.IDs[key], ResidencyID: h.IDs["r"+company+carrier], CompanyID: h.IDs[company], RegionID: h.IDs["lixia"],
		CarrierID: h.IDs[carrier], TitleZH: "里程碑" + key, Category: "product", State: state, DueOn: due}
}

type milestoneCounts struct {
	CarrierID string `json:"carrier_id"`
	Planned   int    `json:"planned"`
	Due       int    `json:"due"`
	Verified  int    `json:"verified"`
	Overdue   int    `json:"overdue"`
	Waived    int    `json:"waived"`
}

// Milestones count from their latest state, whatever the order or the
// number of deliveries; the district sees every carrier's, park staff the
// region's totals and their own carrier's line and rows.
func TestMilestonesFigure(t *testing.T) {
	eachHistory(t, func(t *testing.T, h *harness) {
		scope := func(carrier string) events.Scope {
			return events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs[carrier]}
		}
		// At X, coA: m1 verified, m2 waived, m3 left planned (overdue on
		// 08-15); at M, coB: m4 in progress (overdue); m5 is due in Q3.
		for _, m := range []struct {
			key, company, carrier, due string
		}{
			{"m1", "coA", "X", "2026-05-10"},
			{"m2", "coA", "X", "2026-06-01"},
			{"m3", "coA", "X", "2026-06-20"},
			{"m4", "coB", "M", "2026-04-15"},
			{"m5", "coA", "X", "2026-09-10"},
		} {
			h.add(scope(m.carrier), h.IDs["lixia"], events.MilestonePlannedV1{MilestoneV1: h.milestone(m.key, m.company, m.carrier, "planned", m.due)})
		}
		verified := h.Event(scope("X"), h.IDs["lixia"], events.MilestoneVerifiedV1{MilestoneV1: h.milestone("m1", "coA", "X", "verified", "2026-05-10")})
		h.add(scope("X"), h.IDs["lixia"], events.MilestoneWaivedV1{MilestoneV1: h.milestone("m2", "coA", "X", "waived", "2026-06-01")})
		h.add(scope("M"), h.IDs["lixia"], events.MilestoneProgressedV1{MilestoneV1: h.milestone("m4", "coB", "M", "in_progress", "2026-04-15"), UpdateID: "u1"})
		h.publish()
		h.Fixture.Publish(verified)
		h.published++
		// A copy of the verification, and an older progress of m1
		// arriving after it: neither changes anything.
		h.publishRaw(verified)
		late := h.Event(scope("X"), h.IDs["lixia"], events.MilestoneProgressedV1{MilestoneV1: h.milestone("m1", "coA", "X", "in_progress", "2026-05-10"), UpdateID: "u0"})
		late.OccurredAt = verified.OccurredAt.Add(-time.Minute)
		h.Fixture.Publish(late)
		h.published++
		h.settle("the milestones", "founder3@huaiyin.demo", "coC")

		q2 := url.Values{"period": {"2026-Q2"}}
		var fig struct {
			Total    milestoneCounts   `json:"total"`
			Carriers []milestoneCounts `json:"carriers"`
		}
		h.get(officer, "milestones", q2, &fig)
		if got, want := fig.Total, (milestoneCounts{Planned: 4, Due: 3, Verified: 1, Overdue: 2, Waived: 1}); got != want {
			t.Errorf("district total: %+v, want %+v", got, want)
		}
		lines := map[string]milestoneCounts{}
		for _, c := range fig.Carriers {
			lines[c.CarrierID] = c
		}
		if x, m := lines[h.IDs["X"]], lines[h.IDs["M"]]; x.Planned != 3 || x.Verified != 1 || x.Waived != 1 || x.Overdue != 1 || m.Planned != 1 || m.Overdue != 1 || len(fig.Carriers) != 3 {
			t.Errorf("district lines: %+v", fig.Carriers)
		}

		const maker = "makeradmin@lixia.demo"
		var park struct {
			Total    milestoneCounts   `json:"total"`
			Carriers []milestoneCounts `json:"carriers"`
		}
		h.get(maker, "milestones", q2, &park)
		if park.Total != fig.Total || len(park.Carriers) != 1 || park.Carriers[0].CarrierID != h.IDs["M"] {
			t.Errorf("M's admin: %+v", park)
		}
		var rows struct {
			Items []struct {
				MilestoneID string `json:"milestone_id"`
				CarrierID   string `json:"carrier_id"`
				CompanyName string `json:"company_name"`
			} `json:"items"`
		}
		h.get(officer, "milestones/rows", url.Values{"period": {"2026-Q2"}, "measure": {"overdue"}}, &rows)
		if len(rows.Items) != 2 || rows.Items[0].MilestoneID != h.IDs["m4"] || rows.Items[1].MilestoneID != h.IDs["m3"] || rows.Items[1].CompanyName != "企业coA" {
			t.Errorf("overdue rows, district: %+v", rows.Items)
		}
		h.get(maker, "milestones/rows", url.Values{"period": {"2026-Q2"}, "measure": {"overdue"}}, &rows)
		if len(rows.Items) != 1 || rows.Items[0].MilestoneID != h.IDs["m4"] {
			t.Errorf("overdue rows, M's admin: %+v", rows.Items)
		}
		if r := h.Do(officer, "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/rollups/milestones/rows?measure=late", nil); r.Status != 422 {
			t.Errorf("an unknown measure: %d %s", r.Status, r.Body)
		}

		// m4 rescheduled into Q3: it leaves Q2's figure.
		h.add(scope("M"), h.IDs["lixia"], events.MilestoneRescheduledV1{MilestoneV1: h.milestone("m4", "coB", "M", "in_progress", "2026-07-20")})
		h.publish()
		h.settle("the reschedule", "founder3@huaiyin.demo", "coC")
		h.get(officer, "milestones", q2, &fig)
		if got, want := fig.Total, (milestoneCounts{Planned: 3, Due: 2, Verified: 1, Overdue: 1, Waived: 1}); got != want {
			t.Errorf("after the reschedule: %+v, want %+v", got, want)
		}
		h.get(officer, "milestones", url.Values{"period": {"2026-Q3"}}, &fig)
		// m4, now due 07-20, is overdue again on 08-15; m5 is not yet.
		if got, want := fig.Total, (milestoneCounts{Planned: 2, Due: 2, Overdue: 1}); got != want {
			t.Errorf("2026-Q3: %+v, want %+v", got, want)
		}
	})
}
