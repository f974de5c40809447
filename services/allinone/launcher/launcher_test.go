package launcher

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/httpx/openapitest"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/pkg/testkit"
)

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// settings returns a process's settings for a test: its own data directory,
// ports, databases (SQLite or PostgreSQL) and, when NATS_URL is set, the
// real NATS server under a namespace of its own.
func settings(t testing.TB, dialect string) Settings {
	t.Helper()
	var s Settings
	if err := config.Load("", &s); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s.Platform.DataDir = dir
	s.Platform.LogFormat = "text"
	s.Platform.NATSPort = 0
	s.Platform.S3EmbeddedAddr = "127.0.0.1:0"
	s.Platform.InternalSecret = "a-test-secret-that-is-long-enough-32"
	if url := os.Getenv("NATS_URL"); url != "" {
		s.Platform.NATSURL = url
		s.Platform.NATSNamespace = "t" + strings.ToLower(events.NewID())
	}
	s.Gateway.Addr = freeAddr(t)
	s.Parks.Addr = freeAddr(t)
	s.Platform.MetricsAddr = freeAddr(t)
	s.Platform.PublicURL = "http://" + s.Gateway.Addr
	s.Gateway.WebDir = filepath.Join(dir, "web")
	if err := os.MkdirAll(s.Gateway.WebDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Gateway.WebDir, "index.html"), []byte("<!doctype html><title>孵化链</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if dialect == "postgres" {
		g := dbtest.Config(t, "postgres")
		s.Gateway.DB, s.Gateway.Schema = g.DSN, g.Schema
		for name, h := range s.Homes() {
			if name != TargetIncubatees { // settingsAllOn moves it too
				onPostgres(t, h)
			}
		}
	}
	s.SeedDemo = true
	return s
}

// settingsApart is settings for parks or notifications running apart,
// which need the invitation-link key they would share.
func settingsApart(t testing.TB, dialect string) Settings {
	t.Helper()
	s := settings(t, dialect)
	s.Platform.InvitationKey = invitationKeyText(t)
	return s
}

// invitationKeyText is a fresh INCUCHAIN_INVITATION_KEY.
func invitationKeyText(t testing.TB) string {
	t.Helper()
	key, err := linkseal.NewKeyText()
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// settingsAllOn is settings with incubatees too on dialect's database
// (settings leaves it on SQLite).
func settingsAllOn(t testing.TB, dialect string) Settings {
	t.Helper()
	s := settings(t, dialect)
	if dialect == "postgres" {
		onPostgres(t, &s.Incubatees.Home)
	}
	return s
}

// onPostgres moves a service's database to a fresh PostgreSQL schema.
func onPostgres(t testing.TB, h *platform.Home) {
	t.Helper()
	c := dbtest.Config(t, "postgres")
	h.DB, h.Schema = c.DSN, c.Schema
}

// start runs target until the test ends.
func start(t testing.TB, s Settings, target string) *Launcher {
	t.Helper()
	l, _ := startWithBanner(t, s, target)
	return l
}

// startWithBanner is start that also answers what the process printed
// once it listened (the start-up banner).
func startWithBanner(t testing.TB, s Settings, target string) (*Launcher, string) {
	t.Helper()
	var banner bytes.Buffer
	l, err := New(s, target, bustest.Logger(t), &banner)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s stopped with %v", target, err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("%s did not stop", target)
		}
	})
	select {
	case <-l.Listening:
	case err := <-done:
		t.Fatalf("%s failed to start: %v", target, err)
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start", target)
	}
	if target == TargetAll && !strings.Contains(banner.String(), "parkadmin@lixia.demo") {
		t.Errorf("banner lacks the demo logins:\n%s", banner.String())
	}
	return l, banner.String()
}

// client is a browser-like caller with a cookie jar.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
	auth string // bearer token, when used instead of cookies
	// check holds every answer to the merged OpenAPI document.
	check *openapitest.Checker
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, check: mergedChecker(t, base)}
}

var checkers sync.Map // gateway base URL -> *openapitest.Checker

