package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// MoveIntakeCall opens a call to applications, or closes it, by the
// handler it is given to.
type MoveIntakeCall struct {
	Actor  app.Actor
	CallID string
}

// MoveIntakeCallHandler opens calls (NewOpenIntakeCallHandler) or closes
// them (NewCloseIntakeCallHandler).
type MoveIntakeCallHandler struct {
	handler[IntakeCallRepository]
	open bool
}

// NewOpenIntakeCallHandler returns the handler that starts calls taking
// applications.
func NewOpenIntakeCallHandler(repo IntakeCallRepository, e *authz.Enforcer, now func() time.Time) MoveIntakeCallHandler {
	return MoveIntakeCallHandler{handler: handler[IntakeCallRepository]{repo, e, now}, open: true}
}

// NewCloseIntakeCallHandler returns the handler that stops calls taking
// applications.
func NewCloseIntakeCallHandler(repo IntakeCallRepository, e *authz.Enforcer, now func() time.Time) MoveIntakeCallHandler {
	return MoveIntakeCallHandler{handler: handler[IntakeCallRepository]{repo, e, now}}
}

// Handle opens or closes the call.
func (h MoveIntakeCallHandler) Handle(ctx context.Context, cmd MoveIntakeCall) (*domain.IntakeCall, error) {
	return updateIntakeCall(ctx, h.repo, h.authz, cmd.Actor, cmd.CallID, func(_ context.Context, c *domain.IntakeCall) (app.Change, error) {
		if !h.open {
			if err := c.Close(h.now()); err != nil {
				return app.Change{}, err
			}
			return app.IntakeCallChange(c, "intake_call.close", events.IntakeCallClosedV1{IntakeCallV1: app.IntakeCallPayload(c)}), nil
		}
		if err := c.Open(h.now()); err != nil {
			return app.Change{}, err
		}
		return app.IntakeCallChange(c, "intake_call.open", events.IntakeCallOpenedV1{IntakeCallV1: app.IntakeCallPayload(c)}), nil
	})
}
