package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// PostProgress is a startup's progress update on a milestone.
type PostProgress struct {
	Actor       app.Actor
	MilestoneID string
	Input       domain.ProgressInput
}

// PostProgressHandler records progress updates.
type PostProgressHandler struct{ base }

// NewPostProgressHandler returns the handler.
var NewPostProgressHandler = newHandler[PostProgressHandler]

// Handle checks the evidence against the company's documents (as the
// documents service's events described them) and records the update.
func (h PostProgressHandler) Handle(ctx context.Context, cmd PostProgress) (*domain.Milestone, domain.Update, error) {
	var out *domain.Milestone
	var upd domain.Update
	err := h.changePlan(ctx, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, "progress", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		docs, err := tx.Documents(ctx, cmd.Input.Evidence)
		if err != nil {
			return err
		}
		m, u, err := p.Progress(cmd.MilestoneID, events.NewID(), cmd.Input, docs, cmd.Actor.UserID, now)
		if err != nil {
			return err
		}
		out, upd = m, u
		return one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload {
			v.Evidence = u.Evidence
			return events.MilestoneProgressedV1{MilestoneV1: v, UpdateID: u.ID, Text: u.Text}
		})
	})
	return out, upd, err
}