// mergedChecker loads the gateway's merged document once per gateway; it
// must be a valid OpenAPI document, and every /api/v1 answer a client
// receives is then checked against it.
func mergedChecker(t *testing.T, base string) *openapitest.Checker {
	t.Helper()
	if c, ok := checkers.Load(base); ok {
		return c.(*openapitest.Checker)
	}
	res, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("merged OpenAPI document: %d %s", res.StatusCode, raw)
	}
	c, err := openapitest.Load(raw)
	if err != nil {
		t.Fatalf("merged OpenAPI document: %v", err)
	}
	checkers.Store(base, c)
	return c
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
	return m
}

func (c *client) do(method, path string, body any, hdr ...string) reply {
	c.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	return c.raw(method, path, raw, append([]string{"Content-Type", "application/json"}, hdr...)...)
}

// raw sends body as it is.
func (c *client) raw(method, path string, body []byte, hdr ...string) reply {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.auth != "" {
		req.Header.Set("Authorization", "Bearer "+c.auth)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if err := c.check.Check(req, res.StatusCode, res.Header, raw); err != nil {
		c.t.Errorf("OpenAPI: %s %s answered %d against the merged document: %v\nbody: %.600s", method, path, res.StatusCode, err, raw)
	}
	return reply{res.StatusCode, res.Header, raw}
}

func (c *client) login(email string) reply {
	c.t.Helper()
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "incuchain-demo"})
	if r.status == 200 {
		c.csrf = r.obj(c.t)["csrf_token"].(string)
	}
	return r
}

