package incubatees

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// benchCompanies is the district tier of issue 13: one region's companies.
const benchCompanies = 5000

// BenchmarkListCompanies5000Companies50Users times GET
// /regions/:id/companies?page_size=20 as a district officer, 50 users at
// once, at 5,000 companies, beside a bare gin handler that runs the same
// page and count queries on the same pooled readers and encodes the rows
// (no identity, authorization or DTOs): interleaved rounds, medians. On
// SQLite; on PostgreSQL too when INCUCHAIN_TEST_POSTGRES is set.
func BenchmarkListCompanies5000Companies50Users(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		b.Run(d, func(b *testing.B) { benchListCompanies(b, d) })
	}
}

// officerRegion is a running service on dialect with one region, n
// companies in it (seedCompanies) and a district officer of the region,
// whose signed identity it returns.
type officerRegion struct {
	svc      *Service
	region   string
	identity string
}

func startOfficerRegion(tb testing.TB, dialect string, n int) officerRegion {
	tb.Helper()
	signer := testkit.Signer(tb)
	bs := bustest.Start(tb)
	parks := testkit.NewOutbox(tb, bs)
	region, officer := events.NewID(), events.NewID()
	parks.Add(events.Scope{RegionID: region}, region, events.RegionCreatedV1{RegionID: region, Code: "bench", NameZH: "bench"})
	parks.Add(events.Scope{}, officer, events.UserCreatedV1{UserID: officer, Email: "officer@bench.demo", DisplayName: "officer"})
	parks.Add(events.Scope{}, officer, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
		UserID: officer, Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain(region)}})
	parks.Publish()
	cfg := dbtest.Config(tb, dialect)
	svc, _ := testkit.Start(tb, "incubatees", func(ctx context.Context) (*Service, error) {
		return New(ctx, Config{Home: platform.Home{DB: cfg.DSN, Schema: cfg.Schema}}, Deps{Bus: bs, Signer: signer, Log: bustest.Logger(tb)})
	})
	testkit.Eventually(tb, "the officer's role", func() bool {
		return svc.Enforcer.Can(officer, authz.Scope{RegionID: region}, "company", "read")
	})
	o := officerRegion{svc: svc, region: region, identity: signer.Sign(authn.Identity{UserID: officer, IssuedAt: time.Now()})}
	// The role follower and the regions consumer run apart: the grant can
	// be honoured before region.created reached the read model.
	testkit.Eventually(tb, "the region's read model", func() bool {
		w := httptest.NewRecorder()
		svc.Handler().ServeHTTP(w, o.get("/api/v1/regions/"+region+"/companies?page_size=1"))
		return w.Code == http.StatusOK
	})
	seedCompanies(tb, svc.DB, region, n, "")
	return o
}

// get is a request for path as the officer.
func (o officerRegion) get(path string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, path, nil)
	r.Header.Set(authn.HeaderIdentity, o.identity)
	return r
}

func benchListCompanies(b *testing.B, dialect string) {
	const users, requests, rounds = 50, 3000, 3
	o := startOfficerRegion(b, dialect, benchCompanies)
	svc := o.svc
	path := "/api/v1/regions/" + o.region + "/companies?page_size=20"
	req := func() *http.Request { return o.get(path) }
	bare := bareListCompanies(svc.DB)
	s, base := interleaved(b, rounds,
		func() testkit.Load { return testkit.Drive(b, svc.Handler(), users, requests, http.StatusOK, req) },
		func() testkit.Load { return testkit.Drive(b, bare, users, requests, http.StatusOK, req) })
	reportPair(b, "svc", s, "bare", base)
	fmt.Fprintf(os.Stderr, "list companies (%s, %d companies, %d users): service %.0f req/s p50 %.1f ms p99 %.1f ms; bare %.0f req/s p99 %.1f ms; %.0f%% of bare (target ≥ 50%%, p99 ≤ 25 ms)\n",
		dialect, benchCompanies, users, s.PerSecond, millis(s.P50), millis(s.P99), base.PerSecond, millis(base.P99), 100*s.PerSecond/base.PerSecond)
}

// seedCompanies inserts n companies of the region in one transaction
// (registering 5,000 through the API would time the write path instead);
// their names repeat no name and start with prefix.
func seedCompanies(tb testing.TB, bdb *bun.DB, region string, n int, prefix string) {
	tb.Helper()
	type companyRow struct {
		bun.BaseModel `bun:"table:companies"`
		ID            string    `bun:"id"`
		RegionID      string    `bun:"region_id"`
		ProvisionalID string    `bun:"provisional_id"`
		NameZH        string    `bun:"name_zh"`
		IndustryCode  string    `bun:"industry_code"`
		FounderType   string    `bun:"founder_type"`
		FounderGender string    `bun:"founder_gender"`
		CreatedBy     string    `bun:"created_by"`
		CreatedAt     time.Time `bun:"created_at"`
		UpdatedAt     time.Time `bun:"updated_at"`
	}
	now := time.Now().UTC()
	rows := make([]companyRow, 0, n)
	for i := range n {
		rows = append(rows, companyRow{ID: events.NewID(), RegionID: region, ProvisionalID: fmt.Sprintf("T%s%06d", prefix, i),
			NameZH: fmt.Sprintf("%s企业%05d科技有限公司", prefix, (i*7919)%n), IndustryCode: "I65", FounderType: "other",
			FounderGender: "unspecified", CreatedBy: "bench", CreatedAt: now, UpdatedAt: now})
	}
	err := bdb.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		for i := 0; i < len(rows); i += 500 {
			chunk := rows[i:min(i+500, len(rows))]
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed companies: %v", err)
	}
}

