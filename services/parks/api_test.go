package parks

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// forEachDialect runs fn on a fresh harness of each dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, h *harness)) {
	dbtest.EachHarness(t, newHarness, fn)
}

// count answers the total of a list endpoint, as the platform admin.
func (h *harness) count(path string) int {
	h.t.Helper()
	res := h.Do("admin@incuchain.demo", "GET", path, nil)
	if res.Status != 200 {
		h.t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
	}
	return int(res.JSON(h.t)["total"].(float64))
}

func (h *harness) outboxRows() int {
	h.t.Helper()
	return dbtest.Count(h.t, h.svc.DB, "outbox", "")
}

func TestBadInputAnswersProblemsAndWritesNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		lixia := h.ids["lixia"]
		carriers := "/api/v1/regions/" + lixia + "/carriers"
		long := strings.Repeat("长", 101)
		cases := []struct {
			name, body string
			status     int
			slug       string
			fields     []string
		}{
			{"malformed JSON", `{"kind": "incubator",`, 400, "malformed-json", nil},
			{"not an object", `[1,2]`, 400, "malformed-json", []string{"body"}},
			{"empty body", ``, 400, "malformed-json", nil},
			{"trailing data", `{"kind":"incubator","name_zh":"甲"} {}`, 400, "malformed-json", nil},
			{"unknown field", `{"kind":"incubator","name_zh":"甲","owner":"me"}`, 400, "unknown-field", []string{"owner"}},
			{"wrong type", `{"kind":"incubator","name_zh":"甲","capacity":"many"}`, 400, "malformed-json", []string{"capacity"}},
			{"over-long name", `{"kind":"incubator","name_zh":"` + long + `"}`, 422, "invalid-carrier", []string{"name_zh"}},
			{"wrong kind and several fields", `{"kind":"factory","name_zh":"","area_m2":-5,"capacity":-1,"status":"open","focus_industries":["XX1"]}`, 422, "invalid-carrier",
				[]string{"name_zh", "kind", "area_m2", "capacity", "status", "focus_industries"}},
			// The edge (httpx.Bind) refuses control characters before the domain sees them.
			{"control characters", `{"kind":"incubator","name_zh":"甲\u0000乙"}`, 422, "invalid-text", []string{"name_zh"}},
			{"duplicate name", `{"kind":"incubator","name_zh":"历下科技企业孵化器"}`, 409, "carrier-name-taken", []string{"name_zh"}},
		}
		before, outbox := h.count(carriers), h.outboxRows()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res := h.Do("district@lixia.demo", "POST", carriers, c.body, "Accept-Language", "en")
				if res.Status != c.status {
					t.Fatalf("status %d, want %d: %s", res.Status, c.status, res.Body)
				}
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Fatalf("content type %q", ct)
				}
				p := res.JSON(t)
				if p["slug"] != c.slug || p["status"].(float64) != float64(c.status) || p["title"] == "" {
					t.Fatalf("problem %v, want slug %s", p, c.slug)
				}
				got := map[string]string{}
				errs, _ := p["errors"].([]any)
				for _, e := range errs {
					fe := e.(map[string]any)
					got[fe["field"].(string)] = fe["message"].(string)
				}
				for _, f := range c.fields {
					if msg, ok := got[f]; !ok || msg == "" {
						t.Errorf("no field error for %s in %v", f, got)
					}
				}
			})
		}
		if after := h.count(carriers); after != before {
			t.Errorf("carriers went from %d to %d after refused requests", before, after)
		}
		if got := h.outboxRows(); got != outbox {
			t.Errorf("outbox went from %d to %d rows after refused requests", outbox, got)
		}
	})
}

func TestProblemsAreLocalized(t *testing.T) {
	h := newHarness(t, "sqlite")
	path := "/api/v1/regions/" + h.ids["lixia"] + "/carriers"
	body := `{"kind":"incubator","name_zh":""}`
	zh := h.Do("district@lixia.demo", "POST", path, body).JSON(t)
	en := h.Do("district@lixia.demo", "POST", path, body, "Accept-Language", "en-US,en;q=0.9").JSON(t)
	if zh["title"] != "输入有误" || en["title"] != "Invalid input" {
		t.Fatalf("titles zh=%v en=%v", zh["title"], en["title"])
	}
	zhMsg := zh["errors"].([]any)[0].(map[string]any)["message"]
	enMsg := en["errors"].([]any)[0].(map[string]any)["message"]
	if zhMsg != "必填" || enMsg != "is required" {
		t.Fatalf("field messages zh=%v en=%v", zhMsg, enMsg)
	}
}