func TestAllInOneThroughTheGateway(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := settings(t, d)
			start(t, s, TargetAll)
			base := "http://" + s.Gateway.Addr

			t.Run("sign-in, cookies and me", func(t *testing.T) {
				c := newClient(t, base)
				bad := c.do("POST", "/api/v1/auth/login", map[string]string{"email": "parkadmin@lixia.demo", "password": "wrong-password"}, "Accept-Language", "en")
				if bad.status != 401 || bad.obj(t)["detail"] != "Wrong email or password" {
					t.Fatalf("wrong password: %d %s", bad.status, bad.body)
				}
				r := c.login("parkadmin@lixia.demo")
				if r.status != 200 {
					t.Fatalf("login: %d %s", r.status, r.body)
				}
				var session *http.Cookie
				for _, ck := range (&http.Response{Header: r.header}).Cookies() {
					if ck.Name == "incuchain_session" {
						session = ck
					}
				}
				if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
					t.Fatalf("session cookie %+v", session)
				}
				me := c.do("GET", "/api/v1/auth/me", nil)
				if me.status != 200 || !strings.Contains(string(me.body), "明湖国际信创产业园") {
					t.Fatalf("me: %d %s", me.status, me.body)
				}
			})

			t.Run("CSRF is required with cookies, not with bearer tokens", func(t *testing.T) {
				c := newClient(t, base)
				c.login("district@lixia.demo")
				regions := c.do("GET", "/api/v1/regions", nil).obj(t)["items"].([]any)
				lixia := regions[0].(map[string]any)["id"].(string)
				csrf := c.csrf
				c.csrf = ""
				r := c.do("POST", "/api/v1/regions/"+lixia+"/carriers", map[string]any{"kind": "incubator", "name_zh": "CSRF测试"})
				if r.status != 403 || r.obj(t)["slug"] != "csrf-failed" {
					t.Fatalf("without CSRF: %d %s", r.status, r.body)
				}
				c.csrf = "not-the-token"
				if r := c.do("POST", "/api/v1/regions/"+lixia+"/carriers", map[string]any{"kind": "incubator", "name_zh": "CSRF测试"}); r.status != 403 {
					t.Fatalf("wrong CSRF: %d", r.status)
				}
				c.csrf = csrf
				if r := c.do("POST", "/api/v1/regions/"+lixia+"/carriers", map[string]any{"kind": "incubator", "name_zh": "CSRF测试"}); r.status != 201 {
					t.Fatalf("with CSRF: %d %s", r.status, r.body)
				}
				api := newClient(t, base)
				tok := api.do("POST", "/api/v1/auth/login", map[string]any{"email": "district@lixia.demo", "password": "incuchain-demo", "want_token": true}).obj(t)["token"].(string)
				api.http.Jar = nil
				api.auth = tok
				if r := api.do("POST", "/api/v1/regions/"+lixia+"/carriers", map[string]any{"kind": "incubator", "name_zh": "令牌测试"}); r.status != 201 {
					t.Fatalf("bearer without CSRF: %d %s", r.status, r.body)
				}
				api.auth = tok + "x"
				if r := api.do("GET", "/api/v1/regions", nil); r.status != 401 {
					t.Fatalf("bad bearer: %d", r.status)
				}
			})

			t.Run("identity headers from outside are ignored", func(t *testing.T) {
				c := newClient(t, base)
				r := c.do("GET", "/api/v1/regions", nil, "X-Incuchain-Identity", "forged.identity")
				if r.status != 401 || r.obj(t)["slug"] != "not-authenticated" {
					t.Fatalf("forged identity: %d %s", r.status, r.body)
				}
			})

			t.Run("logout ends the session", func(t *testing.T) {
				c := newClient(t, base)
				c.login("operator@lixia.demo")
				if r := c.do("POST", "/api/v1/auth/logout", nil); r.status != 204 {
					t.Fatalf("logout: %d %s", r.status, r.body)
				}
				if r := c.do("GET", "/api/v1/auth/me", nil); r.status != 401 {
					t.Fatalf("me after logout: %d", r.status)
				}
			})

			t.Run("sign-in is throttled per account", func(t *testing.T) {
				c := newClient(t, base)
				var r reply
				for i := 0; i < 6; i++ {
					r = c.do("POST", "/api/v1/auth/login", map[string]string{"email": "newstaff@lixia.demo", "password": "guess-number-x"})
				}
				if r.status != 429 || r.header.Get("Retry-After") == "" {
					t.Fatalf("6th failure: %d %s", r.status, r.body)
				}
				if ok := c.login("newstaff@lixia.demo"); ok.status != 429 {
					t.Fatalf("right password while throttled: %d", ok.status)
				}
			})

			t.Run("materials go through the gateway to the object store and back", func(t *testing.T) {
				c := newClient(t, base)
				c.login("founder@lixia.demo")
				var company string
				waitUntil(t, "the demo company", func() bool {
					items, _ := c.do("GET", "/api/v1/me/companies", nil).obj(t)["items"].([]any)
					if len(items) > 0 {
						company, _ = items[0].(map[string]any)["company"].(map[string]any)["id"].(string)
					}
					return company != ""
				})
				file := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("营业执照扫描件"), 1000)...)
				var up reply
				waitUntil(t, "documents to know the company", func() bool {
					up = c.raw("POST", "/api/v1/companies/"+company+"/documents?type=other&filename=%E6%89%A7%E7%85%A7.pdf", file, "Content-Type", "application/pdf")
					return up.status != 404
				})
				if up.status != 201 {
					t.Fatalf("upload through the gateway: %d %s", up.status, up.body)
				}
				id := up.obj(t)["id"].(string)
				down := c.do("GET", "/api/v1/documents/"+id+"/versions/1/content", nil)
				if down.status != 200 || !bytes.Equal(down.body, file) || down.header.Get("X-Content-Type-Options") != "nosniff" {
					t.Fatalf("download through the gateway: %d, %d bytes", down.status, len(down.body))
				}
				if r := newClient(t, base).do("GET", "/api/v1/documents/"+id, nil); r.status != 401 {
					t.Fatalf("anonymous: %d", r.status)
				}
			})

			t.Run("the demo call's materials gate the founder's submission across services", func(t *testing.T) {
				c := newClient(t, base)
				c.login("founder@lixia.demo")
				co := c.do("GET", "/api/v1/me/companies", nil).obj(t)["items"].([]any)[0].(map[string]any)["company"].(map[string]any)
				var call map[string]any
				waitUntil(t, "the demo intake call", func() bool {
					items, _ := c.do("GET", "/api/v1/regions/"+co["region_id"].(string)+"/intake-calls?open=true", nil).obj(t)["items"].([]any)
					for _, it := range items {
						if m := it.(map[string]any); strings.Contains(m["title_en"].(string), "(demo)") {
							call = m
						}
					}
					return call != nil
				})
				draft := c.do("POST", "/api/v1/intake-calls/"+call["id"].(string)+"/applications", map[string]any{
					"company_id": co["id"], "answers": map[string]any{"team_size": 6, "project": "工业视觉质检"}})
				if draft.status != 201 {
					t.Fatalf("draft: %d %s", draft.status, draft.body)
				}
				app := draft.obj(t)["id"].(string)
				refused := c.do("POST", "/api/v1/applications/"+app+"/submit", nil)
				if refused.status != 422 || !strings.Contains(string(refused.body), "materials.business_plan") {
					t.Fatalf("submit without materials: %d %s", refused.status, refused.body)
				}
				pdf := []byte("%PDF-1.7\n% demo material\n")
				var materials []string
				for _, typ := range []string{"business_licence", "business_plan"} {
					var up reply
					waitUntil(t, "the checklist", func() bool {
						up = c.raw("POST", "/api/v1/companies/"+co["id"].(string)+"/documents?type="+typ+"&checklist=application:"+app+"&filename="+typ+".pdf", pdf)
						return up.status != 404
					})
					if up.status != 201 {
						t.Fatalf("upload %s: %d %s", typ, up.status, up.body)
					}
					materials = append(materials, up.obj(t)["id"].(string))
				}
				var submitted reply
				waitUntil(t, "incubatees to learn both materials", func() bool {
					submitted = c.do("POST", "/api/v1/applications/"+app+"/submit", nil)
					return submitted.status != 422
				})
				if submitted.status != 200 || submitted.obj(t)["status"] != "submitted" {
					t.Fatalf("submit with materials: %d %s", submitted.status, submitted.body)
				}

				// The maker space admits it: incubatees opens the residency,
				// milestones learns of it from the event alone and plans it
				// from the maker-space template.
				// Admission needs the materials verified: unverified, the
				// admit is refused; the reviewer verifies them through the
				// documents API and incubatees learns of it from the events.
				op := newClient(t, base)
				op.login("maker@lixia.demo")
				admit := map[string]any{"decision": "admit", "reason": "团队与项目契合创客空间方向"}
				if r := op.do("POST", "/api/v1/applications/"+app+"/decision", admit); r.status != 422 || !strings.Contains(string(r.body), "admission-incomplete") {
					t.Fatalf("admit with unverified materials: %d %s", r.status, r.body)
				}
				for _, id := range materials {
					if r := op.do("POST", "/api/v1/documents/"+id+"/verify", map[string]any{"comment": "材料齐全"}); r.status != 200 {
						t.Fatalf("verify material %s: %d %s", id, r.status, r.body)
					}
				}
				var admitted reply
				waitUntil(t, "incubatees to learn both materials verified", func() bool {
					admitted = op.do("POST", "/api/v1/applications/"+app+"/decision", admit)
					return admitted.status != 422
				})
				if admitted.status != 200 {
					t.Fatalf("admit: %d %s", admitted.status, admitted.body)
				}
				carrier := call["carrier_id"].(string)
				var residency string
				waitUntil(t, "the residency", func() bool {
					items, _ := op.do("GET", "/api/v1/carriers/"+carrier+"/residencies", nil).obj(t)["items"].([]any)
					for _, it := range items {
						if m := it.(map[string]any); m["company_id"] == co["id"] {
							residency = m["id"].(string)
						}
					}
					return residency != ""
				})
				var planned reply
				waitUntil(t, "milestones to learn the residency", func() bool {
					planned = op.do("POST", "/api/v1/residencies/"+residency+"/milestone-plan", nil)
					return planned.status != 404
				})
				if planned.status != 201 || len(planned.obj(t)["milestones"].([]any)) != 3 {
					t.Fatalf("plan from the template: %d %s", planned.status, planned.body)
				}
				timeline := c.do("GET", "/api/v1/companies/"+co["id"].(string)+"/milestone-timeline", nil)
				if timeline.status != 200 || timeline.obj(t)["total"].(float64) != 3 {
					t.Fatalf("the founder's timeline: %d %s", timeline.status, timeline.body)
				}
			})

			t.Run("merged OpenAPI documents every route", func(t *testing.T) {
				doc := newClient(t, base).do("GET", "/api/v1/openapi.json", nil).obj(t)
				if doc["openapi"] != "3.1.0" {
					t.Fatalf("openapi %v", doc["openapi"])
				}
				paths := doc["paths"].(map[string]any)
				for _, p := range []string{"/api/v1/auth/login", "/api/v1/carriers/{id}", "/api/v1/regions/{id}/members/{user}/roles/{role}", "/api/v1/documents/{id}/versions/{version}/content"} {
					if _, ok := paths[p]; !ok {
						t.Errorf("openapi lacks %s", p)
					}
				}
			})

			t.Run("merged OpenAPI keeps each service's shapes apart", func(t *testing.T) {
				var doc struct {
					Components struct {
						Schemas map[string]json.RawMessage `json:"schemas"`
					} `json:"components"`
				}
				if err := json.Unmarshal(newClient(t, base).do("GET", "/api/v1/openapi.json", nil).body, &doc); err != nil {
					t.Fatal(err)
				}
				// Each pair was one name with two shapes; the last merged won.
				for _, pair := range [][2]string{{"parks_MemberDTO", "incubatees_MemberDTO"}, {"parks_AuditDTO", "documents_AuditDTO"}, {"incubatees_ReviewInput", "documents_DocumentReviewInput"}} {
					a, b := doc.Components.Schemas[pair[0]], doc.Components.Schemas[pair[1]]
					if a == nil || b == nil || bytes.Equal(a, b) {
						t.Errorf("%s = %s, %s = %s", pair[0], a, pair[1], b)
					}
				}
				for _, bare := range []string{"MemberDTO", "AuditDTO", "ReviewInput"} {
					if _, ok := doc.Components.Schemas[bare]; ok {
						t.Errorf("schema %s is not namespaced by its service", bare)
					}
				}
			})

			t.Run("console and unknown routes", func(t *testing.T) {
				c := newClient(t, base)
				for _, p := range []string{"/", "/carriers/123"} {
					r := c.do("GET", p, nil)
					if r.status != 200 || !strings.Contains(string(r.body), "孵化链") {
						t.Errorf("GET %s: %d %s", p, r.status, r.body)
					}
				}
				r := c.do("GET", "/api/v1/nothing-here", nil)
				if r.status != 404 || r.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("unknown api route: %d %q", r.status, r.header.Get("Content-Type"))
				}
				if r := c.do("GET", "/readyz", nil); r.status != 200 {
					t.Errorf("readyz: %d %s", r.status, r.body)
				}
			})

			t.Run("readyz reports every module of the process", func(t *testing.T) {
				var ready struct {
					Ready  bool              `json:"ready"`
					Checks map[string]string `json:"checks"`
				}
				if err := json.Unmarshal(newClient(t, base).do("GET", "/readyz", nil).body, &ready); err != nil {
					t.Fatal(err)
				}
				want := []string{"database", "module blob", "module bus", "module metrics", "module signer", "module invitation-key", "module documents-core",
					"module milestones-core", "module incubatees-core", "module parks-core", "module rollups-core", "module notifications-core", "module seed", "module gateway", "module seed-company", "module all"}
				if !ready.Ready || len(ready.Checks) != len(want) {
					t.Fatalf("readyz: %+v, want %v", ready, want)
				}
				for _, k := range want {
					if ready.Checks[k] != "ok" {
						t.Errorf("readyz %s = %q, want ok", k, ready.Checks[k])
					}
				}
			})
		})
	}
}

