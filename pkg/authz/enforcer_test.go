package authz

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
)

// incubateeRoleGranted stands in for the incubatees service's own role
// event: same payload, another service prefix.
type incubateeRoleGranted struct{ events.RoleAssignmentV1 }

func (incubateeRoleGranted) EventType() string { return "incubatees.member.role_granted" }
func (incubateeRoleGranted) EventVersion() int { return 1 }

func TestApplyGrantThenRevoke(t *testing.T) {
	e := newTestEnforcer(t)
	a := events.RoleAssignmentV1{UserID: "alice", Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)}

	apply(t, e, roleEvent(t, events.RoleGrantedV1{RoleAssignmentV1: a}))
	if !e.Can("alice", ownCarrier.scope, "carrier", "update") {
		t.Fatal("alice cannot update her carrier after role_granted")
	}
	if e.Can("alice", siblingCarrier.scope, "carrier", "read") {
		t.Fatal("alice may read another carrier")
	}
	// Redelivery is harmless.
	apply(t, e, roleEvent(t, events.RoleGrantedV1{RoleAssignmentV1: a}))

	apply(t, e, roleEvent(t, events.RoleRevokedV1{RoleAssignmentV1: a}))
	if e.Can("alice", ownCarrier.scope, "carrier", "read") {
		t.Fatal("alice can still read her carrier after role_revoked")
	}
	apply(t, e, roleEvent(t, events.RoleRevokedV1{RoleAssignmentV1: a}))
	if got := e.Assignments("alice"); len(got) != 0 {
		t.Fatalf("Assignments after revoke = %v", got)
	}
}

func TestApplyFromAnotherService(t *testing.T) {
	e := newTestEnforcer(t)
	apply(t, e, roleEvent(t, incubateeRoleGranted{events.RoleAssignmentV1{
		UserID: "bob", Role: RoleStartupMember, Domain: CompanyDomain(companyOwn),
	}}))
	if !e.Can("bob", ownCompanyElsewhere.scope, "company", "update") {
		t.Fatal("bob cannot update his company after incubatees.member.role_granted")
	}
}

func TestApplyIgnoresOtherEvents(t *testing.T) {
	e := newTestEnforcer(t, holders...)
	before := e.Assignments(holderOf(t, RoleParkAdmin))
	others := []events.Payload{
		events.CarrierCreatedV1{CarrierV1: events.CarrierV1{CarrierID: carrierOwn, RegionID: regionOwn}},
		events.InvitationCreatedV1{InvitationID: "I1", Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)},
		events.UserCreatedV1{UserID: holderOf(t, RoleParkAdmin)},
	}
	for _, p := range others {
		if err := e.Apply(roleEvent(t, p)); err != nil {
			t.Errorf("Apply(%s) = %v, want it ignored", p.EventType(), err)
		}
	}
	// A type that merely contains the role suffix is not a role event.
	ev := roleEvent(t, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
		UserID: "mallory", Role: RolePlatformAdmin, Domain: PlatformDomain(),
	}})
	ev.Type = "parks.member.role_granted.audit"
	if err := e.Apply(ev); err != nil {
		t.Errorf("Apply(%s) = %v, want it ignored", ev.Type, err)
	}
	if e.Can("mallory", Scope{}, "region", "read") {
		t.Error("an event that is not a role event granted a role")
	}
	if after := e.Assignments(holderOf(t, RoleParkAdmin)); !slices.Equal(before, after) {
		t.Errorf("assignments changed from %v to %v", before, after)
	}
}

func TestApplyRejectsBadEvents(t *testing.T) {
	valid := events.RoleAssignmentV1{UserID: "carol", Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)}
	tests := []struct {
		name    string
		mutate  func(*events.Envelope)
		invalid bool // the error wraps ErrInvalidAssignment
	}{
		{"malformed json", func(ev *events.Envelope) { ev.Data = json.RawMessage(`{"user_id": "carol", "role": `) }, false},
		{"wrong field type", func(ev *events.Envelope) { ev.Data = json.RawMessage(`{"user_id": 7}`) }, false},
		{"unsupported version", func(ev *events.Envelope) { ev.Version = 2 }, false},
		{"unknown role", func(ev *events.Envelope) {
			ev.Data = json.RawMessage(`{"user_id":"carol","role":"janitor","domain":"carrier:C1"}`)
		}, true},
		{"role in wrong domain", func(ev *events.Envelope) {
			ev.Data = json.RawMessage(`{"user_id":"carol","role":"park_admin","domain":"region:R1"}`)
		}, true},
		{"missing user", func(ev *events.Envelope) {
			ev.Data = json.RawMessage(`{"role":"park_admin","domain":"carrier:C1"}`)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnforcer(t)
			ev := roleEvent(t, events.RoleGrantedV1{RoleAssignmentV1: valid})
			tt.mutate(&ev)
			err := e.Apply(ev)
			if err == nil {
				t.Fatal("Apply accepted it")
			}
			if got := errors.Is(err, ErrInvalidAssignment); got != tt.invalid {
				t.Errorf("errors.Is(%v, ErrInvalidAssignment) = %v, want %v", err, got, tt.invalid)
			}
			if e.Can("carol", ownCarrier.scope, "carrier", "read") {
				t.Error("a rejected event granted a role")
			}
		})
	}
}

