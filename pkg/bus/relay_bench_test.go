package bus_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

// BenchmarkRelay2000WriteBurst times the events of 2,000 writes (20
// writers, one event each on its own aggregate, the relay running) from
// the first write until the last event is stored ("burst"; the writers'
// own commit rate beside it bounds it), and the relay
// alone draining 2,000 pending rows ("drain"), beside raw JetStream
// publish+ack of the same 2,000 messages one by one on the same server,
// in the same run. SQLite; PostgreSQL too with INCUCHAIN_TEST_POSTGRES.
func BenchmarkRelay2000WriteBurst(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		b.Run(d, func(b *testing.B) { benchRelay(b, d) })
	}
}

func benchRelay(b *testing.B, dialect string) {
	const writes, writers = 2000, 20
	ctx := context.Background()
	nb := bustest.Start(b)
	newEvents := func() []events.Envelope {
		evs := make([]events.Envelope, writes)
		for i := range evs {
			ev, err := events.New(events.Scope{RegionID: "r1", CarrierID: "c1"}, "bench", fmt.Sprintf("agg-%04d", i), thingHappened{Aggregate: fmt.Sprintf("agg-%04d", i), N: 1})
			if err != nil {
				b.Fatal(err)
			}
			evs[i] = ev
		}
		return evs
	}
	pending := func(bdb *bun.DB) int {
		var n int
		if err := bdb.NewRaw("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL").Scan(ctx, &n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	var burst, written, drain, raw []float64
	for range b.N {
		// Burst: writers commit while the relay runs.
		bdb := dbtest.Open(b, dialect, bus.Migrations)
		relay := bus.NewRelay(bdb, nb, bustest.Logger(b))
		rctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- relay.Run(rctx) }()
		evs := newEvents()
		start := time.Now()
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < writes; i += writers {
					if err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return bus.Enqueue(ctx, tx, evs[i]) }); err != nil {
						b.Error(err)
						return
					}
					relay.Notify()
				}
			}()
		}
		wg.Wait()
		written = append(written, writes/time.Since(start).Seconds())
		for pending(bdb) > 0 {
			relay.Notify()
			time.Sleep(time.Millisecond) // poll for the end of the drain; not an assertion
		}
		burst = append(burst, writes/time.Since(start).Seconds())
		stop()
		<-done

		// Drain: 2,000 rows pending, the relay alone.
		if err := bus.Enqueue(ctx, bdb, newEvents()...); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		for pending(bdb) > 0 {
			if _, err := relay.PublishPending(ctx); err != nil {
				b.Fatal(err)
			}
		}
		drain = append(drain, writes/time.Since(start).Seconds())

		// Raw: the same messages, publish and wait for each ack.
		evs = newEvents()
		start = time.Now()
		for _, ev := range evs {
			msg := nats.NewMsg(nb.Subject(ev.Type))
			msg.Header.Set(nats.MsgIdHdr, ev.ID)
			msg.Data = []byte(fmt.Sprintf(`{"id":%q,"type":%q,"aggregate_id":%q}`, ev.ID, ev.Type, ev.AggregateID))
			if _, err := nb.JetStream().PublishMsg(ctx, msg); err != nil {
				b.Fatal(err)
			}
		}
		raw = append(raw, writes/time.Since(start).Seconds())
	}
	med := median
	b.ReportMetric(med(burst), "burst-events/s")
	b.ReportMetric(med(written), "commits/s")
	b.ReportMetric(med(drain), "drain-events/s")
	b.ReportMetric(med(raw), "raw-msg/s")
	b.ReportMetric(med(burst)/med(raw), "burst/raw")
	b.ReportMetric(0, "ns/op")
	fmt.Fprintf(os.Stderr, "relay (%s, %d writes by %d writers): burst %.0f events/s (the writes alone commit %.0f/s), drain %.0f events/s; raw JetStream publish+ack %.0f msg/s (target ≥ 2,000 events/s, 0 lost)\n",
		dialect, writes, writers, med(burst), med(written), med(drain), med(raw))
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
