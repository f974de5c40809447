package incubatees

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

func forEachDialect(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newHarness(t, d)) })
	}
}

func (h *harness) count(table string) int {
	h.T.Helper()
	return dbtest.Count(h.T, h.svc.DB, table, "")
}

func fieldErrors(t *testing.T, r response) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	errs, _ := r.JSON(t)["errors"].([]any)
	for _, e := range errs {
		fe := e.(map[string]any)
		out[fe["field"].(string)] = fe
	}
	return out
}

func TestRegisterCompanyRefusesBadInputAndWritesNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		path := "/api/v1/regions/" + h.IDs["lixia"] + "/companies"
		before := map[string]int{"companies": h.count("companies"), "company_members": h.count("company_members"), "outbox": h.count("outbox")}
		cases := []struct {
			name   string
			body   string
			status int
			field  string
			code   string
			msg    string // part of the zh-CN message
		}{
			{"wrong check character", `{"uscc":"91370102MA3C5T2R04","name_zh":"甲","industry_code":"I65"}`, 422, "uscc", "uscc_check", "第 18 位校验码应为“3”"},
			{"forbidden letter", `{"uscc":"91370102MA3C5T2O03","name_zh":"甲","industry_code":"I65"}`, 422, "uscc", "uscc_char", "第 16 位字符“O”"},
			{"too short", `{"uscc":"9137010","name_zh":"甲","industry_code":"I65"}`, 422, "uscc", "uscc_length", "18 位"},
			{"unknown industry", `{"name_zh":"甲","industry_code":"I99"}`, 422, "industry_code", "industry_code", "I99"},
			{"founded in the future", `{"name_zh":"甲","industry_code":"I65","founded_on":"2999-01-01"}`, 422, "founded_on", "in_future", "不能晚于今天"},
			{"bad date", `{"name_zh":"甲","industry_code":"I65","founded_on":"01/02/2024"}`, 422, "founded_on", "date_format", "YYYY-MM-DD"},
			{"bad founder type", `{"name_zh":"甲","industry_code":"I65","founder_type":"wizard"}`, 422, "founder_type", "one_of", "必须是以下之一"},
			{"duplicate USCC in the region", `{"uscc":"91370102ma3c5t2r03","name_zh":"甲","industry_code":"I65"}`, 409, "uscc", "duplicate", "已存在"},
			{"unknown field", `{"name_zh":"甲","industry_code":"I65","capital":1}`, 400, "capital", "unknown", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := h.Do("newstaff@lixia.demo", "POST", path, c.body)
				if r.Status != c.status {
					t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
				}
				fe := fieldErrors(t, r)[c.field]
				if fe == nil || fe["code"] != c.code || !strings.Contains(fe["message"].(string), c.msg) {
					t.Fatalf("field %s: %v (want code %s, message with %q); body %s", c.field, fe, c.code, c.msg, r.Body)
				}
			})
		}
		for table, n := range before {
			if got := h.count(table); got != n {
				t.Errorf("%s went from %d to %d rows after refused requests", table, n, got)
			}
		}
		en := h.Do("newstaff@lixia.demo", "POST", path, `{"uscc":"91370102MA3C5T2R04","name_zh":"甲","industry_code":"I65"}`, "Accept-Language", "en")
		if msg := fieldErrors(t, en)["uscc"]["message"].(string); !strings.Contains(msg, `should be "3", not "4"`) {
			t.Errorf("English message %q", msg)
		}
		// The same USCC in another region is another tenant's business.
		if r := h.Do("newstaff@lixia.demo", "POST", "/api/v1/regions/"+h.IDs["huaiyin"]+"/companies", `{"uscc":"91370102MA3C5T2R03","name_zh":"乙","industry_code":"I65"}`); r.Status != 201 {
			t.Errorf("same USCC in another region: %d %s", r.Status, r.Body)
		}
	})
}

