package ports

import (
	"context"
	"log/slog"
	"slices"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/adapters"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

// Consume keeps the read models of parks' regions and carriers and of
// incubatees' companies, applications and residencies, and the checklists
// of milestones, with durable, idempotent consumers. ApplyEvent writes
// only through its transaction, so each consumer applies the events
// waiting together in one (bus.ReadModelBatch).
func Consume(ctx context.Context, b *bus.Bus, bdb *bun.DB, a *app.App, log *slog.Logger) (stop func(), err error) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
		return a.ApplyEvent(ctx, adapters.InTx(tx), ev)
	}
	stopParks, err := b.Consume(ctx, bdb, bus.ConsumerSpec{Service: "parks", Durable: "documents-parks", FilterSubjects: app.ParksEventTypes, Batch: bus.ReadModelBatch}, apply, log)
	if err != nil {
		return nil, err
	}
	stopInc, err := b.Consume(ctx, bdb, bus.ConsumerSpec{Service: "incubatees", Durable: "documents-incubatees", FilterSubjects: slices.Clone(app.IncubateesEventTypes), Batch: bus.ReadModelBatch}, apply, log)
	if err != nil {
		stopParks()
		return nil, err
	}
	stopMs, err := b.Consume(ctx, bdb, bus.ConsumerSpec{Service: "milestones", Durable: "documents-milestones", FilterSubjects: slices.Clone(app.MilestonesEventTypes), Batch: bus.ReadModelBatch}, apply, log)
	if err != nil {
		stopInc()
		stopParks()
		return nil, err
	}
	return func() { stopMs(); stopInc(); stopParks() }, nil
}
