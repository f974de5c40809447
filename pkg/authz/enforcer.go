package authz

import (
	"bufio"
	_ "embed"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/incuchain/incuchain/pkg/events"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Event type suffixes Apply reacts to. Matching on the suffix lets any
// service that owns a membership (parks today, incubatees later) publish
// role changes without this package knowing about it.
const (
	roleGrantedSuffix = ".member.role_granted"
	roleRevokedSuffix = ".member.role_revoked"
)

// Enforcer answers authorization questions for one service. It is safe for
// concurrent use: checks share a read lock, changes take the write lock.
type Enforcer struct {
	// writeMu orders changes (Grant, Revoke, Replace) among themselves, so
	// a grant racing a snapshot load lands after it instead of being lost;
	// mu guards ce and held for checks, which keep running while a
	// snapshot is built.
	writeMu sync.Mutex
	mu      sync.RWMutex
	ce      *casbin.Enforcer
	// held mirrors Casbin's g rules by user. Casbin can only answer "does
	// this user hold a role here" by evaluating the matcher over every
	// policy rule; with held, Can skips the domains where the user holds
	// nothing (Casbin would deny them anyway: there is no role hierarchy
	// and no domain pattern), and Assignments does not scan every g rule.
	// It changes only together with ce, under mu.
	held roleIndex
	// rules are the parsed p rules of policy.csv, kept so Replace can build
	// a fresh Casbin enforcer without parsing the file again.
	rules [][]string
}

// roleIndex is user id -> domain -> role names held there.
type roleIndex map[string]map[string]map[string]struct{}

func (ix roleIndex) add(a Assignment) {
	doms := ix[a.UserID]
	if doms == nil {
		doms = map[string]map[string]struct{}{}
		ix[a.UserID] = doms
	}
	roles := doms[a.Domain]
	if roles == nil {
		roles = map[string]struct{}{}
		doms[a.Domain] = roles
	}
	roles[a.Role] = struct{}{}
}

func (ix roleIndex) remove(a Assignment) {
	doms := ix[a.UserID]
	delete(doms[a.Domain], a.Role)
	if len(doms[a.Domain]) == 0 {
		delete(doms, a.Domain)
	}
	if len(doms) == 0 {
		delete(ix, a.UserID)
	}
}

// New returns an enforcer with the embedded model and policy and no role
// assignments: it denies everything until Replace, Grant or Apply.
func New() (*Enforcer, error) {
	rules, err := parsePolicy(policyText)
	if err != nil {
		return nil, fmt.Errorf("load embedded policy: %w", err)
	}
	ce, held, err := newCasbin(rules, nil)
	if err != nil {
		return nil, err
	}
	return &Enforcer{ce: ce, held: held, rules: rules}, nil
}

// Grant gives a user a role in a domain. Granting a held role is a no-op.
func (e *Enforcer) Grant(a Assignment) error {
	if err := a.Validate(); err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.ce.AddGroupingPolicy(a.groupingRule()); err != nil {
		return fmt.Errorf("grant %s %s in %s: %w", a.UserID, a.Role, a.Domain, err)
	}
	e.held.add(a)
	return nil
}

// Revoke takes a role in a domain from a user. Revoking a role the user
// does not hold is a no-op.
func (e *Enforcer) Revoke(a Assignment) error {
	if err := a.Validate(); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.ce.RemoveGroupingPolicy(a.groupingRule()); err != nil {
		return fmt.Errorf("revoke %s %s in %s: %w", a.UserID, a.Role, a.Domain, err)
	}
	e.held.remove(a)
	return nil
}

// Replace makes as the complete set of role assignments (a snapshot taken
// at start-up); the policy stays. Nothing changes if any assignment is
// invalid. A Grant or Revoke called while Replace runs is applied after
// the snapshot.
func (e *Enforcer) Replace(as []Assignment) error {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	// Build the new state outside mu so checks keep running while a large
	// snapshot loads; the swap itself is a pointer assignment.
	ce, held, err := newCasbin(e.rules, as)
	if err != nil {
		return fmt.Errorf("replace assignments: %w", err)
	}
	e.mu.Lock()
	e.ce, e.held = ce, held
	e.mu.Unlock()
	return nil
}

// Can reports whether the user may perform act on obj, an object with the
// tenancy s. It tries the domains the object belongs to, broadest first:
// platform, region, carrier, company. Anything unknown is denied.
func (e *Enforcer) Can(userID string, s Scope, obj, act string) bool {
	return e.can(userID, s, obj, act, true)
}

// can is Can; with prune false it asks Casbin about every domain, even
// those where the index says the user holds nothing, so tests can show
// that the model alone keeps tenants apart.
func (e *Enforcer) can(userID string, s Scope, obj, act string, prune bool) bool {
	if userID == "" || obj == "" || act == "" {
		return false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	doms := e.held[userID]
	if prune && len(doms) == 0 {
		return false
	}
	check := func(dom, kind string) bool {
		if _, held := doms[dom]; prune && !held {
			return false
		}
		return e.enforce(userSubject(userID), dom, kind, obj, act)
	}
	return check(PlatformDomain(), KindPlatform) ||
		(s.RegionID != "" && check(RegionDomain(s.RegionID), KindRegion)) ||
		(s.CarrierID != "" && check(CarrierDomain(s.CarrierID), KindCarrier)) ||
		(s.CompanyID != "" && check(CompanyDomain(s.CompanyID), KindCompany))
}

// enforce runs one Casbin check; the caller holds the read lock.
func (e *Enforcer) enforce(sub, dom, kind, obj, act string) bool {
	ok, err := e.ce.Enforce(sub, dom, kind, obj, act)
	if err != nil {
		// Only a broken model or policy gets here; deny, but loudly.
		slog.Error("authz check failed", "domain", dom, "object", obj, "action", act, "error", err)
		return false
	}
	return ok
}

// Assignments returns the roles the user holds, with their domains, sorted
// by domain then role.
func (e *Enforcer) Assignments(userID string) []Assignment {
	e.mu.RLock()
	var out []Assignment
	for dom, roles := range e.held[userID] {
		for role := range roles {
			out = append(out, Assignment{UserID: userID, Role: role, Domain: dom})
		}
	}
	e.mu.RUnlock()
	slices.SortFunc(out, func(a, b Assignment) int {
		if c := strings.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		return strings.Compare(a.Role, b.Role)
	})
	return out
}

// VisibleDomains returns, sorted and without duplicates, the domains in
// which the user holds any role. "platform" among them means everything.
func (e *Enforcer) VisibleDomains(userID string) []string {
	as := e.Assignments(userID)
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, a.Domain)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Apply keeps the enforcer in sync from role events of any service
// ("<service>.member.role_granted" / "<service>.member.role_revoked",
// payload events.RoleGrantedV1 / RoleRevokedV1). Other events are ignored.
// A payload that cannot be decoded or does not fit the model is an error,
// so the consumer can treat the message as poison.
func (e *Enforcer) Apply(ev events.Envelope) error {
	var granted bool
	switch {
	case strings.HasSuffix(ev.Type, roleGrantedSuffix):
		granted = true
	case strings.HasSuffix(ev.Type, roleRevokedSuffix):
	default:
		return nil
	}
	if ev.Version != 1 {
		return fmt.Errorf("apply event %s: %s version %d is not supported", ev.ID, ev.Type, ev.Version)
	}
	// RoleGrantedV1 and RoleRevokedV1 share the wire form of RoleAssignmentV1.
	var p events.RoleAssignmentV1
	if err := ev.Decode(&p); err != nil {
		return fmt.Errorf("apply event %s: %w", ev.ID, err)
	}
	a := Assignment{UserID: p.UserID, Role: p.Role, Domain: p.Domain}
	var err error
	if granted {
		err = e.Grant(a)
	} else {
		err = e.Revoke(a)
	}
	if err != nil {
		return fmt.Errorf("apply event %s: %w", ev.ID, err)
	}
	return nil
}

// newCasbin builds a Casbin enforcer holding the policy rules and the
// given assignments, and the matching role index.
func newCasbin(rules [][]string, as []Assignment) (*casbin.Enforcer, roleIndex, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, nil, fmt.Errorf("load embedded model: %w", err)
	}
	ce, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, nil, fmt.Errorf("create enforcer: %w", err)
	}
	if _, err := ce.AddPolicies(rules); err != nil {
		return nil, nil, fmt.Errorf("add policy: %w", err)
	}
	held := roleIndex{}
	if len(as) == 0 {
		return ce, held, nil
	}
	// Casbin adds a batch all-or-nothing and refuses duplicates, while a
	// snapshot may legitimately repeat an assignment.
	seen := make(map[Assignment]struct{}, len(as))
	grouping := make([][]string, 0, len(as))
	for _, a := range as {
		if err := a.Validate(); err != nil {
			return nil, nil, err
		}
		if _, dup := seen[a]; dup {
			continue
		}
		seen[a] = struct{}{}
		grouping = append(grouping, a.groupingRule())
		held.add(a)
	}
	if _, err := ce.AddGroupingPolicies(grouping); err != nil {
		return nil, nil, fmt.Errorf("add %d assignments: %w", len(grouping), err)
	}
	return ce, held, nil
}