func TestReplaceThenApply(t *testing.T) {
	e := newTestEnforcer(t)
	stale := Assignment{UserID: "stale", Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)}
	if err := e.Grant(stale); err != nil {
		t.Fatal(err)
	}

	dora := Assignment{UserID: "dora", Role: RoleDistrictViewer, Domain: RegionDomain(regionOwn)}
	erin := Assignment{UserID: "erin", Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)}
	erinToo := Assignment{UserID: "erin", Role: RoleStartupMember, Domain: CompanyDomain(companyOwn)}
	if err := e.Replace([]Assignment{dora, erin, erinToo, erin}); err != nil { // duplicates are fine
		t.Fatalf("Replace: %v", err)
	}
	if e.Can("stale", ownCarrier.scope, "carrier", "read") {
		t.Error("an assignment missing from the snapshot survived Replace")
	}
	if !e.Can("dora", siblingCarrier.scope, "carrier", "read") || !e.Can("erin", ownCompanyElsewhere.scope, "company", "read") {
		t.Error("snapshot assignments do not apply")
	}
	// The policy survives Replace: erin still may not update the carrier.
	if e.Can("erin", ownCarrier.scope, "carrier", "update") {
		t.Error("park_operator may update a carrier after Replace")
	}

	// Events after the snapshot build on it.
	apply(t, e, roleEvent(t, events.RoleRevokedV1{RoleAssignmentV1: events.RoleAssignmentV1{
		UserID: erin.UserID, Role: erin.Role, Domain: erin.Domain,
	}}))
	apply(t, e, roleEvent(t, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
		UserID: "dora", Role: RoleDistrictAdmin, Domain: RegionDomain(regionOwn),
	}}))
	if e.Can("erin", ownCarrier.scope, "carrier", "read") {
		t.Error("revoked after the snapshot, erin still reads the carrier")
	}
	if !e.Can("erin", ownCompany.scope, "company", "update") {
		t.Error("erin lost her startup membership with the operator role")
	}
	if !e.Can("dora", siblingCarrier.scope, "carrier", "update") {
		t.Error("granted after the snapshot, dora cannot update a carrier of her region")
	}
	wantDora := []Assignment{
		{UserID: "dora", Role: RoleDistrictAdmin, Domain: RegionDomain(regionOwn)},
		{UserID: "dora", Role: RoleDistrictViewer, Domain: RegionDomain(regionOwn)},
	}
	if got := e.Assignments("dora"); !slices.Equal(got, wantDora) {
		t.Errorf("Assignments(dora) = %v, want %v", got, wantDora)
	}
	assertIndexMatchesCasbin(t, e)
}

func TestReplaceWithInvalidAssignmentChangesNothing(t *testing.T) {
	e := newTestEnforcer(t, holders...)
	err := e.Replace([]Assignment{
		{UserID: "frank", Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)},
		{UserID: "frank", Role: RoleParkAdmin, Domain: RegionDomain(regionOwn)},
	})
	if !errors.Is(err, ErrInvalidAssignment) {
		t.Fatalf("Replace = %v, want ErrInvalidAssignment", err)
	}
	if e.Can("frank", ownCarrier.scope, "carrier", "read") {
		t.Error("a rejected snapshot was partly loaded")
	}
	if !e.Can(holderOf(t, RoleParkAdmin), ownCarrier.scope, "carrier", "update") {
		t.Error("a rejected snapshot dropped the previous assignments")
	}
	assertIndexMatchesCasbin(t, e)
}

func TestReplaceWithNothingRevokesEverything(t *testing.T) {
	e := newTestEnforcer(t, holders...)
	if err := e.Replace(nil); err != nil {
		t.Fatal(err)
	}
	for _, h := range holders {
		if got := e.Assignments(h.UserID); len(got) != 0 {
			t.Errorf("Assignments(%s) = %v after an empty snapshot", h.UserID, got)
		}
	}
	assertIndexMatchesCasbin(t, e)
}

