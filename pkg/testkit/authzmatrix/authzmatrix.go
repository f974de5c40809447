// Package authzmatrix drives a service's authorization matrix over its
// test harness: every route the service serves × every caller × the
// fixture's targets (own, foreign carrier, foreign region). A service keeps
// its rows (each route's expected statuses and how to build its request);
// the request building by default, the loop, the checks and the report are
// here, once for every service (authztest.Matrix does the checking).
package authzmatrix

import (
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
)

// Target is one column of the matrix: its name, the fixture keys of the
// region, carrier and company a request at it addresses, and the e-mail
// of the company's startup member.
type Target struct{ Key, Region, Carrier, Company, Founder string }

// The targets of the demo world every harness builds (testkit.DemoUsers):
// the callers' own region lixia, carrier X and company coA; carrier M and
// company coB of the same region; region huaiyin's carrier H and company
// coC.
var (
	Own            = Target{Key: "own", Region: "lixia", Carrier: "X", Company: "coA", Founder: "founder@lixia.demo"}
	ForeignCarrier = Target{Key: "foreign_carrier", Region: "lixia", Carrier: "M", Company: "coB", Founder: "founder2@lixia.demo"}
	ForeignRegion  = Target{Key: "foreign_region", Region: "huaiyin", Carrier: "H", Company: "coC", Founder: "founder3@huaiyin.demo"}
)

// DemoTargets are the demo world's targets in the matrix's order: Own,
// ForeignCarrier, ForeignRegion.
func DemoTargets() []Target { return []Target{Own, ForeignCarrier, ForeignRegion} }

// Fixture answers t itself, so a service's own target type that embeds a
// Target (to carry more keys) serves as one.
func (t Target) Fixture() Target { return t }

// Fixture is a target type: a Target, or a type embedding one.
type Fixture interface{ Fixture() Target }

// Service is a service under test as the matrix calls it: a client that
// calls it as a caller, every route it serves ("METHOD /path") and the id
// of a fixture key.
type Service interface {
	authztest.Client
	Routes() []string
	ID(key string) string
}

// Case is one route's row: its expected statuses, and how to build its
// request.
type Case[H any] struct {
	// Spec is "role=own,foreign_carrier,foreign_region" tokens; "all="
	// sets every role not named (authztest.ParseSpec).
	Spec string
	// Prepare builds the path and body of the request at target ti (n is
	// unique per request); nil substitutes :id by the target's region,
	// carrier or company, by the path's first segment.
	Prepare func(h H, ti, n int) (path string, body any)
}

// Specs are cases of the specs by route, each without Prepare, for a
// matrix whose Default builds every request.
func Specs[H any](specs map[string]string) map[string]Case[H] {
	out := make(map[string]Case[H], len(specs))
	for route, spec := range specs {
		out[route] = Case[H]{Spec: spec}
	}
	return out
}

// Matrix is a service's authorization matrix.
type Matrix[H Service, T Fixture] struct {
	Callers []authztest.Caller
	// Explicit are callers every spec must name (no "all=" for them).
	Explicit []string
	Targets  []T
	Cases    map[string]Case[H]
	// Default builds the request of a case without Prepare, as the
	// caller ci (an index of Callers) at target ti; nil substitutes :id by
	// the target's region, carrier or company.
	Default func(h H, route string, ci, ti, n int) (path string, body any)
}

// Request is the request to route as caller ci at target ti: what its
// case prepares, else what Default builds, else its path with :id
// substituted by the target's region, carrier or company.
func (m Matrix[H, T]) Request(h H, route string, ci, ti, n int) (string, any) {
	if c := m.Cases[route]; c.Prepare != nil {
		return c.Prepare(h, ti, n)
	}
	if m.Default != nil {
		return m.Default(h, route, ci, ti, n)
	}
	_, path, _ := strings.Cut(route, " ")
	return strings.Replace(path, ":id", m.TargetID(h, path, ti), 1), nil
}

// TargetID is the id a path's :id stands for at target ti: its region's,
// carrier's or company's, by the path's first segment.
func (m Matrix[H, T]) TargetID(h H, path string, ti int) string {
	tg := m.Targets[ti].Fixture()
	return authztest.PathTarget(path, h.ID(tg.Region), h.ID(tg.Carrier), h.ID(tg.Company))
}

// Run sends every request of the matrix to h and fails t on a route
// without a case, a case without a route, and an answer other than its
// case wants (an error not as problem+json); a matrix that sends nothing
// fails too.
func (m Matrix[H, T]) Run(t *testing.T, h H) {
	t.Helper()
	targets := authztest.Keys(m.Targets, func(tg T) string { return tg.Fixture().Key })
	specs := authztest.SpecsOf(m.Cases, func(c Case[H]) string { return c.Spec })
	sent := authztest.Matrix{Routes: authztest.APIRoutes(h.Routes()), Specs: specs, Roles: authztest.CallerKeys(m.Callers), Targets: targets,
		Explicit: m.Explicit, Do: func(route string, ci, ti, n int) (int, string, []byte) {
			method, _, _ := strings.Cut(route, " ")
			url, body := m.Request(h, route, ci, ti, n)
			res := h.Do(m.Callers[ci].Email, method, url, body)
			return res.Status, res.Header.Get("Content-Type"), res.Body
		}}.Run(t)
	if sent == 0 {
		t.Fatal("no request sent")
	}
}
