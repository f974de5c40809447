package incubatees

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// harness is a running incubatees service over real HTTP, a real database
// and a real NATS server. The parks side of the world (regions, carriers,
// users, staff roles) arrives the way it does in production: as parks
// events through an outbox and NATS.
type harness struct {
	*testkit.World // Fixture: parks; IDs: "lixia", "huaiyin", carrier keys X M I A H, companies coA coB coC
	svc            *Service

	// documents is the outbox standing in for the documents service,
	// opened by the first publishDocuments.
	documents *testkit.Outbox
}

// Fixture carriers: X is the park staff's own carrier, M another carrier of
// the same region, H one of a foreign region; I and A complete the chain.
var fixtureCarriers = []struct{ key, region, kind, name string }{
	{"X", "lixia", "science_park", "明湖国际信创产业园"},
	{"M", "lixia", "maker_space", "历下创客空间"},
	{"I", "lixia", "incubator", "历下科技企业孵化器"},
	{"A", "lixia", "accelerator", "历下科技企业加速器"},
	{"H", "huaiyin", "incubator", "槐荫科技企业孵化器"},
}

// Fixture users and their staff roles (domain key: region code or carrier key).
var fixtureUsers = []testkit.FixtureUser{
	{Email: "admin@incuchain.demo", Role: authz.RolePlatformAdmin, Domain: "platform"},
	{Email: "district@lixia.demo", Role: authz.RoleDistrictAdmin, Domain: "lixia"},
	{Email: "officer@lixia.demo", Role: authz.RoleDistrictViewer, Domain: "lixia"},
	{Email: "parkadmin@lixia.demo", Role: authz.RoleParkAdmin, Domain: "X"},
	{Email: "operator@lixia.demo", Role: authz.RoleParkOperator, Domain: "X"},
	{Email: "makeradmin@lixia.demo", Role: authz.RoleParkAdmin, Domain: "M"},
	{Email: "incadmin@lixia.demo", Role: authz.RoleParkAdmin, Domain: "I"},
	{Email: "stranger@lixia.demo", Role: authz.RoleParkAdmin, Domain: "A"},
	{Email: "officer@huaiyin.demo", Role: authz.RoleDistrictViewer, Domain: "huaiyin"},
	{Email: "founder@lixia.demo"},
	{Email: "founder2@lixia.demo"},
	{Email: "founder3@huaiyin.demo"},
	{Email: "newstaff@lixia.demo"},
	{Email: "invitee@lixia.demo"},
}

func newHarness(t *testing.T, dialect string) *harness {
	t.Helper()
	h := &harness{World: testkit.NewWorld(t)}
	h.queueParksWorld()
	h.Fixture.Publish()

	svc, ctx := testkit.StartIn(h.World, "incubatees", func(ctx context.Context) (*Service, error) {
		return New(ctx, Config{Home: testkit.Home(t, dialect)}, Deps{Bus: h.Bus, Signer: h.Signer, Log: bustest.Logger(t)})
	})
	h.svc = svc
	testkit.Eventually(t, "parks read models and roles", func() bool {
		ok := false
		_ = svc.store.Read(ctx, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.UserByEmail(ctx, "invitee@lixia.demo")
			_, cerr := tx.GetCarrier(ctx, h.IDs["H"])
			ok = err == nil && cerr == nil
			return nil
		})
		return ok && svc.Enforcer.Can(h.Users["officer@huaiyin.demo"], authz.Scope{RegionID: h.IDs["huaiyin"]}, "company", "read")
	})
	h.seedCompanies()
	return h
}

// queueParksWorld queues, as the parks service would publish them, two
// regions, their carriers, the users and their staff roles.
func (h *harness) queueParksWorld() {
	h.T.Helper()
	h.AddRegions()
	for _, c := range fixtureCarriers {
		h.AddCarrier(c.key, events.CarrierV1{RegionID: h.IDs[c.region], Kind: c.kind, ChainOrder: chainOrder[c.kind], NameZH: c.name, Status: "active"})
	}
	h.AddUsers(fixtureUsers)
}

// chainOrder is the order parks publishes with each carrier kind.
var chainOrder = map[string]int{"maker_space": 1, "incubator": 2, "accelerator": 3, "science_park": 4}

// seedCompanies registers coA (founder, linked to X), coB (founder2,
// linked to M) and coC (founder3 in huaiyin, linked to H).
func (h *harness) seedCompanies() {
	h.T.Helper()
	for _, c := range []struct{ key, founder, region, carrier, uscc string }{
		{"coA", "founder@lixia.demo", "lixia", "X", "91370102MA3C5T2R03"},
		{"coB", "founder2@lixia.demo", "lixia", "M", "91110000802100433B"},
		{"coC", "founder3@huaiyin.demo", "huaiyin", "H", "91440300708461136T"},
	} {
		res := h.Do(c.founder, "POST", "/api/v1/regions/"+h.IDs[c.region]+"/companies", map[string]any{
			"uscc": c.uscc, "name_zh": c.key + "科技有限公司", "industry_code": "I65"})
		if res.Status != 201 {
			h.T.Fatalf("register %s: %d %s", c.key, res.Status, res.Body)
		}
		h.IDs[c.key] = res.JSON(h.T)["id"].(string)
		h.linkCarrier(h.IDs[c.key], h.IDs[c.carrier])
	}
}

// linkCarrier links a company to a carrier as an application or residency
// would.
func (h *harness) linkCarrier(companyID, carrierID string) {
	h.T.Helper()
	err := h.svc.store.Write(context.Background(), func(ctx context.Context, tx app.Tx) error {
		return tx.LinkCarrier(ctx, companyID, carrierID, time.Now())
	})
	if err != nil {
		h.T.Fatal(err)
	}
}

// response is an answer of the service.
type response = testkit.Response

// outboxEvents reads the events of the service's outbox, in order, whose
// type starts with one of prefixes.
func (h *harness) outboxEvents(prefixes ...string) []events.Envelope {
	h.T.Helper()
	var raw []string
	if err := h.svc.DB.NewSelect().Table("outbox").Column("envelope").Order("seq").Scan(context.Background(), &raw); err != nil {
		h.T.Fatal(err)
	}
	var out []events.Envelope
	for _, r := range raw {
		var ev events.Envelope
		if err := json.Unmarshal([]byte(r), &ev); err != nil {
			h.T.Fatal(err)
		}
		for _, p := range prefixes {
			if strings.HasPrefix(ev.Type, p) {
				out = append(out, ev)
				break
			}
		}
	}
	return out
}

// Routes are the routes the service serves, for the authorization matrix.
func (h *harness) Routes() []string { return h.svc.Routes() }