// gatewayMatrix is the authorization matrix of the gateway's own routes;
// the services' routes have theirs in their own packages.
var gatewayMatrix = map[string]map[string]int{
	// sign-in works for every account and answers 401 to nobody in particular
	"POST /api/v1/auth/login":  {"user": 200, "anonymous": 401},
	"POST /api/v1/auth/logout": {"user": 204, "anonymous": 204},
	"GET /api/v1/auth/me":      {"user": 200, "anonymous": 401},
	"GET /api/v1/openapi.json": {"user": 200, "anonymous": 200},
	"GET /healthz":             {"user": 200, "anonymous": 200},
	"GET /readyz":              {"user": 200, "anonymous": 200},
}

func TestGatewayRouteMatrix(t *testing.T) {
	s := settings(t, "sqlite")
	l := start(t, s, TargetAll)
	base := "http://" + s.Gateway.Addr
	routes := l.GatewayRoutes()
	sort.Strings(routes)
	for _, rt := range routes {
		if _, ok := gatewayMatrix[rt]; !ok {
			t.Errorf("gateway route %s has no entry in the matrix", rt)
		}
	}
	// The gateway forwards every route a service declares to that service.
	assertRoutesReachOwner(t, l, l.ServiceRoutes())
	// Metrics have a listener of their own (INCUCHAIN_METRICS_ADDR); the
	// public port must not serve them, not even as a console page.
	if r := newClient(t, base).do("GET", "/metrics", nil); r.status != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port: %d, want 404", r.status)
	}
	// The metrics listener is not the API: a plain GET, no OpenAPI check.
	mres, err := http.Get("http://" + s.Platform.MetricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	mbody, _ := io.ReadAll(mres.Body)
	mres.Body.Close()
	if mres.StatusCode != http.StatusOK ||
		!strings.Contains(string(mbody), `incuchain_http_requests_total{method="GET",route="unmatched",service="gateway",status="404"}`) {
		t.Errorf("the metrics listener: %d, lacks the gateway's 404:\n%s", mres.StatusCode, mbody)
	}
	users := []string{"admin@incuchain.demo", "officer@lixia.demo", "district@lixia.demo", "parkadmin@lixia.demo", "operator@lixia.demo", "founder@lixia.demo", "newstaff@lixia.demo", ""}
	for _, rt := range routes {
		want, ok := gatewayMatrix[rt]
		if !ok {
			continue
		}
		method, path, _ := strings.Cut(rt, " ")
		for _, u := range users {
			c := newClient(t, base)
			role := "anonymous"
			var body any
			if u != "" {
				role = "user"
				if r := c.login(u); r.status != 200 {
					t.Fatalf("login %s: %d", u, r.status)
				}
			}
			if path == "/api/v1/auth/login" {
				c = newClient(t, base)
				body = map[string]string{"email": u, "password": "incuchain-demo"}
				if u == "" {
					body = map[string]string{"email": "nobody@example.com", "password": "incuchain-demo"}
				}
			}
			if r := c.do(method, path, body); r.status != want[role] {
				t.Errorf("%s as %q: %d, want %d (%s)", rt, u, r.status, want[role], r.body)
			}
		}
	}
}

