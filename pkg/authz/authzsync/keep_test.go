package authzsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authzsync"
	"github.com/incuchain/incuchain/pkg/authz/authzsync/migrations"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// What a Keep holds serves before NATS answers, and a kept sequence past
// the end of its stream (NATS started anew, say) is forgotten and the
// stream replayed, so stale assignments do not survive.
func TestKeepPreloadsAndForgetsAYoungerStream(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c1, c2 := authz.CarrierDomain("c1"), authz.CarrierDomain("c2")
		s1, s2 := authz.Scope{RegionID: "r1", CarrierID: "c1"}, authz.Scope{RegionID: "r1", CarrierID: "c2"}
		waitFor := func(what string, ok func() bool) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("%s: not within 10s", what)
				}
			}
		}

		b1 := bustest.Start(t)
		publish(t, bdb, b1, granted("alice", "park_admin", c1), granted("bob", "park_admin", c2), revoked("bob", "park_admin", c2))
		e1, _ := authz.New()
		k1 := authzsync.NewKeep(bdb)
		stop, err := authzsync.StartKept(ctx, b1, e1, authzsync.DefaultSources(), k1, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		waitFor("the history followed", func() bool { return k1.Handled("parks") == 3 })
		stop() // writes what waits

		e2, _ := authz.New()
		if _, err := authzsync.PreloadKept(ctx, e2, authzsync.DefaultSources(), authzsync.NewKeep(bdb)); err != nil {
			t.Fatal(err)
		}
		if !e2.Can("alice", s1, "carrier", "read") || e2.Can("bob", s2, "carrier", "read") {
			t.Fatalf("kept assignments not preloaded: alice %v, bob %v", e2.Assignments("alice"), e2.Assignments("bob"))
		}

		b2 := bustest.Start(t) // a stream of one event: younger than the kept sequence 3
		publish(t, bdb, b2, granted("carol", "park_admin", c2))
		e3, _ := authz.New()
		k3 := authzsync.NewKeep(bdb)
		stop, err = authzsync.StartKept(ctx, b2, e3, authzsync.DefaultSources(), k3, bustest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		waitFor("the new stream followed", func() bool { return k3.Handled("parks") == 1 })
		if e3.Can("alice", s1, "carrier", "read") || !e3.Can("carol", s2, "carrier", "read") {
			t.Fatalf("after a younger stream: alice %v (want none), carol %v", e3.Assignments("alice"), e3.Assignments("carol"))
		}
	}, bus.Migrations, migrations.Set)
}
