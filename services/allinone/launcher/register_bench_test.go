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
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// commitCounter counts, on one service's database, the transactions it
// commits, the statements it runs and the rows its INSERT, UPDATE and
// DELETE statements change.
// bun reports a transaction's COMMIT to its query hooks, so every
// RunInTx of the service is seen; a statement run outside a transaction
// (its own implicit commit on the server) counts as a statement and its
// rows, not as a commit.
type commitCounter struct {
	commits, rows, statements atomic.Int64
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
	if q != "BEGIN" && q != "ROLLBACK" {
		c.statements.Add(1)
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
	register := func() *http.Request {
		body := fmt.Sprintf(`{"name_zh":"压测企业%06d","industry_code":"I65"}`, seq.Add(1))
		r := httptest.NewRequest(http.MethodPost, "/api/v1/regions/"+region+"/companies", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(authn.HeaderIdentity, identity)
		return r
	}
	// The baseline answers like the service, from a one-row INSERT.
	bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := seq.Add(1)
		if _, err := l.incubatees.DB.ExecContext(ctx, "INSERT INTO bench_bare_companies (id, name_zh, created_at) VALUES (?, ?, ?)",
			fmt.Sprintf("b%08d", n), fmt.Sprintf("压测企业%06d", n), time.Now().UTC()); err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	if _, err := l.incubatees.DB.ExecContext(ctx, "CREATE TABLE bench_bare_companies (id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)"); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	for range b.N {
		before, beforeRows := counters.totals()
		perService := map[string][3]int64{}
		for name, c := range counters {
			perService[name] = [3]int64{c.commits.Load(), c.rows.Load(), c.statements.Load()}
		}
		from := time.Now()
		reg := testkit.Drive(b, handler, writers, writers*perWriter, http.StatusCreated, register)
		after, afterRows := counters.settled(2*time.Second, 120*time.Second)
		span := time.Since(from).Seconds() - 2 // the quiet wait saw nothing
		n := float64(writers * perWriter)
		commits := (float64(after-before) - idleCommits*span) / n
		rows := (float64(afterRows-beforeRows) - idleRows*span) / n
		base := testkit.Drive(b, bare, writers, writers*perWriter, http.StatusCreated, func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/bare", nil)
		})

		var per bytes.Buffer
		for _, name := range []string{"incubatees", "parks", "documents", "milestones", "rollups"} {
			c := counters[name]
			fmt.Fprintf(&per, " %s %.2f/%.2f/%.2f", name, float64(c.commits.Load()-perService[name][0])/n, float64(c.rows.Load()-perService[name][1])/n,
				float64(c.statements.Load()-perService[name][2])/n)
		}
		b.ReportMetric(reg.PerSecond, "register/s")
		b.ReportMetric(float64(reg.P99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(base.PerSecond, "bare-insert/s")
		b.ReportMetric(commits, "commits/registration")
		b.ReportMetric(rows, "rows/registration")
		b.ReportMetric(0, "ns/op")
		fmt.Fprintf(os.Stderr, "register company (postgres, %d writers × %d): %.0f/s p50 %.1f ms p99 %.1f ms; bare INSERT %.0f/s p99 %.1f ms (%.0f%%); %.2f commits and %.2f rows per registration across services (idle %.1f commits/s subtracted); per service commits/rows/statements:%s\n",
			writers, perWriter, reg.PerSecond, ms(reg.P50), ms(reg.P99), base.PerSecond, ms(base.P99), 100*reg.PerSecond/base.PerSecond, commits, rows, idleCommits, per.String())
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
