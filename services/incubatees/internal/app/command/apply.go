package command

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Apply starts a draft application of a company to an open call.
type Apply struct {
	Actor     app.Actor
	CallID    string
	CompanyID string
	Answers   map[string]json.RawMessage
}

// ApplyHandler starts applications.
type ApplyHandler struct{ handler[ApplicationRepository] }

// NewApplyHandler returns the handler over the application repository.
var NewApplyHandler = newHandler[ApplyHandler, ApplicationRepository]

// Handle starts the application, for an admin of a company of the call's
// region, while the call is open and the company has no live application
// to it.
func (h ApplyHandler) Handle(ctx context.Context, cmd Apply) (*domain.Application, error) {
	return app.SignedInWithin(ctx, cmd.Actor, h.repo.Transaction, func(ctx context.Context) (*domain.Application, error) {
		call, err := app.LoadIntakeCall(ctx, h.repo, h.authz, cmd.Actor, cmd.CallID, "read")
		if err != nil {
			return nil, err
		}
		if cmd.CompanyID == "" {
			return nil, apperr.NewValidation("invalid-application").Add("company_id", "required").Err()
		}
		co, err := h.repo.GetCompany(ctx, cmd.CompanyID)
		if err != nil {
			return nil, err
		}
		if err := app.AuthorizeCompany(ctx, h.repo, h.authz, cmd.Actor, co, "application", "create"); err != nil {
			return nil, err
		}
		if err := companyAdmin(ctx, h.repo, cmd.Actor, co.ID, true, ""); err != nil {
			return nil, err
		}
		if co.RegionID != call.RegionID {
			return nil, apperr.NewValidation("invalid-application").Add("company_id", "company_other_region").Err()
		}
		if !call.Accepting(h.now()) {
			return nil, apperr.ConflictErr("intake-call-not-open")
		}
		live, err := h.repo.LiveApplication(ctx, call.ID, co.ID)
		if err != nil {
			return nil, err
		}
		if live {
			return nil, apperr.ConflictErr("application-exists")
		}
		x, err := domain.NewApplication(events.NewID(), call, co.ID, cmd.Actor.UserID, cmd.Answers, h.now())
		if err != nil {
			return nil, err
		}
		return x, h.repo.Add(ctx, cmd.Actor, x, app.ApplicationChange(x, "application.create",
			events.ApplicationCreatedV1{ApplicationV1: app.ApplicationPayload(x), Materials: slices.Clone(call.Fields.Materials)}, nil))
	})
}
