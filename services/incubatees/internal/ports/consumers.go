package ports

import (
	"context"
	"log/slog"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// ConsumeParks keeps the copies of parks' regions, carriers and users with
// a durable, idempotent consumer. The three consumers here write only
// through their transaction, so each applies the events waiting together
// in one (bus.ReadModelBatch).
func ConsumeParks(ctx context.Context, b *bus.Bus, bdb *bun.DB, clock *app.Clock, log *slog.Logger) (stop func(), err error) {
	return b.Consume(ctx, bdb, bus.ConsumerSpec{Service: "parks", Durable: "incubatees-parks", FilterSubjects: app.ParksEventTypes, Batch: bus.ReadModelBatch},
		func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
			return app.ApplyParksEvent(ctx, adapters.InTx(tx), ev, clock.Now())
		}, log)
}

// ConsumeDocuments keeps the material slots of applications in step with
// the documents service, with a durable, idempotent consumer.
func ConsumeDocuments(ctx context.Context, b *bus.Bus, bdb *bun.DB, clock *app.Clock, log *slog.Logger) (stop func(), err error) {
	return b.Consume(ctx, bdb, bus.ConsumerSpec{Service: "documents", Durable: "incubatees-documents", FilterSubjects: app.DocumentEventTypes, Batch: bus.ReadModelBatch},
		func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
			return app.ApplyDocumentEvent(ctx, adapters.InTx(tx), ev, log, clock.Now())
		}, log)
}

// ConsumeMilestones keeps the company's verified milestones for the
// promotion handoff packet, from the milestones service's events alone,
// with a durable, idempotent consumer.
func ConsumeMilestones(ctx context.Context, b *bus.Bus, bdb *bun.DB, log *slog.Logger) (stop func(), err error) {
	return b.Consume(ctx, bdb, bus.ConsumerSpec{Service: "milestones", Durable: "incubatees-milestones", FilterSubjects: app.MilestoneEventTypes, Batch: bus.ReadModelBatch},
		func(ctx context.Context, tx bun.Tx, ev events.Envelope) error {
			// A payload that does not decode is terminated, not redelivered.
			return bus.Apply(ev, func(p events.MilestoneVerifiedV1) error {
				return adapters.PutVerifiedMilestone(ctx, tx, app.VerifiedMilestone{MilestoneID: p.MilestoneID, CompanyID: p.CompanyID,
					ResidencyID: p.ResidencyID, CarrierID: p.CarrierID, TitleZH: p.TitleZH, TitleEN: p.TitleEN, Category: p.Category,
					VerifiedOn: calendar.Date(ev.OccurredAt)})
			})
		}, log)
}
