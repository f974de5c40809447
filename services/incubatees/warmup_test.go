package incubatees

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// roleHistory is a region on a parks stream whose district officers a
// restart test grants and revokes, and the service it restarts over them.
type roleHistory struct {
	*testkit.World // Fixture: parks; Client, Users and IDs unused: the tests start and restart the service themselves
	cfg            db.Config
	region         string
}

// newRoleHistory announces a region on a fresh bus and database of dialect.
func newRoleHistory(t testing.TB, dialect string) *roleHistory {
	h := &roleHistory{World: testkit.NewWorld(t), cfg: dbtest.Config(t, dialect), region: events.NewID()}
	h.Fixture.Add(events.Scope{RegionID: h.region}, h.region, events.RegionCreatedV1{RegionID: h.region, Code: "r", NameZH: "r"})
	h.Fixture.Publish()
	return h
}

// forEachRoleHistory runs fn over a fresh role history once per dialect.
func forEachRoleHistory(t *testing.T, fn func(t *testing.T, h *roleHistory)) {
	dbtest.EachDialect(t, func(t *testing.T, d string) { fn(t, newRoleHistory(t, d)) })
}

// start runs the service on the history's database and bus.
func (h *roleHistory) start() (*Service, context.CancelFunc, chan error) {
	return runService(h.T, h.cfg, h.Bus, h.Signer)
}

// stop cancels a service start started and fails unless Run ended well.
func (h *roleHistory) stop(cancel context.CancelFunc, done chan error) {
	h.T.Helper()
	cancel()
	if err := <-done; err != nil {
		h.T.Fatal(err)
	}
}

// role is user's district-viewer assignment in the region.
func (h *roleHistory) role(user string) events.RoleAssignmentV1 {
	return events.RoleAssignmentV1{UserID: user, Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain(h.region)}
}

// grant and revoke add user's role event to the parks outbox (published
// by the next h.Fixture.Publish).
func (h *roleHistory) grant(user string) {
	h.Fixture.Add(events.Scope{RegionID: h.region}, user, events.RoleGrantedV1{RoleAssignmentV1: h.role(user)})
}

func (h *roleHistory) revoke(user string) {
	h.Fixture.Add(events.Scope{RegionID: h.region}, user, events.RoleRevokedV1{RoleAssignmentV1: h.role(user)})
}

// officers grants n new officers, then revokes every third from the
// fourth on; it answers them all and the revoked ones.
func (h *roleHistory) officers(n int) (users []string, revoked map[string]bool) {
	users = make([]string, n)
	for i := range users {
		users[i] = events.NewID()
		h.grant(users[i])
	}
	revoked = map[string]bool{}
	for i := 3; i < n; i += 3 {
		revoked[users[i]] = true
		h.revoke(users[i])
	}
	return users, revoked
}

// companies is the region's company list, which an officer may read.
func (h *roleHistory) companies() string { return "/api/v1/regions/" + h.region + "/companies" }

// identity is user's signed identity header.
func (h *roleHistory) identity(user string) string {
	return h.Signer.Sign(authn.Identity{UserID: user, IssuedAt: time.Now()})
}

// runService starts the service on cfg and runs it until cancel; done
// yields what Run returned.
func runService(tb testing.TB, cfg db.Config, b *bus.Bus, signer *authn.Signer) (svc *Service, cancel context.CancelFunc, done chan error) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := New(ctx, Config{Home: platform.Home{DB: cfg.DSN, Schema: cfg.Schema}}, Deps{Bus: b, Signer: signer, Log: bustest.Logger(tb)})
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	return svc, cancel, done
}

func checkOfficer(t *testing.T, svc *Service, path, identity string, revoked bool) {
	t.Helper()
	want := http.StatusOK
	if revoked {
		want = http.StatusNotFound
	}
	if got := get(svc, path, identity); got != want {
		t.Errorf("after ready: GET %s answered %d, want %d (revoked=%v)", path, got, want, revoked)
	}
}

// ready is whether the service's /readyz answers 200.
func ready(svc *Service) bool { return get(svc, "/readyz", "") == http.StatusOK }

// get sends a GET to the service in process, with an identity header when
// given, and returns the status.
func get(svc *Service, path, identity string) int {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if identity != "" {
		r.Header.Set(authn.HeaderIdentity, identity)
	}
	w := httptest.NewRecorder()
	svc.Handler().ServeHTTP(w, r)
	return w.Code
}

