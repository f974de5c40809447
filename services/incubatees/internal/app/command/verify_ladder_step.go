package command

import (
	"context"

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
	// Evidence is a document of the company that shows the step; empty:
	// the one the claim named.
	Evidence string
}

// VerifyLadderStepHandler verifies ladder steps.
type VerifyLadderStepHandler struct{ handler[LadderRepository] }

// NewVerifyLadderStepHandler returns the handler over the ladder repository.
var NewVerifyLadderStepHandler = newHandler[VerifyLadderStepHandler, LadderRepository]

// Handle verifies the step, for the carrier the verifier acts for.
func (h VerifyLadderStepHandler) Handle(ctx context.Context, cmd VerifyLadderStep) (domain.LadderEntry, error) {
	return decideStep(ctx, h.handler, cmd.Actor, cmd.CompanyID, cmd.Step, "ladder.verify",
		func(ctx context.Context, c *domain.Company, e *domain.LadderEntry) (events.Payload, map[string]any, error) {
			others, err := h.repo.LadderEntries(ctx, c.ID)
			if err != nil {
				return nil, nil, err
			}
			if err := e.Verify(cmd.Actor.UserID, cmd.Evidence, others, h.now()); err != nil {
				return nil, nil, err
			}
			if err := app.CheckCompanyDocument(ctx, h.repo, c.ID, e.EvidenceDocID, "evidence_document_id", "invalid-ladder-step"); err != nil {
				return nil, nil, err
			}
			return events.LadderStepVerifiedV1{LadderStepV1: app.LadderPayload(c, *e), VerifiedBy: cmd.Actor.UserID},
				map[string]any{"evidence_document_id": e.EvidenceDocID}, nil
		})
}

// RejectLadderStep is the same verifiers refusing the company's latest
// claim of a step, with a reason the company reads.
type RejectLadderStep struct {
	Actor     app.Actor
	CompanyID string
	Step      domain.LadderStep
	Reason    string
}

// RejectLadderStepHandler rejects ladder steps.
type RejectLadderStepHandler struct{ handler[LadderRepository] }

// NewRejectLadderStepHandler returns the handler over the ladder repository.
var NewRejectLadderStepHandler = newHandler[RejectLadderStepHandler, LadderRepository]

// Handle rejects the step, for the carrier the verifier acts for.
func (h RejectLadderStepHandler) Handle(ctx context.Context, cmd RejectLadderStep) (domain.LadderEntry, error) {
	return decideStep(ctx, h.handler, cmd.Actor, cmd.CompanyID, cmd.Step, "ladder.reject",
		func(_ context.Context, c *domain.Company, e *domain.LadderEntry) (events.Payload, map[string]any, error) {
			if err := e.Reject(cmd.Actor.UserID, cmd.Reason, h.now()); err != nil {
				return nil, nil, err
			}
			return events.LadderStepRejectedV1{LadderStepV1: app.LadderPayload(c, *e), RejectedBy: cmd.Actor.UserID, Reason: e.RejectReason},
				map[string]any{"reason": e.RejectReason}, nil
		})
}

// decideStep is a verifier's decision on the company's latest claim of
// step, for the carrier the verifier acts for: decide changes the entry in
// the repository's transaction and names its event and the audit line's
// detail besides the step (action); the answer is the entry as decided.
func decideStep(ctx context.Context, h handler[LadderRepository], actor app.Actor, companyID string, step domain.LadderStep, action string,
	decide func(ctx context.Context, c *domain.Company, e *domain.LadderEntry) (events.Payload, map[string]any, error)) (domain.LadderEntry, error) {
	return inCompany(ctx, h.repo, h.authz, actor, companyID, "ladder", "verify", func(ctx context.Context, c *domain.Company, scope authz.Scope) (domain.LadderEntry, error) {
		var out domain.LadderEntry
		err := h.repo.UpdateStep(ctx, actor, c.ID, step, func(ctx context.Context, e *domain.LadderEntry) (app.Change, error) {
			ev, detail, err := decide(ctx, c, e)
			if err != nil {
				return app.Change{}, err
			}
			out = *e
			detail["step"] = string(e.Step)
			return app.Change{Scope: events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID},
				Events: []events.Payload{ev}, Action: action, Detail: detail}, nil
		})
		return out, err
	})
}
