package command

import (
	"context"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// DecideApplications decides several applications of one carrier at once.
type DecideApplications struct {
	Actor     app.Actor
	CarrierID string
	IDs       []string
	Action    domain.AppAction
	Reason    string
	Override  string // as DecideApplication's, for every application
}

// DecideApplicationsHandler decides applications in bulk.
type DecideApplicationsHandler struct{ one DecideApplicationHandler }

// NewDecideApplicationsHandler returns the handler over the application
// repository; admissions opens the residencies of admitted applications.
func NewDecideApplicationsHandler(repo ApplicationRepository, admissions app.AdmissionHandler, e *authz.Enforcer, now func() time.Time) DecideApplicationsHandler {
	return DecideApplicationsHandler{NewDecideApplicationHandler(repo, admissions, e, now)}
}

// Handle decides all or nothing: when any cannot be decided, nothing is,
// and the error names each failing id ("ids.<id>").
func (h DecideApplicationsHandler) Handle(ctx context.Context, cmd DecideApplications) ([]*domain.Application, error) {
	return app.Within(ctx, h.one.repo.Transaction, func(ctx context.Context) ([]*domain.Application, error) {
		if _, err := app.AuthorizeCarrier(ctx, h.one.repo, h.one.authz, cmd.Actor, cmd.CarrierID, "application", "decide"); err != nil {
			return nil, err
		}
		v := apperr.NewValidation("invalid-decision")
		v.Check(len(cmd.IDs) == 0, "ids", "required")
		v.Check(len(cmd.IDs) > app.MaxBulkDecisions, "ids", "too_many", "max", app.MaxBulkDecisions)
		if err := v.Err(); err != nil {
			return nil, err
		}
		// Another carrier's application, or a draft, is as if it did not exist.
		ours := func(x *domain.Application) error {
			if x.CarrierID != cmd.CarrierID || x.Status == domain.AppDraft {
				return apperr.NotFoundErr("application-not-found")
			}
			return nil
		}
		var out []*domain.Application
		failed := apperr.NewValidation("decisions-failed")
		seen := map[string]bool{}
		for _, id := range cmd.IDs {
			field := "ids." + id
			if seen[id] {
				failed.Add(field, "listed_twice")
				continue
			}
			seen[id] = true
			x, err := h.one.decide(ctx, cmd.Actor, id, cmd.Action, cmd.Reason, cmd.Override, ours)
			if err != nil {
				ae, ok := apperr.As(err)
				if !ok {
					return nil, fmt.Errorf("decide %s: %w", id, err)
				}
				if ae.Slug == domain.AdmissionIncomplete {
					// The rule holds per application: name what each lacks.
					for _, f := range ae.Fields {
						failed.Add(field+"."+f.Field, f.Code, params(f.Params)...)
					}
					continue
				}
				if ae.Category == apperr.IncorrectInput {
					// The same for every id (the reason, the decision).
					return nil, err
				}
				failed.Add(field, app.IntakeFailCode(ae))
				continue
			}
			out = append(out, x)
		}
		return out, failed.Err()
	})
}

// params flattens a field error's parameters for Validation.Add.
func params(m map[string]any) []any {
	out := make([]any, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}
