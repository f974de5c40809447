package authz

import (
	"fmt"
	"testing"
)

// Benchmark dataset: 20 regions × 25 carriers = 500 carriers, 2,000
// companies (4 per carrier), 10,000 assignments: 5 platform admins, 2
// district admins and 2 district viewers per region, 1 park admin and 3
// park operators per carrier, and 7,915 startup members (about 4 per
// company).
const (
	benchRegions           = 20
	benchCarriersPerRegion = 25
	benchCarriers          = benchRegions * benchCarriersPerRegion
	benchCompanies         = 2000
	benchAssignments       = 10000
)

type benchWorld struct {
	e         *Enforcer
	operators []string // park operators; operators[i] works in carrier i%benchCarriers
	members   []string // startup members; members[i] belongs to company i%benchCompanies
	viewers   []string // district viewers; viewers[i] sees region i/2
	admins    []string // platform admins
}

func benchRegion(i int) string   { return fmt.Sprintf("R%03d", i%benchRegions) }
func benchCarrier(i int) string  { return fmt.Sprintf("C%04d", i%benchCarriers) }
func benchCompany(i int) string  { return fmt.Sprintf("X%05d", i%benchCompanies) }
func carrierRegion(c int) string { return benchRegion(c / benchCarriersPerRegion) }
func companyCarrier(x int) int   { return x % benchCarriers }
func benchScope(carrier int) Scope {
	return Scope{RegionID: carrierRegion(carrier), CarrierID: benchCarrier(carrier)}
}

func newBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	w := &benchWorld{}
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
	e, err := New()
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Replace(as); err != nil {
		b.Fatal(err)
	}
	w.e = e
	return w
}

// BenchmarkCan checks one request per iteration against 10,000
// assignments across 500 carriers, rotating through the users so that
// Casbin's per-policy-version memo of role links is mostly cold.
func BenchmarkCan(b *testing.B) {
	w := newBenchWorld(b)
	cases := []struct {
		name string
		want bool
		can  func(i int) bool
	}{
		{"park_operator own carrier allowed", true, func(i int) bool {
			u := i % len(w.operators)
			return w.e.Can(w.operators[u], benchScope(u%benchCarriers), "company", "update")
		}},
		{"park_operator foreign carrier denied", false, func(i int) bool {
			u := i % len(w.operators)
			return w.e.Can(w.operators[u], benchScope((u+1)%benchCarriers), "company", "read")
		}},
		{"startup_member own company allowed", true, func(i int) bool {
			u := i % len(w.members)
			x := u % benchCompanies
			s := benchScope(companyCarrier(x))
			s.CompanyID = benchCompany(x)
			return w.e.Can(w.members[u], s, "company", "update")
		}},
		{"district_viewer carrier of region allowed", true, func(i int) bool {
			u := i % len(w.viewers)
			return w.e.Can(w.viewers[u], benchScope((u/2)*benchCarriersPerRegion+i%benchCarriersPerRegion), "carrier", "read")
		}},
		{"district_viewer write denied", false, func(i int) bool {
			u := i % len(w.viewers)
			return w.e.Can(w.viewers[u], benchScope((u/2)*benchCarriersPerRegion), "carrier", "update")
		}},
		{"platform_admin allowed", true, func(i int) bool {
			return w.e.Can(w.admins[i%len(w.admins)], benchScope(i), "member", "grant")
		}},
	}
	for _, c := range cases {
		// Verify once so the benchmark cannot measure a wrong answer.
		for i := 0; i < 50; i++ {
			if got := c.can(i); got != c.want {
				b.Fatalf("%s: iteration %d got %v", c.name, i, got)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c.can(i)
			}
		})
	}
	b.Run("parallel mixed", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				cases[i%len(cases)].can(i)
			}
		})
	})
}
