package incubatees

import (
	"context"
	"fmt"
	"net/http"
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

func benchListCompanies(b *testing.B, dialect string) {
	const users, requests, rounds = 50, 3000, 3
	signer := testkit.Signer(b)
	bs := bustest.Start(b)
	parks := testkit.NewOutbox(b, bs)
	region, officer := events.NewID(), events.NewID()
	parks.Add(events.Scope{RegionID: region}, region, events.RegionCreatedV1{RegionID: region, Code: "bench", NameZH: "bench"})
	parks.Add(events.Scope{}, officer, events.UserCreatedV1{UserID: officer, Email: "officer@bench.demo", DisplayName: "officer"})
	parks.Add(events.Scope{}, officer, events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{
		UserID: officer, Role: authz.RoleDistrictViewer, Domain: authz.RegionDomain(region)}})
	parks.Publish()
	cfg := dbtest.Config(b, dialect)
	svc, _ := testkit.Start(b, "incubatees", func(ctx context.Context) (*Service, error) {
		return New(ctx, Config{DB: cfg.DSN, Schema: cfg.Schema}, Deps{Bus: bs, Signer: signer, Log: bustest.Logger(b)})
	})
	testkit.Eventually(b, "the officer's role", func() bool {
		return svc.Enforcer.Can(officer, authz.Scope{RegionID: region}, "company", "read")
	})
	seedBenchCompanies(b, svc.DB, region)

	path := "/api/v1/regions/" + region + "/companies?page_size=20"
	identity := signer.Sign(authn.Identity{UserID: officer, IssuedAt: time.Now()})
	req := func() *http.Request {
		r, _ := http.NewRequest(http.MethodGet, path, nil)
		r.Header.Set(authn.HeaderIdentity, identity)
		return r
	}
	bare := bareListCompanies(svc.DB)
	var svcRounds, bareRounds []testkit.Load
	b.ResetTimer()
	for range b.N {
		for range rounds {
			svcRounds = append(svcRounds, testkit.Drive(b, svc.Handler(), users, requests, http.StatusOK, req))
			bareRounds = append(bareRounds, testkit.Drive(b, bare, users, requests, http.StatusOK, req))
		}
	}
	b.StopTimer()
	s, base := testkit.Median(svcRounds), testkit.Median(bareRounds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(s.PerSecond, "svc-req/s")
	b.ReportMetric(ms(s.P50), "svc-p50-ms")
	b.ReportMetric(ms(s.P99), "svc-p99-ms")
	b.ReportMetric(base.PerSecond, "bare-req/s")
	b.ReportMetric(ms(base.P99), "bare-p99-ms")
	b.ReportMetric(s.PerSecond/base.PerSecond, "svc/bare")
	b.ReportMetric(0, "ns/op")
	fmt.Fprintf(os.Stderr, "list companies (%s, %d companies, %d users): service %.0f req/s p50 %.1f ms p99 %.1f ms; bare %.0f req/s p99 %.1f ms; %.0f%% of bare (target ≥ 50%%, p99 ≤ 25 ms)\n",
		dialect, benchCompanies, users, s.PerSecond, ms(s.P50), ms(s.P99), base.PerSecond, ms(base.P99), 100*s.PerSecond/base.PerSecond)
}

// seedBenchCompanies inserts the region's companies in one transaction
// (registering 5,000 through the API would time the write path instead).
func seedBenchCompanies(b *testing.B, bdb *bun.DB, region string) {
	b.Helper()
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
	rows := make([]companyRow, 0, benchCompanies)
	for i := range benchCompanies {
		rows = append(rows, companyRow{ID: events.NewID(), RegionID: region, ProvisionalID: fmt.Sprintf("T%06d", i),
			NameZH: fmt.Sprintf("企业%05d科技有限公司", (i*7919)%benchCompanies), IndustryCode: "I65", FounderType: "other",
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
		b.Fatalf("seed companies: %v", err)
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
