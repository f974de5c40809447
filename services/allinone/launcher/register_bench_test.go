package launcher

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// commitCounter counts, on one service's database, the transactions it
// commits and the rows its INSERT, UPDATE and DELETE statements change.
// bun reports a transaction's COMMIT to its query hooks, so every
// RunInTx of the service is seen; a write outside a transaction is
// counted as a commit of its own.
type commitCounter struct {
	commits, rows atomic.Int64
}

func (c *commitCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (c *commitCounter) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if ev.Err != nil {
		return
	}
	q := strings.ToUpper(strings.TrimSpace(ev.Query))
	if q == "COMMIT" {
		c.commits.Add(1)
		return
	}
	for _, verb := range []string{"INSERT", "UPDATE", "DELETE", "WITH"} {
		if strings.HasPrefix(q, verb) && ev.Result != nil {
			if n, err := ev.Result.RowsAffected(); err == nil {
				c.rows.Add(n)
			}
			return
		}
	}
}

type serviceCounters map[string]*commitCounter

func (s serviceCounters) totals() (commits, rows int64) {
	for _, c := range s {
		commits += c.commits.Load()
		rows += c.rows.Load()
	}
	return commits, rows
}

// settled waits until no service committed anything for quiet (the
// consumers have caught up), up to limit, and returns the totals.
func (s serviceCounters) settled(quiet, limit time.Duration) (commits, rows int64) {
	deadline := time.Now().Add(limit)
	last, _ := s.totals()
	for still := time.Now(); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		now, _ := s.totals()
		if now != last {
			last, still = now, time.Now()
			continue
		}
		if time.Since(still) >= quiet {
			break
		}
	}
	return s.totals()
}

// BenchmarkRegisterCompany20Writers registers companies through
// POST /regions/:id/companies with 20 writers at once, every service of
// the all-in-one running on PostgreSQL (each in its schema) with the
// embedded NATS, and counts the transactions committed and the rows
// written by every service until its consumers are idle again: the cost
// of one registration across services. Beside it, in the same run, the
// bare baseline: 20 writers each committing one-row INSERTs into a table
// of the same database. PostgreSQL only (INCUCHAIN_TEST_POSTGRES).
func BenchmarkRegisterCompany20Writers(b *testing.B) {
	if !slices.Contains(dbtest.Dialects(), "postgres") {
		b.Skip("needs INCUCHAIN_TEST_POSTGRES")
	}
	const writers, perWriter = 20, 50
	s := settingsAllOn(b, "postgres")
	l := start(b, s, TargetAll)
	counters := serviceCounters{}
	dbs := map[string]*bun.DB{"parks": l.parks.DB, "incubatees": l.incubatees.DB, "documents": l.documents.DB,
		"milestones": l.milestones.DB, "rollups": l.rollups.DB}
	for name, bdb := range dbs {
		counters[name] = &commitCounter{}
		//lint:ignore SA1019 the counter must be on the handles the services hold
		bdb.AddQueryHook(counters[name])
	}
	ctx := context.Background()
	var region, user string
	if err := l.parks.DB.NewRaw("SELECT id FROM regions ORDER BY id LIMIT 1").Scan(ctx, &region); err != nil {
		b.Fatalf("region: %v", err)
	}
	if err := l.parks.DB.NewRaw("SELECT id FROM users WHERE email = 'district@lixia.demo'").Scan(ctx, &user); err != nil {
		b.Fatalf("user: %v", err)
	}
	identity := l.signer.Sign(authn.Identity{UserID: user, IssuedAt: time.Now()})
	handler := l.incubatees.Handler()

	// What the services commit with nobody writing (scans, relays, role
	// followers), subtracted below at the same rate.
	c0, r0 := counters.settled(2*time.Second, 60*time.Second)
	idleFrom := time.Now()
	time.Sleep(3 * time.Second)
	c1, r1 := counters.totals()
	idleCommits, idleRows := float64(c1-c0)/time.Since(idleFrom).Seconds(), float64(r1-r0)/time.Since(idleFrom).Seconds()

	var seq atomic.Int64
	register := func() (time.Duration, error) {
		n := seq.Add(1)
		body := fmt.Sprintf(`{"name_zh":"压测企业%06d","industry_code":"I65"}`, n)
		r := httptest.NewRequest(http.MethodPost, "/api/v1/regions/"+region+"/companies", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(authn.HeaderIdentity, identity)
		w := httptest.NewRecorder()
		t0 := time.Now()
		handler.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			return 0, fmt.Errorf("register: %d %s", w.Code, w.Body)
		}
		return time.Since(t0), nil
	}
	bare := func(bdb *bun.DB) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			n := seq.Add(1)
			t0 := time.Now()
			_, err := bdb.ExecContext(ctx, "INSERT INTO bench_bare_companies (id, name_zh, created_at) VALUES (?, ?, ?)",
				fmt.Sprintf("b%08d", n), fmt.Sprintf("压测企业%06d", n), time.Now().UTC())
			return time.Since(t0), err
		}
	}
	if _, err := l.incubatees.DB.ExecContext(ctx, "CREATE TABLE bench_bare_companies (id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)"); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	for range b.N {
		before, beforeRows := counters.totals()
		perService := map[string][2]int64{}
		for name, c := range counters {
			perService[name] = [2]int64{c.commits.Load(), c.rows.Load()}
		}
		from := time.Now()
		reg := drive(b, writers, perWriter, register)
		after, afterRows := counters.settled(2*time.Second, 120*time.Second)
		span := time.Since(from).Seconds() - 2 // the quiet wait saw nothing
		n := float64(writers * perWriter)
		commits := (float64(after-before) - idleCommits*span) / n
		rows := (float64(afterRows-beforeRows) - idleRows*span) / n
		base := drive(b, writers, perWriter, bare(l.incubatees.DB))

		var per bytes.Buffer
		for _, name := range []string{"incubatees", "parks", "documents", "milestones", "rollups"} {
			c := counters[name]
			fmt.Fprintf(&per, " %s %.2f/%.2f", name, float64(c.commits.Load()-perService[name][0])/n, float64(c.rows.Load()-perService[name][1])/n)
		}
		b.ReportMetric(reg.perSecond, "register/s")
		b.ReportMetric(float64(reg.p99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(base.perSecond, "bare-insert/s")
		b.ReportMetric(commits, "commits/registration")
		b.ReportMetric(rows, "rows/registration")
		b.ReportMetric(0, "ns/op")
		fmt.Fprintf(os.Stderr, "register company (postgres, %d writers × %d): %.0f/s p50 %.1f ms p99 %.1f ms; bare INSERT %.0f/s p99 %.1f ms (%.0f%%); %.2f commits and %.2f rows per registration across services (idle %.1f commits/s subtracted); per service commits/rows:%s\n",
			writers, perWriter, reg.perSecond, ms(reg.p50), ms(reg.p99), base.perSecond, ms(base.p99), 100*reg.perSecond/base.perSecond, commits, rows, idleCommits, per.String())
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type writeLoad struct {
	perSecond float64
	p50, p99  time.Duration
}

// drive runs write perWriter times on each of writers goroutines at once.
func drive(b *testing.B, writers, perWriter int, write func() (time.Duration, error)) writeLoad {
	b.Helper()
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	t0 := time.Now()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWriter {
				d, err := write()
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	slices.Sort(lat)
	return writeLoad{perSecond: float64(len(lat)) / elapsed.Seconds(), p50: lat[len(lat)/2], p99: lat[len(lat)*99/100]}
}
