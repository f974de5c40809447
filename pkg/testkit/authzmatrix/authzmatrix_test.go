package authzmatrix_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
)

// fakeService answers 200 to every request and records what it was
// asked for.
type fakeService struct {
	*testkit.Client
	mu    sync.Mutex
	paths []string
}

func (s *fakeService) Routes() []string {
	return []string{"GET /healthz", "GET /api/v1/regions/:id/things", "GET /api/v1/carriers/:id/things", "POST /api/v1/things"}
}

func (s *fakeService) ID(key string) string { return "id-" + key }

func newFakeService(t *testing.T) *fakeService {
	s := &fakeService{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	s.Client = testkit.NewClient(t, srv.URL, testkit.Signer(t), map[string]string{"admin@x": "01ADMIN"})
	return s
}

// target carries a key of its own beside the fixture's, as services'
// targets do.
type target struct {
	authzmatrix.Target
	extra string
}

func TestRunBuildsRequestsAndChecksEveryRoute(t *testing.T) {
	s := newFakeService(t)
	m := authzmatrix.Matrix[*fakeService, target]{
		Callers: []authztest.Caller{{Key: "admin", Email: "admin@x"}},
		Targets: []target{
			{authzmatrix.Target{Key: "own", Region: "r1", Carrier: "c1", Company: "co1"}, "e1"},
			{authzmatrix.Target{Key: "foreign", Region: "r2", Carrier: "c2", Company: "co2"}, "e2"},
			{authzmatrix.Target{Key: "far", Region: "r3", Carrier: "c3", Company: "co3"}, "e3"},
		},
		Cases: map[string]authzmatrix.Case[*fakeService]{
			"GET /api/v1/regions/:id/things":  {Spec: "all=200,200,200"},
			"GET /api/v1/carriers/:id/things": {Spec: "all=200,200,200"},
			"POST /api/v1/things": {Spec: "all=200,200,200", Prepare: func(h *fakeService, ti, n int) (string, any) {
				return fmt.Sprintf("/api/v1/things/%d", ti), nil
			}},
		},
	}
	m.Run(t, s)
	got := strings.Join(s.paths, "\n")
	for _, want := range []string{
		"GET /api/v1/regions/id-r1/things", "GET /api/v1/regions/id-r3/things",
		"GET /api/v1/carriers/id-c2/things", "POST /api/v1/things/2",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no request %s in\n%s", want, got)
		}
	}
	if n := len(s.paths); n != 9 {
		t.Errorf("%d requests, want 3 routes × 1 caller × 3 targets", n)
	}
	if id := m.TargetID(s, "/api/v1/companies/:id", 1); id != "id-co2" {
		t.Errorf("TargetID of a company path: %q", id)
	}
}

// Default builds the requests of the cases without Prepare (Specs).
func TestRunBuildsDefaultRequests(t *testing.T) {
	s := newFakeService(t)
	m := authzmatrix.Matrix[*fakeService, authzmatrix.Target]{
		Callers: []authztest.Caller{{Key: "admin", Email: "admin@x"}, {Key: "anonymous"}},
		Targets: authzmatrix.DemoTargets(),
		Cases: authzmatrix.Specs[*fakeService](map[string]string{
			"GET /api/v1/regions/:id/things":  "all=200,200,200",
			"GET /api/v1/carriers/:id/things": "all=200,200,200",
			"POST /api/v1/things":             "all=200,200,200",
		}),
		Default: func(h *fakeService, route string, ci, ti, n int) (string, any) {
			return fmt.Sprintf("/default/%s/%d", authzmatrix.DemoTargets()[ti].Carrier, ci), nil
		},
	}
	m.Run(t, s)
	got := strings.Join(s.paths, "\n")
	for _, want := range []string{"GET /default/X/0", "GET /default/M/1", "POST /default/H/1"} {
		if !strings.Contains(got, want) {
			t.Errorf("no request %s in\n%s", want, got)
		}
	}
}
