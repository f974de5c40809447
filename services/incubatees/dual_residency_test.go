package incubatees

import (
	"maps"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// dualFlags are the residency.dual_flagged events in the outbox, in order.
func (h *harness) dualFlags() []events.DualResidencyFlaggedV1 {
	h.T.Helper()
	var out []events.DualResidencyFlaggedV1
	for _, ev := range h.outboxEvents(events.ResidencyDualFlagged) {
		var p events.DualResidencyFlaggedV1
		if err := ev.Decode(&p); err != nil {
			h.T.Fatal(err)
		}
		if ev.RegionID != p.RegionID || ev.CarrierID != p.CarrierID || ev.AggregateID != p.ResidencyID {
			h.T.Fatalf("envelope %+v of %+v", ev, p)
		}
		out = append(out, p)
	}
	return out
}

// wantFlag checks a flag: the company entered carrier at residency via
// the way named, while open at exactly others (carrier key → residency id).
func (h *harness) wantFlag(p events.DualResidencyFlaggedV1, company, carrier, residency, via string, others map[string]string) {
	h.T.Helper()
	if p.CompanyID != h.IDs[company] || p.CarrierID != h.IDs[carrier] || p.ResidencyID != residency || p.Via != via ||
		p.RegionID != h.IDs["lixia"] || p.CarrierNameZH == "" || p.CompanyNameZH == "" || p.USCC == "" || len(p.Others) != len(others) {
		h.T.Fatalf("flag %+v, want %s entering %s (%s) by %s, open at %v", p, company, carrier, residency, via, others)
	}
	for _, o := range p.Others {
		found := false
		for key, id := range others {
			found = found || (o.CarrierID == h.IDs[key] && o.ResidencyID == id && o.CarrierNameZH != "" && o.AdmittedOn != "")
		}
		if !found {
			h.T.Fatalf("flag %+v names %+v, want only %v", p, o, others)
		}
	}
}

// concurrentOf is the carriers (their ids) the residency's reader as is
// shown beside it, with the day each one admitted the company.
func (h *harness) concurrentOf(as, residencyID string) map[string]string {
	h.T.Helper()
	body := h.mustStatus(h.Do(as, "GET", "/api/v1/residencies/"+residencyID, nil), 200, as+" reads "+residencyID)
	out := map[string]string{}
	cs, _ := body["concurrent"].([]any)
	for _, c := range cs {
		m := c.(map[string]any)
		if m["carrier_name"] == "" {
			h.T.Fatalf("concurrent without a name: %v", m)
		}
		out[m["carrier_id"].(string)] = m["since"].(string)
	}
	return out
}

// listedConcurrent is what a residents list (path, read as as) shows
// beside each residency: residency id → the other carriers' ids and the
// day each one admitted the company.
func (h *harness) listedConcurrent(as, path string) map[string]map[string]string {
	h.T.Helper()
	body := h.mustStatus(h.Do(as, "GET", path+"?page_size=100", nil), 200, as+" lists "+path)
	items, _ := body["items"].([]any)
	out := map[string]map[string]string{}
	for _, it := range items {
		m := it.(map[string]any)
		cs, _ := m["concurrent"].([]any)
		got := map[string]string{}
		for _, c := range cs {
			cm := c.(map[string]any)
			if cm["carrier_name"] == "" {
				h.T.Fatalf("listed concurrent without a name: %v", cm)
			}
			got[cm["carrier_id"].(string)] = cm["since"].(string)
		}
		out[m["id"].(string)] = got
	}
	return out
}

// Issue 11, item 2: a company accepting an enrolment offer, or promoted,
// while open at another carrier is flagged to both (residency.dual_flagged)
// — a promotion not for the residency it leaves — and the residency read
// shows the other carrier to the staff of both, the district and the
// company, never to a promotion's target before it accepts nor to others.
func TestDualResidencyByEnrolmentAndPromotion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		today := h.svc.clock.Today()
		day := today.Format(time.DateOnly)
		coA := h.IDs["coA"]
		atM := h.mustEnrol("makeradmin@lixia.demo", h.IDs["M"], app.OfferEnrolmentInput{CompanyID: coA,
			MoveIn: &domain.MoveInFacts{On: today, Unit: "M-1", AreaM2: 10}}).ID()
		if fs := h.dualFlags(); len(fs) != 0 {
			t.Fatalf("the first residency flagged: %+v", fs)
		}
		if c := h.concurrentOf("makeradmin@lixia.demo", atM); len(c) != 0 {
			t.Fatalf("concurrent with one residency: %v", c)
		}
		atX := h.mustEnrol("parkadmin@lixia.demo", h.IDs["X"], app.OfferEnrolmentInput{CompanyID: coA}).ID()
		fs := h.dualFlags()
		if len(fs) != 1 {
			t.Fatalf("%d flags after enrolling at X, want 1", len(fs))
		}
		h.wantFlag(fs[0], "coA", "X", atX, "enrolment", map[string]string{"M": atM})

		// Both carriers' staff, the district and the company see the other
		// carrier beside the residency.
		for as, want := range map[string]map[string]string{
			"parkadmin@lixia.demo": {h.IDs["M"]: day}, "operator@lixia.demo": {h.IDs["M"]: day},
			"district@lixia.demo": {h.IDs["M"]: day}, "officer@lixia.demo": {h.IDs["M"]: day}, "founder@lixia.demo": {h.IDs["M"]: day},
		} {
			if got := h.concurrentOf(as, atX); !maps.Equal(got, want) {
				t.Errorf("%s reads X's residency: concurrent %v, want %v", as, got, want)
			}
		}
		if got := h.concurrentOf("makeradmin@lixia.demo", atM); !maps.Equal(got, map[string]string{h.IDs["X"]: day}) {
			t.Errorf("M's admin reads M's residency: concurrent %v", got)
		}
		// The residents lists show it on each row: each carrier's to its
		// staff, the region's to the district.
		for _, l := range []struct{ as, path, id, other string }{
			{"parkadmin@lixia.demo", "/api/v1/carriers/" + h.IDs["X"] + "/residencies", atX, "M"},
			{"makeradmin@lixia.demo", "/api/v1/carriers/" + h.IDs["M"] + "/residencies", atM, "X"},
			{"district@lixia.demo", "/api/v1/regions/" + h.IDs["lixia"] + "/residencies", atX, "M"},
			{"district@lixia.demo", "/api/v1/regions/" + h.IDs["lixia"] + "/residencies", atM, "X"},
		} {
			rows := h.listedConcurrent(l.as, l.path)
			if got, ok := rows[l.id]; !ok || !maps.Equal(got, map[string]string{h.IDs[l.other]: day}) {
				t.Errorf("%s lists %s: row %s concurrent %v (listed: %t), want %s", l.as, l.path, l.id, got, ok, l.other)
			}
		}
		for _, as := range []string{"stranger@lixia.demo", "incadmin@lixia.demo", "officer@huaiyin.demo"} {
			if res := h.Do(as, "GET", "/api/v1/residencies/"+atX, nil); res.Status != 404 {
				t.Errorf("%s reads X's residency: %d", as, res.Status)
			}
		}

		// M promotes the company to I: I's staff read M's residency for the
		// packet, without where else the company is.
		h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+atM+"/promotions",
			map[string]any{"to_carrier_id": h.IDs["I"], "shared": []string{"milestones"}}), 201, "propose")
		h.mustStatus(h.Do("founder@lixia.demo", "POST", "/api/v1/residencies/"+atM+"/promotion/consent", nil), 200, "consent")
		if got := h.concurrentOf("incadmin@lixia.demo", atM); len(got) != 0 {
			t.Errorf("the promotion's target sees where else the company is: %v", got)
		}
		acc := h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+atM+"/promotion/accept", nil), 200, "accept")
		atI := acc["new_residency_id"].(string)
		fs = h.dualFlags()
		if len(fs) != 2 {
			t.Fatalf("%d flags after the promotion, want 2", len(fs))
		}
		// M, the residency left, is not a conflict; X still is.
		h.wantFlag(fs[1], "coA", "I", atI, "promotion", map[string]string{"X": atX})
		if got := h.concurrentOf("incadmin@lixia.demo", atI); !maps.Equal(got, map[string]string{h.IDs["X"]: day}) {
			t.Errorf("I's admin reads I's residency: concurrent %v", got)
		}
		if got := h.concurrentOf("parkadmin@lixia.demo", atX); !maps.Equal(got, map[string]string{h.IDs["I"]: day}) {
			t.Errorf("X's admin after the promotion: concurrent %v", got)
		}
		// The closed residency shows nothing concurrent.
		if got := h.concurrentOf("makeradmin@lixia.demo", atM); len(got) != 0 {
			t.Errorf("the promoted residency: concurrent %v", got)
		}
		rows := h.listedConcurrent("district@lixia.demo", "/api/v1/regions/"+h.IDs["lixia"]+"/residencies")
		for id, want := range map[string]map[string]string{atM: {}, atX: {h.IDs["I"]: day}, atI: {h.IDs["X"]: day}} {
			if got, ok := rows[id]; !ok || !maps.Equal(got, want) {
				t.Errorf("the region's list after the promotion: row %s concurrent %v (listed: %t), want %v", id, got, ok, want)
			}
		}
	})
}

