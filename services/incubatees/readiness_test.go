package incubatees

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// The service restarts over a history of 3,000 role events: /readyz
// answers 503 while the enforcer replays it, and from its first 200 on,
// every sampled user is answered as the whole history says — granted
// officers see the region's companies, revoked ones get 404 — including
// the grant and the revocation that are the history's last events.
func TestRestartOverRoleHistoryReadyMeansCorrect(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			h := newRoleHistory(t, d)
			start, region, parks, role := h.start, h.region, h.parks, h.role
			svc, cancel, done := start()
			testkit.Eventually(t, "first start ready", func() bool { return get(svc, "/readyz", "") == http.StatusOK })
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}

			// While it is down, parks grants 1,500 officers and revokes
			// every third; the last two events grant a newcomer and
			// revoke the first officer.
			const officers = 1500
			users := make([]string, officers)
			for i := range users {
				users[i] = events.NewID()
				parks.Add(events.Scope{RegionID: region}, users[i], events.RoleGrantedV1{RoleAssignmentV1: role(users[i])})
			}
			revoked := map[string]bool{}
			for i := 3; i < officers; i += 3 {
				revoked[users[i]] = true
				parks.Add(events.Scope{RegionID: region}, users[i], events.RoleRevokedV1{RoleAssignmentV1: role(users[i])})
			}
			newcomer := events.NewID()
			parks.Add(events.Scope{RegionID: region}, newcomer, events.RoleGrantedV1{RoleAssignmentV1: role(newcomer)})
			parks.Add(events.Scope{RegionID: region}, users[0], events.RoleRevokedV1{RoleAssignmentV1: role(users[0])})
			revoked[users[0]] = true
			users = append(users, newcomer)
			parks.Publish()

			svc, cancel, done = start()
			defer func() {
				cancel()
				<-done
			}()
			answered503 := false
			testkit.Eventually(t, "ready after the restart", func() bool {
				if get(svc, "/readyz", "") != http.StatusOK {
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
