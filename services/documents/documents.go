// Package documents is the documents service: applicants' materials kept in
// MinIO (or the in-process S3 store) through minio-go, their metadata,
// versions and reviews in its own tables, checklists that intake calls
// (and later milestones) ask companies to fill, and the jobs that purge
// deleted documents and reconcile the bucket with the tables.
package documents

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/documents/internal/adapters"
	"github.com/incuchain/incuchain/services/documents/internal/app"
	"github.com/incuchain/incuchain/services/documents/internal/ports"
	"github.com/incuchain/incuchain/services/documents/migrations"
)

// Config is the documents service's own settings.
type Config struct {
	platform.Home `cfg:"DOCUMENTS_" name:"documents" addr:"127.0.0.1:8083"`

	SpoolDir            string        `cfg:"DOCUMENTS_SPOOL_DIR" default:"" help:"where streamed uploads wait while they are checked; empty uses the system temp directory"`
	CarrierQuota        int64         `cfg:"DOCUMENTS_CARRIER_QUOTA_BYTES" default:"10737418240" help:"storage quota per carrier in bytes (every kept version counts); 0 means none"`
	Retention           time.Duration `cfg:"DOCUMENTS_RETENTION" default:"720h" help:"how long a deleted document's files are kept before the purge job removes them"`
	PresignTTL          time.Duration `cfg:"DOCUMENTS_PRESIGN_TTL" default:"15m" help:"lifetime of presigned upload and download URLs (15m at most)"`
	MaintenanceInterval time.Duration `cfg:"DOCUMENTS_MAINTENANCE_INTERVAL" default:"1h" help:"how often the purge and reconciliation jobs run; 0 turns them off"`
	ReconcileRepair     bool          `cfg:"DOCUMENTS_RECONCILE_REPAIR" default:"false" help:"let the scheduled reconciliation delete orphan objects and mark lost files (otherwise it only reports)"`
}

// Deps are what the service takes from the process it runs in: Bus, Blob
// (required), Signer and Log.
type Deps = platform.Deps

// Service is a running documents service: the shared skeleton (Handler,
// Routes, Run) around the documents use cases and their maintenance jobs.
type Service struct {
	*platform.Service
	cfg Config
	app *app.App
}

// New opens the database, migrates it and builds the service. Run
// consumes parks' and incubatees' events and runs the maintenance jobs.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	if d.Blob == nil {
		return nil, fmt.Errorf("documents: an object store is required")
	}
	if cfg.SpoolDir != "" {
		if err := os.MkdirAll(cfg.SpoolDir, 0o700); err != nil {
			return nil, fmt.Errorf("documents: spool dir: %w", err)
		}
	}
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "documents", DB: cfg.DBConfig(), Migrations: migrations.Set,
		Deps: d, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	registerMetrics()
	store := adapters.NewStore(ps.DB, ps.Relay.Notify)
	a := app.New(store, d.Blob, ps.Enforcer, app.Settings{
		SpoolDir: cfg.SpoolDir, CarrierQuota: cfg.CarrierQuota, Retention: cfg.Retention, PresignTTL: cfg.PresignTTL, OrphanGrace: time.Hour,
	}, d.Log)
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, a) }, httpx.Check{Name: "object-store", Fn: d.Blob.Ready})
	ps.ConsumeEvents(ports.Consumers(store.In, a))
	s := &Service{Service: ps, cfg: cfg, app: a}
	// The purge and the reconciliation, every interval (not at start),
	// one replica at a time: the jobs are idempotent, but two repairs
	// racing would report each other's work. They log what they did.
	ps.Schedule(platform.Job{Lock: "documents-maintenance", Every: cfg.MaintenanceInterval, Failed: "documents maintenance lock",
		Do: func(ctx context.Context) (int, error) {
			s.runMaintenance(ctx)
			return 0, nil
		}})
	return s, nil
}

// runMaintenance purges, then reconciles, once.
func (s *Service) runMaintenance(ctx context.Context) {
	if rep, err := s.app.Purge(ctx); err != nil {
		s.Log.Error("purge deleted documents", "err", err)
	} else {
		purgedVersions.Add(float64(rep.Versions))
		if rep.Versions+rep.Uploads > 0 || len(rep.Failed) > 0 {
			s.Log.Info("purged deleted documents", "versions", rep.Versions, "expired_uploads", rep.Uploads, "failed", len(rep.Failed))
		}
	}
	rep, err := s.app.Reconcile(ctx, s.cfg.ReconcileRepair)
	if err != nil {
		s.Log.Error("reconcile objects and metadata", "err", err)
		return
	}
	orphanObjects.Set(float64(len(rep.Orphans) - rep.RemovedOrphans))
	missingObjects.Set(float64(len(rep.Missing)))
	if len(rep.Orphans) > 0 || len(rep.Missing) > 0 {
		s.Log.Warn("reconciliation found differences", "orphan_objects", len(rep.Orphans), "missing_objects", len(rep.Missing),
			"removed_orphans", rep.RemovedOrphans, "marked_missing", rep.MarkedMissing)
	}
}
