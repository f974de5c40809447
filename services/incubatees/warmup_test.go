package incubatees

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// The service keeps the parks role assignments it follows, and the stream
// sequence it has applied, in its own database (migration 0065). After a
// restart over 3,000 role events it decides as before, honours a grant and
// a revocation published while it was down, and handles only those two
// events: it starts from the kept sequence, not the stream's first event.
func TestRestartStartsFromKeptRoles(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			h := newRoleHistory(t, d)
			start, region, parks, role := h.start, h.region, h.parks, h.role
			stopSvc := func(cancel context.CancelFunc, done chan error) {
				cancel()
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}

			// 2,000 officers granted, every third revoked: 2,666 role
			// events, followed while the service runs.
			const officers = 2000
			users := make([]string, officers)
			for i := range users {
				users[i] = events.NewID()
				parks.Add(events.Scope{RegionID: region}, users[i], events.RoleGrantedV1{RoleAssignmentV1: role(users[i])})
			}
			history, revoked := uint64(officers), 0
			for i := 3; i < officers; i += 3 {
				parks.Add(events.Scope{RegionID: region}, users[i], events.RoleRevokedV1{RoleAssignmentV1: role(users[i])})
				history++
				revoked++
			}
			svc, cancel, done := start()
			parks.Publish()
			testkit.Eventually(t, "the history followed", func() bool {
				return svc.Keep.Handled("parks") == history && get(svc, "/readyz", "") == http.StatusOK
			}, testkit.Within(60*time.Second))
			scope := authz.Scope{RegionID: region}
			before := make(map[string]bool, officers)
			for _, u := range users {
				before[u] = svc.Enforcer.Can(u, scope, "company", "read")
			}
			stopSvc(cancel, done)

			// While it is down: a newcomer is granted, an officer revoked.
			newcomer := events.NewID()
			parks.Add(events.Scope{RegionID: region}, newcomer, events.RoleGrantedV1{RoleAssignmentV1: role(newcomer)})
			parks.Add(events.Scope{RegionID: region}, users[1], events.RoleRevokedV1{RoleAssignmentV1: role(users[1])})
			parks.Publish()

			svc, cancel, done = start()
			defer stopSvc(cancel, done)
			testkit.Eventually(t, "ready after the restart", func() bool { return get(svc, "/readyz", "") == http.StatusOK },
				testkit.Within(60*time.Second))
			if got := svc.Keep.Handled("parks"); got != 2 {
				t.Fatalf("after the restart the follower handled %d events, want the 2 published while it was down", got)
			}
			want := before
			want[users[1]] = false
			allowed := 0
			for _, u := range users {
				if got := svc.Enforcer.Can(u, scope, "company", "read"); got != want[u] {
					t.Errorf("officer %s: decides %v after the restart, want %v", u, got, want[u])
				}
				if want[u] {
					allowed++
				}
			}
			if allowed != officers-revoked-1 { // and users[1], revoked while it was down
				t.Errorf("%d officers allowed, want %d", allowed, officers-revoked-1)
			}
			if !svc.Enforcer.Can(newcomer, scope, "company", "read") {
				t.Error("the grant made while the service was down is not honoured")
			}
			path, identity := h.companies(), h.identity
			checkOfficer(t, svc, path, identity(newcomer), false)
			checkOfficer(t, svc, path, identity(users[1]), true)
			checkOfficer(t, svc, path, identity(users[2]), false)
			checkOfficer(t, svc, path, identity(users[3]), true)
		})
	}
}

// roleHistory is a region on a parks stream whose district officers a
// restart test grants and revokes, and the service it restarts over them.
type roleHistory struct {
	t      *testing.T
	signer *authn.Signer
	bus    *bus.Bus
	parks  *testkit.Outbox
	cfg    db.Config
	region string
}

// newRoleHistory announces a region on a fresh bus and database of dialect.
func newRoleHistory(t *testing.T, dialect string) *roleHistory {
	b := bustest.Start(t)
	h := &roleHistory{t: t, signer: testkit.Signer(t), bus: b, parks: testkit.NewOutbox(t, b), cfg: dbtest.Config(t, dialect), region: events.NewID()}
	h.parks.Add(events.Scope{RegionID: h.region}, h.region, events.RegionCreatedV1{RegionID: h.region, Code: "r", NameZH: "r"})
	h.parks.Publish()
	return h
}

// start runs the service on the history's database and bus.
func (h *roleHistory) start() (*Service, context.CancelFunc, chan error) {
	return runService(h.t, h.cfg, h.bus, h.signer)
}

// role is user's district-viewer assignment in the region.
func (h *roleHistory) role(user string) events.RoleAssignmentV1 {
	return events.RoleAssignmentV1{UserID: user, Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain(h.region)}
}

// companies is the region's company list, which an officer may read.
func (h *roleHistory) companies() string { return "/api/v1/regions/" + h.region + "/companies" }

// identity is user's signed identity header.
func (h *roleHistory) identity(user string) string {
	return h.signer.Sign(authn.Identity{UserID: user, IssuedAt: time.Now()})
}

// runService starts the service on cfg and runs it until cancel; done
// yields what Run returned.
func runService(tb testing.TB, cfg db.Config, b *bus.Bus, signer *authn.Signer) (svc *Service, cancel context.CancelFunc, done chan error) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := New(ctx, Config{DB: cfg.DSN, Schema: cfg.Schema}, Deps{Bus: b, Signer: signer, Log: bustest.Logger(tb)})
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	return svc, cancel, done
}
