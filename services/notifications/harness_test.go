package notifications

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// harness is a running notifications service over real HTTP, a real
// database and a real NATS server. The rest of the world (parks' carriers,
// users and roles; incubatees' companies and members; documents' and
// milestones' events) arrives as in production: as events through an
// outbox and NATS.
type harness struct {
	*testkit.Client
	t       testing.TB
	svc     *Service
	fixture *testkit.Outbox
	users   map[string]string // e-mail → user id
	ids     map[string]string // regions lixia huaiyin; carriers X M H A; companies coA coB coC
	linkKey *linkseal.Key     // the key parks seals invitation links with
	logs    *logBuffer        // what the service logged
}

// logBuffer keeps log lines for tests that assert something was logged.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var fixtureCarriers = []struct{ key, region, kind string }{
	{"X", "lixia", "incubator"}, {"M", "lixia", "maker_space"}, {"H", "huaiyin", "incubator"}, {"A", "lixia", "accelerator"},
}

var fixtureCompanies = []struct{ key, region string }{{"coA", "lixia"}, {"coB", "lixia"}, {"coC", "huaiyin"}}

// fixtureUsers are the demo users, a second operator of X, an operator of
// A and a co-founder of coA.
var fixtureUsers = testkit.DemoUsers(
	testkit.FixtureUser{Email: "operator2@lixia.demo", Role: authz.RoleParkOperator, Domain: "X"},
	testkit.FixtureUser{Email: "accel@lixia.demo", Role: authz.RoleParkOperator, Domain: "A"},
	testkit.FixtureUser{Email: "cofounder@lixia.demo", Role: authz.RoleStartupMember, Domain: "coA"},
)

type harnessOpt func(*Config)

func newHarness(t testing.TB, dialect string, opts ...harnessOpt) *harness {
	t.Helper()
	signer := testkit.Signer(t)
	b := bustest.Start(t)
	h := &harness{t: t, users: map[string]string{}, ids: map[string]string{}, fixture: testkit.NewOutbox(t, b), linkKey: testkit.LinkKey(t), logs: &logBuffer{}}
	log := slog.New(slog.NewMultiHandler(bustest.Logger(t).Handler(), slog.NewTextHandler(h.logs, nil)))
	dcfg := dbtest.Config(t, dialect)
	cfg := Config{Home: platform.Home{DB: dcfg.DSN, Schema: dcfg.Schema}}
	for _, o := range opts {
		o(&cfg)
	}
	svc, _, client := testkit.StartServed(t, "notifications", signer, h.users, func(ctx context.Context) (*Service, error) {
		return New(ctx, cfg, Deps{Bus: b, Signer: signer, Log: log, PublicURL: func() string { return "https://incuchain.example.cn" }, InvitationKey: h.linkKey})
	})
	h.svc = svc
	h.Client = client
	h.publishWorld()
	withRole := 0
	for _, u := range fixtureUsers {
		if u.Role != "" {
			withRole++
		}
	}
	// Every role granted is a notification of its own: once they are all
	// in, the read models before them are too.
	testkit.Eventually(t, "read models and role notifications", func() bool {
		return h.count("notifications", "kind = 'role_granted'") == withRole && h.count("companies", "") == len(fixtureCompanies)
	})
	return h
}

// publishWorld publishes, as parks and incubatees would, the regions,
// carriers, companies, users and their roles.
func (h *harness) publishWorld() {
	h.t.Helper()
	add := h.fixture.Add
	testkit.AddRegions(add, h.ids, testkit.FixtureRegions...)
	for _, c := range fixtureCarriers {
		testkit.AddCarrier(add, h.ids, c.key, events.CarrierV1{RegionID: h.ids[c.region], Kind: c.kind, NameZH: "载体" + c.key, NameEN: "Carrier " + c.key, Status: "active"})
	}
	for _, c := range fixtureCompanies {
		h.ids[c.key] = events.NewID()
		add(events.Scope{RegionID: h.ids[c.region]}, h.ids[c.key], events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: h.ids[c.key],
			RegionID: h.ids[c.region], NameZH: "企业" + c.key, NameEN: "Company " + c.key}})
	}
	h.fixture.AddUsers(h.users, h.ids, fixtureUsers)
	h.fixture.Publish()
}

// event builds an event as its publisher would.
func (h *harness) event(scope events.Scope, agg string, p events.Payload) events.Envelope {
	h.t.Helper()
	return testkit.NewEvent(h.t, scope, agg, p)
}

// count is the number of rows of table (where, args narrow it).
func (h *harness) count(table, where string, args ...any) int {
	h.t.Helper()
	return dbtest.Count(h.t, h.svc.DB, table, where, args...)
}

// sent counts the service's outbox rows of notification.sent.
func (h *harness) sent() int {
	h.t.Helper()
	return h.count("outbox", "subject LIKE ?", "%"+events.NotificationSent)
}

// inboxItem is one notification as the API answers it.
type inboxItem struct {
	ID      string  `json:"id"`
	Kind    string  `json:"kind"`
	TitleZH string  `json:"title_zh"`
	TitleEN string  `json:"title_en"`
	BodyZH  string  `json:"body_zh"`
	BodyEN  string  `json:"body_en"`
	Link    string  `json:"link"`
	ReadAt  *string `json:"read_at"`
}

// inbox is as's notifications (query narrows them), via the API.
func (h *harness) inbox(as, query string) []inboxItem {
	h.t.Helper()
	r := h.Do(as, "GET", "/api/v1/me/notifications?page_size=200"+query, nil)
	if r.Status != 200 {
		h.t.Fatalf("inbox of %s: %d %s", as, r.Status, r.Body)
	}
	var page struct {
		Items []inboxItem `json:"items"`
		Total int         `json:"total"`
	}
	r.Decode(h.t, &page)
	if page.Total != len(page.Items) {
		h.t.Fatalf("inbox of %s: total %d, %d items", as, page.Total, len(page.Items))
	}
	return page.Items
}

// kinds counts as's notifications per kind.
func (h *harness) kinds(as string) map[string]int {
	out := map[string]int{}
	for _, n := range h.inbox(as, "") {
		out[n.Kind]++
	}
	return out
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// Routes are the routes the service serves, for the authorization matrix.
func (h *harness) Routes() []string { return h.svc.Routes() }

// ID is the id of fixture key.
func (h *harness) ID(key string) string { return h.ids[key] }
