package authz

import (
	"strings"
	"testing"
)

// The world the model test runs in. Region R1 has carriers C1 and C2,
// region R2 has carrier C3. Company X1 resides in C1 and also in C3 (in
// another region); company X2 resides in C1 and C2.
const (
	regionOwn      = "R1"
	regionForeign  = "R2"
	carrierOwn     = "C1" // in R1
	carrierSibling = "C2" // in R1
	carrierForeign = "C3" // in R2
	companyOwn     = "X1"
	companyForeign = "X2"
)

// place is where an object lives, seen from the role holders below.
type place struct {
	name  string
	scope Scope
}

var (
	ownRegion            = place{"own region", Scope{RegionID: regionOwn}}
	foreignRegion        = place{"foreign region", Scope{RegionID: regionForeign}}
	ownCarrier           = place{"own carrier", Scope{RegionID: regionOwn, CarrierID: carrierOwn}}
	siblingCarrier       = place{"other carrier, same region", Scope{RegionID: regionOwn, CarrierID: carrierSibling}}
	foreignCarrier       = place{"carrier of foreign region", Scope{RegionID: regionForeign, CarrierID: carrierForeign}}
	ownCompany           = place{"own company in own carrier", Scope{RegionID: regionOwn, CarrierID: carrierOwn, CompanyID: companyOwn}}
	ownCompanyElsewhere  = place{"own company in carrier of foreign region", Scope{RegionID: regionForeign, CarrierID: carrierForeign, CompanyID: companyOwn}}
	foreignCompany       = place{"foreign company in own carrier", Scope{RegionID: regionOwn, CarrierID: carrierOwn, CompanyID: companyForeign}}
	foreignCompanySister = place{"foreign company, other carrier, same region", Scope{RegionID: regionOwn, CarrierID: carrierSibling, CompanyID: companyForeign}}

	allPlaces = []place{
		ownRegion, foreignRegion, ownCarrier, siblingCarrier, foreignCarrier,
		ownCompany, ownCompanyElsewhere, foreignCompany, foreignCompanySister,
	}
)

// Every object and action the test asks about; "delete" is granted to no
// role but platform_admin, so it shows that anything unlisted is denied.
var (
	allObjects = []string{"region", "carrier", "member", "invitation", "user", "company"}
	allActions = []string{"read", "create", "update", "grant", "revoke", "delete"}
)

// holders: who holds each role, and where.
var holders = []Assignment{
	{UserID: "holder-platform-admin", Role: RolePlatformAdmin, Domain: PlatformDomain()},
	{UserID: "holder-district-admin", Role: RoleDistrictAdmin, Domain: RegionDomain(regionOwn)},
	{UserID: "holder-district-viewer", Role: RoleDistrictViewer, Domain: RegionDomain(regionOwn)},
	{UserID: "holder-park-admin", Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)},
	{UserID: "holder-park-operator", Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)},
	{UserID: "holder-startup-member", Role: RoleStartupMember, Domain: CompanyDomain(companyOwn)},
}

// What each role may do ("object:action", space separated).
const (
	everything = "*"

	districtAdminMay = `region:read region:update
		carrier:read carrier:create carrier:update
		member:read member:grant member:revoke
		invitation:read invitation:create
		user:read user:create
		company:read`

	districtViewerMay = `region:read carrier:read member:read company:read`

	parkAdminMay = `carrier:read carrier:update
		member:read member:grant member:revoke
		invitation:read invitation:create
		user:read
		company:read company:update`

	parkOperatorMay = `carrier:read member:read company:read company:update`

	startupMemberMay = `company:read company:update`
)

// modelSpec is the specification: for each role, the places where its
// permissions apply. Everywhere else the role may do nothing at all.
var modelSpec = []struct {
	role   string
	may    string
	places []place
}{
	{RolePlatformAdmin, everything, allPlaces},
	{RoleDistrictAdmin, districtAdminMay, []place{
		ownRegion, ownCarrier, siblingCarrier, ownCompany, foreignCompany, foreignCompanySister,
	}},
	{RoleDistrictViewer, districtViewerMay, []place{
		ownRegion, ownCarrier, siblingCarrier, ownCompany, foreignCompany, foreignCompanySister,
	}},
	{RoleParkAdmin, parkAdminMay, []place{ownCarrier, ownCompany, foreignCompany}},
	{RoleParkOperator, parkOperatorMay, []place{ownCarrier, ownCompany, foreignCompany}},
	{RoleStartupMember, startupMemberMay, []place{ownCompany, ownCompanyElsewhere}},
}

