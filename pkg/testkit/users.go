package testkit

import (
	"slices"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
)

// FixtureRegions are the codes of the regions of every harness's world:
// lixia, the callers' own, and huaiyin, a foreign one.
var FixtureRegions = []string{"lixia", "huaiyin"}

// FixtureDomain is the authorization domain a fixture names by key:
// "platform", one of regions (a region's key), a company's key (starting
// "co"), else a carrier's key; ids maps keys to ids.
func FixtureDomain(key string, ids map[string]string, regions ...string) string {
	switch {
	case key == "platform":
		return authz.PlatformDomain()
	case slices.Contains(regions, key):
		return authz.RegionDomain(ids[key])
	case len(key) > 2 && strings.HasPrefix(key, "co"):
		return authz.CompanyDomain(ids[key])
	default:
		return authz.CarrierDomain(ids[key])
	}
}

// FixtureUser is a user of a harness's world: an e-mail, and the role
// they hold in the domain Domain names (see FixtureDomain); both are
// empty for a user without a role.
type FixtureUser struct{ Email, Role, Domain string }

// DemoUsers are the users most harnesses' worlds hold, then extra: each
// demo role in region lixia, its carrier X and company coA; beside them
// carrier M and company coB of the same region; and region huaiyin with
// carrier H and company coC; nobody holds no role.
func DemoUsers(extra ...FixtureUser) []FixtureUser {
	return append([]FixtureUser{
		{"admin@incuchain.demo", authz.RolePlatformAdmin, "platform"},
		{"district@lixia.demo", authz.RoleDistrictAdmin, "lixia"},
		{"officer@lixia.demo", authz.RoleDistrictViewer, "lixia"},
		{"parkadmin@lixia.demo", authz.RoleParkAdmin, "X"},
		{"operator@lixia.demo", authz.RoleParkOperator, "X"},
		{"makeradmin@lixia.demo", authz.RoleParkAdmin, "M"},
		{"officer@huaiyin.demo", authz.RoleDistrictViewer, "huaiyin"},
		{"operator@huaiyin.demo", authz.RoleParkOperator, "H"},
		{"founder@lixia.demo", authz.RoleStartupMember, "coA"},
		{"founder2@lixia.demo", authz.RoleStartupMember, "coB"},
		{"founder3@huaiyin.demo", authz.RoleStartupMember, "coC"},
		{"nobody@lixia.demo", "", ""},
	}, extra...)
}

// AddUser queues a new user with email and, unless role is empty, their
// role in domain (see FixtureDomain): a company role as incubatees grants
// it, any other as parks does. It answers the user's new id.
func (o *Outbox) AddUser(email, role, domain string) string {
	o.t.Helper()
	id := events.NewID()
	o.Add(events.Scope{}, id, events.UserCreatedV1{UserID: id, Email: email, DisplayName: email})
	if role == "" {
		return id
	}
	a := events.RoleAssignmentV1{UserID: id, Role: role, Domain: domain}
	if kind, _, _ := authz.ParseDomain(domain); kind == authz.KindCompany {
		o.Add(events.Scope{}, id, events.CompanyRoleGrantedV1{RoleAssignmentV1: a})
	} else {
		o.Add(events.Scope{}, id, events.RoleGrantedV1{RoleAssignmentV1: a})
	}
	return id
}

// AddUsers queues users (AddUser), their domains named by keys of ids
// over FixtureRegions, and learns their new ids into userIDs by e-mail.
func (o *Outbox) AddUsers(userIDs, ids map[string]string, users []FixtureUser) {
	o.t.Helper()
	for _, u := range users {
		userIDs[u.Email] = o.AddUser(u.Email, u.Role, FixtureDomain(u.Domain, ids, FixtureRegions...))
	}
}

// Queue queues an event for the next publish: Outbox.Add, or a harness's
// own that also counts what it queues.
type Queue func(scope events.Scope, agg string, p events.Payload)

// AddRegions queues region.created, as parks publishes it, for each code
// under a new id it learns into ids.
func AddRegions(add Queue, ids map[string]string, codes ...string) {
	for _, code := range codes {
		ids[code] = events.NewID()
		add(events.Scope{RegionID: ids[code]}, ids[code], events.RegionCreatedV1{RegionID: ids[code], Code: code, NameZH: code})
	}
}

// AddCarrier queues carrier.created, as parks publishes it, for c (its
// RegionID set) under a new id it learns into ids as key.
func AddCarrier(add Queue, ids map[string]string, key string, c events.CarrierV1) {
	c.CarrierID = events.NewID()
	ids[key] = c.CarrierID
	add(events.Scope{RegionID: c.RegionID, CarrierID: c.CarrierID}, c.CarrierID, events.CarrierCreatedV1{CarrierV1: c})
}

// NewEvent builds an event by "system" as its publisher would; a payload
// that makes none fails t.
func NewEvent(t testing.TB, scope events.Scope, agg string, p events.Payload) events.Envelope {
	t.Helper()
	ev, err := events.New(scope, "system", agg, p)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
