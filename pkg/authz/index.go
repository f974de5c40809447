package authz

import (
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/util"
)

// compiledMatcher is the matcher of model.conf as Casbin holds it. The
// index below implements exactly this matcher; New refuses any other, so
// a change to the model cannot leave Can deciding by the old one.
const compiledMatcher = `r_kind == p_kind && keyMatch(r_obj, p_obj) && (p_act == "*" || r_act == p_act) && g(r_sub, p_sub, r_dom)`

// Role and kind numbers of the index: a role set is a bit mask, and the
// compiled policy is an array, so Can neither hashes role names nor
// builds domain strings.
var roleNames = [...]string{
	RolePlatformAdmin, RoleDistrictAdmin, RoleDistrictViewer,
	RoleParkAdmin, RoleParkOperator, RoleStartupMember,
}

const numRoles = len(roleNames)

type kindID uint8

const (
	kindPlatform kindID = iota
	kindRegion
	kindCarrier
	kindCompany
	numKinds
)

var kindNames = [numKinds]string{KindPlatform, KindRegion, KindCarrier, KindCompany}

func kindOf(kind string) (kindID, bool) {
	for k, name := range kindNames {
		if name == kind {
			return kindID(k), true
		}
	}
	return 0, false
}

func roleBit(role string) (roleSet, bool) {
	for i, name := range roleNames {
		if name == role {
			return 1 << i, true
		}
	}
	return 0, false
}

// roleSet is a set of roles, bit i standing for roleNames[i].
type roleSet uint8

// heldDomain is the roles a user holds in one domain. id is the domain's
// id (empty for the platform); it shares the bytes of the domain string
// it was cut from.
type heldDomain struct {
	id    string
	kind  kindID
	roles roleSet
}

func (h heldDomain) domain() string {
	if h.kind == kindPlatform {
		return PlatformDomain()
	}
	return kindNames[h.kind] + ":" + h.id
}

// roleIndex is user id -> the domains where the user holds roles. It is
// the only record of who holds what: Casbin's enforcer keeps the policy
// only, because a g rule there costs about ten times the memory of an
// entry here, and Can never asks Casbin.
type roleIndex map[string][]heldDomain

// add records a validated assignment.
func (ix roleIndex) add(a Assignment) {
	kind, id, _ := ParseDomain(a.Domain)
	k, _ := kindOf(kind)
	bit, _ := roleBit(a.Role)
	doms := ix[a.UserID]
	for i := range doms {
		if doms[i].kind == k && doms[i].id == id {
			doms[i].roles |= bit
			return
		}
	}
	ix[a.UserID] = append(doms, heldDomain{id: id, kind: k, roles: bit})
}

// remove forgets a validated assignment; the user's entry goes once the
// user holds nothing, so Can denies strangers with one map look-up.
func (ix roleIndex) remove(a Assignment) {
	kind, id, _ := ParseDomain(a.Domain)
	k, _ := kindOf(kind)
	bit, _ := roleBit(a.Role)
	doms := ix[a.UserID]
	for i := range doms {
		if doms[i].kind != k || doms[i].id != id {
			continue
		}
		doms[i].roles &^= bit
		if doms[i].roles == 0 {
			doms = append(doms[:i], doms[i+1:]...)
			if len(doms) == 0 {
				delete(ix, a.UserID)
			} else {
				ix[a.UserID] = doms
			}
		}
		return
	}
}

// objectAction is one (object, action) pair of a p rule.
type objectAction struct{ obj, act string }

// permissions is what one role may do in one kind of domain: the p rules
// of that role and kind, split by how the matcher compares them.
type permissions struct {
	exact    map[objectAction]struct{} // object without "*", action not "*"
	anyAct   map[string]struct{}       // object without "*", action "*"
	patterns []objectAction            // object with "*": Casbin's keyMatch
}

// allows is the matcher's keyMatch(r.obj, p.obj) && (p.act == "*" ||
// r.act == p.act) over the rules of p; a nil p allows nothing.
func (p *permissions) allows(obj, act string) bool {
	if p == nil {
		return false
	}
	if _, ok := p.exact[objectAction{obj, act}]; ok {
		return true
	}
	if _, ok := p.anyAct[obj]; ok {
		return true
	}
	for _, r := range p.patterns {
		if (r.act == "*" || r.act == act) && util.KeyMatch(obj, r.obj) {
			return true
		}
	}
	return false
}

// policyIndex is role -> domain kind -> permissions, compiled from the p
// rules Casbin loaded.
type policyIndex [numRoles][numKinds]*permissions

// compilePolicy builds the index from the enforcer's model and p rules:
// Casbin stays the source of the policy, the index is how it is read.
func compilePolicy(ce *casbin.Enforcer) (*policyIndex, error) {
	m := ce.GetModel()
	if got := m["m"]["m"].Value; got != compiledMatcher {
		return nil, fmt.Errorf("authz model: matcher %q is not the one the index implements (%q)", got, compiledMatcher)
	}
	for _, sec := range []struct{ sec, want string }{
		{"r", "r_sub,r_dom,r_kind,r_obj,r_act"},
		{"p", "p_sub,p_kind,p_obj,p_act"},
	} {
		if got := strings.Join(m[sec.sec][sec.sec].Tokens, ","); got != sec.want {
			return nil, fmt.Errorf("authz model: %s definition %q is not the one the index implements", sec.sec, got)
		}
	}
	if got := m["e"]["e"].Value; got != "some(where (p_eft == allow))" {
		return nil, fmt.Errorf("authz model: effect %q is not the one the index implements", got)
	}
	rules, err := ce.GetPolicy()
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	var ix policyIndex
	for _, r := range rules {
		role, isRole := strings.CutPrefix(r[0], rolePrefix)
		bit, known := roleBit(role)
		k, kindKnown := kindOf(r[1])
		if !isRole || !known || !kindKnown {
			return nil, fmt.Errorf("policy rule %v: unknown role or domain kind", r)
		}
		ri := 0
		for bit > 1 {
			bit >>= 1
			ri++
		}
		p := ix[ri][k]
		if p == nil {
			p = &permissions{exact: map[objectAction]struct{}{}, anyAct: map[string]struct{}{}}
			ix[ri][k] = p
		}
		obj, act := r[2], r[3]
		switch {
		case strings.Contains(obj, "*"):
			p.patterns = append(p.patterns, objectAction{obj, act})
		case act == "*":
			p.anyAct[obj] = struct{}{}
		default:
			p.exact[objectAction{obj, act}] = struct{}{}
		}
	}
	return &ix, nil
}

// allows reports whether any of the roles, held in a domain of kind k,
// allows act on obj.
func (ix *policyIndex) allows(roles roleSet, k kindID, obj, act string) bool {
	for i := 0; roles != 0; i, roles = i+1, roles>>1 {
		if roles&1 != 0 && ix[i][k].allows(obj, act) {
			return true
		}
	}
	return false
}
