package milestones

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// harness is a running milestones service over real HTTP, a real
// database and a real NATS server. The rest of the world (parks' regions,
// carriers and staff; incubatees' companies, members and residencies; the
// documents service's documents) arrives as it does in production: as
// events through an outbox and NATS.
type harness struct {
	*testkit.World // IDs: regions lixia huaiyin; carriers X M H A; companies coA coB coC; residencies resA resB resC; documents
	svc            *Service
	clock          *testClock
	cfg            Config
	planned        map[string]int // milestones planned per matrix residency
}

// testClock is the service's clock, moved by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// movedIn is the fixture residencies' move-in day; the clock starts a
// day after it.
var movedIn = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

var fixtureCarriers = []struct{ key, region, kind string }{
	{"X", "lixia", "incubator"}, {"M", "lixia", "maker_space"}, {"H", "huaiyin", "incubator"}, {"A", "lixia", "accelerator"},
}

var fixtureUsers = testkit.DemoUsers(
	testkit.FixtureUser{Email: "operator2@lixia.demo", Role: authz.RoleParkOperator, Domain: "X"},
	testkit.FixtureUser{Email: "accel@lixia.demo", Role: authz.RoleParkOperator, Domain: "A"},
)

// Fixture companies, each resident (moved in) at one carrier.
var fixtureCompanies = []struct{ key, region, carrier, residency, kind string }{
	{"coA", "lixia", "X", "resA", "incubator"}, {"coB", "lixia", "M", "resB", "maker_space"}, {"coC", "huaiyin", "H", "resC", "incubator"},
}

// Fixture documents: company, type.
var fixtureDocuments = []struct{ key, company, typ string }{
	{"docA-evidence", "coA", "milestone_evidence"}, {"docA-licence", "coA", "business_licence"}, {"docA-statements", "coA", "financial_statements"},
	{"docB-evidence", "coB", "milestone_evidence"}, {"docC-evidence", "coC", "milestone_evidence"},
}

type harnessOpt func(*Config)

func newHarness(t testing.TB, dialect string, opts ...harnessOpt) *harness {
	t.Helper()
	h := &harness{World: testkit.NewWorld(t), planned: map[string]int{}, clock: &testClock{t: movedIn.Add(24 * time.Hour)}}
	cfg := Config{Home: testkit.Home(t, dialect), DueSoonDays: 7}
	for _, o := range opts {
		o(&cfg)
	}
	h.cfg = cfg
	svc, ctx := testkit.StartIn(h.World, "milestones", func(ctx context.Context) (*Service, error) {
		return New(ctx, cfg, Deps{Bus: h.Bus, Signer: h.Signer, Log: bustest.Logger(t), Now: h.clock.Now})
	})
	h.svc = svc
	h.queueWorld()
	h.PublishAndWait("read models, plans and roles", func() bool {
		n, err := svc.DB.NewSelect().Table("company_documents").Count(ctx)
		if err != nil || n < int64(len(fixtureDocuments)) {
			return false
		}
		p, err := svc.DB.NewSelect().Table("plans").Where("stage = 2").Count(ctx)
		return err == nil && p == int64(len(fixtureCompanies)) &&
			svc.Enforcer.Can(h.Users["founder3@huaiyin.demo"], authz.Scope{CompanyID: h.IDs["coC"]}, "milestone", "progress") &&
			svc.Enforcer.Can(h.Users["accel@lixia.demo"], authz.Scope{CarrierID: h.IDs["A"]}, "milestone", "read")
	})
	return h
}

// residency returns the events of a fixture company's residency as
// incubatees publishes them: admitted, then moved in.
func (h *harness) residencyV1(company, carrier, residency, kind, region string) events.ResidencyV1 {
	return events.ResidencyV1{ResidencyID: h.IDs[residency], CompanyID: h.IDs[company], RegionID: h.IDs[region], CarrierID: h.IDs[carrier],
		CarrierKind: kind, ChainOrder: chainOrder(kind), Status: "in_residence", AdmittedOn: movedIn.AddDate(0, 0, -14).Format(time.DateOnly),
		MovedInOn: movedIn.Format(time.DateOnly)}
}

