package authz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
)

// referenceEnforcer is plain Casbin: the embedded model, the given p rules
// and every assignment as a g rule, with no index in front of it. It is
// what Can must agree with.
type referenceEnforcer struct {
	ce *casbin.Enforcer
	// memo keeps Casbin's answer per question: scopes share domains, and
	// asking Casbin again would only make the test slower.
	memo map[[5]string]bool
}

func newReference(t testing.TB, rules [][]string, as []Assignment) referenceEnforcer {
	t.Helper()
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		t.Fatal(err)
	}
	ce, err := casbin.NewEnforcer(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ce.AddPolicies(rules); err != nil {
		t.Fatal(err)
	}
	seen := map[Assignment]bool{}
	var g [][]string
	for _, a := range as {
		if !seen[a] {
			seen[a] = true
			g = append(g, a.groupingRule())
		}
	}
	if len(g) > 0 {
		if _, err := ce.AddGroupingPolicies(g); err != nil {
			t.Fatal(err)
		}
	}
	return referenceEnforcer{ce: ce, memo: map[[5]string]bool{}}
}

// enforce is one Casbin decision on one domain.
func (r referenceEnforcer) enforce(t testing.TB, userID, dom, kind, obj, act string) bool {
	t.Helper()
	q := [5]string{userID, dom, kind, obj, act}
	if ok, asked := r.memo[q]; asked {
		return ok
	}
	ok, err := r.ce.Enforce(userSubject(userID), dom, kind, obj, act)
	if err != nil {
		t.Fatalf("casbin Enforce: %v", err)
	}
	r.memo[q] = ok
	return ok
}

// can asks Casbin about every domain of the scope, broadest first, without
// skipping the domains where the user holds nothing: the model alone
// decides.
func (r referenceEnforcer) can(t testing.TB, userID string, s Scope, obj, act string) bool {
	t.Helper()
	if userID == "" || obj == "" || act == "" {
		return false
	}
	return r.enforce(t, userID, PlatformDomain(), KindPlatform, obj, act) ||
		(s.RegionID != "" && r.enforce(t, userID, RegionDomain(s.RegionID), KindRegion, obj, act)) ||
		(s.CarrierID != "" && r.enforce(t, userID, CarrierDomain(s.CarrierID), KindCarrier, obj, act)) ||
		(s.CompanyID != "" && r.enforce(t, userID, CompanyDomain(s.CompanyID), KindCompany, obj, act))
}

// equivalenceWorld is a small generated tenancy: 3 regions, 2 carriers per
// region, 2 companies per carrier, each company also linked to the next
// carrier (sometimes in another region).
type equivalenceWorld struct {
	scopes  []Scope
	domains map[string][]string // kind -> every domain of that kind
}

func newEquivalenceWorld() equivalenceWorld {
	const regions, carriersPerRegion, companiesPerCarrier = 3, 2, 2
	carriers := regions * carriersPerRegion
	regionOf := func(c int) string { return fmt.Sprintf("R%d", c/carriersPerRegion) }
	w := equivalenceWorld{domains: map[string][]string{KindPlatform: {PlatformDomain()}}, scopes: []Scope{{}}}
	for r := 0; r < regions; r++ {
		id := fmt.Sprintf("R%d", r)
		w.domains[KindRegion] = append(w.domains[KindRegion], RegionDomain(id))
		w.scopes = append(w.scopes, Scope{RegionID: id})
	}
	for c := 0; c < carriers; c++ {
		id := fmt.Sprintf("C%d", c)
		w.domains[KindCarrier] = append(w.domains[KindCarrier], CarrierDomain(id))
		w.scopes = append(w.scopes, Scope{RegionID: regionOf(c), CarrierID: id})
	}
	for x := 0; x < carriers*companiesPerCarrier; x++ {
		id := fmt.Sprintf("X%d", x)
		home, next := x/companiesPerCarrier, (x/companiesPerCarrier+1)%carriers
		w.domains[KindCompany] = append(w.domains[KindCompany], CompanyDomain(id))
		w.scopes = append(w.scopes,
			Scope{RegionID: regionOf(home), CompanyID: id},
			Scope{RegionID: regionOf(home), CarrierID: fmt.Sprintf("C%d", home), CompanyID: id},
			Scope{RegionID: regionOf(next), CarrierID: fmt.Sprintf("C%d", next), CompanyID: id},
		)
	}
	return w
}

