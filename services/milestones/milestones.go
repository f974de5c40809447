// Package milestones is the milestones service: templates of milestones
// per carrier kind (editable per region and per carrier), each residency's
// plan applied from a template and adjusted, startups' progress updates
// with evidence from their documents, verification by the carrier, and a
// deadline scan that sends due-soon reminders and overdue notices once
// each. It learns regions, carriers, companies, residencies and documents
// only from events, and roles through the shared role follower.
package milestones

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/milestones/internal/adapters"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/ports"
	"github.com/incuchain/incuchain/services/milestones/internal/service"
	"github.com/incuchain/incuchain/services/milestones/migrations"
)

// Config is the milestones service's own settings.
type Config struct {
	platform.Home `cfg:"MILESTONES_" name:"milestones" addr:"127.0.0.1:8084"`

	ScanInterval time.Duration `cfg:"MILESTONES_SCAN_INTERVAL" default:"15m" help:"how often the deadline scan sends due-soon reminders and overdue notices; 0 turns it off"`
	DueSoonDays  int           `cfg:"MILESTONES_DUE_SOON_DAYS" default:"7" help:"how many days before its due date a milestone's due-soon reminder goes out"`
}

// Deps are what the service takes from the process it runs in: Bus,
// Signer, Log and Now (tests move the clock).
type Deps = platform.Deps

// Service is a running milestones service: the shared skeleton (Handler,
// Routes, Run) around the milestones use cases and the deadline scan.
type Service struct {
	*platform.Service
	cq   service.Application
	scan func(ctx context.Context) (int, error)
}

// New opens the database, migrates it and builds the service. Run
// consumes parks', incubatees' and documents' events and runs the scan.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "milestones", DB: cfg.DBConfig(), Migrations: migrations.Set,
		Deps: d, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	now := app.Clock(d.Clock())
	store := adapters.NewStore(ps.DB, ps.Relay.Notify)
	cq := service.NewApplication(store, ps.Enforcer, now, service.Settings{DueSoonDays: cfg.DueSoonDays})
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, cq) })
	ps.ConsumeEvents(ports.Consumers(store.In, now))
	// At start, then every interval.
	scan := ps.Schedule(platform.Job{Lock: "milestones-deadlines", Every: cfg.ScanInterval, AtStart: true,
		Done: "milestone reminders sent", Failed: "milestone deadline scan", Do: cq.Commands.ScanDeadlines.Handle})
	return &Service{Service: ps, cq: cq, scan: scan}, nil
}

// ScanDeadlines sends every reminder due now, once: one replica scans at
// a time (an advisory lock on PostgreSQL), and each reminder's row,
// written with its event, stops any other scan from sending it again.
// sent is 0 at once when another replica holds the lock.
func (s *Service) ScanDeadlines(ctx context.Context) (sent int, err error) {
	return s.scan(ctx)
}
