package parks

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
	"github.com/incuchain/incuchain/services/parks/internal/app"
)

// The authorization matrix: every parks route × every role × the caller's
// own carrier (and region), another carrier of the same region, a carrier
// of a foreign region, and anonymous callers. It walks the routes the
// engine really has, so a new route without an entry here fails the test.

// The callers, by role, as seeded.
var matrixRoles = authztest.DemoCallers("newstaff@lixia.demo")

// The places: region and carrier ids (seed names) for each target.
var matrixTargets = []authzmatrix.Target{
	{Key: "own", Region: "lixia", Carrier: "lixia/明湖国际信创产业园"},
	{Key: "foreign_carrier", Region: "lixia", Carrier: "lixia/历下创客空间"},
	{Key: "foreign_region", Region: "huaiyin", Carrier: "huaiyin/槐荫科技企业孵化器"},
}

// Expected statuses per route: one "role=own,foreign_carrier,foreign_region"
// token per role; "all=" sets every role not named. Region routes use the
// target's region, so own and foreign_carrier name the same region.
var matrixSpecs = map[string]string{
	"GET /api/v1/me":                                        "all=200,200,200 anonymous=401,401,401",
	"GET /api/v1/regions":                                   "all=200,200,200 anonymous=401,401,401",
	"POST /api/v1/regions":                                  "all=403,403,403 platform_admin=201,201,201 anonymous=401,401,401",
	"GET /api/v1/regions/:id":                               "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,200,404 park_operator=200,200,404 anonymous=401,401,401",
	"PATCH /api/v1/regions/:id":                             "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"GET /api/v1/regions/:id/audit":                         "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"GET /api/v1/carriers/:id/audit":                        "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=403,404,404 anonymous=401,401,401",
	"GET /api/v1/regions/:id/carriers":                      "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,200,404 park_operator=200,200,404 anonymous=401,401,401",
	"POST /api/v1/regions/:id/carriers":                     "all=404,404,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"GET /api/v1/regions/:id/members":                       "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"POST /api/v1/regions/:id/members":                      "all=404,404,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"DELETE /api/v1/regions/:id/members/:user/roles/:role":  "all=404,404,404 platform_admin=204,204,204 district_admin=204,204,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"GET /api/v1/regions/:id/invitations":                   "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"POST /api/v1/regions/:id/invitations":                  "all=404,404,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 park_admin=403,403,404 park_operator=403,403,404 anonymous=401,401,401",
	"GET /api/v1/carriers/:id":                              "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401",
	"PATCH /api/v1/carriers/:id":                            "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=403,404,404 anonymous=401,401,401",
	"GET /api/v1/carriers/:id/members":                      "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=200,200,404 park_admin=200,404,404 park_operator=200,404,404 anonymous=401,401,401",
	"POST /api/v1/carriers/:id/members":                     "all=404,404,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 park_admin=201,404,404 park_operator=403,404,404 anonymous=401,401,401",
	"DELETE /api/v1/carriers/:id/members/:user/roles/:role": "all=404,404,404 platform_admin=204,204,204 district_admin=204,204,404 district_viewer=403,403,404 park_admin=204,404,404 park_operator=403,404,404 anonymous=401,401,401",
	"GET /api/v1/carriers/:id/invitations":                  "all=404,404,404 platform_admin=200,200,200 district_admin=200,200,404 district_viewer=403,403,404 park_admin=200,404,404 park_operator=403,404,404 anonymous=401,401,401",
	"POST /api/v1/carriers/:id/invitations":                 "all=404,404,404 platform_admin=201,201,201 district_admin=201,201,404 district_viewer=403,403,404 park_admin=201,404,404 park_operator=403,404,404 anonymous=401,401,401",
	"POST /api/v1/invitations/:token/accept":                "all=201,201,201",
	"GET /api/v1/users":                                     "all=403,403,403 platform_admin=200,200,200 anonymous=401,401,401",
	"POST /api/v1/users":                                    "all=403,403,403 platform_admin=201,201,201 anonymous=401,401,401",
}