func TestTeamLinksItsUSCCWithoutLosingItsID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		r := h.Do("newstaff@lixia.demo", "POST", "/api/v1/regions/"+h.IDs["lixia"]+"/companies", map[string]any{"name_zh": "明湖 AI 团队", "industry_code": "I65"})
		if r.Status != 201 {
			t.Fatalf("register team: %d %s", r.Status, r.Body)
		}
		team := r.JSON(t)
		id := team["id"].(string)
		if team["uscc"] != "" || !strings.HasPrefix(team["provisional_id"].(string), "T-") || team["key"] != team["provisional_id"] {
			t.Fatalf("team %v", team)
		}
		if r := h.Do("newstaff@lixia.demo", "POST", "/api/v1/companies/"+id+"/uscc", map[string]string{"uscc": "91110000802100433B"}); r.Status != 409 {
			t.Fatalf("a USCC another company of the region holds: %d %s", r.Status, r.Body)
		}
		linked := h.Do("newstaff@lixia.demo", "POST", "/api/v1/companies/"+id+"/uscc", map[string]string{"uscc": "91370102MA3C5T2R1" + checkChar(t, "91370102MA3C5T2R1")})
		if linked.Status != 200 {
			t.Fatalf("link: %d %s", linked.Status, linked.Body)
		}
		c := linked.JSON(t)
		if c["id"] != id || c["provisional_id"] != team["provisional_id"] || c["key"] != c["uscc"] {
			t.Fatalf("linked %v", c)
		}
		if r := h.Do("newstaff@lixia.demo", "POST", "/api/v1/companies/"+id+"/uscc", map[string]string{"uscc": "91440300708461136T"}); r.Status != 409 {
			t.Fatalf("relinking: %d", r.Status)
		}
	})
}

func checkChar(t *testing.T, first17 string) string {
	t.Helper()
	c, ok := domainCheck(first17)
	if !ok {
		t.Fatalf("no check character for %s", first17)
	}
	return string(c)
}

