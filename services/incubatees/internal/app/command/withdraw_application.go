package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// WithdrawApplication takes an application back before a decision.
type WithdrawApplication struct {
	Actor         app.Actor
	ApplicationID string
}

// WithdrawApplicationHandler withdraws applications.
type WithdrawApplicationHandler struct{ handler[ApplicationRepository] }

// NewWithdrawApplicationHandler returns the handler over the application repository.
var NewWithdrawApplicationHandler = newHandler[WithdrawApplicationHandler, ApplicationRepository]

// Handle withdraws the application.
func (h WithdrawApplicationHandler) Handle(ctx context.Context, cmd WithdrawApplication) (*domain.Application, error) {
	return companyStep(ctx, h.repo, h.authz, cmd.Actor, cmd.ApplicationID, func(_ context.Context, x *domain.Application, _ *domain.IntakeCall) (app.Change, error) {
		if err := x.Move(domain.AppActWithdraw, h.now()); err != nil {
			return app.Change{}, err
		}
		return app.ApplicationChange(x, "application.withdraw", events.ApplicationWithdrawnV1{ApplicationV1: app.ApplicationPayload(x)}, nil), nil
	})
}
