package incubatees

import (
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
)

// The authorization matrix: every incubatees route × every caller × own /
// foreign-carrier / foreign-region targets × anonymous. Each area adds its
// routes' entries from its own file with addMatrix; a route without an
// entry fails the test.

var matrixRoles = authztest.DemoCallers("newstaff@lixia.demo",
	// A park of the same region that has never dealt with the target
	// companies, though it tried: it has offered each of them a direct
	// enrolment, one declined and offered again, none accepted.
	authztest.Caller{Key: "stranger_park", Email: "stranger@lixia.demo"})

// The targets, by fixture key: the caller's own region, carrier (X) and
// company (coA, founder's, linked to X); a sibling carrier and its company
// in the same region; a carrier and company of a foreign region.
type matrixTarget struct{ key, region, carrier, company string }

var matrixTargets = []matrixTarget{
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
	return authztest.PathTarget(path, h.ids[t.region], h.ids[t.carrier], h.ids[t.company])
}

// matrixRequest is the request to route at target ti: what its entry
// prepares, else its path with :id substituted (targetID).
func (h *harness) matrixRequest(route string, ti, n int) (string, any) {
	if c := matrix[route]; c.prepare != nil {
		return c.prepare(h, ti, n)
	}
	_, path, _ := strings.Cut(route, " ")
	return strings.Replace(path, ":id", h.targetID(path, ti), 1), nil
}

func TestAuthorizationMatrix(t *testing.T) {
	targets := authztest.Keys(matrixTargets, func(tg matrixTarget) string { return tg.key })
	specs := authztest.SpecsOf(matrix, func(c matrixCase) string { return c.spec })
	forEachDialect(t, func(t *testing.T, h *harness) {
		h.strangerOffers()
		authztest.Matrix{Routes: authztest.APIRoutes(h.svc.Routes()), Specs: specs, Roles: authztest.CallerKeys(matrixRoles), Targets: targets, Explicit: []string{"stranger_park"},
			Do: authztest.Send(h, authztest.CallerEmails(matrixRoles), h.matrixRequest)}.Run(t)
	})
}
