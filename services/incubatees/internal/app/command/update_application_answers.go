package command

import (
	"context"
	"encoding/json"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// UpdateApplicationAnswers replaces a draft's answers.
type UpdateApplicationAnswers struct {
	Actor         app.Actor
	ApplicationID string
	Answers       map[string]json.RawMessage
}

// UpdateApplicationAnswersHandler edits drafts.
type UpdateApplicationAnswersHandler struct{ handler[ApplicationRepository] }

// NewUpdateApplicationAnswersHandler returns the handler over the application repository.
var NewUpdateApplicationAnswersHandler = newHandler[UpdateApplicationAnswersHandler, ApplicationRepository]

// Handle replaces the answers; the edit is audited, not announced.
func (h UpdateApplicationAnswersHandler) Handle(ctx context.Context, cmd UpdateApplicationAnswers) (*domain.Application, error) {
	return companyStep(ctx, h.repo, h.authz, cmd.Actor, cmd.ApplicationID, func(_ context.Context, x *domain.Application, call *domain.IntakeCall) (app.Change, error) {
		if err := x.SetAnswers(call, cmd.Answers, h.now()); err != nil {
			return app.Change{}, err
		}
		return app.Change{Scope: events.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID}, Action: "application.update"}, nil
	})
}
