package authz

import (
	"errors"
	"fmt"
	"strings"
)

// Roles. Each belongs to exactly one domain kind (see RoleDomainKind).
const (
	RolePlatformAdmin  = "platform_admin"
	RoleDistrictAdmin  = "district_admin"
	RoleDistrictViewer = "district_viewer"
	RoleParkAdmin      = "park_admin"
	RoleParkOperator   = "park_operator"
	RoleStartupMember  = "startup_member"
)

// Domain kinds: the part of a domain before the colon ("platform" has no id).
const (
	KindPlatform = "platform"
	KindRegion   = "region"
	KindCarrier  = "carrier"
	KindCompany  = "company"
)

// Subject prefixes inside Casbin; they keep user ids and role names apart.
const (
	userPrefix = "u:"
	rolePrefix = "r:"
)

// ErrInvalidAssignment is wrapped by every error about an assignment that
// does not fit the model (unknown role, role in the wrong kind of domain,
// missing user or domain id).
var ErrInvalidAssignment = errors.New("invalid role assignment")

var roleKinds = map[string]string{
	RolePlatformAdmin:  KindPlatform,
	RoleDistrictAdmin:  KindRegion,
	RoleDistrictViewer: KindRegion,
	RoleParkAdmin:      KindCarrier,
	RoleParkOperator:   KindCarrier,
	RoleStartupMember:  KindCompany,
}

// Scope is the tenancy of the object being accessed. Callers fill every
// part the object has (a company's object in a carrier carries all three),
// because a role only applies through the domain it is held in: a
// district_admin reaches a carrier's object only if RegionID is set.
// Empty parts are skipped.
type Scope struct {
	RegionID  string
	CarrierID string
	CompanyID string
}

// Assignment is a role held by a user in a domain.
type Assignment struct {
	UserID string
	Role   string
	Domain string
}

// Validate reports whether the assignment fits the model: a known role, in
// a domain of that role's kind, for a non-empty user id.
func (a Assignment) Validate() error {
	if a.UserID == "" {
		return fmt.Errorf("%w: empty user id", ErrInvalidAssignment)
	}
	want, ok := RoleDomainKind(a.Role)
	if !ok {
		return fmt.Errorf("%w: unknown role %q", ErrInvalidAssignment, a.Role)
	}
	kind, _, ok := ParseDomain(a.Domain)
	if !ok {
		return fmt.Errorf("%w: malformed domain %q", ErrInvalidAssignment, a.Domain)
	}
	if kind != want {
		return fmt.Errorf("%w: role %s belongs to %s domains, not %q", ErrInvalidAssignment, a.Role, want, a.Domain)
	}
	return nil
}

// PlatformDomain is the single domain of platform-wide roles.
func PlatformDomain() string { return KindPlatform }

// RegionDomain is the domain of a region (district).
func RegionDomain(id string) string { return KindRegion + ":" + id }

// CarrierDomain is the domain of a carrier (park).
func CarrierDomain(id string) string { return KindCarrier + ":" + id }

// CompanyDomain is the domain of a company (startup).
func CompanyDomain(id string) string { return KindCompany + ":" + id }

// RoleDomainKind returns the kind of domain a role is held in ("region"
// for district_admin, ...), and false for an unknown role.
func RoleDomainKind(role string) (string, bool) {
	k, ok := roleKinds[role]
	return k, ok
}

// ParseDomain splits a domain into its kind and id. "platform" has an empty
// id; every other kind needs a non-empty one. ok is false for anything
// else, so callers scoping lists from VisibleDomains can trust the parts.
func ParseDomain(dom string) (kind, id string, ok bool) {
	if dom == KindPlatform {
		return KindPlatform, "", true
	}
	kind, id, found := strings.Cut(dom, ":")
	if !found || id == "" {
		return "", "", false
	}
	switch kind {
	case KindRegion, KindCarrier, KindCompany:
		return kind, id, true
	}
	return "", "", false
}

func userSubject(userID string) string { return userPrefix + userID }
func roleSubject(role string) string   { return rolePrefix + role }

// groupingRule is the Casbin g rule of a (validated) assignment.
func (a Assignment) groupingRule() []string {
	return []string{userSubject(a.UserID), roleSubject(a.Role), a.Domain}
}