// assertRoutesReachOwner checks that the gateway of l forwards each
// /api/v1 route of routes, its parameters filled in, to the service that
// declares it.
func assertRoutesReachOwner(t *testing.T, l *Launcher, routes map[string][]string) {
	t.Helper()
	n := 0
	for svc, rs := range routes {
		for _, rt := range rs {
			method, path, _ := strings.Cut(rt, " ")
			if !strings.HasPrefix(path, "/api/v1/") {
				continue
			}
			segs := strings.Split(path, "/")
			for i, seg := range segs {
				if strings.HasPrefix(seg, ":") {
					segs[i] = "01HZX0PARAM" + seg[1:]
				}
			}
			n++
			if got, ok := l.RouteOwner(context.Background(), method, strings.Join(segs, "/")); got != svc || !ok {
				t.Errorf("%s (%s): the gateway forwards it to %q (%v)", rt, svc, got, ok)
			}
		}
	}
	if n == 0 {
		t.Fatal("no service routes to check")
	}
}

func TestServicesRunApart(t *testing.T) {
	s := settingsApart(t, "sqlite")
	parks := start(t, s, TargetParks)
	g := s
	g.Gateway.ParksURL = "http://" + s.Parks.Addr
	g.SeedDemo = false
	g.Platform.MetricsAddr = freeAddr(t) // a process of its own needs a metrics port of its own
	gw := start(t, g, TargetGateway)
	// The gateway learns parks' routes from parks' own OpenAPI document.
	assertRoutesReachOwner(t, gw, map[string][]string{"parks": parks.ServiceRoutes()["parks"]})
	c := newClient(t, "http://"+s.Gateway.Addr)
	if r := c.login("officer@lixia.demo"); r.status != 200 {
		t.Fatalf("login through the proxy: %d %s", r.status, r.body)
	}
	r := c.do("GET", "/api/v1/regions", nil)
	if r.status != 200 || !strings.Contains(string(r.body), "lixia") || strings.Contains(string(r.body), "huaiyin") {
		t.Fatalf("regions through the proxy: %d %s", r.status, r.body)
	}
}

