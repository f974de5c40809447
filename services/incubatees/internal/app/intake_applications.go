package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// intakeAppScope is where an application is seen from. A draft is the
// company's alone: the carrier's staff see it once it is submitted.
func intakeAppScope(x *domain.Application) authz.Scope {
	s := authz.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID, CompanyID: x.CompanyID}
	if x.Status == domain.AppDraft {
		s.CarrierID = ""
	}
	return s
}

// loadApplication loads an application and authorizes act on it: 404 for
// whoever may not read it, 403 for readers who may not act.
func (a *App) loadApplication(ctx context.Context, tx Tx, actor Actor, id, act string) (*domain.Application, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	x, err := tx.GetApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	// Every role that may act on an application may read it (policy.csv),
	// so the default visibility is "may read it".
	if err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{intakeAppScope(x)}, Object: "application", Action: act,
		NotFound: "application-not-found"}); err != nil {
		return nil, err
	}
	return x, nil
}

// intakeCompanyAdmin checks that actor administers the company: only its
// admins apply, edit, submit and withdraw.
func (a *App) intakeCompanyAdmin(ctx context.Context, tx Tx, actor Actor, companyID string) error {
	m, err := tx.GetMembership(ctx, companyID, actor.UserID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err != nil || m.Status != domain.Active || m.Role != domain.CompanyAdmin {
		return apperr.ForbiddenErr("not-company-admin")
	}
	return nil
}

func (a *App) applicationChanged(ctx context.Context, tx Tx, actor Actor, x *domain.Application, action string, p events.Payload, detail map[string]any) error {
	if err := a.publish(ctx, tx, events.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID}, actor, x.ID, p); err != nil {
		return err
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["status"] = string(x.Status)
	detail["call_id"] = x.CallID
	return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: x.ID, RegionID: x.RegionID, CarrierID: x.CarrierID,
		CompanyID: x.CompanyID, Detail: detail})
}

// Apply starts a draft application of a company to an open call.
func (a *App) Apply(ctx context.Context, actor Actor, callID, companyID string, answers map[string]json.RawMessage) (*domain.Application, error) {
	var x *domain.Application
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		call, err := a.loadIntakeCall(ctx, tx, actor, callID, "read")
		if err != nil {
			return err
		}
		if companyID == "" {
			return apperr.NewValidation("invalid-application").Add("company_id", "required").Err()
		}
		co, err := tx.GetCompany(ctx, companyID)
		if err != nil {
			return err
		}
		if err := AuthorizeCompany(ctx, tx, a.authz, actor, co, "application", "create"); err != nil {
			return err
		}
		if err := a.intakeCompanyAdmin(ctx, tx, actor, co.ID); err != nil {
			return err
		}
		if co.RegionID != call.RegionID {
			return apperr.NewValidation("invalid-application").Add("company_id", "company_other_region").Err()
		}
		if !call.Accepting(a.now()) {
			return apperr.ConflictErr("intake-call-not-open")
		}
		live, err := tx.LiveApplication(ctx, call.ID, co.ID)
		if err != nil {
			return err
		}
		if live {
			return apperr.ConflictErr("application-exists")
		}
		if x, err = domain.NewApplication(events.NewID(), call, co.ID, actor.UserID, answers, a.now()); err != nil {
			return err
		}
		if err := tx.InsertApplication(ctx, x); err != nil {
			return err
		}
		return a.applicationChanged(ctx, tx, actor, x, "application.create", events.ApplicationCreatedV1{ApplicationV1: intakeAppPayload(x), Materials: slices.Clone(call.Fields.Materials)}, nil)
	})
	return x, err
}

// ApplicationDetail is an application with what the caller may see of its
// reviews (the carrier's staff and the district; never the applicant).
type ApplicationDetail struct {
	*domain.Application
	Call    *domain.IntakeCall
	Reviews []domain.ApplicationReview // nil when the caller may not see them
}

// GetApplication returns an application the actor may see.
func (a *App) GetApplication(ctx context.Context, actor Actor, id string) (ApplicationDetail, error) {
	var d ApplicationDetail
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		x, err := a.loadApplication(ctx, tx, actor, id, "read")
		if err != nil {
			return err
		}
		d.Application = x
		if d.Call, err = tx.GetIntakeCall(ctx, x.CallID); err != nil {
			return err
		}
		// Reviews are internal to the carrier: the company's own scope
		// is left out so startup members never qualify.
		if a.authz.Can(actor.UserID, authz.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID}, "application", "read") {
			if d.Reviews, err = tx.ListReviews(ctx, x.ID); err != nil {
				return err
			}
			if d.Reviews == nil {
				d.Reviews = []domain.ApplicationReview{}
			}
		}
		return nil
	})
	return d, err
}