// TestModel checks every role × place × object × action against modelSpec,
// twice: through Can, and through plain Casbin (the model and policy with
// the holders as g rules, asked about every domain of the place), so the
// model itself is shown to keep tenants apart.
func TestModel(t *testing.T) {
	e := newTestEnforcer(t, holders...)
	ref := newReference(t, embeddedRules(t), holders)
	if len(modelSpec) != len(roleKinds) {
		t.Fatalf("modelSpec covers %d roles, the model has %d", len(modelSpec), len(roleKinds))
	}
	for _, viaCan := range []bool{true, false} {
		via := map[bool]string{true: "Can", false: "casbin only"}[viaCan]
		for _, spec := range modelSpec {
			user := holderOf(t, spec.role)
			for _, p := range allPlaces {
				t.Run(via+"/"+spec.role+"/"+p.name, func(t *testing.T) {
					allowed := map[string]bool{}
					if containsPlace(spec.places, p) {
						allowed = permSet(spec.may)
					}
					for _, obj := range allObjects {
						for _, act := range allActions {
							want := allowed[everything] || allowed[obj+":"+act]
							got := ref.can(t, user, p.scope, obj, act)
							if viaCan {
								got = e.Can(user, p.scope, obj, act)
							}
							if got != want {
								t.Errorf("%s may %s %s: got %v, want %v", spec.role, act, obj, got, want)
							}
						}
					}
				})
			}
		}
	}
}

// A user whose id spells a role (with or without the internal prefix)
// gains nothing from it: subjects are prefixed so ids and roles never meet.
func TestUserIDEqualToRoleNameGainsNothing(t *testing.T) {
	e := newTestEnforcer(t, holders...)
	ref := newReference(t, embeddedRules(t), holders)
	for _, id := range []string{
		RolePlatformAdmin, RoleDistrictAdmin, RoleParkAdmin, RoleStartupMember,
		"r:" + RolePlatformAdmin, "r:" + RoleParkAdmin, "u:holder-platform-admin",
	} {
		for _, p := range allPlaces {
			for _, obj := range allObjects {
				for _, act := range allActions {
					// Casbin alone is what would have confused the id with the role.
					if ref.can(t, id, p.scope, obj, act) || e.Can(id, p.scope, obj, act) {
						t.Errorf("user %q without roles may %s %s at %s", id, act, obj, p.name)
					}
				}
			}
		}
	}

	// Holding a lesser role does not lift a user named "park_admin" to it.
	if err := e.Grant(Assignment{UserID: RoleParkAdmin, Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)}); err != nil {
		t.Fatal(err)
	}
	if !e.Can(RoleParkAdmin, ownCarrier.scope, "carrier", "read") {
		t.Error("park_operator named park_admin cannot read its carrier")
	}
	if e.Can(RoleParkAdmin, ownCarrier.scope, "carrier", "update") {
		t.Error("park_operator named park_admin may update its carrier like a park_admin")
	}
}

func TestCanDeniesIncompleteRequests(t *testing.T) {
	e := newTestEnforcer(t, holders...)
	admin := holderOf(t, RolePlatformAdmin)
	tests := []struct {
		name           string
		user, obj, act string
	}{
		{"empty user", "", "carrier", "read"},
		{"empty object", admin, "", "read"},
		{"empty action", admin, "carrier", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e.Can(tt.user, ownCarrier.scope, tt.obj, tt.act) {
				t.Errorf("Can(%q, %q, %q) = true", tt.user, tt.obj, tt.act)
			}
		})
	}
	// An object without tenancy is reachable through platform roles only.
	if !e.Can(admin, Scope{}, "region", "create") {
		t.Error("platform_admin cannot create a region")
	}
	if e.Can(holderOf(t, RoleDistrictAdmin), Scope{}, "region", "read") {
		t.Error("district_admin may read an object without tenancy")
	}
}

func TestNewWithoutAssignmentsDeniesEverything(t *testing.T) {
	e := newTestEnforcer(t)
	for _, h := range holders {
		for _, p := range allPlaces {
			if e.Can(h.UserID, p.scope, "carrier", "read") {
				t.Errorf("%s may read a carrier at %s before any grant", h.UserID, p.name)
			}
		}
	}
}

func TestParsePolicyRejectsBadRows(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"unknown role", "p, r:janitor, carrier, carrier, read"},
		{"role without prefix", "p, park_admin, carrier, carrier, read"},
		{"user subject", "p, u:alice, carrier, carrier, read"},
		{"wrong kind for role", "p, r:park_admin, region, carrier, read"},
		{"grouping row", "g, u:alice, r:park_admin, carrier:C1"},
		{"too few columns", "p, r:park_admin, carrier, carrier"},
		{"empty action", "p, r:park_admin, carrier, carrier, "},
		{"duplicate", "p, r:park_admin, carrier, carrier, read\np, r:park_admin, carrier, carrier, read"},
		{"no rules", "# nothing\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parsePolicy(tt.text); err == nil {
				t.Errorf("parsePolicy(%q) accepted it", tt.text)
			}
		})
	}
}

