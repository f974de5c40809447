package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// AddMilestone plans one more milestone in a residency's plan.
type AddMilestone struct {
	Actor       app.Actor
	ResidencyID string
	Input       domain.MilestoneInput
}

// EditMilestone changes what an operator sets on a milestone (not its
// due date: that is RescheduleMilestone, with a reason).
type EditMilestone struct {
	Actor       app.Actor
	MilestoneID string
	Input       domain.MilestoneInput
}

// RemoveMilestone takes a milestone nobody has worked on off its plan.
type RemoveMilestone struct {
	Actor       app.Actor
	MilestoneID string
}

// AdjustPlanHandler adds, edits and removes milestones: the carrier's
// adjustments of a plan.
type AdjustPlanHandler struct{ base }

// NewAdjustPlanHandler returns the handler.
var NewAdjustPlanHandler = newHandler[AdjustPlanHandler]

// Add plans the milestone and announces it.
func (h AdjustPlanHandler) Add(ctx context.Context, cmd AddMilestone) (*domain.Milestone, error) {
	return changed(ctx, h.base, cmd.Actor, app.PlanRef{ResidencyID: cmd.ResidencyID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) (*domain.Milestone, error) {
		m, err := p.AddMilestone(events.NewID(), cmd.Input, cmd.Actor.UserID, now)
		if err != nil {
			return nil, err
		}
		return m, one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload { return events.MilestonePlannedV1{MilestoneV1: v} })
	})
}

// Edit changes the milestone; its history says who and when (no event:
// nothing another service counts has changed).
func (h AdjustPlanHandler) Edit(ctx context.Context, cmd EditMilestone) (*domain.Milestone, error) {
	return changed(ctx, h.base, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) (*domain.Milestone, error) {
		m, err := p.EditMilestone(cmd.MilestoneID, cmd.Input, cmd.Actor.UserID, now)
		if err != nil {
			return nil, err
		}
		return m, tx.Audit(ctx, app.AuditEntry{At: now, Actor: cmd.Actor.UserID, Action: "milestone.edit", ObjectID: m.ID(), RegionID: m.RegionID(),
			CarrierID: m.CarrierID(), CompanyID: m.CompanyID(), Detail: map[string]any{"title_zh": m.TitleZH(), "evidence_types": m.EvidenceTypes()}})
	})
}

// Remove deletes a planned milestone with an audit line.
func (h AdjustPlanHandler) Remove(ctx context.Context, cmd RemoveMilestone) error {
	return h.changePlan(ctx, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		m, err := p.RemoveMilestone(cmd.MilestoneID)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, app.AuditEntry{At: now, Actor: cmd.Actor.UserID, Action: "milestone.remove", ObjectID: m.ID(), RegionID: m.RegionID(),
			CarrierID: m.CarrierID(), CompanyID: m.CompanyID(), Detail: map[string]any{"title_zh": m.TitleZH(), "due_on": domain.FormatDate(m.DueOn())}})
	})
}
