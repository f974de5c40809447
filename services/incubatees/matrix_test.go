package incubatees

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
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
type matrixTarget = authzmatrix.Target

var matrixTargets = authzmatrix.DemoTargets()

// matrixCase is one route's expectations and how to build its request.
type matrixCase = authzmatrix.Case[*harness]

var matrix = authzmatrix.Matrix[*harness, matrixTarget]{Callers: matrixRoles, Explicit: []string{"stranger_park"}, Targets: matrixTargets,
	Cases: map[string]matrixCase{}}

func addMatrix(route string, c matrixCase) {
	if _, dup := matrix.Cases[route]; dup {
		panic("matrix entry twice: " + route)
	}
	matrix.Cases[route] = c
}

// targetID is the id a path's :id stands for at target ti.
func (h *harness) targetID(path string, ti int) string { return matrix.TargetID(h, path, ti) }

func TestAuthorizationMatrix(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		h.strangerOffers()
		matrix.Run(t, h)
	})
}
