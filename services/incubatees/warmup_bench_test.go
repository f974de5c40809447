package incubatees

import (
	"fmt"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// BenchmarkRestartNewGrant times a restart of the service over a parks
// role history of n assignments until a grant published while it was down
// is honoured: from what it kept (migration 0065, the stream's tail after
// the kept sequence) beside the baseline run in the same invocation, a
// database that kept nothing, which replays the stream from its first
// event as every start did before. SQLite.
//
//	go test ./services/incubatees -run '^$' -bench 'RestartNewGrant/5000' -benchtime 3x
//	go test ./services/incubatees -run '^$' -bench 'RestartNewGrant/66000' -benchtime 1x   # province tier, minutes
func BenchmarkRestartNewGrant(b *testing.B) {
	for _, n := range []int{5000, 66000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			signer := testkit.Signer(b)
			bb := bustest.Start(b)
			parks := testkit.NewOutbox(b, bb)
			region := events.NewID()
			scope := authz.Scope{RegionID: region}
			grant := func(user string) {
				parks.Add(events.Scope{RegionID: region}, user, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
					UserID: user, Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain(region)}})
			}
			parks.Add(events.Scope{RegionID: region}, region, events.RegionCreatedV1{RegionID: region, Code: "r", NameZH: "r"})
			for range n {
				grant(events.NewID())
			}
			parks.Publish()
			kept := dbtest.Config(b, "sqlite")
			// restart starts the service on cfg and returns how long a
			// grant published just before took to be honoured.
			restart := func(cfg db.Config) time.Duration {
				newcomer := events.NewID()
				grant(newcomer)
				parks.Publish()
				t0 := time.Now()
				svc, cancel, done := runService(b, cfg, bb, signer)
				defer cancel()
				for !svc.Enforcer.Can(newcomer, scope, "company", "read") {
					time.Sleep(time.Millisecond)
				}
				took := time.Since(t0)
				cancel()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				return took
			}
			restart(kept) // the first start follows the whole history and keeps it
			var fromKept, fromFirst time.Duration
			for i := 0; i < b.N; i++ {
				fromKept += restart(kept)
				fromFirst += restart(dbtest.Config(b, "sqlite"))
			}
			b.ReportMetric(fromKept.Seconds()/float64(b.N), "s-from-kept")
			b.ReportMetric(fromFirst.Seconds()/float64(b.N), "s-replaying-all")
			b.ReportMetric(float64(n), "assignments")
		})
	}
}
