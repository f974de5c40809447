package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// DecideApplication admits or rejects one application with a reason the
// applicant reads.
type DecideApplication struct {
	Actor         app.Actor
	ApplicationID string
	Action        domain.AppAction
	Reason        string
}

// DecideApplicationHandler decides applications.
type DecideApplicationHandler struct {
	handler[ApplicationRepository]
	admissions app.AdmissionHandler
}

// NewDecideApplicationHandler returns the handler over the application
// repository; admissions opens the residency of an admitted application.
func NewDecideApplicationHandler(repo ApplicationRepository, admissions app.AdmissionHandler, e *authz.Enforcer, now func() time.Time) DecideApplicationHandler {
	return DecideApplicationHandler{handler: handler[ApplicationRepository]{repo, e, now}, admissions: admissions}
}

// Handle decides the application.
func (h DecideApplicationHandler) Handle(ctx context.Context, cmd DecideApplication) (*domain.Application, error) {
	if err := authz.Authenticated(cmd.Actor.UserID); err != nil {
		return nil, err
	}
	return app.Within(ctx, h.repo.Transaction, func(ctx context.Context) (*domain.Application, error) {
		return h.decide(ctx, cmd.Actor, cmd.ApplicationID, cmd.Action, cmd.Reason, func(x *domain.Application) error {
			return app.AuthorizeApplication(h.authz, cmd.Actor, x, "decide")
		})
	})
}

// decide admits or rejects application id, once check lets it through,
// in the context's transaction: admission respects the call's capacity
// and hands over to the residency area.
func (h DecideApplicationHandler) decide(ctx context.Context, actor app.Actor, id string, action domain.AppAction, reason string,
	check func(x *domain.Application) error) (*domain.Application, error) {
	var out *domain.Application
	err := h.repo.Update(ctx, actor, id, func(ctx context.Context, x *domain.Application) (app.Change, error) {
		if err := check(x); err != nil {
			return app.Change{}, err
		}
		out = x
		if err := x.Decide(action, reason, actor.UserID, h.now()); err != nil {
			return app.Change{}, err
		}
		if action == domain.AppActAdmit {
			call, err := h.repo.GetIntakeCall(ctx, x.CallID)
			if err != nil {
				return app.Change{}, err
			}
			n, err := h.repo.CountApplications(ctx, call.ID, domain.AppAdmitted)
			if err != nil {
				return app.Change{}, err
			}
			if n >= call.Fields.Capacity {
				return app.Change{}, apperr.ConflictErr("intake-call-full").With("capacity", call.Fields.Capacity)
			}
		}
		return app.ApplicationChange(x, "application.decide",
			events.ApplicationDecidedV1{ApplicationV1: app.ApplicationPayload(x), Decision: string(x.Status), Reason: x.Reason},
			map[string]any{"reason": x.Reason}), nil
	})
	if err != nil || action != domain.AppActAdmit {
		return out, err
	}
	return out, h.admissions.Handle(ctx, actor, app.Admission{ApplicationID: out.ID, CompanyID: out.CompanyID, CarrierID: out.CarrierID,
		RegionID: out.RegionID, At: h.now()})
}
