package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// SubmitApplication hands a complete draft to the carrier.
type SubmitApplication struct {
	Actor         app.Actor
	ApplicationID string
}

// SubmitApplicationHandler submits applications.
type SubmitApplicationHandler struct{ handler[ApplicationRepository] }

// NewSubmitApplicationHandler returns the handler over the application repository.
var NewSubmitApplicationHandler = newHandler[SubmitApplicationHandler, ApplicationRepository]

// Handle submits the draft while its call is open, and links the company
// to the carrier so its staff see it. A draft is complete when every
// required question is answered and every material the call requires has
// an uploaded or verified document; the repository holds the row, so a
// document returned or deleted meanwhile cannot slip through the check.
func (h SubmitApplicationHandler) Handle(ctx context.Context, cmd SubmitApplication) (*domain.Application, error) {
	return companyStep(ctx, h.repo, h.authz, cmd.Actor, cmd.ApplicationID, func(ctx context.Context, x *domain.Application, call *domain.IntakeCall) (app.Change, error) {
		if x.Status == domain.AppDraft && !call.Accepting(h.now()) {
			return app.Change{}, apperr.ConflictErr("intake-call-not-open")
		}
		if err := x.Submit(call, h.now()); err != nil {
			return app.Change{}, err
		}
		if err := app.CheckFileAnswers(ctx, h.repo, x, call); err != nil {
			return app.Change{}, err
		}
		if err := h.repo.LinkCarrier(ctx, x.CompanyID, x.CarrierID, h.now()); err != nil {
			return app.Change{}, err
		}
		return app.ApplicationChange(x, "application.submit",
			events.ApplicationSubmittedV1{ApplicationV1: app.ApplicationPayload(x), SubmittedAt: x.SubmittedAt.UTC().Format(time.RFC3339)}, nil), nil
	})
}
