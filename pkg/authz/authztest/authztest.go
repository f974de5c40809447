// Package authztest helps services write authorization matrix tests: one
// readable grammar for the status each caller expects on each target.
package authztest

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/testkit"
)

// ParseSpec reads a matrix entry: space-separated tokens
// "role=own,foreign_carrier,foreign_region" giving the expected HTTP status
// per target, and "all=…" for every role of roles not named. It fails the
// test on a malformed token or a role left without a status.
func ParseSpec(t testing.TB, spec string, roles []string) map[string][3]int {
	t.Helper()
	return ParseSpecExplicit(t, spec, roles, nil)
}

// ParseSpecExplicit is ParseSpec where the roles in explicit are never
// covered by "all=": every entry must name them. A service uses it for a
// caller whose expectations must be decided route by route (a carrier that
// has never dealt with the company, say), so a new route cannot slip by
// with a default.
func ParseSpecExplicit(t testing.TB, spec string, roles, explicit []string) map[string][3]int {
	t.Helper()
	must := map[string]bool{}
	for _, r := range explicit {
		must[r] = true
	}
	out := map[string][3]int{}
	var all *[3]int
	for _, tok := range strings.Fields(spec) {
		role, codes, ok := strings.Cut(tok, "=")
		var v [3]int
		if n, err := fmt.Sscanf(codes, "%d,%d,%d", &v[0], &v[1], &v[2]); !ok || err != nil || n != 3 {
			t.Fatalf("bad matrix token %q", tok)
		}
		if role == "all" {
			all = &v
			continue
		}
		out[role] = v
	}
	for _, r := range roles {
		if _, ok := out[r]; !ok {
			if must[r] {
				t.Fatalf("matrix spec %q has no entry for %s, which every entry must name", spec, r)
			}
			if all == nil {
				t.Fatalf("matrix spec %q has no entry for %s and no all=", spec, r)
			}
			out[r] = *all
		}
	}
	return out
}

// Matrix is a service's authorization matrix: the expected status of every
// route for every caller on every target.
type Matrix struct {
	Routes  []string          // "METHOD /path" of every API route the service serves
	Specs   map[string]string // route -> ParseSpec grammar
	Roles   []string          // caller keys, in order
	Targets []string          // target keys (three: own, sibling, foreign), in order
	// Explicit lists callers every spec must name: "all=" does not cover them.
	Explicit []string
	// Do sends one request of route as caller role to target (indexes into
	// Roles and Targets); n is unique per request. It answers the status,
	// the Content-Type and the body.
	Do func(route string, role, target, n int) (status int, contentType string, body []byte)
}

// Run checks that every route has a spec and every spec a route, then
// sends every request and compares statuses; errors must be problem+json.
// It returns how many requests it sent.
func (m Matrix) Run(t testing.TB) int {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range m.Routes {
		seen[r] = true
		if _, ok := m.Specs[r]; !ok {
			t.Errorf("route %s has no entry in the authorization matrix", r)
		}
	}
	for r := range m.Specs {
		if !seen[r] {
			t.Errorf("matrix entry %s names no route", r)
		}
	}
	n := 0
	for _, r := range m.Routes {
		spec, ok := m.Specs[r]
		if !ok {
			continue
		}
		want := ParseSpecExplicit(t, spec, m.Roles, m.Explicit)
		for ri, role := range m.Roles {
			for ti, target := range m.Targets {
				n++
				status, ct, body := m.Do(r, ri, ti, n)
				switch {
				case status != want[role][ti]:
					t.Errorf("%s as %s on %s: %d, want %d (%s)", r, role, target, status, want[role][ti], body)
				case status >= 400 && ct != "application/problem+json":
					t.Errorf("%s as %s on %s: error without problem+json: %q", r, role, target, ct)
				}
			}
		}
	}
	t.Logf("%d routes × %d callers × %d targets: %d requests", len(m.Routes), len(m.Roles), len(m.Targets), n)
	return n
}

// Keys returns key(x) for each x, in order: the Roles or Targets of a
// Matrix from a service's own table of them.
func Keys[T any](xs []T, key func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = key(x)
	}
	return out
}

// SpecsOf returns the spec of each route of a service's matrix table.
func SpecsOf[C any](table map[string]C, spec func(C) string) map[string]string {
	out := make(map[string]string, len(table))
	for route, c := range table {
		out[route] = spec(c)
	}
	return out
}

// APIRoutes returns, sorted, those of routes ("METHOD /path") that are
// under /api/v1/: the routes a matrix covers.
func APIRoutes(routes []string) []string {
	var out []string
	for _, r := range routes {
		if strings.Contains(r, " /api/v1/") {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// PathTarget returns which of a target's ids a path's :id stands for, by
// the path's first segment: a region's, a carrier's, or else a company's.
func PathTarget(path, region, carrier, company string) string {
	switch {
	case strings.HasPrefix(path, "/api/v1/regions/"):
		return region
	case strings.HasPrefix(path, "/api/v1/carriers/"):
		return carrier
	default:
		return company
	}
}

// Client sends a JSON request as the user with e-mail as; testkit.Client
// is one.
type Client interface {
	Do(as, method, path string, body any, hdr ...string) testkit.Response
}

// Caller is one caller of a matrix: its key and the e-mail of the user it
// signs in as (empty: anonymous).
type Caller struct{ Key, Email string }

// DemoCallers are the callers of every service's matrix, as the demo world
// names them: a user of each role whose own region is lixia, own carrier
// the target "own" and own company that carrier's; then noRole, signed in
// with no role; then extra, the service's own; then anonymous.
func DemoCallers(noRole string, extra ...Caller) []Caller {
	cs := []Caller{
		{"platform_admin", "admin@incuchain.demo"},
		{"district_admin", "district@lixia.demo"},
		{"district_viewer", "officer@lixia.demo"},
		{"park_admin", "parkadmin@lixia.demo"},
		{"park_operator", "operator@lixia.demo"},
		{"startup_member", "founder@lixia.demo"},
		{"no_role", noRole},
	}
	return append(append(cs, extra...), Caller{"anonymous", ""})
}

// CallerKeys lists the callers' keys, in order: a Matrix's Roles.
func CallerKeys(cs []Caller) []string {
	return Keys(cs, func(c Caller) string { return c.Key })
}

// CallerEmails lists the callers' e-mails, in order: Send's emails.
func CallerEmails(cs []Caller) []string {
	return Keys(cs, func(c Caller) string { return c.Email })
}
