package authz

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// Benchmark dataset, the province tier: 20 regions × 100 carriers = 2,000
// carriers, 8,000 companies (4 per carrier), 20,000 assignments: 5
// platform admins, 2 district admins and 2 district viewers per region, 1
// park admin and 3 park operators per carrier, and 11,915 startup members
// (about 1.5 per company).
const (
	benchRegions           = 20
	benchCarriersPerRegion = 100
	benchCarriers          = benchRegions * benchCarriersPerRegion
	benchCompanies         = 4 * benchCarriers
	benchAssignments       = 20000
)

type benchWorld struct {
	e         *Enforcer
	ref       referenceEnforcer // plain Casbin: model, policy, every assignment as a g rule
	operators []string          // park operators; operators[i] works in carrier i%benchCarriers
	members   []string          // startup members; members[i] belongs to company i%benchCompanies
	viewers   []string          // district viewers; viewers[i] sees region i/2
	admins    []string          // platform admins
}

func benchRegion(i int) string   { return fmt.Sprintf("R%03d", i%benchRegions) }
func benchCarrier(i int) string  { return fmt.Sprintf("C%04d", i%benchCarriers) }
func benchCompany(i int) string  { return fmt.Sprintf("X%05d", i%benchCompanies) }
func carrierRegion(c int) string { return benchRegion(c / benchCarriersPerRegion) }
func companyCarrier(x int) int   { return x % benchCarriers }
func benchScope(carrier int) Scope {
	return Scope{RegionID: carrierRegion(carrier), CarrierID: benchCarrier(carrier)}
}

// benchAssignmentsOf builds the dataset's assignments, with fresh strings
// each time so a heap measurement counts the ids the enforcer keeps.
func benchAssignmentsOf(w *benchWorld) []Assignment {
	as := make([]Assignment, 0, benchAssignments)
	add := func(user, role, dom string) {
		as = append(as, Assignment{UserID: user, Role: role, Domain: dom})
	}
	for i := 0; i < 5; i++ {
		u := fmt.Sprintf("platform-%d", i)
		w.admins = append(w.admins, u)
		add(u, RolePlatformAdmin, PlatformDomain())
	}
	for r := 0; r < benchRegions; r++ {
		for i := 0; i < 2; i++ {
			add(fmt.Sprintf("district-admin-%d-%d", r, i), RoleDistrictAdmin, RegionDomain(benchRegion(r)))
			u := fmt.Sprintf("district-viewer-%d-%d", r, i)
			w.viewers = append(w.viewers, u)
			add(u, RoleDistrictViewer, RegionDomain(benchRegion(r)))
		}
	}
	for c := 0; c < benchCarriers; c++ {
		add(fmt.Sprintf("park-admin-%d", c), RoleParkAdmin, CarrierDomain(benchCarrier(c)))
	}
	for i := 0; i < 3*benchCarriers; i++ {
		u := fmt.Sprintf("park-operator-%d", i)
		w.operators = append(w.operators, u)
		add(u, RoleParkOperator, CarrierDomain(benchCarrier(i)))
	}
	for i := 0; len(as) < benchAssignments; i++ {
		u := fmt.Sprintf("startup-member-%d", i)
		w.members = append(w.members, u)
		add(u, RoleStartupMember, CompanyDomain(benchCompany(i)))
	}
	return as
}

var (
	benchOnce   sync.Once
	benchShared *benchWorld
)

// sharedBenchWorld builds the dataset once per process: loading 20,000 g
// rules into the Casbin baseline takes longer than the checks.
func sharedBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	benchOnce.Do(func() {
		w := &benchWorld{}
		as := benchAssignmentsOf(w)
		e, err := New()
		if err != nil {
			b.Fatal(err)
		}
		if err := e.Replace(as); err != nil {
			b.Fatal(err)
		}
		w.e = e
		w.ref = newReference(b, embeddedRules(b), as)
		benchShared = w
	})
	if benchShared == nil {
		b.Fatal("benchmark dataset failed to build")
	}
	return benchShared
}

