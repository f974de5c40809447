package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// CreateIntakeCall creates a draft call of a carrier.
type CreateIntakeCall struct {
	Actor     app.Actor
	CarrierID string
	Fields    domain.CallFields
}

// CreateIntakeCallHandler creates calls.
type CreateIntakeCallHandler struct{ handler[IntakeCallRepository] }

// NewCreateIntakeCallHandler returns the handler over the call repository.
var NewCreateIntakeCallHandler = newHandler[CreateIntakeCallHandler, IntakeCallRepository]

// Handle creates the call, for who may create calls at the carrier.
func (h CreateIntakeCallHandler) Handle(ctx context.Context, cmd CreateIntakeCall) (*domain.IntakeCall, error) {
	return app.Within(ctx, h.repo.Transaction, func(ctx context.Context) (*domain.IntakeCall, error) {
		car, err := app.AuthorizeCarrier(ctx, h.repo, h.authz, cmd.Actor, cmd.CarrierID, "intake_call", "create")
		if err != nil {
			return nil, err
		}
		c, err := domain.NewIntakeCall(events.NewID(), car.RegionID, car.ID, cmd.Fields, h.now())
		if err != nil {
			return nil, err
		}
		return c, h.repo.Add(ctx, cmd.Actor, c, app.IntakeCallChange(c, "intake_call.create", events.IntakeCallCreatedV1{IntakeCallV1: app.IntakeCallPayload(c)}))
	})
}
