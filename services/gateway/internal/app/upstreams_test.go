package app

import (
	"net/http"
	"testing"
)

func TestLookupRoutesByMostSpecificPrefix(t *testing.T) {
	h := http.NotFoundHandler()
	u := NewUpstreams(map[string]http.Handler{"parks": h, "incubatees": h, "documents": h})
	for path, want := range map[string]string{
		"/api/v1/regions":                         "parks",
		"/api/v1/regions/r1":                      "parks",
		"/api/v1/regions/r1/carriers":             "parks",
		"/api/v1/regions/r1/companies":            "incubatees",
		"/api/v1/regions/r1/companies/x":          "incubatees",
		"/api/v1/carriers/c1/members":             "parks",
		"/api/v1/carriers/c1/applications":        "incubatees",
		"/api/v1/me":                              "parks",
		"/api/v1/me/companies":                    "incubatees",
		"/api/v1/companies/co1/members/u1":        "incubatees",
		"/api/v1/companies/co1/documents":         "documents",
		"/api/v1/companies/co1/uploads":           "documents",
		"/api/v1/companies/co1":                   "incubatees",
		"/api/v1/documents/d1/versions/1/content": "documents",
		"/api/v1/checklists/application:a1":       "documents",
		"/api/v1/regions/r1/document-types/other": "documents",
		"/api/v1/carriers/c1/documents":           "documents",
		"/api/v1/carriers/c1/document-usage":      "documents",
		"/api/v1/regionsx":                        "",
		"/api/v1/nothing":                         "",
	} {
		got, _, ok := u.Lookup(path)
		if got != want || ok != (want != "") {
			t.Errorf("%s: routed to %q (%v), want %q", path, got, ok, want)
		}
	}
	only := NewUpstreams(map[string]http.Handler{"parks": h})
	if svc, _, ok := only.Lookup("/api/v1/regions/r1/companies"); svc != "parks" || !ok {
		t.Errorf("without incubatees, region paths stay with parks: %q %v", svc, ok)
	}
}
