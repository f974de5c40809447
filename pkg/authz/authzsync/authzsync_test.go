package authzsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authzsync"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

func publish(t *testing.T, bdb *bun.DB, b *bus.Bus, ps ...events.Payload) {
	t.Helper()
	ctx := context.Background()
	for _, p := range ps {
		ev, err := events.New(events.Scope{}, "test", "agg", p)
		if err != nil {
			t.Fatal(err)
		}
		if err := bus.Enqueue(ctx, bdb, ev); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bus.NewRelay(bdb, b, bustest.Logger(t)).PublishPending(ctx); err != nil {
		t.Fatal(err)
	}
}

func granted(u, role, dom string) events.Payload {
	return events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{UserID: u, Role: role, Domain: dom}}
}

func revoked(u, role, dom string) events.Payload {
	return events.RoleRevokedV1{RoleAssignmentV1: events.RoleAssignmentV1{UserID: u, Role: role, Domain: dom}}
}

func TestSnapshotThenFollow(t *testing.T) {
	b := bustest.Start(t)
	bdb := dbtest.Open(t, "sqlite", bus.Migrations)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c1, c2 := authz.CarrierDomain("c1"), authz.CarrierDomain("c2")
	scope1 := authz.Scope{RegionID: "r1", CarrierID: "c1"}
	scope2 := authz.Scope{RegionID: "r1", CarrierID: "c2"}

	// Published before the snapshot was taken: already in the snapshot, and
	// replaying them must not undo it (alice was granted then revoked c2 and
	// the snapshot agrees).
	publish(t, bdb, b, granted("alice", "park_admin", c2), revoked("alice", "park_admin", c2))

	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	snapshot := func(context.Context) ([]authz.Assignment, error) {
		return []authz.Assignment{{UserID: "alice", Role: "park_admin", Domain: c1}}, nil
	}
	stop, err := authzsync.Start(ctx, b, e, authzsync.Own("parks", snapshot), bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !e.Can("alice", scope1, "member", "grant") {
		t.Fatal("snapshot not loaded")
	}

	// Changes after the snapshot arrive as events.
	publish(t, bdb, b, granted("bob", "park_operator", c2), revoked("alice", "park_admin", c1))
	deadline := time.Now().Add(10 * time.Second)
	for !(e.Can("bob", scope2, "carrier", "read") && !e.Can("alice", scope1, "carrier", "read")) {
		if time.Now().After(deadline) {
			t.Fatalf("events not applied: bob=%v alice=%v", e.Assignments("bob"), e.Assignments("alice"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if e.Can("alice", scope2, "carrier", "read") {
		t.Error("the replayed, revoked c2 grant came back")
	}
}

func TestStartFailsWhenTheSnapshotFails(t *testing.T) {
	b := bustest.Start(t)
	e, _ := authz.New()
	_, err := authzsync.Start(context.Background(), b, e, authzsync.Own("parks", func(context.Context) ([]authz.Assignment, error) {
		return nil, context.DeadlineExceeded
	}), bustest.Logger(t))
	if err == nil {
		t.Fatal("want an error")
	}
}

// Another service's role events are replayed from the start of its
// stream, however old they are.
func TestForeignSourceReplaysFromTheStart(t *testing.T) {
	b := bustest.Start(t)
	bdb := dbtest.Open(t, "sqlite", bus.Migrations)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	company := authz.CompanyDomain("co1")
	ev, err := events.New(events.Scope{}, "test", "agg", events.CompanyRoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{UserID: "carol", Role: "startup_member", Domain: company}})
	if err != nil {
		t.Fatal(err)
	}
	ev.OccurredAt = time.Now().Add(-48 * time.Hour)
	if err := bus.Enqueue(ctx, bdb, ev); err != nil {
		t.Fatal(err)
	}
	if _, err := bus.NewRelay(bdb, b, bustest.Logger(t)).PublishPending(ctx); err != nil {
		t.Fatal(err)
	}
	e, _ := authz.New()
	stop, err := authzsync.Start(ctx, b, e, authzsync.Own("parks", func(context.Context) ([]authz.Assignment, error) { return nil, nil }), bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	deadline := time.Now().Add(10 * time.Second)
	for !e.Can("carol", authz.Scope{CompanyID: "co1"}, "company", "read") {
		if time.Now().After(deadline) {
			t.Fatal("company role from the incubatees stream not applied")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
