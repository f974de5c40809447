package app

import (
	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ApplicationScope is where an application is seen from. A draft is the
// company's alone: the carrier's staff see it once it is submitted.
func ApplicationScope(x *domain.Application) authz.Scope {
	s := authz.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID, CompanyID: x.CompanyID}
	if x.Status == domain.AppDraft {
		s.CarrierID = ""
	}
	return s
}

// AuthorizeApplication authorizes act on x: 401 anonymous, 404 for
// whoever may not read it, 403 for readers who may not act. Every role
// that may act on an application may read it (policy.csv), so the
// default visibility is "may read it".
func AuthorizeApplication(e *authz.Enforcer, actor Actor, x *domain.Application, act string) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{ApplicationScope(x)}, Object: "application", Action: act,
		NotFound: "application-not-found"})
}

// ApplicationPayload is x as its events carry it.
func ApplicationPayload(x *domain.Application) events.ApplicationV1 {
	return events.ApplicationV1{ApplicationID: x.ID, CallID: x.CallID, CompanyID: x.CompanyID, CarrierID: x.CarrierID, RegionID: x.RegionID, Status: string(x.Status)}
}

// ApplicationChange is the change of x announced by ev (none when nil):
// seen from its carrier, audited as action with detail, its status and
// its call.
func ApplicationChange(x *domain.Application, action string, ev events.Payload, detail map[string]any) Change {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["status"] = string(x.Status)
	detail["call_id"] = x.CallID
	ch := Change{Scope: events.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID}, Action: action, Detail: detail}
	if ev != nil {
		ch.Events = []events.Payload{ev}
	}
	return ch
}

// ApplicationDetail is an application with what the caller may see of its
// reviews (the carrier's staff and the district; never the applicant).
type ApplicationDetail struct {
	*domain.Application
	Call    *domain.IntakeCall
	Reviews []domain.ApplicationReview // nil when the caller may not see them
}

// ParseDecision turns "admit"/"reject" into an action.
func ParseDecision(s string) (domain.AppAction, error) {
	if err := domain.CheckDecision(domain.AppAction(s)); err != nil {
		return "", err
	}
	return domain.AppAction(s), nil
}

// MaxBulkDecisions bounds one bulk decision.
const MaxBulkDecisions = 100

// IntakeFailCode is the per-id code of a failed bulk decision; failures
// from later steps (the residency hook) keep their own slug.
func IntakeFailCode(e *apperr.Error) string {
	switch {
	case e.Slug == "application-bad-transition":
		return "bad_transition"
	case e.Slug == "intake-call-full":
		return "call_full"
	case e.Category == apperr.NotFound:
		return "not_found"
	}
	return e.Slug
}
