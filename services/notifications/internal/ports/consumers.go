package ports

import (
	"context"
	"log/slog"
	"slices"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/notifications/internal/adapters"
	"github.com/incuchain/incuchain/services/notifications/internal/app/command"
)

// Consume keeps the read models and fills the inboxes with one durable,
// idempotent consumer per source stream: each event is applied and
// recorded as processed in one transaction, and acknowledged after it.
func Consume(ctx context.Context, b *bus.Bus, bdb *bun.DB, deliver command.DeliverHandler, log *slog.Logger) (stop func(), err error) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
		return deliver.Handle(ctx, adapters.InTx(tx), ev)
	}
	var stops []func()
	stopAll := func() {
		for _, s := range slices.Backward(stops) {
			s()
		}
	}
	for _, src := range command.Sources {
		s, err := b.Consume(ctx, bdb, bus.ConsumerSpec{Service: src, Durable: "notifications-" + src, FilterSubjects: slices.Clone(command.EventTypes[src])}, apply, log)
		if err != nil {
			stopAll()
			return nil, err
		}
		stops = append(stops, s)
	}
	return stopAll, nil
}
