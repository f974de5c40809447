package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// UpdateIntakeCall replaces a call's details: Edit changes a copy of them.
type UpdateIntakeCall struct {
	Actor  app.Actor
	CallID string
	Edit   func(f *domain.CallFields)
}

// UpdateIntakeCallHandler changes calls' details.
type UpdateIntakeCallHandler struct{ handler[IntakeCallRepository] }

// NewUpdateIntakeCallHandler returns the handler over the call repository.
var NewUpdateIntakeCallHandler = newHandler[UpdateIntakeCallHandler, IntakeCallRepository]

// Handle changes the details (the form only while the call is a draft).
func (h UpdateIntakeCallHandler) Handle(ctx context.Context, cmd UpdateIntakeCall) (*domain.IntakeCall, error) {
	return updateIntakeCall(ctx, h.repo, h.authz, cmd.Actor, cmd.CallID, func(_ context.Context, c *domain.IntakeCall) (app.Change, error) {
		f := c.Fields
		cmd.Edit(&f)
		if err := c.Update(f, h.now()); err != nil {
			return app.Change{}, err
		}
		return app.IntakeCallChange(c, "intake_call.update", events.IntakeCallUpdatedV1{IntakeCallV1: app.IntakeCallPayload(c)}), nil
	})
}
