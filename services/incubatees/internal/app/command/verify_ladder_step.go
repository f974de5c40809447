package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// VerifyLadderStep is park staff of a carrier the company is linked to, or
// the district, confirming the company's latest record of a step.
type VerifyLadderStep struct {
	Actor     app.Actor
	CompanyID string
	Step      domain.LadderStep
}

// VerifyLadderStepHandler verifies ladder steps.
type VerifyLadderStepHandler struct{ handler[LadderRepository] }

// NewVerifyLadderStepHandler returns the handler over the ladder repository.
func NewVerifyLadderStepHandler(repo LadderRepository, e *authz.Enforcer, now func() time.Time) VerifyLadderStepHandler {
	return VerifyLadderStepHandler{handler[LadderRepository]{repo, e, now}}
}

// Handle verifies the step, for the carrier the verifier acts for.
func (h VerifyLadderStepHandler) Handle(ctx context.Context, cmd VerifyLadderStep) (domain.LadderEntry, error) {
	return inCompany(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, "ladder", "verify", func(ctx context.Context, c *domain.Company, scope authz.Scope) (domain.LadderEntry, error) {
		var out domain.LadderEntry
		err := h.repo.UpdateStep(ctx, cmd.Actor, c.ID, cmd.Step, func(_ context.Context, e *domain.LadderEntry) (app.Change, error) {
			if err := e.Verify(cmd.Actor.UserID, h.now()); err != nil {
				return app.Change{}, err
			}
			out = *e
			return app.Change{Scope: events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID},
				Events: []events.Payload{events.LadderStepVerifiedV1{LadderStepV1: app.LadderPayload(c, *e), VerifiedBy: cmd.Actor.UserID}},
				Action: "ladder.verify", Detail: map[string]any{"step": string(e.Step)}}, nil
		})
		return out, err
	})
}
