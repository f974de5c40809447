package domain

import (
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
)

// GrantableRoles lists the roles the parks service grants, by domain kind.
// Company membership (startup_member) belongs to the incubatees service.
var GrantableRoles = map[string][]string{
	"region":  {authz.RoleDistrictAdmin, authz.RoleDistrictViewer},
	"carrier": {authz.RoleParkAdmin, authz.RoleParkOperator},
}

// CheckRole validates that role may be granted in a domain of kind.
func CheckRole(v *apperr.Validation, field, role, kind string) {
	roles := GrantableRoles[kind]
	for _, r := range roles {
		if r == role {
			return
		}
	}
	if role == "" {
		v.Add(field, "required")
		return
	}
	v.Add(field, "one_of", "allowed", strings.Join(roles, ", "))
}