func TestTenantsSeeOnlyTheirOwnData(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		regionCodes := func(as string) []string {
			var out []string
			for _, it := range h.Do(as, "GET", "/api/v1/regions", nil).JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any)["code"].(string))
			}
			return out
		}
		for as, want := range map[string]string{
			"admin@incuchain.demo": "huaiyin,lixia", "officer@lixia.demo": "lixia", "parkadmin@lixia.demo": "lixia",
			"officer@huaiyin.demo": "huaiyin", "founder@lixia.demo": "", "newstaff@lixia.demo": "",
		} {
			if got := strings.Join(regionCodes(as), ","); got != want {
				t.Errorf("%s sees regions %q, want %q", as, got, want)
			}
		}
		lixia := "/api/v1/regions/" + h.ids["lixia"] + "/carriers?page_size=100"
		names := func(as string) []string {
			res := h.Do(as, "GET", lixia, nil)
			if res.Status != 200 {
				return []string{fmt.Sprint(res.Status)}
			}
			var out []string
			for _, it := range res.JSON(t)["items"].([]any) {
				c := it.(map[string]any)
				if c["region_id"] != h.ids["lixia"] {
					t.Errorf("%s got a carrier of region %v", as, c["region_id"])
				}
				out = append(out, c["name_zh"].(string))
			}
			return out
		}
		if got := names("officer@lixia.demo"); len(got) != 10 {
			t.Errorf("district officer sees %d carriers, want all 10: %v", len(got), got)
		}
		if got := names("parkadmin@lixia.demo"); len(got) != 1 || got[0] != "明湖国际信创产业园" {
			t.Errorf("park admin sees %v, want only its own carrier", got)
		}
		if got := names("officer@huaiyin.demo"); len(got) != 1 || got[0] != "404" {
			t.Errorf("foreign district officer gets %v, want 404", got)
		}
		// The foreign region's carrier is invisible by id too.
		res := h.Do("officer@lixia.demo", "GET", "/api/v1/carriers/"+h.ids["huaiyin/槐荫科技企业孵化器"], nil)
		if res.Status != 404 || res.JSON(t)["slug"] != "carrier-not-found" {
			t.Errorf("foreign carrier by id: %d %s", res.Status, res.Body)
		}
	})
}

func TestCarrierListSearchFilterSortPage(t *testing.T) {
	h := newHarness(t, "sqlite")
	base := "/api/v1/regions/" + h.ids["lixia"] + "/carriers"
	if n := h.count(base + "?kind=science_park"); n != 4 {
		t.Errorf("science parks: %d, want 4", n)
	}
	if n := h.count(base + "?q=明湖"); n != 3 {
		t.Errorf("search 明湖: %d, want 3", n)
	}
	if n := h.count(base + "?q=INCUBATOR"); n != 1 {
		t.Errorf("case-insensitive English search: %d, want 1", n)
	}
	if n := h.count(base + "?q=100%25"); n != 0 {
		t.Errorf("a literal %% must not match everything: %d", n)
	}
	res := h.Do("admin@incuchain.demo", "GET", base+"?sort=-capacity&page=2&page_size=3", nil).JSON(t)
	items := res["items"].([]any)
	if res["total"].(float64) != 10 || len(items) != 3 || res["page"].(float64) != 2 {
		t.Fatalf("page 2: %v", res)
	}
	prev := 1e9
	for _, it := range items {
		c := it.(map[string]any)["capacity"].(float64)
		if c > prev {
			t.Errorf("not sorted by capacity desc: %v", items)
		}
		prev = c
	}
	bad := h.Do("admin@incuchain.demo", "GET", base+"?sort=password&page=0&page_size=1000", nil)
	if bad.Status != 422 || len(bad.JSON(t)["errors"].([]any)) != 3 {
		t.Errorf("bad list params: %d %s", bad.Status, bad.Body)
	}
}