// bareListCompanies is the baseline: gin, and the page and count queries
// the service runs, on the same readers, in a read transaction.
func bareListCompanies(bdb *bun.DB) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	readers := db.Reader(bdb)
	r.GET("/api/v1/regions/:id/companies", func(c *gin.Context) {
		var rows []map[string]any
		var total int
		err := readers.RunInTx(c.Request.Context(), db.ReadTx, func(ctx context.Context, tx bun.Tx) error {
			n, err := tx.NewSelect().Table("companies").Where("region_id = ?", c.Param("id")).
				OrderExpr("name_zh ASC, id ASC").Limit(20).ScanAndCount(ctx, &rows)
			total = int(n)
			return err
		})
		if err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		c.JSON(http.StatusOK, gin.H{"items": rows, "total": total})
	})
	return r
}

// BenchmarkCompaniesPageAtDepth5000 times the page at row 4,000 of the
// region's 5,000 companies (sorted by name, 20 rows) through the service,
// by offset (page=201) and by cursor (the next_cursor of page 200), 4
// users at once, interleaved rounds, medians: the cursor seeks in the
// index where the offset reads and drops 4,000 entries. On SQLite; on
// PostgreSQL too when INCUCHAIN_TEST_POSTGRES is set.
func BenchmarkCompaniesPageAtDepth5000(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		b.Run(d, func(b *testing.B) { benchPageAtDepth(b, d) })
	}
}

func benchPageAtDepth(b *testing.B, dialect string) {
	const users, requests, rounds = 4, 600, 3
	o := startOfficerRegion(b, dialect, benchCompanies)
	base := "/api/v1/regions/" + o.region + "/companies?page_size=20&sort=name"
	w := httptest.NewRecorder()
	o.svc.Handler().ServeHTTP(w, o.get(base+"&page=200"))
	var p200 struct {
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &p200); err != nil || p200.NextCursor == "" {
		b.Fatalf("page 200: %d %s (%v)", w.Code, w.Body, err)
	}
	byOffset := func() *http.Request { return o.get(base + "&page=201") }
	byCursor := func() *http.Request { return o.get(base + "&cursor=" + url.QueryEscape(p200.NextCursor)) }
	drive := func(req func() *http.Request) func() testkit.Load {
		return func() testkit.Load { return testkit.Drive(b, o.svc.Handler(), users, requests, http.StatusOK, req) }
	}
	off, cur := interleaved(b, rounds, drive(byOffset), drive(byCursor))
	reportPair(b, "cursor", cur, "offset", off)
	fmt.Fprintf(os.Stderr, "companies page at row 4,000 of %d (%s, %d users, rounds of %d): cursor %.0f req/s p50 %.1f ms p99 %.1f ms; offset %.0f req/s p50 %.1f ms p99 %.1f ms; cursor/offset %.2f×\n",
		benchCompanies, dialect, users, requests, cur.PerSecond, millis(cur.P50), millis(cur.P99), off.PerSecond, millis(off.P50), millis(off.P99), cur.PerSecond/off.PerSecond)
}

// interleaved times rounds of one then other, b.N times over, and
// answers the median load of each.
func interleaved(b *testing.B, rounds int, one, other func() testkit.Load) (testkit.Load, testkit.Load) {
	var ones, others []testkit.Load
	b.ResetTimer()
	for range b.N {
		for range rounds {
			ones = append(ones, one())
			others = append(others, other())
		}
	}
	b.StopTimer()
	return testkit.Median(ones), testkit.Median(others)
}

// reportPair reports the loads of one and other under their names
// (requests a second, p50 and p99 in ms) and one's rate over other's.
func reportPair(b *testing.B, oneName string, one testkit.Load, otherName string, other testkit.Load) {
	for _, x := range []struct {
		name string
		load testkit.Load
	}{{oneName, one}, {otherName, other}} {
		b.ReportMetric(x.load.PerSecond, x.name+"-req/s")
		b.ReportMetric(millis(x.load.P50), x.name+"-p50-ms")
		b.ReportMetric(millis(x.load.P99), x.name+"-p99-ms")
	}
	b.ReportMetric(one.PerSecond/other.PerSecond, oneName+"/"+otherName)
	b.ReportMetric(0, "ns/op")
}

// millis is d in milliseconds.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