// The service keeps the parks role assignments it follows, and the stream
// sequence it has applied, in its own database (migration 0065). After a
// restart over 3,000 role events it decides as before, honours a grant and
// a revocation published while it was down, and handles only those two
// events: it starts from the kept sequence, not the stream's first event.
func TestRestartStartsFromKeptRoles(t *testing.T) {
	forEachRoleHistory(t, func(t *testing.T, h *roleHistory) {
		// 2,000 officers granted, every third revoked: 2,666 role
		// events, followed while the service runs.
		const officers = 2000
		users, revoked := h.officers(officers)
		history := uint64(officers + len(revoked))
		svc, cancel, done := h.start()
		h.Fixture.Publish()
		testkit.Eventually(t, "the history followed", func() bool {
			return svc.Keep.Handled("parks") == history && ready(svc)
		}, testkit.Within(60*time.Second))
		scope := authz.Scope{RegionID: h.region}
		before := make(map[string]bool, officers)
		for _, u := range users {
			before[u] = svc.Enforcer.Can(u, scope, "company", "read")
		}
		h.stop(cancel, done)

		// While it is down: a newcomer is granted, an officer revoked.
		newcomer := events.NewID()
		h.grant(newcomer)
		h.revoke(users[1])
		h.Fixture.Publish()

		svc, cancel, done = h.start()
		defer h.stop(cancel, done)
		testkit.Eventually(t, "ready after the restart", func() bool { return ready(svc) }, testkit.Within(60*time.Second))
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
		if allowed != officers-len(revoked)-1 { // and users[1], revoked while it was down
			t.Errorf("%d officers allowed, want %d", allowed, officers-len(revoked)-1)
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

// The service restarts over a history of 3,000 role events: /readyz
// answers 503 while the enforcer replays it, and from its first 200 on,
// every sampled user is answered as the whole history says — granted
// officers see the region's companies, revoked ones get 404 — including
// the grant and the revocation that are the history's last events.
func TestRestartOverRoleHistoryReadyMeansCorrect(t *testing.T) {
	forEachRoleHistory(t, func(t *testing.T, h *roleHistory) {
		svc, cancel, done := h.start()
		testkit.Eventually(t, "first start ready", func() bool { return ready(svc) })
		h.stop(cancel, done)

		// While it is down, parks grants 1,500 officers and revokes
		// every third; the last two events grant a newcomer and
		// revoke the first officer.
		users, revoked := h.officers(1500)
		newcomer := events.NewID()
		h.grant(newcomer)
		h.revoke(users[0])
		revoked[users[0]] = true
		users = append(users, newcomer)
		h.Fixture.Publish()

		svc, cancel, done = h.start()
		defer func() {
			cancel()
			<-done
		}()
		answered503 := false
		testkit.Eventually(t, "ready after the restart", func() bool {
			if !ready(svc) {
				answered503 = true
				return false
			}
			return true
		}, testkit.Within(60*time.Second))
		if !answered503 {
			t.Log("ready at the first probe: the replay was done before it")
		}
		path, identity := h.companies(), h.identity
		for i := 0; i < len(users); i += 37 {
			checkOfficer(t, svc, path, identity(users[i]), revoked[users[i]])
		}
		checkOfficer(t, svc, path, identity(newcomer), false)
		checkOfficer(t, svc, path, identity(users[0]), true)
	})
}

// BenchmarkRestartNewGrant times a restart of the service over a parks
// role history of n assignments until a grant published while it was down
// is honoured: from what it kept (migration 0065, the stream's tail after
// the kept sequence) beside the baseline run in the same invocation, a
// database that kept nothing, which replays the stream from its first
// event as every start did before. SQLite.
//
//	go test ./services/incubatees -run '^$' -bench 'RestartNewGrant/5000' -benchtime 3x
//	go test ./services/incubatees -run '^$' -bench 'RestartNewGrant/66000' -benchtime 1x   # province tier, minutes
func BenchmarkRestartNewGrant(b *testing.B) {
	for _, n := range []int{5000, 66000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := newRoleHistory(b, "sqlite")
			scope := authz.Scope{RegionID: h.region}
			for range n {
				h.grant(events.NewID())
			}
			h.Fixture.Publish()
			// restart starts the service on cfg and returns how long a
			// grant published just before took to be honoured.
			restart := func(cfg db.Config) time.Duration {
				newcomer := events.NewID()
				h.grant(newcomer)
				h.Fixture.Publish()
				t0 := time.Now()
				svc, cancel, done := runService(b, cfg, h.Bus, h.Signer)
				defer cancel()
				for !svc.Enforcer.Can(newcomer, scope, "company", "read") {
					time.Sleep(time.Millisecond)
				}
				took := time.Since(t0)
				h.stop(cancel, done)
				return took
			}
			restart(h.cfg) // the first start follows the whole history and keeps it
			var fromKept, fromFirst time.Duration
			for i := 0; i < b.N; i++ {
				fromKept += restart(h.cfg)
				fromFirst += restart(dbtest.Config(b, "sqlite"))
			}
			b.ReportMetric(fromKept.Seconds()/float64(b.N), "s-from-kept")
			b.ReportMetric(fromFirst.Seconds()/float64(b.N), "s-replaying-all")
			b.ReportMetric(float64(n), "assignments")
		})
	}
}