func TestChangesArePublishedAsEvents(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var mu sync.Mutex
		seen := map[string]events.Envelope{}
		stop, err := h.svc.Bus.Follow(ctx, "parks", []string{"parks.>"}, time.Now().Add(-time.Hour), func(_ context.Context, ev events.Envelope) error {
			mu.Lock()
			defer mu.Unlock()
			seen[ev.Type+"|"+ev.AggregateID] = ev
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		res := h.Do("district@lixia.demo", "POST", "/api/v1/regions/"+h.ids["lixia"]+"/carriers", map[string]any{"kind": "accelerator", "name_zh": "新加速器", "capacity": 12})
		if res.Status != 201 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		id := res.JSON(t)["id"].(string)
		if res := h.Do("parkadmin@lixia.demo", "POST", "/api/v1/carriers/"+h.ids["lixia/明湖国际信创产业园"]+"/members", map[string]string{"email": "newstaff@lixia.demo", "role": "park_operator"}); res.Status != 201 {
			t.Fatalf("grant: %d %s", res.Status, res.Body)
		}
		want := []string{events.CarrierCreated + "|" + id, events.RoleGranted + "|" + h.users["newstaff@lixia.demo"]}
		deadline := time.Now().Add(15 * time.Second)
		for {
			mu.Lock()
			missing := []string{}
			for _, k := range want {
				if _, ok := seen[k]; !ok {
					missing = append(missing, k)
				}
			}
			mu.Unlock()
			if len(missing) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("events not delivered: %v", missing)
			}
			time.Sleep(20 * time.Millisecond)
		}
		mu.Lock()
		ev := seen[want[0]]
		mu.Unlock()
		var p events.CarrierCreatedV1
		if err := ev.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if ev.RegionID != h.ids["lixia"] || ev.CarrierID != id || p.Kind != "accelerator" || p.ChainOrder != 3 || p.Capacity != 12 || ev.Actor != h.users["district@lixia.demo"] {
			t.Errorf("event %+v payload %+v", ev, p)
		}
		// The grant reached the park operator's view at once (read-your-writes).
		me := h.Do("newstaff@lixia.demo", "GET", "/api/v1/me", nil).JSON(t)
		if as := me["assignments"].([]any); len(as) != 1 || as[0].(map[string]any)["name_zh"] != "明湖国际信创产业园" {
			t.Errorf("me after grant: %v", me)
		}
	})
}

func TestInvitationFlow(t *testing.T) {
	h := newHarness(t, "sqlite")
	carrier := "/api/v1/carriers/" + h.ids["lixia/明湖国际信创产业园"]
	res := h.Do("parkadmin@lixia.demo", "POST", carrier+"/invitations", map[string]string{"email": "New.Person@Example.com", "role": "park_operator"})
	if res.Status != 201 {
		t.Fatalf("invite: %d %s", res.Status, res.Body)
	}
	inv := res.JSON(t)
	url := inv["accept_url"].(string)
	if !strings.HasPrefix(url, "http://console.test/invitations/") || inv["email"] != "new.person@example.com" {
		t.Fatalf("invitation %v", inv)
	}
	token := url[strings.LastIndex(url, "/")+1:]
	weak := h.Do("", "POST", "/api/v1/invitations/"+token+"/accept", map[string]string{"display_name": "", "password": "short"})
	if weak.Status != 422 || !strings.Contains(string(weak.Body), `"password"`) || !strings.Contains(string(weak.Body), `"display_name"`) {
		t.Fatalf("weak accept: %d %s", weak.Status, weak.Body)
	}
	ok := h.Do("", "POST", "/api/v1/invitations/"+token+"/accept", map[string]string{"display_name": "新人", "password": "a-long-password"})
	if ok.Status != 201 {
		t.Fatalf("accept: %d %s", ok.Status, ok.Body)
	}
	again := h.Do("", "POST", "/api/v1/invitations/"+token+"/accept", map[string]string{"display_name": "新人", "password": "a-long-password"})
	if again.Status != 404 {
		t.Fatalf("second accept: %d %s", again.Status, again.Body)
	}
	members := h.Do("parkadmin@lixia.demo", "GET", carrier+"/members?q=new.person", nil).JSON(t)
	if members["total"].(float64) != 1 {
		t.Fatalf("members after accept: %v", members)
	}
	if res := h.Do("", "POST", "/api/v1/invitations/not-a-token/accept", map[string]string{"display_name": "x", "password": "a-long-password"}); res.Status != 404 {
		t.Fatalf("forged token: %d", res.Status)
	}
}

