package authz

import (
	"bufio"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

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
//
// Casbin holds the model and the policy; at New the policy's p rules are
// compiled into an index (role -> domain kind -> objects and actions), and
// who holds which role where lives only in held. Can reads those two and
// never runs Casbin's matcher: the matcher scanned every p rule and asked
// the role manager for each, tens of microseconds per check at thousands
// of grants. TestCanEquivalentToCasbin compares the two decision by
// decision.
type Enforcer struct {
	// writeMu orders changes (Grant, Revoke, Replace) among themselves, so
	// a grant racing a snapshot load lands after it instead of being lost;
	// mu guards held for checks, which keep running while a snapshot is
	// built.
	writeMu sync.Mutex
	mu      sync.RWMutex
	held    roleIndex
	// changedAt is, per assignment, the time of the newest change applied
	// with a time (ApplyAt, Apply): an older change that arrives later —
	// a role event delivered after a newer local change — is stale.
	// Guarded by writeMu.
	changedAt map[Assignment]time.Time
	// ce is the model and the p rules, without g rules; policy is compiled
	// from it and, like it, never changes.
	ce     *casbin.Enforcer
	policy *policyIndex
}

// New returns an enforcer with the embedded model and policy and no role
// assignments: it denies everything until Replace, Grant or Apply.
func New() (*Enforcer, error) {
	return newEnforcer(policyText)
}

// newEnforcer is New with another policy text, so tests can compile rules
// the embedded policy does not have (object patterns, "*" actions).
func newEnforcer(policy string) (*Enforcer, error) {
	rules, err := parsePolicy(policy)
	if err != nil {
		return nil, fmt.Errorf("load embedded policy: %w", err)
	}
	ce, err := newCasbin(rules)
	if err != nil {
		return nil, err
	}
	compiled, err := compilePolicy(ce)
	if err != nil {
		return nil, err
	}
	return &Enforcer{ce: ce, policy: compiled, held: roleIndex{}, changedAt: map[Assignment]time.Time{}}, nil
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
	// Build the new index outside mu so checks keep running while a large
	// snapshot loads; the swap itself is a map assignment.
	held := make(roleIndex, len(as))
	for _, a := range as {
		if err := a.Validate(); err != nil {
			return fmt.Errorf("replace assignments: %w", err)
		}
		held.add(a) // a repeated assignment sets the same bit again
	}
	e.mu.Lock()
	e.held = held
	e.mu.Unlock()
	return nil
}

// Can reports whether the user may perform act on obj, an object with the
// tenancy s. It tries the domains the object belongs to: platform, region,
// carrier, company; any of them may allow. Anything unknown is denied.
func (e *Enforcer) Can(userID string, s Scope, obj, act string) bool {
	if userID == "" || obj == "" || act == "" {
		return false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	// A user holds roles in a handful of domains; walking them is cheaper
	// than building the scope's domain names to look them up.
	for _, h := range e.held[userID] {
		var inScope bool
		switch h.kind {
		case kindPlatform:
			inScope = true
		case kindRegion:
			inScope = s.RegionID != "" && h.id == s.RegionID
		case kindCarrier:
			inScope = s.CarrierID != "" && h.id == s.CarrierID
		case kindCompany:
			inScope = s.CompanyID != "" && h.id == s.CompanyID
		}
		if inScope && e.policy.allows(h.roles, h.kind, obj, act) {
			return true
		}
	}
	return false
}

// Assignments returns the roles the user holds, with their domains, sorted
// by domain then role.
func (e *Enforcer) Assignments(userID string) []Assignment {
	e.mu.RLock()
	var out []Assignment
	for _, h := range e.held[userID] {
		dom := h.domain()
		for i, role := range roleNames {
			if h.roles&(1<<i) != 0 {
				out = append(out, Assignment{UserID: userID, Role: role, Domain: dom})
			}
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
	if _, err := e.ApplyAt(a, granted, ev.OccurredAt); err != nil {
		return fmt.Errorf("apply event %s: %w", ev.ID, err)
	}
	return nil
}

// ApplyAt grants (or revokes) a as of at, unless a change of a newer
// than at was applied already: then it is stale and ignored, and ApplyAt
// reports false. Role events are applied with their occurred_at; a
// service that changes a role and applies it locally at once passes a
// time taken before its transaction began, so its own event (later than
// that) still applies while an older event delivered late, such as the
// grant of a membership that was revoked since, does not undo it.
func (e *Enforcer) ApplyAt(a Assignment, grant bool, at time.Time) (bool, error) {
	if err := a.Validate(); err != nil {
		return false, fmt.Errorf("apply: %w", err)
	}
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	if at.Before(e.changedAt[a]) {
		return false, nil
	}
	e.changedAt[a] = at
	e.mu.Lock()
	defer e.mu.Unlock()
	if grant {
		e.held.add(a)
	} else {
		e.held.remove(a)
	}
	return true, nil
}

// newCasbin builds a Casbin enforcer holding the model and the policy
// rules; role assignments stay out of it (see roleIndex).
func newCasbin(rules [][]string) (*casbin.Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("load embedded model: %w", err)
	}
	ce, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("create enforcer: %w", err)
	}
	if _, err := ce.AddPolicies(rules); err != nil {
		return nil, fmt.Errorf("add policy: %w", err)
	}
	return ce, nil
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
