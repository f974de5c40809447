// Package rollups is the rollups service: the district's and the parks'
// figures — carriers, residency flows, the chain funnel, the cultivation
// ladder, report sums, reporting health and conflicts — built only from
// parks', incubatees' and documents' events into read models of its own,
// with the rows behind every figure and exports as xlsx and CSV.
package rollups

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/rollups/internal/adapters"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/command"
	"github.com/incuchain/incuchain/services/rollups/internal/app/query"
	"github.com/incuchain/incuchain/services/rollups/internal/ports"
	"github.com/incuchain/incuchain/services/rollups/migrations"
)

// Config is the rollups service's own settings.
type Config struct {
	platform.Home `cfg:"ROLLUPS_" name:"rollups" addr:"127.0.0.1:8085"`
}

// Deps are what the service needs from the process it runs in.
type Deps struct {
	Bus    *bus.Bus
	Signer *authn.Signer
	Log    *slog.Logger
	// Now is the clock (nil: time.Now); tests fix it.
	Now func() time.Time
	// Faults make the projection deliberately wrong; only tests set them,
	// to show that the recount catches each.
	Faults app.Faults
}

// Service is a running rollups service: the shared skeleton (Handler,
// Routes, Run) around the projections and the figures.
type Service struct {
	*platform.Service
	store   *adapters.Store
	project command.ProjectEventHandler
	figures query.Figures
}

// New opens the database, migrates it and builds the service. Run
// consumes parks', incubatees' and documents' events.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "rollups", DB: cfg.DBConfig(), Migrations: migrations.Set,
		Deps: platform.Deps{Bus: d.Bus, Signer: d.Signer, Log: d.Log}, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	store := adapters.NewStore(ps.DB, ps.Relay.Notify)
	project := command.NewProjectEventHandler(d.Faults)
	figures := query.NewFigures(store, ps.Enforcer, now, d.Faults)
	freeze := command.NewFreezeSnapshotHandler(store, figures.MayFreeze, figures.AllJSON, now)
	s := &Service{Service: ps, store: store, project: project, figures: figures}
	rebuild := command.NewRebuildHandler(ps.Enforcer, s.Rebuild)
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, figures, freeze, rebuild) })
	ps.ConsumeEvents(ports.Consumers(store.In, project))
	return s, nil
}