func TestIdentityHeaderMustBeSigned(t *testing.T) {
	h := newHarness(t, "sqlite")
	res := h.Do("", "GET", "/api/v1/me", nil, "X-Incuchain-Identity", "eyJ1c2VyX2lkIjoiYWRtaW4ifQ.AAAA")
	if res.Status != 401 {
		t.Fatalf("forged identity: %d %s", res.Status, res.Body)
	}
	// Internal endpoints exist only for other services.
	if res := h.Do("admin@incuchain.demo", "GET", "/internal/v1/authz/assignments", nil); res.Status != 404 {
		t.Fatalf("user on internal endpoint: %d", res.Status)
	}
}

func TestAuditTrail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		carrier := h.ids["lixia/明湖国际信创产业园"]
		if r := h.Do("parkadmin@lixia.demo", "POST", "/api/v1/carriers/"+carrier+"/members", map[string]string{"email": "newstaff@lixia.demo", "role": "park_operator"}); r.Status != 201 {
			t.Fatalf("grant: %d %s", r.Status, r.Body)
		}
		if r := h.Do("district@lixia.demo", "PATCH", "/api/v1/regions/"+h.ids["lixia"], map[string]string{"name_en": "Lixia District, Jinan"}); r.Status != 200 {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
		page := h.Do("parkadmin@lixia.demo", "GET", "/api/v1/carriers/"+carrier+"/audit?action=member.grant", nil).JSON(t)
		items := page["items"].([]any)
		if len(items) == 0 {
			t.Fatalf("no grant in the carrier's audit trail: %v", page)
		}
		first := items[0].(map[string]any)
		if first["actor"] != h.users["parkadmin@lixia.demo"] || first["object_id"] != h.users["newstaff@lixia.demo"] || first["detail"].(map[string]any)["role"] != "park_operator" {
			t.Errorf("audit record %v", first)
		}
		region := h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.ids["lixia"]+"/audit?page_size=200", nil).JSON(t)
		actions := map[string]bool{}
		for _, it := range region["items"].([]any) {
			rec := it.(map[string]any)
			if rec["region_id"] != h.ids["lixia"] {
				t.Errorf("foreign record in the region's audit: %v", rec)
			}
			actions[rec["action"].(string)] = true
		}
		if !actions["member.grant"] || !actions["region.update"] {
			t.Errorf("region audit actions %v", actions)
		}
		if r := h.Do("officer@huaiyin.demo", "GET", "/api/v1/regions/"+h.ids["lixia"]+"/audit", nil); r.Status != 404 {
			t.Errorf("foreign officer: %d", r.Status)
		}
		if r := h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.ids["lixia"]+"/audit?since=yesterday", nil); r.Status != 422 {
			t.Errorf("bad since: %d %s", r.Status, r.Body)
		}
	})
}

func TestBootstrapAdmin(t *testing.T) {
	h := newHarness(t, "sqlite")
	ctx := context.Background()
	for i := 0; i < 2; i++ { // idempotent
		if err := h.svc.bootstrapAdmin(ctx, "root@example.gov.cn", "a-long-bootstrap-password"); err != nil {
			t.Fatal(err)
		}
	}
	us, _, err := h.svc.app.ListUsersUnchecked(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		h.users[u.Email] = u.ID
	}
	if r := h.Do("root@example.gov.cn", "POST", "/api/v1/regions", map[string]string{"code": "tianqiao", "name_zh": "天桥区"}); r.Status != 201 {
		t.Fatalf("bootstrap admin creates a region: %d %s", r.Status, r.Body)
	}
	if err := h.svc.bootstrapAdmin(ctx, "root@example.gov.cn", "short"); err != nil {
		t.Fatalf("an existing admin is left alone: %v", err)
	}
	if err := h.svc.bootstrapAdmin(ctx, "x@example.gov.cn", ""); err == nil {
		t.Fatal("a half-set bootstrap must be refused")
	}
}