func TestMembershipFlowPublishesCompanyRoles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		coA := h.IDs["coA"]
		members := "/api/v1/companies/" + coA + "/members"
		if r := h.Do("newstaff@lixia.demo", "GET", "/api/v1/companies/"+coA, nil); r.Status != 404 {
			t.Fatalf("outsider sees the company: %d", r.Status)
		}
		if r := h.Do("founder@lixia.demo", "POST", members, map[string]string{"email": "nobody@example.com"}); r.Status != 422 || fieldErrors(t, r)["email"]["code"] != "user_not_found" {
			t.Fatalf("unknown invitee: %d %s", r.Status, r.Body)
		}
		if r := h.Do("founder@lixia.demo", "POST", members, map[string]string{"email": "newstaff@lixia.demo", "role": "member"}); r.Status != 201 {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		if r := h.Do("founder@lixia.demo", "POST", members, map[string]string{"email": "newstaff@lixia.demo"}); r.Status != 409 {
			t.Fatalf("second invite: %d", r.Status)
		}
		// Invited is not yet a member.
		if r := h.Do("newstaff@lixia.demo", "GET", "/api/v1/companies/"+coA, nil); r.Status != 404 {
			t.Fatalf("invited user sees the company before accepting: %d", r.Status)
		}
		mine := h.Do("newstaff@lixia.demo", "GET", "/api/v1/me/companies", nil).JSON(t)["items"].([]any)
		if len(mine) != 1 || mine[0].(map[string]any)["status"] != "invited" {
			t.Fatalf("my companies: %v", mine)
		}
		if r := h.Do("newstaff@lixia.demo", "POST", members+"/accept", nil); r.Status != 204 {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		if r := h.Do("newstaff@lixia.demo", "GET", "/api/v1/companies/"+coA, nil); r.Status != 200 {
			t.Fatalf("member after accepting: %d", r.Status)
		}
		if r := h.Do("newstaff@lixia.demo", "POST", members, map[string]string{"email": "invitee@lixia.demo"}); r.Status != 403 {
			t.Fatalf("a plain member invites: %d", r.Status)
		}
		if r := h.Do("founder@lixia.demo", "DELETE", members+"/"+h.Users["founder@lixia.demo"], nil); r.Status != 409 {
			t.Fatalf("the last admin leaves: %d %s", r.Status, r.Body)
		}
		if r := h.Do("newstaff@lixia.demo", "DELETE", members+"/"+h.Users["newstaff@lixia.demo"], nil); r.Status != 204 {
			t.Fatalf("leave: %d %s", r.Status, r.Body)
		}
		if r := h.Do("newstaff@lixia.demo", "GET", "/api/v1/companies/"+coA, nil); r.Status != 404 {
			t.Fatalf("after leaving: %d", r.Status)
		}
		// Force the ordering that flaked under load: the accept's grant
		// event reaches this replica's role follower only after the local
		// revoke. It is older than the revoke, so it is stale.
		var grant *events.Envelope
		for _, ev := range h.outboxEvents(events.CompanyRoleGranted) {
			var p events.RoleAssignmentV1
			if ev.Decode(&p) == nil && p.UserID == h.Users["newstaff@lixia.demo"] && p.Domain == authz.CompanyDomain(coA) {
				grant = &ev
			}
		}
		if grant == nil {
			t.Fatal("no grant event in the outbox")
		}
		if err := h.svc.Enforcer.Apply(*grant); err != nil {
			t.Fatal(err)
		}
		if r := h.Do("newstaff@lixia.demo", "GET", "/api/v1/companies/"+coA, nil); r.Status != 404 {
			t.Fatalf("after leaving, once the late grant event is applied: %d", r.Status)
		}
		// The grant and the revoke went out as role events every service applies.
		seen := map[string]bool{}
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		done := make(chan struct{})
		stop, err := h.Bus.Follow(ctx, "incubatees", []string{"incubatees.member.>"}, time.Time{}, func(_ context.Context, ev events.Envelope) error {
			var p events.RoleAssignmentV1
			if err := ev.Decode(&p); err == nil && p.UserID == h.Users["newstaff@lixia.demo"] && p.Domain == authz.CompanyDomain(coA) {
				seen[ev.Type] = true
				if seen[events.CompanyRoleGranted] && seen[events.CompanyRoleRevoked] {
					close(done)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		select {
		case <-done:
		case <-ctx.Done():
			t.Fatalf("role events not seen: %v", seen)
		}
	})
}

func TestCompanyListsAreScoped(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		names := func(as, region string) []string {
			r := h.Do(as, "GET", "/api/v1/regions/"+h.IDs[region]+"/companies?page_size=100", nil)
			if r.Status != 200 {
				return []string{r.JSON(t)["slug"].(string)}
			}
			var out []string
			for _, it := range r.JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any)["name_zh"].(string))
			}
			return out
		}
		for _, c := range []struct{ as, region, want string }{
			{"officer@lixia.demo", "lixia", "coA科技有限公司,coB科技有限公司"},
			{"parkadmin@lixia.demo", "lixia", "coA科技有限公司"},
			{"makeradmin@lixia.demo", "lixia", "coB科技有限公司"},
			{"founder2@lixia.demo", "lixia", "coB科技有限公司"},
			{"officer@huaiyin.demo", "lixia", "region-not-found"},
			{"parkadmin@lixia.demo", "huaiyin", "region-not-found"},
			{"newstaff@lixia.demo", "lixia", "region-not-found"},
		} {
			if got := strings.Join(names(c.as, c.region), ","); got != c.want {
				t.Errorf("%s on %s: %q, want %q", c.as, c.region, got, c.want)
			}
		}
		if n := h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/companies?q=91110000802100433b", nil).JSON(t)["total"].(float64); n != 1 {
			t.Errorf("search by USCC: %v", n)
		}
	})
}
