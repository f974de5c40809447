package ports

import (
	"context"
	"log/slog"
	"slices"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/command"
)

// Sources are the services whose events the read models are built from,
// in the order their consumers start.
var Sources = []string{"parks", "incubatees", "documents", "milestones"}

// Consume keeps the read models with one durable, idempotent consumer per
// source stream; each event is applied in the consumer's transaction,
// which also records it as processed.
func Consume(ctx context.Context, b *bus.Bus, bdb *bun.DB, in func(bun.Tx) app.Tx, project command.ProjectEventHandler, log *slog.Logger) (stop func(), err error) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
		return project.Handle(ctx, in(tx), ev)
	}
	var stops []func()
	stopAll := func() {
		for _, s := range slices.Backward(stops) {
			s()
		}
	}
	for _, src := range Sources {
		s, err := b.Consume(ctx, bdb, bus.ConsumerSpec{Service: src, Durable: "rollups-" + src, FilterSubjects: slices.Clone(command.EventTypes[src])}, apply, log)
		if err != nil {
			stopAll()
			return nil, err
		}
		stops = append(stops, s)
	}
	return stopAll, nil
}
