package ports

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/app/command"
)

// Consumers keep the read models and fill the inboxes with one durable,
// idempotent consumer per source stream: each event is applied and
// recorded as processed in one transaction, and acknowledged after it.
func Consumers(in func(bun.Tx) app.Tx, deliver command.DeliverHandler) (bus.Handler, []bus.ConsumerSpec) {
	apply := func(ctx context.Context, tx bun.Tx, ev events.Envelope) error { return deliver.Handle(ctx, in(tx), ev) }
	return apply, bus.PerSource("notifications", command.Sources, command.EventTypes)
}
