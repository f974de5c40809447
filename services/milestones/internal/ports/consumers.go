package ports

import (
	"context"
	"log/slog"
	"slices"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/adapters"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
)

// Consume keeps the read models of parks' regions and carriers, of
// incubatees' companies and residencies (which open and close plans) and
// of the documents service's documents (the evidence a progress update may
// name), with durable, idempotent consumers: each event is applied and
// recorded as processed in one transaction, and acknowledged after it.
func Consume(ctx context.Context, b *bus.Bus, bdb *bun.DB, now app.Clock, log *slog.Logger) (stop func(), err error) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
		return app.ApplyEvent(ctx, adapters.InTx(tx), ev, now())
	}
	specs := []bus.ConsumerSpec{
		{Service: "parks", Durable: "milestones-parks", FilterSubjects: slices.Clone(app.ParksEventTypes)},
		{Service: "incubatees", Durable: "milestones-incubatees", FilterSubjects: slices.Clone(app.IncubateesEventTypes)},
		{Service: "documents", Durable: "milestones-documents", FilterSubjects: slices.Clone(app.DocumentsEventTypes)},
	}
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	for _, spec := range specs {
		s, err := b.Consume(ctx, bdb, spec, apply, log)
		if err != nil {
			stopAll()
			return nil, err
		}
		stops = append(stops, s)
	}
	return stopAll, nil
}
