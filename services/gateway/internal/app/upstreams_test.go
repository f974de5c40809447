package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serviceRoutes are some of each service's real routes, as their Routes
// list them (gin syntax, probes and internal calls included).
var serviceRoutes = map[string][]string{
	"parks": {"GET /healthz", "POST /internal/v1/credentials/verify", "GET /api/v1/me", "GET /api/v1/regions", "POST /api/v1/regions",
		"GET /api/v1/regions/:id", "PATCH /api/v1/regions/:id", "GET /api/v1/regions/:id/carriers", "GET /api/v1/carriers/:id",
		"GET /api/v1/carriers/:id/members", "DELETE /api/v1/carriers/:id/members/:user/roles/:role"},
	"incubatees": {"GET /healthz", "GET /api/v1/me/companies", "GET /api/v1/regions/:id/companies", "GET /api/v1/companies/:id",
		"DELETE /api/v1/companies/:id/members/:user", "GET /api/v1/carriers/:id/applications", "POST /api/v1/enrolment-offers/:id/accept"},
	"documents": {"GET /healthz", "GET /api/v1/companies/:id/documents", "POST /api/v1/companies/:id/uploads", "GET /api/v1/documents/:id/versions/:version/content",
		"GET /api/v1/checklists/:id", "PUT /api/v1/regions/:id/document-types/:code", "GET /api/v1/carriers/:id/documents", "GET /api/v1/carriers/:id/document-usage"},
}

func handlers(names ...string) map[string]http.Handler {
	out := map[string]http.Handler{}
	for _, n := range names {
		out[n] = http.NotFoundHandler()
	}
	return out
}

func TestLookupRoutesByTheServicesOwnRoutes(t *testing.T) {
	u, err := NewUpstreams(handlers("parks", "incubatees", "documents"), serviceRoutes, nil)
	if err != nil {
		t.Fatal(err)
	}
	for req, want := range map[string]string{
		"GET /api/v1/regions":                                 "parks",
		"GET /api/v1/regions/r1":                              "parks",
		"GET /api/v1/regions/r1/carriers":                     "parks",
		"GET /api/v1/regions/r1/companies":                    "incubatees",
		"GET /api/v1/carriers/c1/members":                     "parks",
		"GET /api/v1/carriers/c1/applications":                "incubatees",
		"GET /api/v1/me":                                      "parks",
		"GET /api/v1/me/companies":                            "incubatees",
		"DELETE /api/v1/companies/co1/members/u1":             "incubatees",
		"GET /api/v1/companies/co1/documents":                 "documents",
		"POST /api/v1/companies/co1/uploads":                  "documents",
		"GET /api/v1/companies/co1":                           "incubatees",
		"GET /api/v1/documents/d1/versions/1/content":         "documents",
		"GET /api/v1/checklists/application:a1":               "documents",
		"PUT /api/v1/regions/r1/document-types/other":         "documents",
		"GET /api/v1/carriers/c1/documents":                   "documents",
		"GET /api/v1/carriers/c1/document-usage":              "documents",
		"POST /api/v1/enrolment-offers/e1/accept":             "incubatees",
		"GET /api/v1/regions/":                                "parks", // gin redirects the slash away
		"DELETE /api/v1/regions":                              "parks", // parks answers the wrong method itself
		"GET /api/v1/regionsx":                                "",
		"GET /api/v1/nothing":                                 "",
		"GET /api/v1/regions/r1/companies/x":                  "", // under a route, not one
		"GET /api/v1/carriers/c1/members/u1/roles/park_admin": "parks",
		"POST /internal/v1/credentials/verify":                "", // never forwarded from outside
		"GET /healthz":                                        "",
	} {
		method, path, _ := strings.Cut(req, " ")
		got, h, ok := u.Lookup(context.Background(), method, path)
		if got != want || ok != (want != "") || (ok && h == nil) {
			t.Errorf("%s: routed to %q (%v), want %q", req, got, ok, want)
		}
	}
	only, err := NewUpstreams(handlers("parks"), serviceRoutes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if svc, _, ok := only.Lookup(context.Background(), "GET", "/api/v1/regions/r1/companies"); ok {
		t.Errorf("without incubatees, its routes reach no service: %q", svc)
	}
	if svc, _, ok := only.Lookup(context.Background(), "GET", "/api/v1/regions/r1"); svc != "parks" || !ok {
		t.Errorf("parks' own routes: %q %v", svc, ok)
	}
}

func TestTwoServicesCannotDeclareOneRoute(t *testing.T) {
	_, err := NewUpstreams(handlers("parks", "incubatees"), map[string][]string{
		"parks":      {"GET /api/v1/carriers/:id/reports"},
		"incubatees": {"GET /api/v1/carriers/:carrier/reports"},
	}, nil)
	// Services are added in name order: parks' route meets incubatees'.
	if err == nil || !strings.Contains(err.Error(), "GET /api/v1/carriers/:id/reports is declared by both incubatees and parks") {
		t.Fatalf("err = %v", err)
	}
}

// A service reached by URL is asked for its routes when a request may be
// its, and asked again later when it did not answer (it may start after
// the gateway) — not at every request.
func TestLookupLearnsTheRoutesOfAServiceReachedByURL(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	asked, up := 0, false
	learn := func(_ context.Context, svc string) ([]string, error) {
		asked++
		if svc != "documents" {
			t.Errorf("asked %s, which runs in-process", svc)
		}
		if !up {
			return nil, errors.New("connection refused")
		}
		return []string{"GET /api/v1/documents/:id", "POST /api/v1/documents/:id/verify"}, nil
	}
	u, err := NewUpstreams(handlers("parks", "documents"), map[string][]string{"parks": serviceRoutes["parks"]}, learn)
	if err != nil {
		t.Fatal(err)
	}
	u.now = func() time.Time { return now }
	ctx := context.Background()
	if _, _, ok := u.Lookup(ctx, "GET", "/api/v1/regions"); !ok || asked != 0 {
		t.Errorf("an in-process route: ok %v, asked %d", ok, asked)
	}
	if _, _, ok := u.Lookup(ctx, "GET", "/api/v1/documents/d1"); ok || asked != 1 {
		t.Errorf("documents down: ok %v, asked %d", ok, asked)
	}
	up = true
	if _, _, ok := u.Lookup(ctx, "GET", "/api/v1/documents/d1"); ok || asked != 1 {
		t.Errorf("asked again at once: ok %v, asked %d", ok, asked)
	}
	now = now.Add(u.LearnEvery)
	if svc, _, ok := u.Lookup(ctx, "POST", "/api/v1/documents/d1/verify"); svc != "documents" || !ok || asked != 2 {
		t.Errorf("documents up: %q %v, asked %d", svc, ok, asked)
	}
	if svc, _, ok := u.Lookup(ctx, "GET", "/api/v1/documents/d2"); svc != "documents" || !ok || asked != 2 {
		t.Errorf("known routes need no asking: %q %v, asked %d", svc, ok, asked)
	}
}
