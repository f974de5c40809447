package launcher

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
)

// badParams are path parameter values no route may take to its database:
// NUL and other control characters, bytes that are not UTF-8, bidi
// controls, a quote, over-long and malformed ids. Each is already
// percent-encoded for the URL.
var badParams = []string{
	"%00", "a%00b", "01JDQ7Z5X8K2M3N4P5Q6R7S8T%00", "%01", "%09", "%0A", "%0D", "%1B", "%1F", "%7F", "%C2%85",
	"%E2%80%AE", "%FF", "x%27--", "%22", "%20", strings.Repeat("0", 27), "01JDQ7Z5X8K2M3N4P5Q6R7S8T9" + strings.Repeat("A", 300),
	strings.Repeat("Z", 26), "not-an-id!", "%E5%9B%AD%E5%8C%BA",
}

// goodParam is a well-formed value for a path parameter, so each sweep
// varies one parameter at a time.
func goodParam(name string, ids map[string]string, path string) string {
	switch name {
	case "id":
		for prefix, id := range ids {
			if strings.HasPrefix(path, "/api/v1/"+prefix+"/:id") {
				return id
			}
		}
		return events.NewID()
	case "user":
		return events.NewID()
	case "version":
		return "1"
	case "role":
		return "park_admin"
	case "period":
		return "2026-Q1"
	case "step":
		return "startup"
	case "code":
		return "other"
	case "token":
		return "not-a-real-token-but-well-formed"
	}
	return "x"
}

// fill replaces every ":name" segment of path; bad, when set, replaces the
// one called only.
func fill(path string, ids map[string]string, only, bad string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			if name == only {
				parts[i] = bad
			} else {
				parts[i] = goodParam(name, ids, path)
			}
		}
	}
	return strings.Join(parts, "/")
}

func pathParams(path string) []string {
	var out []string
	for _, p := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			out = append(out, name)
		}
	}
	return out
}

// writeCounter counts what an actor has written in each service's
// database: audit lines and outbox events.
type writeCounter struct {
	dbs map[string]*bun.DB
}

func newWriteCounter(t *testing.T, s Settings) *writeCounter {
	t.Helper()
	w := &writeCounter{dbs: map[string]*bun.DB{}}
	homes := s.Homes()
	for _, name := range []string{TargetParks, TargetIncubatees, TargetDocuments, TargetMilestones} {
		cfg := homes[name].DBConfig()
		cfg.DSN = platform.SQLiteDSN(s.Platform.DataDir, cfg.DSN)
		bdb, err := db.Open(context.Background(), cfg)
		if err != nil {
			t.Fatalf("open %s database: %v", name, err)
		}
		t.Cleanup(func() { _ = bdb.Close() })
		w.dbs[name] = bdb
	}
	return w
}

func (w *writeCounter) count(t *testing.T, actor string) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	for name, bdb := range w.dbs {
		var audit, outbox int
		if err := bdb.NewRaw("SELECT COUNT(*) FROM audit_log WHERE actor = ?", actor).Scan(ctx, &audit); err != nil {
			t.Fatalf("%s audit_log: %v", name, err)
		}
		like := `%"actor":"` + actor + `"%`
		if err := bdb.NewRaw("SELECT COUNT(*) FROM outbox WHERE envelope LIKE ?", like).Scan(ctx, &outbox); err != nil {
			t.Fatalf("%s outbox: %v", name, err)
		}
		out[name+" audit"], out[name+" outbox"] = audit, outbox
	}
	return out
}

// rawFields are tagged text:"raw": passwords, hashed and never shown.
var rawFields = map[string]bool{"password": true}

// stringSlots lists JSON bodies that each put text with a NUL into one
// string of a request schema, with the field path a problem must name
// ("" when the slot's shape is open: a map or any JSON value).
type slot struct {
	field string
	body  any
}

