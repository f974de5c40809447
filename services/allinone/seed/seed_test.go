package seed

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/allinone/launcher"
)

// settings is a fresh process: its own data directory, ports and
// databases (SQLite, or schemas of their own on PostgreSQL).
func settings(t *testing.T, dialect string) launcher.Settings {
	t.Helper()
	var s launcher.Settings
	if err := config.Load("", &s); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s.Platform.DataDir = dir
	s.Platform.S3EmbeddedAddr = "127.0.0.1:0"
	// make test-nats runs the history on the real server, in a namespace
	// of its own.
	if url := os.Getenv("NATS_URL"); url != "" {
		s.Platform.NATSURL = url
		s.Platform.NATSNamespace = "t" + strings.ToLower(events.NewID())
	}
	s.Gateway.Addr = "127.0.0.1:0" // Launch picks the port
	s.Platform.MetricsAddr = ""
	s.Gateway.WebDir = filepath.Join(dir, "web")
	s.Milestones.ScanInterval = 0
	if dialect == "postgres" {
		for _, db := range []struct{ dsn, schema *string }{
			{&s.Parks.DB, &s.Parks.Schema}, {&s.Gateway.DB, &s.Gateway.Schema}, {&s.Incubatees.DB, &s.Incubatees.Schema},
			{&s.Documents.DB, &s.Documents.Schema}, {&s.Milestones.DB, &s.Milestones.Schema}, {&s.Rollups.DB, &s.Rollups.Schema},
		} {
			c := dbtest.Config(t, "postgres")
			*db.dsn, *db.schema = c.DSN, c.Schema
		}
	}
	return s
}

func run(t *testing.T, dialect string, seed uint64) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := Launch(ctx, settings(t, dialect), Tiers["T"], seed, 2, bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The same tier and seed written twice on fresh data give the same
// rollups figures; another seed gives other figures; and the history is
// the one the tier describes, with revisions, promotions and exits.
func TestSameSeedSameHistory(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			a, b, other := run(t, d, 7), run(t, d, 7), run(t, d, 8)
			if a.Counts != b.Counts {
				t.Fatalf("the same seed wrote %+v, then %+v", a.Counts, b.Counts)
			}
			if a.Figures.String() != b.Figures.String() {
				t.Fatalf("the same seed gave other figures:\n%s\n---\n%s", a.Figures, b.Figures)
			}
			if a.Figures.String() == other.Figures.String() {
				t.Fatalf("seeds 7 and 8 gave the same figures:\n%s", a.Figures)
			}
			t.Logf("seed 7 wrote %+v in %s, rollups settled %s later:\n%s", a.Counts, a.Wrote, a.Settled, a.Figures)
			tier := Tiers["T"]
			if a.Counts.Carriers != int64(tier.Carriers) || a.Counts.Companies != int64(tier.Companies) || a.Counts.Residencies != int64(tier.Companies) {
				t.Fatalf("the tier's sizes were not written: %+v", a.Counts)
			}
			if a.Counts.Revisions <= a.Counts.Reports || a.Counts.Accepted == 0 || a.Counts.Promotions+b.Counts.Exits == 0 {
				t.Fatalf("no revisions, accepted reports, promotions or exits: %+v", a.Counts)
			}
			for _, k := range []string{"reports.reports", "reports.sums.rd_expenditure"} {
				if a.Figures[k] == 0 {
					t.Errorf("rollups figure %s is zero after the history:\n%s", k, a.Figures)
				}
			}
		})
	}
}
