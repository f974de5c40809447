package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
)

// Rebuild drops the read models and replays the source streams.
type Rebuild struct{ Actor app.Actor }

// RebuildHandler lets a platform admin rebuild, reporting progress.
type RebuildHandler struct {
	authz *authz.Enforcer
	run   func(ctx context.Context, progress func(app.RebuildProgress)) error
}

// NewRebuildHandler returns the handler; run is the service's rebuild.
func NewRebuildHandler(e *authz.Enforcer, run func(ctx context.Context, progress func(app.RebuildProgress)) error) RebuildHandler {
	return RebuildHandler{authz: e, run: run}
}

// Allowed refuses everyone but a platform admin (403; 401 for nobody).
func (h RebuildHandler) Allowed(cmd Rebuild) error {
	return h.authz.DecideOnPlatform(cmd.Actor.UserID, "maintenance", "run")
}

// Handle rebuilds once Allowed, calling progress after each batch.
func (h RebuildHandler) Handle(ctx context.Context, cmd Rebuild, progress func(app.RebuildProgress)) error {
	if err := h.Allowed(cmd); err != nil {
		return err
	}
	return h.run(ctx, progress)
}