func TestAssignmentsAndVisibleDomains(t *testing.T) {
	e := newTestEnforcer(t,
		Assignment{UserID: "gina", Role: RoleStartupMember, Domain: CompanyDomain("X9")},
		Assignment{UserID: "gina", Role: RoleParkOperator, Domain: CarrierDomain("C2")},
		Assignment{UserID: "gina", Role: RoleParkAdmin, Domain: CarrierDomain("C2")},
		Assignment{UserID: "gina", Role: RoleParkOperator, Domain: CarrierDomain("C1")},
		Assignment{UserID: "hank", Role: RolePlatformAdmin, Domain: PlatformDomain()},
	)
	wantAssignments := []Assignment{
		{UserID: "gina", Role: RoleParkOperator, Domain: CarrierDomain("C1")},
		{UserID: "gina", Role: RoleParkAdmin, Domain: CarrierDomain("C2")},
		{UserID: "gina", Role: RoleParkOperator, Domain: CarrierDomain("C2")},
		{UserID: "gina", Role: RoleStartupMember, Domain: CompanyDomain("X9")},
	}
	if got := e.Assignments("gina"); !slices.Equal(got, wantAssignments) {
		t.Errorf("Assignments(gina) = %v, want %v", got, wantAssignments)
	}
	tests := []struct {
		user string
		want []string
	}{
		{"gina", []string{CarrierDomain("C1"), CarrierDomain("C2"), CompanyDomain("X9")}},
		{"hank", []string{PlatformDomain()}},
		{"nobody", []string{}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if got := e.VisibleDomains(tt.user); !slices.Equal(got, tt.want) {
			t.Errorf("VisibleDomains(%q) = %v, want %v", tt.user, got, tt.want)
		}
	}
	assertIndexMatchesCasbin(t, e)
}

func TestParseDomain(t *testing.T) {
	tests := []struct {
		dom, kind, id string
		ok            bool
	}{
		{PlatformDomain(), KindPlatform, "", true},
		{RegionDomain("R1"), KindRegion, "R1", true},
		{CarrierDomain("C1"), KindCarrier, "C1", true},
		{CompanyDomain("X1"), KindCompany, "X1", true},
		{"carrier:", "", "", false},
		{"platform:P1", "", "", false},
		{"park:C1", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		kind, id, ok := ParseDomain(tt.dom)
		if kind != tt.kind || id != tt.id || ok != tt.ok {
			t.Errorf("ParseDomain(%q) = %q, %q, %v; want %q, %q, %v", tt.dom, kind, id, ok, tt.kind, tt.id, tt.ok)
		}
	}
}

// Checks run while roles change and snapshots are swapped. Run with -race.
// A user whose role never changes must always be allowed, a user who never
// holds a role must always be denied, and the churned users end in the
// state of their last change.
func TestConcurrentChecksAndChanges(t *testing.T) {
	steady := Assignment{UserID: "steady", Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)}
	e := newTestEnforcer(t, steady)

	const (
		readers    = 4
		writers    = 4
		rounds     = 50
		churnUsers = 5
	)
	churn := func(w, u int) Assignment {
		return Assignment{UserID: fmt.Sprintf("churn-%d-%d", w, u), Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)}
	}

	done := make(chan struct{})
	var readersWG, writersWG sync.WaitGroup
	readerErrs := make(chan string, readers)
	for r := 0; r < readers; r++ {
		readersWG.Add(1)
		go func() {
			defer readersWG.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if !e.Can(steady.UserID, ownCarrier.scope, "carrier", "read") {
					readerErrs <- "steady user denied during changes"
					return
				}
				if e.Can("stranger", ownCarrier.scope, "carrier", "read") {
					readerErrs <- "stranger allowed during changes"
					return
				}
				_ = e.Can(churn(r%writers, r%churnUsers).UserID, ownCarrier.scope, "member", "grant")
				_ = e.VisibleDomains(steady.UserID)
			}
		}()
	}
	writerErrs := make(chan error, writers+1)
	for w := 0; w < writers; w++ {
		writersWG.Add(1)
		go func() {
			defer writersWG.Done()
			for i := 0; i < rounds; i++ {
				a := churn(w, i%churnUsers)
				if err := e.Grant(a); err != nil {
					writerErrs <- err
					return
				}
				if err := e.Revoke(a); err != nil {
					writerErrs <- err
					return
				}
			}
		}()
	}
	// A snapshot reload racing the events; it keeps the steady user.
	writersWG.Add(1)
	go func() {
		defer writersWG.Done()
		for i := 0; i < 10; i++ {
			if err := e.Replace([]Assignment{steady}); err != nil {
				writerErrs <- err
				return
			}
		}
	}()
	writersWG.Wait()
	close(done)
	readersWG.Wait()
	close(readerErrs)
	close(writerErrs)
	for msg := range readerErrs {
		t.Error(msg)
	}
	for err := range writerErrs {
		t.Error(err)
	}

	// Every writer ended with a revoke, so no churned user holds anything.
	for w := 0; w < writers; w++ {
		for u := 0; u < churnUsers; u++ {
			if e.Can(churn(w, u).UserID, ownCarrier.scope, "carrier", "read") {
				t.Errorf("%s still allowed after its last revoke", churn(w, u).UserID)
			}
		}
	}
	if err := e.Grant(churn(0, 0)); err != nil {
		t.Fatal(err)
	}
	if !e.Can(churn(0, 0).UserID, ownCarrier.scope, "member", "grant") {
		t.Error("grant after the churn does not apply")
	}
	assertIndexMatchesCasbin(t, e)
}

