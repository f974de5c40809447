package testkit

import (
	"slices"
	"strings"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
)

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
