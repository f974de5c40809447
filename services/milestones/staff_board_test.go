package milestones

import (
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// An operator who staffs two carriers (X, and M of the same region) sees
// the overdue milestones of both in one list, oldest due first, and one
// carrier's with carrier_id; never another region's, nor a carrier of
// their region they do not staff (404 even by name), nor what is not
// overdue. An operator of X alone sees X's; a startup member staffs none.
func TestStaffOverdueBoard(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		op2 := h.users["operator2@lixia.demo"]
		h.fixture.Publish(h.event(events.Scope{}, op2, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
			UserID: op2, Role: authz.RoleParkOperator, Domain: authz.CarrierDomain(h.ids["M"])}}))
		testkit.Eventually(t, "operator2 staffs M", func() bool {
			return h.svc.Enforcer.Can(op2, authz.Scope{RegionID: h.ids["lixia"], CarrierID: h.ids["M"]}, "milestone", "verify")
		})
		today := movedIn.AddDate(0, 2, 0)
		h.clock.Set(today)
		plan := func(res, title string, dueIn int) {
			h.must(201, h.Do("admin@incuchain.demo", "POST", "/api/v1/residencies/"+h.ids[res]+"/milestones", map[string]any{
				"title_zh": title, "category": "other", "due_on": movedIn.AddDate(0, 0, dueIn).Format(time.DateOnly)}), "plan "+title)
		}
		plan("resA", "X 逾期早", 10)
		plan("resA", "X 逾期晚", 40)
		plan("resA", "X 未到期", 90)
		plan("resB", "M 逾期", 20)
		plan("resB", "M 未到期", 70)
		plan("resC", "H 逾期", 5) // another region

		titles := func(p pageJSON) []string {
			var out []string
			for _, m := range p.Items {
				if !m.Overdue {
					t.Errorf("not overdue on the board: %+v", m)
				}
				out = append(out, m.TitleZH)
			}
			return out
		}
		same := func(what string, got []string, want ...string) {
			t.Helper()
			if len(got) != len(want) {
				t.Fatalf("%s: %v, want %v", what, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s: %v, want %v", what, got, want)
				}
			}
		}
		board := "/api/v1/me/overdue-milestones"
		all := h.page("operator2@lixia.demo", board)
		same("both carriers", titles(all), "X 逾期早", "M 逾期", "X 逾期晚")
		if all.Total != 3 {
			t.Fatalf("total %d", all.Total)
		}
		same("M alone", titles(h.page("operator2@lixia.demo", board+"?carrier_id="+h.ids["M"])), "M 逾期")
		same("newest first", titles(h.page("operator2@lixia.demo", board+"?sort=-due_on")), "X 逾期晚", "M 逾期", "X 逾期早")
		same("X's operator", titles(h.page("operator@lixia.demo", board)), "X 逾期早", "X 逾期晚")
		same("a startup member", titles(h.page("founder@lixia.demo", board)))
		for _, c := range []string{"H", "A"} {
			r := h.Do("operator2@lixia.demo", "GET", board+"?carrier_id="+h.ids[c], nil)
			if r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("carrier %s not staffed: %d %s", c, r.Status, r.Body)
			}
		}
		if r := h.Do("", "GET", board, nil); r.Status != 401 {
			t.Fatalf("anonymous: %d", r.Status)
		}
	})
}