// benchCase is one kind of request, and the one Casbin question that
// decides it (the domain that allows it, or for a denial inside one's own
// tenant, the user's own domain): the baseline is a single Enforce, the
// least plain Casbin could do for it.
type benchCase struct {
	name string
	want bool
	// req returns the arguments of Can, built before the clock starts.
	req func(i int) (string, Scope, string, string)
	// casbin returns the arguments of the deciding Enforce.
	casbin func(i int) (sub, dom, kind, obj, act string)
}

func benchCases(w *benchWorld) []benchCase {
	operator := func(i int) (string, int) { u := i % len(w.operators); return w.operators[u], u % benchCarriers }
	member := func(i int) (string, int) { u := i % len(w.members); return w.members[u], u % benchCompanies }
	viewer := func(i int) (string, int) { u := i % len(w.viewers); return w.viewers[u], u / 2 }
	companyScope := func(x int) Scope { s := benchScope(companyCarrier(x)); s.CompanyID = benchCompany(x); return s }
	return []benchCase{
		{"allow/park_operator own carrier", true,
			func(i int) (string, Scope, string, string) {
				u, c := operator(i)
				return u, benchScope(c), "company", "update"
			},
			func(i int) (string, string, string, string, string) {
				u, c := operator(i)
				return userSubject(u), CarrierDomain(benchCarrier(c)), KindCarrier, "company", "update"
			}},
		{"allow/startup_member own company", true,
			func(i int) (string, Scope, string, string) {
				u, x := member(i)
				return u, companyScope(x), "company", "update"
			},
			func(i int) (string, string, string, string, string) {
				u, x := member(i)
				return userSubject(u), CompanyDomain(benchCompany(x)), KindCompany, "company", "update"
			}},
		{"allow/district_viewer carrier of region", true,
			func(i int) (string, Scope, string, string) {
				u, r := viewer(i)
				return u, benchScope(r*benchCarriersPerRegion + i%benchCarriersPerRegion), "carrier", "read"
			},
			func(i int) (string, string, string, string, string) {
				u, r := viewer(i)
				return userSubject(u), RegionDomain(benchRegion(r)), KindRegion, "carrier", "read"
			}},
		{"allow/platform_admin", true,
			func(i int) (string, Scope, string, string) {
				return w.admins[i%len(w.admins)], benchScope(i), "member", "grant"
			},
			func(i int) (string, string, string, string, string) {
				return userSubject(w.admins[i%len(w.admins)]), PlatformDomain(), KindPlatform, "member", "grant"
			}},
		{"deny/park_operator own carrier, action not granted", false,
			func(i int) (string, Scope, string, string) {
				u, c := operator(i)
				return u, benchScope(c), "carrier", "update"
			},
			func(i int) (string, string, string, string, string) {
				u, c := operator(i)
				return userSubject(u), CarrierDomain(benchCarrier(c)), KindCarrier, "carrier", "update"
			}},
		{"deny/district_viewer own region, write", false,
			func(i int) (string, Scope, string, string) {
				u, r := viewer(i)
				return u, benchScope(r * benchCarriersPerRegion), "carrier", "update"
			},
			func(i int) (string, string, string, string, string) {
				u, r := viewer(i)
				return userSubject(u), RegionDomain(benchRegion(r)), KindRegion, "carrier", "update"
			}},
		{"deny/park_operator foreign carrier", false,
			func(i int) (string, Scope, string, string) {
				u, c := operator(i)
				return u, benchScope(c + 1), "company", "read"
			},
			func(i int) (string, string, string, string, string) {
				u, c := operator(i)
				return userSubject(u), CarrierDomain(benchCarrier(c + 1)), KindCarrier, "company", "read"
			}},
	}
}

