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
	"github.com/incuchain/incuchain/pkg/testkit"
)

// harness is a running notifications service over real HTTP, a real
// database and a real NATS server. The rest of the world (parks' carriers,
// users and roles; incubatees' companies and members; documents' and
// milestones' events) arrives as in production: as events through an
// outbox and NATS.
type harness struct {
	*testkit.World // IDs: regions lixia huaiyin; carriers X M H A; companies coA coB coC
	svc            *Service
	linkKey        *linkseal.Key // the key parks seals invitation links with
	logs           *logBuffer    // what the service logged
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
	h := &harness{World: testkit.NewWorld(t), linkKey: testkit.LinkKey(t), logs: &logBuffer{}}
	log := slog.New(slog.NewMultiHandler(bustest.Logger(t).Handler(), slog.NewTextHandler(h.logs, nil)))
	cfg := Config{Home: testkit.Home(t, dialect)}
	for _, o := range opts {
		o(&cfg)
	}
	h.svc, _ = testkit.StartIn(h.World, "notifications", func(ctx context.Context) (*Service, error) {
		return New(ctx, cfg, Deps{Bus: h.Bus, Signer: h.Signer, Log: log, PublicURL: func() string { return "https://incuchain.example.cn" }, InvitationKey: h.linkKey})
	})
	h.queueWorld()
	withRole := 0
	for _, u := range fixtureUsers {
		if u.Role != "" {
			withRole++
		}
	}
	// Every role granted is a notification of its own: once they are all
	// in, the read models before them are too.
	h.PublishAndWait("read models and role notifications", func() bool {
		return h.count("notifications", "kind = 'role_granted'") == withRole && h.count("companies", "") == len(fixtureCompanies)
	})
	return h
}

// queueWorld queues, as parks and incubatees would publish them, the
// regions, carriers, companies, users and their roles.
func (h *harness) queueWorld() {
	h.T.Helper()
	h.AddRegions()
	for _, c := range fixtureCarriers {
		h.AddCarrier(c.key, events.CarrierV1{RegionID: h.IDs[c.region], Kind: c.kind, NameZH: "载体" + c.key, NameEN: "Carrier " + c.key, Status: "active"})
	}
	for _, c := range fixtureCompanies {
		h.IDs[c.key] = events.NewID()
		h.Fixture.Add(events.Scope{RegionID: h.IDs[c.region]}, h.IDs[c.key], events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: h.IDs[c.key],
			RegionID: h.IDs[c.region], NameZH: "企业" + c.key, NameEN: "Company " + c.key}})
	}
	h.AddUsers(fixtureUsers)
}

// count is the number of rows of table (where, args narrow it).
func (h *harness) count(table, where string, args ...any) int {
	h.T.Helper()
	return dbtest.Count(h.T, h.svc.DB, table, where, args...)
}

// sent counts the service's outbox rows of notification.sent.
func (h *harness) sent() int {
	h.T.Helper()
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
	h.T.Helper()
	r := h.Do(as, "GET", "/api/v1/me/notifications?page_size=200"+query, nil)
	if r.Status != 200 {
		h.T.Fatalf("inbox of %s: %d %s", as, r.Status, r.Body)
	}
	var page struct {
		Items []inboxItem `json:"items"`
		Total int         `json:"total"`
	}
	r.Decode(h.T, &page)
	if page.Total != len(page.Items) {
		h.T.Fatalf("inbox of %s: total %d, %d items", as, page.Total, len(page.Items))
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