func stringSlots(schema map[string]any, components map[string]any, depth int) []slot {
	if ref, ok := schema["$ref"].(string); ok {
		target, _ := components[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
		if depth > 4 || target == nil {
			return nil
		}
		return stringSlots(target, components, depth+1)
	}
	// A nullable value is written the OpenAPI 3.1 way: a type list with
	// "null", or anyOf a $ref and {"type": "null"}; its text slot is the
	// non-null alternative's.
	if alts, ok := schema["anyOf"].([]any); ok {
		for _, a := range alts {
			if m, _ := a.(map[string]any); m != nil && m["type"] != "null" {
				return stringSlots(m, components, depth)
			}
		}
	}
	kind := schema["type"]
	if list, ok := kind.([]any); ok {
		kind = nil
		for _, k := range list {
			if k != "null" {
				kind = k
			}
		}
	}
	const nul = "a\u0000b"
	switch kind {
	case "string":
		if schema["format"] == "date-time" {
			return nil
		}
		return []slot{{"", nul}}
	case "array":
		items, _ := schema["items"].(map[string]any)
		var out []slot
		for _, s := range stringSlots(items, components, depth+1) {
			out = append(out, slot{join("[0]", s.field), []any{s.body}})
		}
		return out
	case "object", nil:
		props, ok := schema["properties"].(map[string]any)
		if !ok {
			// A map or any JSON value: text in a value and in a key.
			return []slot{{"?", map[string]any{"k": nul}}, {"?", map[string]any{nul: "v"}}}
		}
		names := make([]string, 0, len(props))
		for k := range props {
			names = append(names, k)
		}
		sort.Strings(names)
		var out []slot
		for _, k := range names {
			ps, _ := props[k].(map[string]any)
			for _, s := range stringSlots(ps, components, depth+1) {
				out = append(out, slot{join(k, s.field), map[string]any{k: s.body}})
			}
		}
		return out
	}
	return nil
}

// join names a child's field the way httpx does ("a.b", "a[0]"); "?"
// stays open.
func join(parent, child string) string {
	switch {
	case child == "?":
		return "?"
	case child == "":
		return parent
	case strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}

// TestEdgeRefusesBadInputOnEveryRoute sends, through the gateway as a
// signed-in platform admin, malformed path parameters and query strings
// to every route of every service, and text with a NUL into every string
// of every request body the OpenAPI document describes, plus bodies that
// are not JSON or are null. Every answer must be a 4xx problem (never a
// 5xx: the probe found 500s from SQLite's "unrecognized token" and from
// PostgreSQL) and the admin must have written nothing. Routes come from
// the running services, so a new route is swept without editing this test.
func TestEdgeRefusesBadInputOnEveryRoute(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			s := settingsAllOn(t, d)
			l := start(t, s, TargetAll)
			c := newClient(t, "http://"+s.Gateway.Addr)
			if r := c.login("admin@incuchain.demo"); r.status != 200 {
				t.Fatalf("login: %d %s", r.status, r.body)
			}
			admin := c.do("GET", "/api/v1/auth/me", nil).obj(t)["user"].(map[string]any)["id"].(string)
			ids := demoIDs(t, c)
			writes := newWriteCounter(t, s)
			before := writes.count(t, admin)

			var routes []string
			for svc, rs := range l.ServiceRoutes() {
				for _, r := range rs {
					if _, path, _ := strings.Cut(r, " "); strings.HasPrefix(path, "/api/v1/") {
						routes = append(routes, r)
					}
				}
				if len(rs) == 0 {
					t.Fatalf("%s lists no routes", svc)
				}
			}
			for _, r := range l.GatewayRoutes() {
				if _, path, _ := strings.Cut(r, " "); strings.HasPrefix(path, "/api/v1/") {
					routes = append(routes, r)
				}
			}
			sort.Strings(routes)
			if len(routes) < 90 {
				t.Fatalf("only %d routes found: %v", len(routes), routes)
			}

			refused := func(t *testing.T, what string, r reply, status int, slug string) map[string]any {
				t.Helper()
				if r.status >= 500 || r.status != status || r.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s: %d %q %.300s, want %d problem+json", what, r.status, r.header.Get("Content-Type"), r.body, status)
					return nil
				}
				p := r.obj(t)
				if slug != "" && p["slug"] != slug {
					t.Errorf("%s: slug %v, want %s", what, p["slug"], slug)
				}
				return p
			}

			t.Run("path parameters", func(t *testing.T) {
				n := 0
				for _, rt := range routes {
					method, path, _ := strings.Cut(rt, " ")
					for _, name := range pathParams(path) {
						for _, bad := range badParams {
							u := fill(path, ids, name, bad)
							r := c.raw(method, u, []byte(`{}`), "Content-Type", "application/json", "Accept-Language", "en")
							n++
							if plain, _ := url.PathUnescape(bad); httpx.ValidPathParam(name, plain) {
								// Well-formed for this parameter (a code or a
								// token may be "ZZZ…"): the handler answers.
								if r.status < 400 || r.status >= 500 || r.header.Get("Content-Type") != "application/problem+json" {
									t.Errorf("%s %s: %d %.300s", method, u, r.status, r.body)
								}
								continue
							}
							refused(t, method+" "+u, r, 404, "resource-not-found")
						}
					}
				}
				if n < 1000 {
					t.Fatalf("only %d requests", n)
				}
				t.Logf("%d routes, %d malformed path parameters", len(routes), n)
			})

			t.Run("query strings", func(t *testing.T) {
				for _, rt := range routes {
					method, path, _ := strings.Cut(rt, " ")
					for _, q := range []string{"q=a%00b", "status=%1B", "q=%FF", "kind=a%0Ab", "q=%E2%80%AE", "a%00=1"} {
						u := fill(path, ids, "", "") + "?" + q
						p := refused(t, method+" "+u, c.raw(method, u, []byte(`{}`), "Content-Type", "application/json"), 422, "invalid-query")
						if p != nil && len(p["errors"].([]any)) != 1 {
							t.Errorf("%s %s: errors %v", method, u, p["errors"])
						}
					}
				}
			})

			doc := c.do("GET", "/api/v1/openapi.json", nil).obj(t)
			components, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
			type bodyRoute struct {
				method, path string
				schema       map[string]any
			}
			var bodies []bodyRoute
			for p, ops := range doc["paths"].(map[string]any) {
				for m, op := range ops.(map[string]any) {
					rb, ok := op.(map[string]any)["requestBody"].(map[string]any)
					if !ok {
						continue
					}
					content, _ := rb["content"].(map[string]any)
					media, _ := content["application/json"].(map[string]any)
					schema, _ := media["schema"].(map[string]any)
					if schema == nil {
						continue // uploads: the body is the file
					}
					path := strings.NewReplacer("{", ":", "}", "").Replace(p)
					bodies = append(bodies, bodyRoute{strings.ToUpper(m), path, schema})
				}
			}
			sort.Slice(bodies, func(i, j int) bool { return bodies[i].path+bodies[i].method < bodies[j].path+bodies[j].method })
			if len(bodies) < 30 {
				t.Fatalf("only %d routes take JSON bodies", len(bodies))
			}

			t.Run("NUL in every body string", func(t *testing.T) {
				slots := 0
				for _, b := range bodies {
					u := fill(b.path, ids, "", "")
					for _, s := range stringSlots(b.schema, components, 0) {
						raw, _ := json.Marshal(s.body)
						what := fmt.Sprintf("%s %s %s", b.method, b.path, raw)
						r := c.raw(b.method, u, raw, "Content-Type", "application/json", "Accept-Language", "en")
						if s.field == "?" || rawFields[s.field] {
							// Open shapes (maps, any JSON): a wrong type is a
							// fine refusal too; raw fields meet their own
							// rule (authn.ValidatePassword); a 5xx is not.
							if r.status < 400 || r.status >= 500 {
								t.Errorf("%s: %d %.300s", what, r.status, r.body)
							}
							slots++
							continue
						}
						p := refused(t, what, r, 422, "invalid-text")
						if p == nil {
							continue
						}
						errs, _ := p["errors"].([]any)
						if len(errs) != 1 || errs[0].(map[string]any)["field"] != s.field || errs[0].(map[string]any)["code"] != "control_char" {
							t.Errorf("%s: errors %v, want %s control_char", what, errs, s.field)
						}
						slots++
					}
				}
				if slots < 100 {
					t.Fatalf("only %d string slots", slots)
				}
				t.Logf("%d JSON body routes, %d string slots", len(bodies), slots)
			})

			t.Run("bodies that are not JSON objects", func(t *testing.T) {
				for _, b := range bodies {
					u := fill(b.path, ids, "", "")
					for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
						refused(t, b.method+" "+b.path+" as "+ct, c.raw(b.method, u, []byte(`{}`), "Content-Type", ct), 415, "unsupported-content-type")
					}
					refused(t, b.method+" "+b.path+" null", c.raw(b.method, u, []byte(`null`), "Content-Type", "application/json"), 400, "malformed-json")
					refused(t, b.method+" "+b.path+" empty", c.raw(b.method, u, nil, "Content-Type", "application/json"), 400, "malformed-json")
				}
			})

			if after := writes.count(t, admin); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the sweep wrote: %v -> %v", before, after)
			}
			// The counter sees writes: a real change by the same admin shows.
			if r := c.do("PATCH", "/api/v1/regions/"+ids["regions"], map[string]any{"name_en": "Lixia (edge test)"}); r.status != 200 {
				t.Fatalf("rename region: %d %s", r.status, r.body)
			}
			if after := writes.count(t, admin); after["parks audit"] != before["parks audit"]+1 {
				t.Errorf("a real change went unseen: %v -> %v", before, after)
			}
		})
	}
}

