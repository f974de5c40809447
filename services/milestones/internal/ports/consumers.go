package ports

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
)

// Consumers keep the read models of parks' regions and carriers, of
// incubatees' companies and residencies (which open and close plans) and
// of the documents service's documents (the evidence a progress update may
// name), with durable, idempotent consumers: each event is applied in
// in(tx) and recorded as processed in one transaction, and acknowledged
// after it.
func Consumers(in func(bun.Tx) app.Tx, now app.Clock) (bus.Handler, []bus.ConsumerSpec) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
		return app.ApplyEvent(ctx, in(tx), ev, now())
	}
	return apply, []bus.ConsumerSpec{
		{Service: "parks", Durable: "milestones-parks", FilterSubjects: slices.Clone(app.ParksEventTypes)},
		{Service: "incubatees", Durable: "milestones-incubatees", FilterSubjects: slices.Clone(app.IncubateesEventTypes)},
		{Service: "documents", Durable: "milestones-documents", FilterSubjects: slices.Clone(app.DocumentsEventTypes)},
	}
}
