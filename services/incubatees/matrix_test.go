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
	// A park of the same region that has never dealt with the target
	// companies, though it tried: it has offered each of them a direct
	// enrolment, one declined and offered again, none accepted.
	{"stranger_park", "stranger@lixia.demo"},
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
	targets := make([]string, len(matrixTargets))
	for i, tg := range matrixTargets {
		targets[i] = tg.key
	}
	specs := map[string]string{}
	for r, c := range matrix {
		specs[r] = c.spec
	}
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			h := newHarness(t, d)
			var routes []string
			for _, r := range h.svc.Routes() {
				if strings.Contains(r, " /api/v1/") {
					routes = append(routes, r)
				}
			}
			sort.Strings(routes)
			h.strangerOffers()
			authztest.Matrix{Routes: routes, Specs: specs, Roles: roleKeys(), Targets: targets, Explicit: []string{"stranger_park"},
				Do: func(route string, ri, ti, n int) (int, string, []byte) {
					method, path, _ := strings.Cut(route, " ")
					url, body := strings.Replace(path, ":id", h.targetID(path, ti), 1), any(nil)
					if c := matrix[route]; c.prepare != nil {
						url, body = c.prepare(h, ti, n)
					}
					res := h.Do(matrixRoles[ri].email, method, url, body)
					return res.Status, res.Header.Get("Content-Type"), res.Body
				}}.Run(t)
		})
	}
}