// demoIDs finds the demo region, carrier, company and intake call, so
// body sweeps reach handlers with ids that exist.
func demoIDs(t *testing.T, c *client) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, r := range c.do("GET", "/api/v1/regions", nil).obj(t)["items"].([]any) {
		if m := r.(map[string]any); m["code"] == "lixia" {
			ids["regions"] = m["id"].(string)
		}
	}
	if ids["regions"] == "" {
		t.Fatal("no demo region")
	}
	region := ids["regions"]
	carriers := c.do("GET", "/api/v1/regions/"+region+"/carriers", nil).obj(t)["items"].([]any)
	ids["carriers"] = carriers[0].(map[string]any)["id"].(string)
	waitUntil(t, "the demo company and intake call", func() bool {
		cos, _ := c.do("GET", "/api/v1/regions/"+region+"/companies", nil).obj(t)["items"].([]any)
		calls, _ := c.do("GET", "/api/v1/regions/"+region+"/intake-calls?"+url.Values{"open": {"true"}}.Encode(), nil).obj(t)["items"].([]any)
		if len(cos) == 0 || len(calls) == 0 {
			return false
		}
		co := cos[0].(map[string]any)
		if inner, ok := co["company"].(map[string]any); ok {
			co = inner
		}
		ids["companies"] = co["id"].(string)
		ids["intake-calls"] = calls[0].(map[string]any)["id"].(string)
		return true
	})
	return ids
}