// BenchmarkCan times each check on its own, the indexed Can and plain
// Casbin's deciding Enforce in turn on the same request, rotating through
// the users so that Casbin's per-policy-version memo of role links is
// mostly cold; it reports median and p99 of both and their ratio.
func BenchmarkCan(b *testing.B) {
	w := sharedBenchWorld(b)
	for _, c := range benchCases(w) {
		// Verify first, so the benchmark cannot time a wrong answer.
		for i := 0; i < 200; i++ {
			sub, dom, kind, obj, act := c.casbin(i)
			ok, err := w.ref.ce.Enforce(sub, dom, kind, obj, act)
			if got := w.e.Can(c.req(i)); got != c.want || err != nil || ok != c.want {
				b.Fatalf("%s: iteration %d: Can %v, Casbin %v (%v), want %v", c.name, i, got, ok, err, c.want)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			idx := make([]time.Duration, 0, b.N)
			ref := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				sub, dom, kind, obj, act := c.casbin(i)
				user, scope, o, a := c.req(i)
				t0 := time.Now()
				w.e.Can(user, scope, o, a)
				t1 := time.Now()
				_, _ = w.ref.ce.Enforce(sub, dom, kind, obj, act)
				t2 := time.Now()
				idx = append(idx, t1.Sub(t0))
				ref = append(ref, t2.Sub(t1))
			}
			b.StopTimer()
			p50, p99 := percentiles(idx)
			c50, c99 := percentiles(ref)
			b.ReportMetric(p50, "idx-p50-µs")
			b.ReportMetric(p99, "idx-p99-µs")
			b.ReportMetric(c50, "casbin-p50-µs")
			b.ReportMetric(c99, "casbin-p99-µs")
			b.ReportMetric(c50/p50, "x-p50")
			b.ReportMetric(c99/p99, "x-p99")
			user, scope, obj, act := c.req(7)
			b.ReportMetric(testing.AllocsPerRun(100, func() { w.e.Can(user, scope, obj, act) }), "idx-allocs/op")
			b.ReportMetric(0, "ns/op") // the sum of both above means nothing
		})
	}
	b.Run("parallel mixed, indexed only", func(b *testing.B) {
		type request struct {
			user     string
			scope    Scope
			obj, act string
		}
		var reqs []request
		for i := 0; i < 10_000; i++ {
			c := benchCases(w)[i%len(benchCases(w))]
			u, s, o, a := c.req(i)
			reqs = append(reqs, request{u, s, o, a})
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				w.e.Can(reqs[i%len(reqs)].user, reqs[i%len(reqs)].scope, reqs[i%len(reqs)].obj, reqs[i%len(reqs)].act)
			}
		})
	})
}

// percentiles returns the median and the 99th percentile in µs.
func percentiles(ds []time.Duration) (p50, p99 float64) {
	slices.Sort(ds)
	at := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / 1e3 }
	return at(0.50), at(0.99)
}

// BenchmarkHeapPerGrant reports the heap the 20,000 assignments of the
// dataset keep alive: in the index (the enforcer as Can uses it), and as
// g rules in plain Casbin (what the enforcer held before the index).
func BenchmarkHeapPerGrant(b *testing.B) {
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	rules := embeddedRules(b)
	var idxBytes, casbinBytes float64
	for b.Loop() {
		e, err := New()
		if err != nil {
			b.Fatal(err)
		}
		before := heap()
		if err := e.Replace(benchAssignmentsOf(&benchWorld{})); err != nil {
			b.Fatal(err)
		}
		idxBytes = float64(heap()-before) / benchAssignments
		runtime.KeepAlive(e)

		empty := newReference(b, rules, nil)
		before = heap()
		ref := newReference(b, rules, benchAssignmentsOf(&benchWorld{}))
		casbinBytes = float64(heap()-before) / benchAssignments
		runtime.KeepAlive(empty)
		runtime.KeepAlive(ref)
	}
	b.ReportMetric(idxBytes, "idx-B/grant")
	b.ReportMetric(casbinBytes, "casbin-B/grant")
	b.ReportMetric(0, "ns/op")
}
