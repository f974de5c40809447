package ports

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/command"
)

// Sources are the services whose events the read models are built from,
// in the order their consumers start.
var Sources = []string{"parks", "incubatees", "documents", "milestones"}

// Consumers keep the read models with one durable, idempotent consumer per
// source stream; each event is applied in the consumer's transaction,
// which also records it as processed.
func Consumers(in func(bun.Tx) app.Tx, project command.ProjectEventHandler) (bus.Handler, []bus.ConsumerSpec) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error { return project.Handle(ctx, in(tx), ev) }
	return apply, bus.PerSource("rollups", Sources, command.EventTypes)
}