// companyStep runs step, in a write transaction, on an application for
// one of the company's own steps (edit, submit, withdraw), with its call;
// the answer is the application step returns.
func (a *App) companyStep(ctx context.Context, actor Actor, id string,
	step func(ctx context.Context, tx Tx, x *domain.Application, call *domain.IntakeCall) (*domain.Application, error)) (*domain.Application, error) {
	var out *domain.Application
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		x, err := a.loadApplication(ctx, tx, actor, id, "update")
		if err != nil {
			return err
		}
		if err := a.intakeCompanyAdmin(ctx, tx, actor, x.CompanyID); err != nil {
			return err
		}
		call, err := tx.GetIntakeCall(ctx, x.CallID)
		if err != nil {
			return err
		}
		out, err = step(ctx, tx, x, call)
		return err
	})
	return out, err
}

// UpdateApplicationAnswers replaces a draft's answers.
func (a *App) UpdateApplicationAnswers(ctx context.Context, actor Actor, id string, answers map[string]json.RawMessage) (*domain.Application, error) {
	return a.companyStep(ctx, actor, id, func(ctx context.Context, tx Tx, x *domain.Application, call *domain.IntakeCall) (*domain.Application, error) {
		if err := x.SetAnswers(call, answers, a.now()); err != nil {
			return x, err
		}
		if err := tx.UpdateApplication(ctx, x); err != nil {
			return x, err
		}
		return x, tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "application.update", ObjectID: x.ID, RegionID: x.RegionID,
			CarrierID: x.CarrierID, CompanyID: x.CompanyID})
	})
}

// SubmitApplication hands a complete draft to the carrier while its call
// is open, and links the company to the carrier so its staff see it. A
// draft is complete when every required question is answered and every
// material the call requires has an uploaded or verified document.
func (a *App) SubmitApplication(ctx context.Context, actor Actor, id string) (*domain.Application, error) {
	return a.companyStep(ctx, actor, id, func(ctx context.Context, tx Tx, x *domain.Application, call *domain.IntakeCall) (*domain.Application, error) {
		// Read again under the row lock: a document returned or deleted
		// while this transaction ran must not slip through the check.
		x, err := tx.LockApplication(ctx, x.ID)
		if err != nil {
			return x, err
		}
		if x.Status == domain.AppDraft && !call.Accepting(a.now()) {
			return x, apperr.ConflictErr("intake-call-not-open")
		}
		if err := x.Submit(call, a.now()); err != nil {
			return x, err
		}
		if err := checkFileAnswers(ctx, tx, x, call); err != nil {
			return x, err
		}
		if err := tx.UpdateApplication(ctx, x); err != nil {
			return x, err
		}
		if err := tx.LinkCarrier(ctx, x.CompanyID, x.CarrierID, a.now()); err != nil {
			return x, err
		}
		return x, a.applicationChanged(ctx, tx, actor, x, "application.submit",
			events.ApplicationSubmittedV1{ApplicationV1: intakeAppPayload(x), SubmittedAt: x.SubmittedAt.UTC().Format(time.RFC3339)}, nil)
	})
}

// WithdrawApplication takes an application back before a decision.
func (a *App) WithdrawApplication(ctx context.Context, actor Actor, id string) (*domain.Application, error) {
	return a.companyStep(ctx, actor, id, func(ctx context.Context, tx Tx, x *domain.Application, _ *domain.IntakeCall) (*domain.Application, error) {
		if err := x.Move(domain.AppActWithdraw, a.now()); err != nil {
			return x, err
		}
		if err := tx.UpdateApplication(ctx, x); err != nil {
			return x, err
		}
		return x, a.applicationChanged(ctx, tx, actor, x, "application.withdraw", events.ApplicationWithdrawnV1{ApplicationV1: intakeAppPayload(x)}, nil)
	})
}

// ListCarrierApplications is the operator inbox: a carrier's submitted
// applications (never drafts), by status, searchable by company name.
func (a *App) ListCarrierApplications(ctx context.Context, actor Actor, carrierID string, status domain.AppStatus, p list.Params) ([]ApplicationItem, int, error) {
	var out []ApplicationItem
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "application", "read"); err != nil {
			return err
		}
		var err error
		out, total, err = tx.ListApplications(ctx, ApplicationFilter{CarrierID: carrierID, Status: status, ExcludeDraft: true}, p)
		return err
	})
	return out, total, err
}

// ListCompanyApplications lists a company's applications the actor may
// see: all of them for the company and the district, the ones to their own
// carrier for park staff.
func (a *App) ListCompanyApplications(ctx context.Context, actor Actor, companyID string) ([]ApplicationItem, error) {
	var out []ApplicationItem
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		co, _, err := a.companyAt(ctx, tx, actor, companyID, "company", "read")
		if err != nil {
			return err
		}
		all, _, err := tx.ListApplications(ctx, ApplicationFilter{CompanyID: co.ID}, list.First(1000))
		if err != nil {
			return err
		}
		out = []ApplicationItem{}
		for _, it := range all {
			if a.authz.Can(actor.UserID, intakeAppScope(it.Application), "application", "read") {
				out = append(out, it)
			}
		}
		return nil
	})
	return out, err
}