// assertIndexMatchesCasbin checks that the role index is the only record
// of assignments (Casbin holds no g rules, so nothing can drift apart) and
// that it keeps no empty or repeated entries.
func assertIndexMatchesCasbin(t *testing.T, e *Enforcer) {
	t.Helper()
	e.mu.RLock()
	defer e.mu.RUnlock()
	rows, err := e.ce.GetGroupingPolicy()
	if err != nil {
		t.Fatalf("GetGroupingPolicy: %v", err)
	}
	if len(rows) != 0 {
		t.Errorf("Casbin holds g rules %v; assignments belong in the index only", rows)
	}
	for user, doms := range e.held {
		if len(doms) == 0 {
			t.Errorf("index keeps an empty entry for %s", user)
		}
		seen := map[string]bool{}
		for _, h := range doms {
			if h.roles == 0 {
				t.Errorf("index keeps an empty domain %s for %s", h.domain(), user)
			}
			if seen[h.domain()] {
				t.Errorf("index repeats domain %s for %s", h.domain(), user)
			}
			seen[h.domain()] = true
		}
	}
}

func roleEvent(t *testing.T, p events.Payload) events.Envelope {
	t.Helper()
	ev, err := events.New(events.Scope{RegionID: regionOwn, CarrierID: carrierOwn}, "test-actor", events.NewID(), p)
	if err != nil {
		t.Fatalf("events.New(%s): %v", p.EventType(), err)
	}
	return ev
}

func apply(t *testing.T, e *Enforcer, ev events.Envelope) {
	t.Helper()
	if err := e.Apply(ev); err != nil {
		t.Fatalf("Apply(%s): %v", ev.Type, err)
	}
}

// A grant event delivered after a newer local revoke (the member left
// meanwhile) is stale and does not bring the role back; the revoke's own
// event, newer than the local change, still applies.
func TestApplyIgnoresAnEventOlderThanTheLocalChange(t *testing.T) {
	e := newTestEnforcer(t)
	a := events.RoleAssignmentV1{UserID: "alice", Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)}
	as := Assignment{UserID: a.UserID, Role: a.Role, Domain: a.Domain}
	granted := roleEvent(t, events.RoleGrantedV1{RoleAssignmentV1: a})

	// The accept applied locally, before its event went out.
	if ok, err := e.ApplyAt(as, true, granted.OccurredAt.Add(-time.Millisecond)); err != nil || !ok {
		t.Fatalf("local grant: %v %v", ok, err)
	}
	// The member leaves; the revoke is applied locally at once.
	leftAt := granted.OccurredAt.Add(time.Second)
	if ok, err := e.ApplyAt(as, false, leftAt); err != nil || !ok {
		t.Fatalf("local revoke: %v %v", ok, err)
	}
	// Only now the accept's grant event arrives.
	apply(t, e, granted)
	if e.Can("alice", ownCarrier.scope, "carrier", "read") {
		t.Fatal("a late grant event undid a newer revoke")
	}
	// A change newer than the revoke applies.
	if ok, err := e.ApplyAt(as, true, leftAt.Add(time.Second)); err != nil || !ok || !e.Can("alice", ownCarrier.scope, "carrier", "read") {
		t.Fatalf("newer grant: %v %v", ok, err)
	}
}
