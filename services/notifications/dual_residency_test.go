package notifications

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// dualKind is the kind the flag is delivered as.
const dualKind = "residency_dual_flagged"

// Issue 11, item 2: a company that enters a carrier while open at another
// is flagged to the staff of both carriers, each led to their own
// residency, and to its district; not to a third carrier, the company, or
// another region's district.
func TestDualResidencyReachesBothCarriersAndTheDistrict(t *testing.T) {
	dbtest.EachDialect(t, testDualResidency)
}

func testDualResidency(t *testing.T, dialect string) {
	h := newHarness(t, dialect)
	lixia, huaiyin, coA, X, M := h.IDs["lixia"], h.IDs["huaiyin"], h.IDs["coA"], h.IDs["X"], h.IDs["M"]
	// A district admin of the other region, to be left out.
	foreign := "district@huaiyin.demo"
	h.Users[foreign] = h.Fixture.AddUser(foreign, authz.RoleDistrictAdmin, authz.RegionDomain(huaiyin))
	h.Fixture.Publish()
	testkit.Eventually(t, "the foreign district admin's role", func() bool {
		return h.count("notifications", "kind = 'role_granted' AND user_id = ?", h.Users[foreign]) == 1
	})

	atX, atM := events.NewID(), events.NewID()
	flag := events.DualResidencyFlaggedV1{RegionID: lixia, CompanyID: coA, CompanyNameZH: "企业coA", CarrierID: X, CarrierNameZH: "载体X",
		CarrierNameEN: "Carrier X", ResidencyID: atX, Via: "application", Others: []events.DualResidencyOtherV1{{CarrierID: M,
			CarrierNameZH: "载体M", CarrierNameEN: "Carrier M", ResidencyID: atM, CompanyID: coA, Status: "in_residence", AdmittedOn: "2026-01-05"}}}
	ev := h.Event(events.Scope{RegionID: lixia, CarrierID: X}, atX, flag)
	h.Fixture.Publish(ev)
	// X's three staff, M's admin, the district's admin and viewer.
	testkit.Eventually(t, "the flag delivered", func() bool { return h.count("notifications", "kind = ?", dualKind) == 6 })

	for as, link := range map[string]string{
		"parkadmin@lixia.demo": "/residencies/" + atX, "operator@lixia.demo": "/residencies/" + atX, "operator2@lixia.demo": "/residencies/" + atX,
		"makeradmin@lixia.demo": "/residencies/" + atM,
		"district@lixia.demo":   "/residencies/" + atX, "officer@lixia.demo": "/residencies/" + atX,
	} {
		got := h.inbox(as, "&kind="+dualKind)
		if len(got) != 1 {
			t.Errorf("%s: %d flags, want 1", as, len(got))
			continue
		}
		n := got[0]
		if n.Link != link || !contains(n.TitleZH+n.BodyZH, "企业coA", "载体X", "载体M", "只计一次") ||
			!contains(n.TitleEN+n.BodyEN, "Company coA", "Carrier X", "Carrier M", "counts it once") {
			t.Errorf("%s: %+v, want link %s and both carriers named", as, n, link)
		}
		for _, id := range []string{coA, X, M} {
			if contains(n.TitleZH+n.BodyZH+n.TitleEN+n.BodyEN, id) {
				t.Errorf("%s: the text names an id: %+v", as, n)
			}
		}
	}
	for _, other := range []string{"accel@lixia.demo", "operator@huaiyin.demo", foreign, "founder@lixia.demo", "founder2@lixia.demo"} {
		if got := h.kinds(other); got[dualKind] != 0 {
			t.Errorf("%s is told: %v", other, got)
		}
	}
	if got, want := h.sent(), h.count("notifications", ""); got != want {
		t.Errorf("notification.sent in the outbox: %d, notifications %d", got, want)
	}
}
