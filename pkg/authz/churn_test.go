package authz

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestChecksUnderRoleChurnMatchHeldRoles runs checks while roles are
// granted and revoked (run with -race), and checks every decision against
// what the user held: each churned user has one writer, which bumps a
// sequence number before (odd: change in flight) and after (even) each
// Grant or Revoke. A check that saw the same even number before and after
// it ran between two changes, so the model of what is held at that point
// decides what it must return. Users never touched are checked always.
func TestChecksUnderRoleChurnMatchHeldRoles(t *testing.T) {
	const (
		churned = 6
		readers = 3
		rounds  = 300
	)
	steadyOp := Assignment{UserID: "steady-op", Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)}
	e := newTestEnforcer(t, steadyOp)

	// Churned user i holds park_operator in carrierOwn for good and has
	// park_admin there granted and revoked: "carrier read" must never
	// flicker, "carrier update" follows the churn.
	type churnUser struct {
		id  string
		seq atomic.Int64 // state after seq/2 changes: held iff (seq/2) is odd
	}
	users := make([]*churnUser, churned)
	for i := range users {
		users[i] = &churnUser{id: fmt.Sprintf("churn-%d", i)}
		if err := e.Grant(Assignment{UserID: users[i].id, Role: RoleParkOperator, Domain: CarrierDomain(carrierOwn)}); err != nil {
			t.Fatal(err)
		}
	}
	churn := func(u *churnUser) Assignment {
		return Assignment{UserID: u.id, Role: RoleParkAdmin, Domain: CarrierDomain(carrierOwn)}
	}

	var wrong, settled, inFlight atomic.Int64
	report := func(format string, args ...any) {
		if wrong.Add(1) <= 5 {
			t.Errorf(format, args...)
		}
	}
	done := make(chan struct{})
	var readersWG, writersWG sync.WaitGroup
	for r := 0; r < readers; r++ {
		readersWG.Add(1)
		go func() {
			defer readersWG.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				u := users[(i+r)%churned]
				before := u.seq.Load()
				got := e.Can(u.id, ownCarrier.scope, "carrier", "update")
				after := u.seq.Load()
				if before == after && before%2 == 0 {
					settled.Add(1)
					if want := (before/2)%2 == 1; got != want {
						report("%s after %d changes: carrier update = %v, want %v", u.id, before/2, got, want)
					}
				} else {
					inFlight.Add(1)
				}
				if !e.Can(u.id, ownCarrier.scope, "carrier", "read") {
					report("%s lost its steady park_operator role while park_admin churned", u.id)
				}
				if e.Can(u.id, siblingCarrier.scope, "carrier", "read") {
					report("%s allowed in a carrier where it never held a role", u.id)
				}
				if !e.Can(steadyOp.UserID, ownCarrier.scope, "company", "update") {
					report("steady user denied during churn")
				}
				if e.Can("never-granted", ownCarrier.scope, "carrier", "read") {
					report("never-granted user allowed during churn")
				}
			}
		}()
	}
	for _, u := range users {
		writersWG.Add(1)
		go func() {
			defer writersWG.Done()
			for i := 0; i < rounds; i++ {
				change := e.Grant
				if i%2 == 1 {
					change = e.Revoke
				}
				u.seq.Add(1)
				if err := change(churn(u)); err != nil {
					t.Error(err)
					return
				}
				u.seq.Add(1)
			}
		}()
	}
	writersWG.Wait()
	close(done)
	readersWG.Wait()

	t.Logf("%d checks between changes verified, %d raced a change, %d wrong", settled.Load(), inFlight.Load(), wrong.Load())
	if settled.Load() == 0 {
		t.Fatal("no check ran between two changes; nothing was verified")
	}
	// rounds is even: every user ends revoked, back to park_operator only.
	for _, u := range users {
		if e.Can(u.id, ownCarrier.scope, "carrier", "update") || !e.Can(u.id, ownCarrier.scope, "carrier", "read") {
			t.Errorf("%s does not end as park_operator only: %v", u.id, e.Assignments(u.id))
		}
	}
	assertIndexMatchesCasbin(t, e)
}