func chainOrder(kind string) int {
	return map[string]int{"maker_space": 1, "incubator": 2, "accelerator": 3}[kind]
}

// queueWorld queues, as parks, incubatees and documents would publish
// them, the regions, carriers, users, roles, companies, residencies and
// documents.
func (h *harness) queueWorld() {
	h.T.Helper()
	h.AddRegions()
	for _, c := range fixtureCarriers {
		h.AddCarrier(c.key, events.CarrierV1{RegionID: h.IDs[c.region], Kind: c.kind, ChainOrder: chainOrder(c.kind),
			NameZH: "载体" + c.key, NameEN: "Carrier " + c.key, Status: "active"})
	}
	for _, c := range fixtureCompanies {
		h.IDs[c.key] = events.NewID()
		h.IDs[c.residency] = events.NewID()
		scope := events.Scope{RegionID: h.IDs[c.region], CarrierID: h.IDs[c.carrier]}
		h.Fixture.Add(scope, h.IDs[c.key], events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: h.IDs[c.key], RegionID: h.IDs[c.region], NameZH: "企业" + c.key}})
		r := h.residencyV1(c.key, c.carrier, c.residency, c.kind, c.region)
		admitted := r
		admitted.MovedInOn, admitted.Status = "", "admitted"
		h.Fixture.Add(scope, h.IDs[c.residency], events.ResidencyAdmittedV1{ResidencyV1: admitted})
		h.Fixture.Add(scope, h.IDs[c.residency], events.ResidencyMovedInV1{ResidencyV1: r})
	}
	for _, d := range fixtureDocuments {
		h.IDs[d.key] = events.NewID()
		h.Fixture.Add(events.Scope{}, h.IDs[d.key], events.DocumentUploadedV1{DocumentV1: events.DocumentV1{DocumentID: h.IDs[d.key], CompanyID: h.IDs[d.company],
			Type: d.typ, Status: "uploaded", Version: 1, Filename: d.key + ".pdf"}})
	}
	h.AddUsers(fixtureUsers)
}

// response is an answer of the service.
type response = testkit.Response

// count is the number of rows of table (where, args narrow it).
func (h *harness) count(table, where string, args ...any) int {
	h.T.Helper()
	return dbtest.Count(h.T, h.svc.DB, table, where, args...)
}

// outboxTypes counts the service's outbox rows by event type.
func (h *harness) outboxTypes() map[string]int {
	h.T.Helper()
	var subjects []string
	if err := h.svc.DB.NewSelect().Table("outbox").Column("subject").Scan(context.Background(), &subjects); err != nil {
		h.T.Fatal(err)
	}
	out := map[string]int{}
	for _, s := range subjects {
		_, typ, _ := strings.Cut(s, events.SubjectPrefix+".")
		out[typ]++
	}
	return out
}

// applyTemplate plans a fixture residency (its key, or an id) from its template as its
// carrier's operator, and returns the milestones' ids in plan order.
func (h *harness) applyTemplate(as, residency string) []string {
	h.T.Helper()
	id := residency
	if known, ok := h.IDs[residency]; ok {
		id = known
	}
	r := h.Do(as, "POST", "/api/v1/residencies/"+id+"/milestone-plan", nil)
	if r.Status != 201 {
		h.T.Fatalf("apply template: %d %s", r.Status, r.Body)
	}
	var p struct {
		Milestones []struct {
			ID string `json:"id"`
		} `json:"milestones"`
	}
	r.Decode(h.T, &p)
	var out []string
	for _, m := range p.Milestones {
		out = append(out, m.ID)
	}
	return out
}

// Routes are the routes the service serves, for the authorization matrix.
func (h *harness) Routes() []string { return h.svc.Routes() }
