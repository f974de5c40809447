package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// ApplyTemplate plans a residency's milestones from its carrier's
// template (the carrier's own, else the region's for its kind, else the
// defaults).
type ApplyTemplate struct {
	Actor       app.Actor
	ResidencyID string
}

// ApplyTemplateHandler applies templates.
type ApplyTemplateHandler struct{ base }

// NewApplyTemplateHandler returns the handler.
var NewApplyTemplateHandler = newHandler[ApplyTemplateHandler]

// Handle plans the milestones; a plan takes one template.
func (h ApplyTemplateHandler) Handle(ctx context.Context, cmd ApplyTemplate) (*domain.Plan, error) {
	return changed(ctx, h.base, cmd.Actor, app.PlanRef{ResidencyID: cmd.ResidencyID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) (*domain.Plan, error) {
		kind := p.CarrierKind()
		if kind == "" { // an event without the kind: the carrier's copy has it
			c, err := tx.GetCarrier(ctx, p.CarrierID())
			if err != nil {
				return nil, err
			}
			kind = c.Kind
		}
		t, err := app.EffectiveTemplate(ctx, tx, p.RegionID(), p.CarrierID(), kind, now)
		if err != nil {
			return nil, err
		}
		ms, err := p.ApplyTemplate(t, events.NewID, cmd.Actor.UserID, now)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if err := one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload { return events.MilestonePlannedV1{MilestoneV1: v} }); err != nil {
				return nil, err
			}
		}
		return p, nil
	})
}
