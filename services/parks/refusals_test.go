package parks

import (
	"slices"
	"testing"
)

// The refusals of taken names and of bad invitees, each with its slug and
// field: a region code, a carrier name (created or renamed: a carrier
// keeps its own name), an account's email, and the email or role of one
// granted a role or invited.
func TestTakenValuesAndBadInviteesAreRefused(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		carrier := "/api/v1/carriers/" + h.ids["lixia/明湖国际信创产业园"]
		cases := []struct {
			name, as, method, path string
			body                   map[string]any
			status                 int
			slug                   string
			fields                 []string
		}{
			{"region code", "admin@incuchain.demo", "POST", "/api/v1/regions", map[string]any{"code": "LiXia", "name_zh": "又一个历下区"},
				409, "region-code-taken", []string{"code:duplicate"}},
			{"carrier renamed to another's name", "district@lixia.demo", "PATCH", carrier, map[string]any{"name_zh": "历下创客空间"},
				409, "carrier-name-taken", []string{"name_zh:duplicate"}},
			{"carrier keeps its own name", "district@lixia.demo", "PATCH", carrier, map[string]any{"name_zh": "明湖国际信创产业园", "capacity": 201},
				200, "", nil},
			{"account email", "admin@incuchain.demo", "POST", "/api/v1/users", map[string]any{"email": "ParkAdmin@LiXia.demo", "display_name": "重复", "password": "a-long-password"},
				409, "email-taken", []string{"email:duplicate"}},
			{"grant to no account", "parkadmin@lixia.demo", "POST", carrier + "/members", map[string]any{"email": "nobody@lixia.demo", "role": "park_operator"},
				422, "invalid-grant", []string{"email:user_not_found"}},
			{"grant of a district role in a carrier", "parkadmin@lixia.demo", "POST", carrier + "/members", map[string]any{"email": "newstaff@lixia.demo", "role": "district_admin"},
				422, "invalid-grant", []string{"role:one_of"}},
			{"invitation to no address", "parkadmin@lixia.demo", "POST", carrier + "/invitations", map[string]any{"email": "no-at-sign", "role": ""},
				422, "invalid-invitation", []string{"email:invalid_email", "role:required"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res := h.Do(c.as, c.method, c.path, c.body)
				if res.Status != c.status {
					t.Fatalf("status %d, want %d: %s", res.Status, c.status, res.Body)
				}
				if c.slug == "" {
					return
				}
				if slug := res.JSON(t)["slug"]; slug != c.slug {
					t.Errorf("slug %v, want %s", slug, c.slug)
				}
				codes := res.FieldCodes(t)
				slices.Sort(codes)
				if !slices.Equal(codes, c.fields) {
					t.Errorf("field codes %v, want %v", codes, c.fields)
				}
			})
		}
	})
}
