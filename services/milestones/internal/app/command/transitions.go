package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Transition is one move of a milestone through its state machine by
// Actor: submit (the startup), verify, return, waive or reschedule (the
// carrier). Reason is the comment of a return or verification and the
// why of a waiver or reschedule; DueOn the new date of a reschedule.
type Transition struct {
	Actor       app.Actor
	MilestoneID string
	Action      domain.Action
	Reason      string
	DueOn       time.Time
}

// TransitionHandler moves milestones.
type TransitionHandler struct{ base }

// NewTransitionHandler returns the handler.
var NewTransitionHandler = newHandler[TransitionHandler]

// permission is the policy action each transition needs.
var permission = map[domain.Action]string{
	domain.ActSubmit: "progress", domain.ActVerify: "verify", domain.ActReturn: "verify", domain.ActWaive: "plan", domain.ActReschedule: "plan",
}

// Handle moves the milestone and publishes what happened.
func (h TransitionHandler) Handle(ctx context.Context, cmd Transition) (*domain.Milestone, error) {
	perm, ok := permission[cmd.Action]
	if !ok {
		return nil, domainRefusal(cmd.Action)
	}
	return changed(ctx, h.base, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, perm, func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) (*domain.Milestone, error) {
		by := cmd.Actor.UserID
		var m *domain.Milestone
		var err error
		var prev time.Time
		switch cmd.Action {
		case domain.ActSubmit:
			m, err = p.Submit(cmd.MilestoneID, by, now)
		case domain.ActVerify:
			m, err = p.Verify(cmd.MilestoneID, by, cmd.Reason, now)
		case domain.ActReturn:
			m, err = p.Return(cmd.MilestoneID, by, cmd.Reason, now)
		case domain.ActWaive:
			m, err = p.Waive(cmd.MilestoneID, by, cmd.Reason, now)
		case domain.ActReschedule:
			m, prev, err = p.Reschedule(cmd.MilestoneID, cmd.DueOn, by, cmd.Reason, now)
		}
		if err != nil {
			return nil, err
		}
		return m, one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload {
			v.Reason = cmd.Reason
			switch cmd.Action {
			case domain.ActSubmit:
				return events.MilestoneSubmittedV1{MilestoneV1: v}
			case domain.ActVerify:
				return events.MilestoneVerifiedV1{MilestoneV1: v}
			case domain.ActReturn:
				return events.MilestoneReturnedV1{MilestoneV1: v}
			case domain.ActWaive:
				return events.MilestoneWaivedV1{MilestoneV1: v}
			}
			v.PreviousDueOn = domain.FormatDate(prev)
			return events.MilestoneRescheduledV1{MilestoneV1: v}
		})
	})
}
