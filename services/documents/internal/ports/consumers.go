package ports

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

// Consumers keep the read models of parks' regions and carriers and of
// incubatees' companies, applications and residencies, and the checklists
// of milestones, with durable, idempotent consumers. ApplyEvent writes
// only through its transaction, so each consumer applies the events
// waiting together in one (bus.ReadModelBatch).
func Consumers(in func(bun.Tx) app.Tx, a *app.App) (bus.Handler, []bus.ConsumerSpec) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error { return a.ApplyEvent(ctx, in(tx), ev) }
	return apply, []bus.ConsumerSpec{
		{Service: "parks", Durable: "documents-parks", FilterSubjects: app.ParksEventTypes, Batch: bus.ReadModelBatch},
		{Service: "incubatees", Durable: "documents-incubatees", FilterSubjects: slices.Clone(app.IncubateesEventTypes), Batch: bus.ReadModelBatch},
		{Service: "milestones", Durable: "documents-milestones", FilterSubjects: slices.Clone(app.MilestonesEventTypes), Batch: bus.ReadModelBatch},
	}
}
