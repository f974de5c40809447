package authztest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	got := ParseSpec(t, "all=404,404,404 park_admin=200,404,404 anonymous=401,401,401", []string{"park_admin", "district_viewer", "anonymous"})
	want := map[string][3]int{"park_admin": {200, 404, 404}, "district_viewer": {404, 404, 404}, "anonymous": {401, 401, 401}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for role, w := range want {
		if got[role] != w {
			t.Errorf("%s: %v, want %v", role, got[role], w)
		}
	}
}

// fatalRecorder records Fatalf instead of stopping the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic(f)
}

func TestParseSpecRefusesBadSpecs(t *testing.T) {
	for _, spec := range []string{"park_admin=200,404", "park_admin=ok,404,404", "park_admin 200,404,404", "park_admin=200,404,404"} {
		rec := &fatalRecorder{TB: t}
		func() {
			defer func() { _ = recover() }()
			ParseSpec(rec, spec, []string{"park_admin", "anonymous"})
		}()
		if !rec.failed {
			t.Errorf("spec %q accepted", spec)
		}
	}
}

// A caller listed as explicit must be named in every spec: "all=" does not
// stand for it.
func TestParseSpecExplicit(t *testing.T) {
	roles := []string{"park_admin", "stranger", "anonymous"}
	got := ParseSpecExplicit(t, "all=404,404,404 stranger=404,404,403 anonymous=401,401,401", roles, []string{"stranger"})
	if got["stranger"] != [3]int{404, 404, 403} || got["park_admin"] != [3]int{404, 404, 404} {
		t.Fatalf("got %v", got)
	}
	rec := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		ParseSpecExplicit(rec, "all=404,404,404 anonymous=401,401,401", roles, []string{"stranger"})
	}()
	if !rec.failed {
		t.Error("a spec without the explicit caller was accepted")
	}
}

// Run reports routes without specs, specs without routes, wrong statuses
// and errors that are not problem+json.
func TestMatrixRun(t *testing.T) {
	rec := &errorRecorder{TB: t}
	n := Matrix{
		Routes:  []string{"GET /a", "GET /b"},
		Specs:   map[string]string{"GET /a": "all=404,404,404 admin=200,200,200", "GET /gone": "all=200,200,200"},
		Roles:   []string{"admin", "guest"},
		Targets: []string{"own", "sibling", "foreign"},
		Do: func(route string, role, target, n int) (int, string, []byte) {
			if role == 1 && target == 2 {
				return 404, "text/plain", nil // right status, wrong content type
			}
			if role == 1 && target == 1 {
				return 200, "application/json", nil // wrong status
			}
			return []int{200, 404}[role], "application/problem+json", nil
		},
	}.Run(rec)
	if n != 6 {
		t.Errorf("sent %d requests, want 6 (GET /b has no spec)", n)
	}
	want := []string{"route GET /b has no entry", "matrix entry GET /gone names no route", "GET /a as guest on sibling: 200, want 404", "GET /a as guest on foreign: error without problem+json"}
	if len(rec.errs) != len(want) {
		t.Fatalf("errors %q", rec.errs)
	}
	for i, w := range want {
		if !strings.Contains(rec.errs[i], w) {
			t.Errorf("error %d: %q, want it to say %q", i, rec.errs[i], w)
		}
	}
}

type errorRecorder struct {
	testing.TB
	errs []string
}

func (e *errorRecorder) Helper()                   {}
func (e *errorRecorder) Logf(string, ...any)       {}
func (e *errorRecorder) Errorf(f string, a ...any) { e.errs = append(e.errs, fmt.Sprintf(f, a...)) }

// The table helpers: routes under /api/v1/ only, sorted; a path's :id by
// its first segment; the demo callers in order, the service's own before
// anonymous.
func TestTableHelpers(t *testing.T) {
	routes := APIRoutes([]string{"POST /api/v1/regions", "GET /healthz", "GET /api/v1/carriers/:id"})
	if !reflect.DeepEqual(routes, []string{"GET /api/v1/carriers/:id", "POST /api/v1/regions"}) {
		t.Fatalf("APIRoutes: %v", routes)
	}
	for path, want := range map[string]string{"/api/v1/regions/:id": "r", "/api/v1/carriers/:id/members": "c", "/api/v1/companies/:id": "co"} {
		if got := PathTarget(path, "r", "c", "co"); got != want {
			t.Errorf("PathTarget(%s) = %s, want %s", path, got, want)
		}
	}
	cs := DemoCallers("nobody@x", Caller{Key: "extra", Email: "extra@x"})
	keys, emails := CallerKeys(cs), CallerEmails(cs)
	if n := len(keys); n != 9 || keys[6] != "no_role" || emails[6] != "nobody@x" || keys[7] != "extra" || keys[8] != "anonymous" || emails[8] != "" {
		t.Fatalf("DemoCallers: %v %v", keys, emails)
	}
	specs := SpecsOf(map[string]int{"GET /a": 1}, func(n int) string { return "all=200,200,200" })
	if specs["GET /a"] != "all=200,200,200" {
		t.Fatalf("SpecsOf: %v", specs)
	}
}
