package incubatees

import (
	"sort"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// The authorization matrix: every incubatees route × every caller × own /
// foreign-carrier / foreign-region targets × anonymous. Each area adds its
// routes' entries from its own file with addMatrix; a route without an
// entry fails the test.

var matrixRoles = []struct{ key, email string }{
	{"platform_admin", "admin@incuchain.demo"},
	{"district_admin", "district@lixia.demo"},
	{"district_viewer", "officer@lixia.demo"},
	{"park_admin", "parkadmin@lixia.demo"},
	{"park_operator", "operator@lixia.demo"},
	{"startup_member", "founder@lixia.demo"},
	{"no_role", "newstaff@lixia.demo"},
	{"anonymous", ""},
}

// The targets, by fixture key: the caller's own region, carrier (X) and
// company (coA, founder's, linked to X); a sibling carrier and its company
// in the same region; a carrier and company of a foreign region.
var matrixTargets = []struct{ key, region, carrier, company string }{
	{"own", "lixia", "X", "coA"},
	{"foreign_carrier", "lixia", "M", "coB"},
	{"foreign_region", "huaiyin", "H", "coC"},
}

// matrixCase is one route's expectations and how to build its request.
type matrixCase struct {
	// spec is "role=own,foreign_carrier,foreign_region" tokens; "all="
	// sets every role not named.
	spec string
	// prepare builds the path and body for one request (n is unique per
	// request); nil substitutes :id by the target's region, carrier or
	// company, by the path's first segment.
	prepare func(h *harness, target, n int) (path string, body any)
}

var matrix = map[string]matrixCase{}

func addMatrix(route string, c matrixCase) {
	if _, dup := matrix[route]; dup {
		panic("matrix entry twice: " + route)
	}
	matrix[route] = c
}

// targetID is the id a path's :id stands for at target ti.
func (h *harness) targetID(path string, ti int) string {
	t := matrixTargets[ti]
	switch {
	case strings.HasPrefix(path, "/api/v1/regions/"):
		return h.ids[t.region]
	case strings.HasPrefix(path, "/api/v1/carriers/"):
		return h.ids[t.carrier]
	default:
		return h.ids[t.company]
	}
}

// roleKeys lists the callers' keys, in matrix order.
func roleKeys() []string {
	keys := make([]string, len(matrixRoles))
	for i, r := range matrixRoles {
		keys[i] = r.key
	}
	return keys
}

func TestAuthorizationMatrix(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			h := newHarness(t, d)
			var routes []string
			for _, r := range h.svc.Routes() {
				if strings.HasPrefix(r, "GET /api/v1/") || strings.Contains(r, " /api/v1/") {
					routes = append(routes, r)
				}
			}
			sort.Strings(routes)
			seen := map[string]bool{}
			for _, r := range routes {
				seen[r] = true
				if _, ok := matrix[r]; !ok {
					t.Errorf("route %s has no entry in the authorization matrix", r)
				}
			}
			for r := range matrix {
				if !seen[r] {
					t.Errorf("matrix entry %s names no route", r)
				}
			}
			n := 0
			for _, r := range routes {
				c, ok := matrix[r]
				if !ok {
					continue
				}
				want := authztest.ParseSpec(t, c.spec, roleKeys())
				method, path, _ := strings.Cut(r, " ")
				for _, role := range matrixRoles {
					for ti, target := range matrixTargets {
						n++
						url, body := strings.Replace(path, ":id", h.targetID(path, ti), 1), any(nil)
						if c.prepare != nil {
							url, body = c.prepare(h, ti, n)
						}
						res := h.do(role.email, method, url, body)
						if res.Status != want[role.key][ti] {
							t.Errorf("%s as %s on %s: %d, want %d (%s)", r, role.key, target.key, res.Status, want[role.key][ti], res.Body)
						} else if res.Status >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
							t.Errorf("%s as %s on %s: error without problem+json", r, role.key, target.key)
						}
					}
				}
			}
			t.Logf("%d routes × %d roles × %d targets: %d requests", len(routes), len(matrixRoles), len(matrixTargets), n)
		})
	}
}
