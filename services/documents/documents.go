// Package documents is the documents service: applicants' materials kept in
// MinIO (or the in-process S3 store) through minio-go, their metadata,
// versions and reviews in its own tables, checklists that intake calls
// (and later milestones) ask companies to fill, and the jobs that purge
// deleted documents and reconcile the bucket with the tables.
package documents

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authzsync"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/documents/internal/adapters"
	"github.com/incuchain/incuchain/services/documents/internal/app"
	"github.com/incuchain/incuchain/services/documents/internal/ports"
	"github.com/incuchain/incuchain/services/documents/migrations"
)

// Config is the documents service's own settings.
type Config struct {
	DB                  string        `cfg:"DOCUMENTS_DB" default:"sqlite://data/documents.db" help:"documents database: postgres://… or sqlite:///path"`
	Schema              string        `cfg:"DOCUMENTS_DB_SCHEMA" default:"documents" help:"PostgreSQL schema of the documents tables"`
	Addr                string        `cfg:"DOCUMENTS_ADDR" default:"127.0.0.1:8083" help:"listen address when documents runs as its own process"`
	SpoolDir            string        `cfg:"DOCUMENTS_SPOOL_DIR" default:"" help:"where streamed uploads wait while they are checked; empty uses the system temp directory"`
	CarrierQuota        int64         `cfg:"DOCUMENTS_CARRIER_QUOTA_BYTES" default:"10737418240" help:"storage quota per carrier in bytes (every kept version counts); 0 means none"`
	Retention           time.Duration `cfg:"DOCUMENTS_RETENTION" default:"720h" help:"how long a deleted document's files are kept before the purge job removes them"`
	PresignTTL          time.Duration `cfg:"DOCUMENTS_PRESIGN_TTL" default:"15m" help:"lifetime of presigned upload and download URLs (15m at most)"`
	MaintenanceInterval time.Duration `cfg:"DOCUMENTS_MAINTENANCE_INTERVAL" default:"1h" help:"how often the purge and reconciliation jobs run; 0 turns them off"`
	ReconcileRepair     bool          `cfg:"DOCUMENTS_RECONCILE_REPAIR" default:"false" help:"let the scheduled reconciliation delete orphan objects and mark lost files (otherwise it only reports)"`
}

// Deps are what the service needs from the process it runs in.
type Deps struct {
	Bus    *bus.Bus
	Blob   *blob.Store
	Signer *authn.Signer
	Log    *slog.Logger
}

// Service is a running documents service.
type Service struct {
	cfg      Config
	db       *bun.DB
	bus      *bus.Bus
	startup  *bus.Startup
	app      *app.App
	relay    *bus.Relay
	enforcer *authz.Enforcer
	handler  http.Handler
	log      *slog.Logger
}

// New opens the database, migrates it and builds the service.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	if d.Blob == nil {
		return nil, fmt.Errorf("documents: an object store is required")
	}
	if cfg.SpoolDir != "" {
		if err := os.MkdirAll(cfg.SpoolDir, 0o700); err != nil {
			return nil, fmt.Errorf("documents: spool dir: %w", err)
		}
	}
	bdb, err := db.Open(ctx, db.Config{DSN: cfg.DB, Schema: cfg.Schema})
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	fail := func(err error) (*Service, error) {
		_ = bdb.Close()
		return nil, fmt.Errorf("documents: %w", err)
	}
	if err := db.Migrate(ctx, bdb, bus.Migrations, migrations.Set); err != nil {
		return fail(err)
	}
	e, err := authz.New()
	if err != nil {
		return fail(err)
	}
	registerMetrics()
	relay := bus.NewRelay(bdb, d.Bus, d.Log.With("component", "documents-relay"))
	startup := bus.NewStartup(d.Bus, "documents events", d.Log)
	a := app.New(adapters.NewStore(bdb, relay.Notify), d.Blob, e, app.Settings{
		SpoolDir: cfg.SpoolDir, CarrierQuota: cfg.CarrierQuota, Retention: cfg.Retention, PresignTTL: cfg.PresignTTL, OrphanGrace: time.Hour,
	}, d.Log)
	r := httpx.NewEngine("documents", d.Log, httpx.WithTexts(ports.Messages))
	r.Use(authn.Middleware(d.Signer))
	doc := ports.Mount(r, a)
	r.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, doc) })
	httpx.MountOps(r,
		httpx.Check{Name: "database", Fn: func(ctx context.Context) error { return bdb.PingContext(ctx) }},
		httpx.Check{Name: "nats", Fn: startup.Ready},
		httpx.Check{Name: "object-store", Fn: d.Blob.Ready})
	return &Service{cfg: cfg, db: bdb, bus: d.Bus, startup: startup, app: a, relay: relay, enforcer: e, handler: r, log: d.Log}, nil
}

// Handler serves the documents HTTP API.
func (s *Service) Handler() http.Handler { return s.handler }

// Routes lists the service's routes as "METHOD /path".
func (s *Service) Routes() []string {
	var out []string
	for _, r := range s.handler.(*gin.Engine).Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Run relays the outbox, consumes parks' and incubatees' events, keeps the
// enforcer in sync and runs the maintenance jobs until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	defer s.db.Close()
	stop, err := s.startup.Run(ctx, func(ctx context.Context) (func(), error) {
		if err := s.bus.EnsureStream(ctx, "documents"); err != nil {
			return nil, err
		}
		return bus.StartAll(ctx,
			func(ctx context.Context) (func(), error) {
				return authzsync.Start(ctx, s.bus, s.enforcer, authzsync.DefaultSources(), s.log)
			},
			func(ctx context.Context) (func(), error) { return ports.Consume(ctx, s.bus, s.db, s.app, s.log) })
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("documents: %w", err)
	}
	defer stop()
	if s.cfg.MaintenanceInterval > 0 {
		go s.maintain(ctx)
	}
	return s.relay.Run(ctx)
}

// maintain runs the purge and the reconciliation every interval.
func (s *Service) maintain(ctx context.Context) {
	t := time.NewTicker(s.cfg.MaintenanceInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// One replica at a time: the jobs are idempotent, but two repairs
		// racing would report each other's work.
		release, ok, err := db.TryLock(ctx, s.db, "documents-maintenance")
		switch {
		case err != nil:
			s.log.Error("documents maintenance lock", "err", err)
		case ok:
			s.runMaintenance(ctx)
			release()
		}
	}
}

// runMaintenance purges, then reconciles, once.
func (s *Service) runMaintenance(ctx context.Context) {
	if rep, err := s.app.Purge(ctx); err != nil {
		s.log.Error("purge deleted documents", "err", err)
	} else {
		purgedVersions.Add(float64(rep.Versions))
		if rep.Versions+rep.Uploads > 0 || len(rep.Failed) > 0 {
			s.log.Info("purged deleted documents", "versions", rep.Versions, "expired_uploads", rep.Uploads, "failed", len(rep.Failed))
		}
	}
	rep, err := s.app.Reconcile(ctx, s.cfg.ReconcileRepair)
	if err != nil {
		s.log.Error("reconcile objects and metadata", "err", err)
		return
	}
	orphanObjects.Set(float64(len(rep.Orphans) - rep.RemovedOrphans))
	missingObjects.Set(float64(len(rep.Missing)))
	if len(rep.Orphans) > 0 || len(rep.Missing) > 0 {
		s.log.Warn("reconciliation found differences", "orphan_objects", len(rep.Orphans), "missing_objects", len(rep.Missing),
			"removed_orphans", rep.RemovedOrphans, "marked_missing", rep.MarkedMissing)
	}
}