// waitUntil polls cond: the all-in-one's events cross three services, so
// it allows longer than a single service's harness.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.Eventually(t, what, cond, testkit.Within(30*time.Second))
}

// A service started while NATS is down serves HTTP at once — reads and
// writes, which wait in the outbox — and says on /readyz why it is not
// ready; once NATS comes, it declares its stream, starts its followers and
// relay, turns ready and delivers what was written meanwhile.
func TestServiceStartsWhileNATSIsDown(t *testing.T) {
	s := settingsApart(t, "sqlite")
	// The NATS server that will come later: its store and credentials
	// (as an operator would provision them) exist, nothing listens yet.
	natsDir := t.TempDir()
	const password = "parks-password-for-this-test-only"
	if err := os.WriteFile(filepath.Join(natsDir, bus.CredentialsFile), []byte(`{"parks": "`+password+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	natsAddr := freeAddr(t)
	s.Platform.NATSURL = "nats://" + natsAddr
	s.Platform.NATSNamespace = ""
	s.Platform.NATSUser, s.Platform.NATSPassword = "parks", password
	start(t, s, TargetParks) // seeds the demo region: its events go to the outbox

	parksURL := "http://" + s.Parks.Addr
	ready := func() (int, string) {
		resp, err := http.Get(parksURL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := ready(); code != http.StatusServiceUnavailable || !strings.Contains(body, "nats: not connected") {
		t.Fatalf("/readyz during the outage = %d %s; want 503 naming nats: not connected", code, body)
	}

	// The API answers meanwhile, authorized from parks' own tables.
	g := s
	g.Gateway.ParksURL = parksURL
	g.SeedDemo = false
	g.Platform.MetricsAddr = freeAddr(t) // a process of its own needs a metrics port of its own
	start(t, g, TargetGateway)
	c := newClient(t, "http://"+s.Gateway.Addr)
	if r := c.login("officer@lixia.demo"); r.status != 200 {
		t.Fatalf("login during the outage: %d %s", r.status, r.body)
	}
	if r := c.do("GET", "/api/v1/regions", nil); r.status != 200 || !strings.Contains(string(r.body), "lixia") {
		t.Fatalf("regions during the outage: %d %s", r.status, r.body)
	}

	// NATS comes up on the configured address.
	_, port, _ := net.SplitHostPort(natsAddr)
	p, _ := strconv.Atoi(port)
	srv := bustest.StartEmbeddedAt(t, natsDir, p)
	waitUntil(t, "parks to turn ready once NATS is up", func() bool {
		code, _ := ready()
		return code == http.StatusOK
	})
	waitUntil(t, "the demo region's event, written during the outage, to reach parks' stream", func() bool {
		st, err := srv.JetStream().Stream(context.Background(), srv.StreamName("parks"))
		if err != nil {
			return false
		}
		info, err := st.Info(context.Background())
		if err != nil || info.State.Msgs == 0 {
			return false
		}
		msg, err := st.GetMsg(context.Background(), info.State.FirstSeq)
		return err == nil && strings.HasPrefix(msg.Subject, "incuchain.parks.")
	})
}

// The graph is declared once: each target's modules come from it, the
// gateway takes the services that run with it, and -target's help names
// every target.
func TestTargetsFromOneGraph(t *testing.T) {
	s := settings(t, "sqlite")
	for target, want := range map[string][]string{
		TargetAll:           {"blob", "bus", "metrics", "signer", "documents-core", "incubatees-core", "milestones-core", "invitation-key", "notifications-core", "parks-core", "rollups-core", "seed", "gateway", "seed-company", "all"},
		TargetGateway:       {"metrics", "signer", "gateway"},
		TargetParks:         {"metrics", "bus", "invitation-key", "signer", "parks-core", "seed", "parks"},
		TargetIncubatees:    {"bus", "metrics", "signer", "incubatees-core", "incubatees"},
		TargetDocuments:     {"blob", "bus", "metrics", "signer", "documents-core", "documents"},
		TargetMilestones:    {"metrics", "bus", "signer", "milestones-core", "milestones"},
		TargetRollups:       {"metrics", "bus", "signer", "rollups-core", "rollups"},
		TargetNotifications: {"metrics", "bus", "invitation-key", "signer", "notifications-core", "notifications"},
	} {
		l, err := New(s, target, bustest.Logger(t), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(l.order, want) {
			t.Errorf("%s runs %v, want %v", target, l.order, want)
		}
		if !strings.Contains(TargetHelp(), "\n  "+target+" ") {
			t.Errorf("-target help lacks %s:\n%s", target, TargetHelp())
		}
	}
	if _, err := New(s, "seed", bustest.Logger(t), io.Discard); err == nil || !strings.Contains(err.Error(), "want one of all, documents, gateway, incubatees, milestones, notifications, parks, rollups") {
		t.Errorf("an inner module as target: %v", err)
	}
}