// A promotion of a company open nowhere else flags nothing; an admission
// of one open elsewhere flags, and application.decided keeps its conflicts.
func TestDualResidencyByAdmission(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		today := h.svc.clock.Today()
		coB := h.IDs["coB"]
		atM := h.mustEnrol("makeradmin@lixia.demo", h.IDs["M"], app.OfferEnrolmentInput{CompanyID: coB,
			MoveIn: &domain.MoveInFacts{On: today, Unit: "M-2", AreaM2: 10}}).ID()
		h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+atM+"/promotions",
			map[string]any{"to_carrier_id": h.IDs["I"], "shared": []string{"milestones"}}), 201, "propose")
		h.mustStatus(h.Do("founder2@lixia.demo", "POST", "/api/v1/residencies/"+atM+"/promotion/consent", nil), 200, "consent")
		h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+atM+"/promotion/accept", nil), 200, "accept")
		if fs := h.dualFlags(); len(fs) != 0 {
			t.Fatalf("a plain promotion flagged: %+v", fs)
		}

		// coA, open at I, is admitted by X's intake.
		atI := h.mustEnrol("incadmin@lixia.demo", h.IDs["I"], app.OfferEnrolmentInput{CompanyID: h.IDs["coA"]}).ID()
		id := h.intakeApplication(0, domain.AppSubmitted)
		got := intakeWant(t, h.Do("operator@lixia.demo", "POST", "/api/v1/applications/"+id+"/decision",
			map[string]any{"decision": "admit", "reason": "欢迎"}), 200, "admit at X")
		if cs, _ := got["conflicts"].([]any); len(cs) != 1 {
			t.Fatalf("admission conflicts: %v", got)
		}
		fs := h.dualFlags()
		if len(fs) != 1 {
			t.Fatalf("%d flags after the admission, want 1", len(fs))
		}
		var atX string
		for _, ev := range h.outboxEvents(events.ResidencyAdmitted) {
			if ev.CarrierID == h.IDs["X"] {
				atX = ev.AggregateID
			}
		}
		h.wantFlag(fs[0], "coA", "X", atX, "application", map[string]string{"I": atI})
		for _, ev := range h.intakeEvents() {
			var p events.ApplicationDecidedV1
			if ev.Type == events.ApplicationDecided && ev.AggregateID == id {
				if err := ev.Decode(&p); err != nil || len(p.Conflicts) != 1 || p.Conflicts[0].CarrierID != h.IDs["I"] {
					t.Fatalf("decided event %+v %v", p, err)
				}
			}
		}
	})
}
