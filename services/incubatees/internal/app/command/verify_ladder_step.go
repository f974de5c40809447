package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
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
	return inCompany(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, "ladder", "verify", func(ctx context.Context, c *domain.Company, scope authz.Scope) (domain.LadderEntry, error) {
		var out domain.LadderEntry
		others, err := h.repo.LadderEntries(ctx, c.ID)
		if err != nil {
			return out, err
		}
		err = h.repo.UpdateStep(ctx, cmd.Actor, c.ID, cmd.Step, func(ctx context.Context, e *domain.LadderEntry) (app.Change, error) {
			if err := e.Verify(cmd.Actor.UserID, cmd.Evidence, others, h.now()); err != nil {
				return app.Change{}, err
			}
			known, err := app.IsCompanyDocument(ctx, h.repo, c.ID, e.EvidenceDocID)
			if err != nil {
				return app.Change{}, err
			}
			if !known {
				return app.Change{}, apperr.NewValidation("invalid-ladder-step").Add("evidence_document_id", "unknown_document").Err()
			}
			out = *e
			return app.Change{Scope: events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID},
				Events: []events.Payload{events.LadderStepVerifiedV1{LadderStepV1: app.LadderPayload(c, *e), VerifiedBy: cmd.Actor.UserID}},
				Action: "ladder.verify", Detail: map[string]any{"step": string(e.Step), "evidence_document_id": e.EvidenceDocID}}, nil
		})
		return out, err
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
	return inCompany(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, "ladder", "verify", func(ctx context.Context, c *domain.Company, scope authz.Scope) (domain.LadderEntry, error) {
		var out domain.LadderEntry
		err := h.repo.UpdateStep(ctx, cmd.Actor, c.ID, cmd.Step, func(_ context.Context, e *domain.LadderEntry) (app.Change, error) {
			if err := e.Reject(cmd.Actor.UserID, cmd.Reason, h.now()); err != nil {
				return app.Change{}, err
			}
			out = *e
			return app.Change{Scope: events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID},
				Events: []events.Payload{events.LadderStepRejectedV1{LadderStepV1: app.LadderPayload(c, *e), RejectedBy: cmd.Actor.UserID, Reason: e.RejectReason}},
				Action: "ladder.reject", Detail: map[string]any{"step": string(e.Step), "reason": e.RejectReason}}, nil
		})
		return out, err
	})
}
