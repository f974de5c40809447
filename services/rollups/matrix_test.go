package rollups

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
)

// The authorization matrix: every rollups route × every caller × the
// callers' own region and carrier X / the sibling carrier M of the same
// region / the foreign region's carrier H, each asked with carrier_id. A
// route without an entry fails the test.

// figureSpec: the district sees its region; park staff their own carrier
// only (another carrier is not there for them); a startup member of the
// region is refused; nobody else learns that the region exists.
const figureSpec = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 " +
	"park_admin=200,404,404 park_operator=200,404,404 startup_member=403,403,404 anonymous=401,401,401"

// matrix maps each route to its spec and the query it needs besides the
// carrier.
var matrix = map[string]struct{ spec, query string }{
	"GET /api/v1/regions/:id/rollups/carriers":         {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/carriers/rows":    {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/residencies":      {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/residencies/rows": {figureSpec, "measure=in_residence"},
	"GET /api/v1/regions/:id/rollups/funnel":           {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/funnel/rows":      {figureSpec, "step=maker_space"},
	"GET /api/v1/regions/:id/rollups/ladder":           {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/ladder/rows":      {figureSpec, "step=tech_sme"},
	"GET /api/v1/regions/:id/rollups/reports":          {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/reports/rows":     {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/health":           {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/health/rows":      {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/milestones":       {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/milestones/rows":  {figureSpec, "measure=overdue"},
	"GET /api/v1/regions/:id/rollups/conflicts":        {figureSpec, ""},
	"GET /api/v1/regions/:id/rollups/export":           {figureSpec, "table=carriers&format=csv"},
	// Only a district admin freezes; snapshots hold every carrier's rows,
	// so only the district reads them.
	"POST /api/v1/regions/:id/rollups/snapshots": {"all=404,404,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 " +
		"park_admin=403,403,404 park_operator=403,403,404 startup_member=403,403,404 anonymous=401,401,401", ""},
	"GET /api/v1/regions/:id/rollups/snapshots":      {districtSpec, ""},
	"POST /api/v1/rollups-maintenance/rebuild":       {"all=403,403,403 platform_admin=200,200,200 anonymous=401,401,401", ""},
	"GET /api/v1/regions/:id/rollups/snapshots/diff": {districtSpec, ""},
}

const districtSpec = "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 " +
	"park_admin=403,403,404 park_operator=403,403,404 startup_member=403,403,404 anonymous=401,401,401"

func TestAuthorizationMatrix(t *testing.T) {
	m := authzmatrix.Matrix[*harness, authzmatrix.Target]{Callers: matrixRoles, Targets: authzmatrix.DemoTargets(), Default: (*harness).matrixRequest,
		Cases: authzmatrix.Specs[*harness](authztest.SpecsOf(matrix, func(c struct{ spec, query string }) string { return c.spec }))}
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		for _, region := range []string{"lixia", "huaiyin"} {
			if r := h.Do("admin@incuchain.demo", "POST", "/api/v1/regions/"+h.IDs[region]+"/rollups/snapshots", map[string]string{"period": "2026-Q2"}); r.Status != 201 {
				t.Fatalf("freeze %s: %d %s", region, r.Status, r.Body)
			}
		}
		m.Run(t, h)
	})
}

// matrixRequest is the request to route at target ti: its path at the
// target's region, asked for the target's carrier in 2026-Q2 with the
// query the route's entry adds.
func (h *harness) matrixRequest(route string, _, ti, n int) (string, any) {
	tg := authzmatrix.DemoTargets()[ti]
	_, path, _ := strings.Cut(route, " ")
	q := url.Values{"carrier_id": {h.IDs[tg.Carrier]}, "period": {"2026-Q2"}}
	extra, _ := url.ParseQuery(matrix[route].query)
	for k, v := range extra {
		q[k] = v
	}
	var body any
	if strings.HasPrefix(route, "POST") {
		body = map[string]string{"period": fmt.Sprint(2000 + n)} // a year of its own: each freeze succeeds once
	}
	return strings.Replace(path, ":id", h.IDs[tg.Region], 1) + "?" + q.Encode(), body
}