// parsePolicy reads policy.csv: "p, r:<role>, <kind>, <object>, <action>"
// rows, blank lines and # comments. Every row is checked against the
// roles known here, so a typo fails New instead of silently denying.
func parsePolicy(text string) ([][]string, error) {
	var rules [][]string
	seen := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if len(fields) != 5 || fields[0] != "p" {
			return nil, fmt.Errorf("policy.csv line %d: want \"p, role, kind, object, action\", got %q", n, line)
		}
		rule := fields[1:]
		role, isRole := strings.CutPrefix(rule[0], rolePrefix)
		kind, known := RoleDomainKind(role)
		if !isRole || !known {
			return nil, fmt.Errorf("policy.csv line %d: subject %q is not a known role (r:<name>)", n, rule[0])
		}
		if rule[1] != kind {
			return nil, fmt.Errorf("policy.csv line %d: role %s belongs to %s domains, not %q", n, role, kind, rule[1])
		}
		if rule[2] == "" || rule[3] == "" {
			return nil, fmt.Errorf("policy.csv line %d: empty object or action", n)
		}
		key := strings.Join(rule, ",")
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("policy.csv line %d: duplicates line %d", n, prev)
		}
		seen[key] = n
		rules = append(rules, rule)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read policy.csv: %w", err)
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("policy.csv has no rules")
	}
	return rules, nil
}