// ReviewApplication records the actor's rubric scores; the first review
// moves a submitted application to reviewing.
func (a *App) ReviewApplication(ctx context.Context, actor Actor, id string, scores map[string]int, comment string) (*domain.Application, error) {
	var x *domain.Application
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if x, err = a.loadApplication(ctx, tx, actor, id, "review"); err != nil {
			return err
		}
		call, err := tx.GetIntakeCall(ctx, x.CallID)
		if err != nil {
			return err
		}
		if err := x.Move(domain.AppActReview, a.now()); err != nil {
			return err
		}
		r, err := domain.NewReview(call, x.ID, actor.UserID, scores, comment, a.now())
		if err != nil {
			return err
		}
		if err := tx.PutReview(ctx, r); err != nil {
			return err
		}
		if err := tx.UpdateApplication(ctx, x); err != nil {
			return err
		}
		return a.applicationChanged(ctx, tx, actor, x, "application.review",
			events.ApplicationReviewedV1{ApplicationV1: intakeAppPayload(x), ReviewerID: actor.UserID, Scores: r.Scores},
			map[string]any{"scores": r.Scores})
	})
	return x, err
}

// decideApplication admits or rejects x inside tx: admission respects the
// call's capacity and hands over to the residency area.
func (a *App) decideApplication(ctx context.Context, tx Tx, actor Actor, x *domain.Application, action domain.AppAction, reason string) error {
	if err := x.Decide(action, reason, actor.UserID, a.now()); err != nil {
		return err
	}
	if action == domain.AppActAdmit {
		call, err := tx.GetIntakeCall(ctx, x.CallID)
		if err != nil {
			return err
		}
		n, err := tx.CountApplications(ctx, call.ID, domain.AppAdmitted)
		if err != nil {
			return err
		}
		if n >= call.Fields.Capacity {
			return apperr.ConflictErr("intake-call-full").With("capacity", call.Fields.Capacity)
		}
	}
	if err := tx.UpdateApplication(ctx, x); err != nil {
		return err
	}
	if err := a.applicationChanged(ctx, tx, actor, x, "application.decide",
		events.ApplicationDecidedV1{ApplicationV1: intakeAppPayload(x), Decision: string(x.Status), Reason: x.Reason},
		map[string]any{"reason": x.Reason}); err != nil {
		return err
	}
	if action == domain.AppActAdmit {
		return a.onAdmitted(ctx, tx, actor, Admission{ApplicationID: x.ID, CompanyID: x.CompanyID, CarrierID: x.CarrierID, RegionID: x.RegionID, At: a.now()})
	}
	return nil
}

// ParseDecision turns "admit"/"reject" into an action.
func ParseDecision(s string) (domain.AppAction, error) {
	switch domain.AppAction(s) {
	case domain.AppActAdmit, domain.AppActReject:
		return domain.AppAction(s), nil
	}
	return "", apperr.NewValidation("invalid-decision").Add("decision", "one_of", "allowed", "admit, reject").Err()
}

// DecideApplication admits or rejects one application with a reason the
// applicant reads.
func (a *App) DecideApplication(ctx context.Context, actor Actor, id string, action domain.AppAction, reason string) (*domain.Application, error) {
	var x *domain.Application
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if x, err = a.loadApplication(ctx, tx, actor, id, "decide"); err != nil {
			return err
		}
		return a.decideApplication(ctx, tx, actor, x, action, reason)
	})
	return x, err
}

// MaxBulkDecisions bounds one bulk decision.
const MaxBulkDecisions = 100

// DecideApplications decides several applications of one carrier at once,
// all or nothing: when any cannot be decided, nothing is, and the error
// names each failing id ("ids.<id>").
func (a *App) DecideApplications(ctx context.Context, actor Actor, carrierID string, ids []string, action domain.AppAction, reason string) ([]*domain.Application, error) {
	var out []*domain.Application
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "application", "decide"); err != nil {
			return err
		}
		v := apperr.NewValidation("invalid-decision")
		v.Check(len(ids) == 0, "ids", "required")
		v.Check(len(ids) > MaxBulkDecisions, "ids", "too_many", "max", MaxBulkDecisions)
		if err := v.Err(); err != nil {
			return err
		}
		failed := apperr.NewValidation("decisions-failed")
		seen := map[string]bool{}
		for _, id := range ids {
			field := "ids." + id
			if seen[id] {
				failed.Add(field, "listed_twice")
				continue
			}
			seen[id] = true
			x, err := tx.GetApplication(ctx, id)
			if apperr.Is(err, apperr.NotFound) || (err == nil && (x.CarrierID != carrierID || x.Status == domain.AppDraft)) {
				failed.Add(field, "not_found")
				continue
			} else if err != nil {
				return err
			}
			if err := a.decideApplication(ctx, tx, actor, x, action, reason); err != nil {
				ae, ok := apperr.As(err)
				if !ok {
					return fmt.Errorf("decide %s: %w", id, err)
				}
				if ae.Category == apperr.IncorrectInput {
					// The same for every id (the reason, the decision).
					return err
				}
				failed.Add(field, intakeFailCode(ae))
				continue
			}
			out = append(out, x)
		}
		return failed.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// intakeFailCode is the per-id code of a failed bulk decision; failures
// from later steps (the residency hook) keep their own slug.
func intakeFailCode(e *apperr.Error) string {
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