// equivalencePopulation gives every role to several users in different
// domains, some users two or three roles, and some users none.
func equivalencePopulation(w equivalenceWorld, rng *rand.Rand) (users []string, as []Assignment) {
	roles := slices.Sorted(func(yield func(string) bool) {
		for r := range roleKinds {
			if !yield(r) {
				return
			}
		}
	})
	give := func(user, role string) {
		doms := w.domains[roleKinds[role]]
		as = append(as, Assignment{UserID: user, Role: role, Domain: doms[rng.IntN(len(doms))]})
	}
	for _, role := range roles {
		for i := 0; i < 4; i++ {
			u := fmt.Sprintf("%s-%d", role, i)
			users = append(users, u)
			give(u, role)
		}
	}
	for i := 0; i < 16; i++ {
		u := fmt.Sprintf("multi-%d", i)
		users = append(users, u)
		for n := 2 + rng.IntN(2); n > 0; n-- {
			give(u, roles[rng.IntN(len(roles))])
		}
	}
	for i := 0; i < 4; i++ {
		users = append(users, fmt.Sprintf("nobody-%d", i)) // never granted
	}
	return users, as
}

// vocabulary returns every object and action of the rules, and some that
// no rule names, including ones that only a wildcard or a prefix pattern
// could match.
func vocabulary(rules [][]string) (objects, actions []string) {
	for _, r := range rules {
		objects = append(objects, r[2])
		actions = append(actions, r[3])
	}
	objects = append(objects, "*", "unknown", "carrier/", "carrier/C1", "carrier/C2", "Carrier", "document", "document/", "document/D1",
		"document/D1/v2", "documen", "report", "report_x", "reports/R1", "rep", "region", "company", "audit")
	actions = append(actions, "*", "unknown", "READ", "read/x")
	slices.Sort(objects)
	slices.Sort(actions)
	return slices.Compact(objects), slices.Compact(actions)
}

// TestCanEquivalentToCasbin compares every decision of Can with Casbin's
// own Enforce over a generated population: every user × a sample of own
// and foreign scopes × every object and action of the policy, plus
// unknown ones. It stops at the first difference.
func TestCanEquivalentToCasbin(t *testing.T) {
	rules, err := parsePolicy(policyText)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	checkEquivalence(t, e, rules, 1, 100_000)
}

// patternPolicy has what the embedded policy does not: "name/*" and
// "name*" objects, "*" objects with a specific action and "*" actions on
// a specific object, so the index is shown to keep keyMatch's meaning.
const patternPolicy = `
p, r:platform_admin, platform, audit, read
p, r:district_admin, region, region, read
p, r:district_admin, region, document/*, read
p, r:district_viewer, region, *, *
p, r:park_admin, carrier, carrier, *
p, r:park_admin, carrier, document/*, read
p, r:park_admin, carrier, document/*, *
p, r:park_operator, carrier, *, read
p, r:park_operator, carrier, report*, review
p, r:park_operator, carrier, carrier/C1, update
p, r:startup_member, company, document/*, *
p, r:startup_member, company, company, update
`

func TestCanEquivalentToCasbinWithPatterns(t *testing.T) {
	rules, err := parsePolicy(patternPolicy)
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEnforcer(patternPolicy)
	if err != nil {
		t.Fatal(err)
	}
	checkEquivalence(t, e, rules, 2, 40_000)
}

func checkEquivalence(t *testing.T, e *Enforcer, rules [][]string, seed uint64, minDecisions int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := newEquivalenceWorld()
	users, as := equivalencePopulation(w, rng)
	if err := e.Replace(as); err != nil {
		t.Fatal(err)
	}
	ref := newReference(t, rules, as)
	objects, actions := vocabulary(rules)

	const scopesPerUser = 7
	var decisions, allowed int
	for _, u := range users {
		// The scopes of the user's own domains first, then random ones.
		var scopes []Scope
		for _, s := range w.scopes {
			for _, d := range e.VisibleDomains(u) {
				if d == PlatformDomain() || d == RegionDomain(s.RegionID) || d == CarrierDomain(s.CarrierID) || d == CompanyDomain(s.CompanyID) {
					scopes = append(scopes, s)
					break
				}
			}
		}
		rng.Shuffle(len(scopes), func(i, j int) { scopes[i], scopes[j] = scopes[j], scopes[i] })
		scopes = scopes[:min(len(scopes), scopesPerUser/2)]
		for len(scopes) < scopesPerUser {
			scopes = append(scopes, w.scopes[rng.IntN(len(w.scopes))])
		}
		for _, s := range scopes {
			for _, obj := range objects {
				for _, act := range actions {
					want := ref.can(t, u, s, obj, act)
					if got := e.Can(u, s, obj, act); got != want {
						t.Fatalf("decision %d: Can(%q, %+v, %q, %q) = %v, Casbin says %v (user holds %v)",
							decisions, u, s, obj, act, got, want, e.Assignments(u))
					}
					decisions++
					if want {
						allowed++
					}
				}
			}
		}
	}
	t.Logf("%d decisions, %d allowed, all equal to Casbin's", decisions, allowed)
	if decisions < minDecisions || allowed < decisions/100 || allowed > decisions*99/100 {
		t.Fatalf("population too small or one-sided: %d decisions, %d allowed", decisions, allowed)
	}
}