var matrix = authzmatrix.Matrix[*harness, authzmatrix.Target]{Callers: matrixRoles, Targets: matrixTargets, Default: (*harness).matrixRequest,
	Cases: authzmatrix.Specs[*harness](matrixSpecs)}

func TestAuthorizationMatrix(t *testing.T) {
	dbtest.EachHarness(t, newHarness, func(t *testing.T, h *harness) {
		grantee, err := h.svc.app.CreateUser(context.Background(), app.Actor{UserID: h.users["admin@incuchain.demo"]}, "grantee@lixia.demo", "被授权人", "grantee-password")
		if err != nil {
			t.Fatal(err)
		}
		h.ids["grantee"] = grantee.ID
		matrix.Run(t, h)
	})
}

// matrixRequest builds the URL and body of one matrix request at target
// ti, preparing what the route needs (an invitation to accept, a role of
// the grantee to revoke).
func (h *harness) matrixRequest(route string, _, ti, n int) (string, any) {
	h.t.Helper()
	ctx := context.Background()
	admin := app.Actor{UserID: h.users["admin@incuchain.demo"]}
	granteeID := h.ids["grantee"]
	method, path, _ := strings.Cut(route, " ")
	region, carrier := matrixTargets[ti].Region, matrixTargets[ti].Carrier
	kind, id := "carrier", h.ids[carrier]
	if strings.HasPrefix(path, "/api/v1/regions/") {
		kind, id = "region", h.ids[region]
	}
	role := map[string]string{"carrier": "park_operator", "region": "district_viewer"}[kind]
	url := strings.NewReplacer(":id", id, ":user", granteeID, ":role", role).Replace(path)
	var body any
	switch {
	case strings.HasSuffix(path, "/roles/:role"):
		// Make sure there is a role to revoke.
		if _, err := h.svc.app.GrantRole(ctx, admin, app.Target{Kind: kind, ID: id}, "grantee@lixia.demo", role); err != nil {
			h.t.Fatalf("prepare revoke: %v", err)
		}
	case strings.HasSuffix(path, "/members"), strings.HasSuffix(path, "/invitations"):
		body = map[string]string{"email": "grantee@lixia.demo", "role": role}
		if strings.HasSuffix(path, "/invitations") {
			body = map[string]string{"email": fmt.Sprintf("invitee%d@example.com", n), "role": role}
		}
	case path == "/api/v1/invitations/:token/accept":
		inv, err := h.svc.app.Invite(ctx, admin, app.Target{Kind: "carrier", ID: h.ids[carrier]}, fmt.Sprintf("accepter%d@example.com", n), "park_operator")
		if err != nil {
			h.t.Fatalf("prepare invitation: %v", err)
		}
		url = strings.Replace(path, ":token", inv.AcceptURL[strings.LastIndex(inv.AcceptURL, "/")+1:], 1)
		body = map[string]string{"display_name": "新成员", "password": "a-long-password"}
	case path == "/api/v1/regions" && method == "POST":
		body = map[string]string{"code": fmt.Sprintf("r%d", n), "name_zh": fmt.Sprintf("测试区%d", n)}
	case path == "/api/v1/users" && method == "POST":
		body = map[string]string{"email": fmt.Sprintf("user%d@example.com", n), "display_name": "测试", "password": "a-long-password"}
	case strings.HasSuffix(path, "/carriers") && method == "POST":
		body = map[string]any{"kind": "incubator", "name_zh": fmt.Sprintf("测试孵化器%d", n)}
	case method == "PATCH" && kind == "region":
		body = map[string]any{"name_en": fmt.Sprintf("Region %d", n)}
	case method == "PATCH":
		body = map[string]any{"capacity": 100 + n}
	}
	if method == "GET" || method == "DELETE" {
		body = nil
	}
	return url, body
}
