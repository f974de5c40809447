package command

import (
	"context"
	"strings"
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
	// Override, when set, is an admin's reason to admit although the
	// admission rules (verified materials, enough reviews) are not met.
	Override string
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
	return app.SignedInWithin(ctx, cmd.Actor, h.repo.Transaction, func(ctx context.Context) (*domain.Application, error) {
		return h.decide(ctx, cmd.Actor, cmd.ApplicationID, cmd.Action, cmd.Reason, cmd.Override, func(x *domain.Application) error {
			return app.AuthorizeApplication(h.authz, cmd.Actor, x, "decide")
		})
	})
}

// decide admits or rejects application id, once check lets it through,
// in the context's transaction: admission respects the call's capacity
// and hands over to the residency area.
func (h DecideApplicationHandler) decide(ctx context.Context, actor app.Actor, id string, action domain.AppAction, reason, override string,
	check func(x *domain.Application) error) (*domain.Application, error) {
	var out *domain.Application
	err := h.repo.Update(ctx, actor, id, func(ctx context.Context, x *domain.Application) (app.Change, error) {
		if err := check(x); err != nil {
			return app.Change{}, err
		}
		out = x
		if action != domain.AppActAdmit {
			if err := x.Decide(action, reason, actor.UserID, h.now()); err != nil {
				return app.Change{}, err
			}
		} else if err := h.admit(ctx, actor, x, reason, override); err != nil {
			return app.Change{}, err
		}
		return app.ApplicationChange(x, "application.decide",
			events.ApplicationDecidedV1{ApplicationV1: app.ApplicationPayload(x), Decision: string(x.Status), Reason: x.Reason, OverrideReason: x.Override,
				Conflicts: conflictPayloads(x.Conflicts)},
			decisionDetail(x)), nil
	})
	if err != nil || action != domain.AppActAdmit {
		return out, err
	}
	return out, h.admissions.Handle(ctx, actor, app.Admission{ApplicationID: out.ID, CompanyID: out.CompanyID, CarrierID: out.CarrierID,
		RegionID: out.RegionID, At: h.now()})
}

// admit admits x when the call's rules hold (every required material
// verified, enough reviews) or an actor who may override gives a reason,
// and the call has room.
func (h DecideApplicationHandler) admit(ctx context.Context, actor app.Actor, x *domain.Application, reason, override string) error {
	call, err := h.repo.GetIntakeCall(ctx, x.CallID)
	if err != nil {
		return err
	}
	reviews, err := h.repo.ListReviews(ctx, x.ID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(override) != "" {
		if err := app.AuthorizeApplication(h.authz, actor, x, "override"); err != nil {
			return err
		}
	}
	if err := x.Admit(call, len(reviews), reason, override, actor.UserID, h.now()); err != nil {
		return err
	}
	n, err := h.repo.CountApplications(ctx, call.ID, domain.AppAdmitted)
	if err != nil {
		return err
	}
	if n >= call.Fields.Capacity {
		return apperr.ConflictErr("intake-call-full").With("capacity", call.Fields.Capacity)
	}
	// Admitted while open at another carrier: allowed, but flagged.
	co, err := h.repo.GetCompany(ctx, x.CompanyID)
	if err != nil {
		return err
	}
	others, err := openElsewhere(ctx, h.repo, co, x.CarrierID, "")
	if err != nil {
		return err
	}
	x.Conflicts = nil
	for _, o := range others {
		x.Conflicts = append(x.Conflicts, domain.AdmissionConflict{CarrierID: o.CarrierID(), CarrierNameZH: o.CarrierNameZH, ResidencyID: o.ID(),
			CompanyID: o.CompanyID(), Status: string(o.Status())})
	}
	return nil
}

func conflictPayloads(cs []domain.AdmissionConflict) []events.AdmissionConflictV1 {
	var out []events.AdmissionConflictV1
	for _, c := range cs {
		out = append(out, events.AdmissionConflictV1(c))
	}
	return out
}

// decisionDetail is the audit detail of a decision: its reason and, for
// an admission forced past the rules, the override's.
func decisionDetail(x *domain.Application) map[string]any {
	d := map[string]any{"reason": x.Reason}
	if x.Override != "" {
		d["override_reason"] = x.Override
	}
	return d
}