func TestAssignmentValidate(t *testing.T) {
	tests := []struct {
		name  string
		a     Assignment
		valid bool
	}{
		{"platform admin", Assignment{"u1", RolePlatformAdmin, PlatformDomain()}, true},
		{"district admin", Assignment{"u1", RoleDistrictAdmin, RegionDomain("R1")}, true},
		{"district viewer", Assignment{"u1", RoleDistrictViewer, RegionDomain("R1")}, true},
		{"park admin", Assignment{"u1", RoleParkAdmin, CarrierDomain("C1")}, true},
		{"park operator", Assignment{"u1", RoleParkOperator, CarrierDomain("C1")}, true},
		{"startup member", Assignment{"u1", RoleStartupMember, CompanyDomain("X1")}, true},
		{"empty user", Assignment{"", RoleParkAdmin, CarrierDomain("C1")}, false},
		{"unknown role", Assignment{"u1", "janitor", CarrierDomain("C1")}, false},
		{"prefixed role", Assignment{"u1", "r:park_admin", CarrierDomain("C1")}, false},
		{"park role in region", Assignment{"u1", RoleParkAdmin, RegionDomain("R1")}, false},
		{"district role in carrier", Assignment{"u1", RoleDistrictAdmin, CarrierDomain("C1")}, false},
		{"platform admin in region", Assignment{"u1", RolePlatformAdmin, RegionDomain("R1")}, false},
		{"startup member on platform", Assignment{"u1", RoleStartupMember, PlatformDomain()}, false},
		{"empty domain id", Assignment{"u1", RoleParkAdmin, CarrierDomain("")}, false},
		{"unknown domain kind", Assignment{"u1", RoleParkAdmin, "park:C1"}, false},
		{"empty domain", Assignment{"u1", RoleParkAdmin, ""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if (err == nil) != tt.valid {
				t.Errorf("Validate(%+v) = %v, want valid=%v", tt.a, err, tt.valid)
			}
		})
	}
}

func TestRoleDomainKind(t *testing.T) {
	tests := []struct {
		role, kind string
		ok         bool
	}{
		{RolePlatformAdmin, KindPlatform, true},
		{RoleDistrictAdmin, KindRegion, true},
		{RoleDistrictViewer, KindRegion, true},
		{RoleParkAdmin, KindCarrier, true},
		{RoleParkOperator, KindCarrier, true},
		{RoleStartupMember, KindCompany, true},
		{"janitor", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		kind, ok := RoleDomainKind(tt.role)
		if kind != tt.kind || ok != tt.ok {
			t.Errorf("RoleDomainKind(%q) = %q, %v; want %q, %v", tt.role, kind, ok, tt.kind, tt.ok)
		}
	}
}

func newTestEnforcer(t testing.TB, as ...Assignment) *Enforcer {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, a := range as {
		if err := e.Grant(a); err != nil {
			t.Fatalf("Grant(%+v): %v", a, err)
		}
	}
	return e
}

func holderOf(t *testing.T, role string) string {
	t.Helper()
	for _, h := range holders {
		if h.Role == role {
			return h.UserID
		}
	}
	t.Fatalf("no holder of %s", role)
	return ""
}

func containsPlace(ps []place, p place) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func permSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, f := range strings.Fields(s) {
		set[f] = true
	}
	return set
}

// Grant refuses a role in another kind of domain; should one reach the
// index anyway (an old snapshot, a bug), the kind still keeps it from
// granting anything, in the index as in Casbin's matcher: park_admin rules
// are written for carrier domains.
func TestRoleInForeignDomainKindGrantsNothing(t *testing.T) {
	e := newTestEnforcer(t)
	smuggled := []Assignment{
		{UserID: "ivan", Role: RoleParkAdmin, Domain: RegionDomain(regionOwn)},
		{UserID: "ivan", Role: RoleDistrictAdmin, Domain: CarrierDomain(carrierOwn)},
		{UserID: "ivan", Role: RoleStartupMember, Domain: CarrierDomain(carrierOwn)},
		{UserID: "ivan", Role: RolePlatformAdmin, Domain: RegionDomain(regionOwn)},
	}
	for _, a := range smuggled {
		if a.Validate() == nil {
			t.Fatalf("%+v is valid; the test needs invalid ones", a)
		}
		e.held.add(a) // past Grant's validation
	}
	ref := newReference(t, embeddedRules(t), smuggled)
	for _, p := range allPlaces {
		for _, obj := range allObjects {
			for _, act := range allActions {
				if e.Can("ivan", p.scope, obj, act) {
					t.Errorf("a role in a foreign domain kind allows %s %s at %s", act, obj, p.name)
				}
				if ref.can(t, "ivan", p.scope, obj, act) {
					t.Errorf("Casbin: a role in a foreign domain kind allows %s %s at %s", act, obj, p.name)
				}
			}
		}
	}
}

func embeddedRules(t testing.TB) [][]string {
	t.Helper()
	rules, err := parsePolicy(policyText)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}
