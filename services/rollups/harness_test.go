package rollups

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// harness is a running rollups service over real HTTP, a real database and
// a real NATS server. The world (parks' regions, carriers and staff;
// incubatees' companies, residencies, ladder steps and reports; documents'
// materials) arrives the way it does in production: as events through an
// outbox and NATS.
type harness struct {
	*testkit.World
	svc     *Service
	dialect string
	// queued and published count the events the projection applies.
	queued, published int
}

// today is the harness's clock: the figures' default window and "overdue"
// are decided against it.
var today = time.Date(2026, 8, 15, 9, 0, 0, 0, time.UTC)

var fixtureCarriers = []struct {
	key, region, kind string
	order, capacity   int
	area              float64
}{
	{"X", "lixia", "incubator", 2, 40, 5000}, {"M", "lixia", "maker_space", 1, 30, 1200}, {"A", "lixia", "accelerator", 3, 20, 8000},
	{"H", "huaiyin", "incubator", 2, 10, 900},
}

// matrixRoles are the demo callers: their own region lixia, carrier X and
// company coA. The world's users (testkit.DemoUsers) hold these roles and,
// beside them, roles in the sibling carrier M and company coB and in the
// foreign region huaiyin.
var matrixRoles = authztest.DemoCallers("nobody@lixia.demo")

var fixtureCompanies = []struct{ key, region, uscc, industry string }{
	{"coA", "lixia", "91370102MA3C4XQ12A", "I6510"}, {"coB", "lixia", "", "M7320"}, {"coC", "huaiyin", "91320800MA1N2PQ34B", "C39"},
}

func newHarness(t testing.TB, dialect string, opts ...func(*Deps)) *harness {
	t.Helper()
	h := &harness{World: testkit.NewWorld(t), dialect: dialect}
	deps := Deps{Bus: h.Bus, Signer: h.Signer, Log: bustest.Logger(t), Now: func() time.Time { return today }}
	for _, o := range opts {
		o(&deps)
	}
	home := testkit.Home(t, dialect)
	h.svc, _ = testkit.StartIn(h.World, "rollups", func(ctx context.Context) (*Service, error) {
		return New(ctx, Config{Home: home}, deps)
	})
	h.publishWorld()
	h.settle("the world", "founder3@huaiyin.demo", "coC")
	return h
}

// newHistory is a harness on dialect holding the fixture's history
// (h.history).
func newHistory(t *testing.T, dialect string) *harness {
	t.Helper()
	h := newHarness(t, dialect)
	h.history()
	return h
}

// eachHistory runs fn on each dialect against a newHistory.
func eachHistory(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Helper()
	dbtest.EachHarness(t, newHistory, fn)
}

// settle waits until the role of the user with email in company key is
// applied and every event published so far is projected.
func (h *harness) settle(what, email, company string) {
	h.T.Helper()
	testkit.Eventually(h.T, what, func() bool {
		if !h.svc.Enforcer.Can(h.Users[email], authz.Scope{CompanyID: h.IDs[company]}, "company", "read") {
			return false
		}
		n, err := h.svc.DB.NewSelect().Table("applied_events").Count(context.Background())
		return err == nil && int(n) >= h.published
	})
}

// publishWorld publishes, as parks and incubatees would, the regions,
// carriers, users, roles and companies of the fixture.
func (h *harness) publishWorld() {
	h.T.Helper()
	testkit.AddRegions(h.add, h.IDs, testkit.FixtureRegions...)
	for _, c := range fixtureCarriers {
		testkit.AddCarrier(h.add, h.IDs, c.key, events.CarrierV1{RegionID: h.IDs[c.region], Kind: c.kind, ChainOrder: c.order, NameZH: "载体" + c.key,
			Status: "active", Capacity: c.capacity, AreaM2: c.area})
	}
	for _, c := range fixtureCompanies {
		h.IDs[c.key] = events.NewID()
		h.add(events.Scope{RegionID: h.IDs[c.region]}, h.IDs[c.key], events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: h.IDs[c.key],
			RegionID: h.IDs[c.region], USCC: c.uscc, NameZH: "企业" + c.key, IndustryCode: c.industry}})
	}
	h.Fixture.AddUsers(h.Users, h.IDs, testkit.DemoUsers())
	h.publish()
}

// add queues an event the projection applies (role events are not counted:
// the projection does not follow them).
func (h *harness) add(scope events.Scope, agg string, p events.Payload) {
	h.T.Helper()
	h.Fixture.Add(scope, agg, p)
	h.queued++
}

// publish sends the queued events through the fixture's outbox and relay.
func (h *harness) publish() {
	h.T.Helper()
	h.Fixture.Publish()
	h.published += h.queued
	h.queued = 0
}

// residency queues a residency event of company at carrier.
func (h *harness) residency(p events.Payload, r events.ResidencyV1) {
	h.T.Helper()
	h.add(events.Scope{RegionID: r.RegionID, CarrierID: r.CarrierID}, r.ResidencyID, p)
}

// res is the state of residency key of company at carrier.
func (h *harness) res(key, company, carrier, status, admitted, movedIn, ended string) events.ResidencyV1 {
	if h.IDs[key] == "" {
		h.IDs[key] = events.NewID()
	}
	var kind string
	var order int
	for _, c := range fixtureCarriers {
		if c.key == carrier {
			kind, order = c.kind, c.order
		}
	}
	return events.ResidencyV1{ResidencyID: h.IDs[key], CompanyID: h.IDs[company], RegionID: h.IDs["lixia"], CarrierID: h.IDs[carrier],
		CarrierKind: kind, ChainOrder: order, Status: status, AdmittedOn: admitted, MovedInOn: movedIn, EndedOn: ended, AreaM2: 100,
		TermEndOn: "2029-01-01"}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Routes are the routes the service serves, for the authorization matrix.
func (h *harness) Routes() []string { return h.svc.Routes() }
