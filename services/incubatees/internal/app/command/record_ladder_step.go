package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// RecordLadderStep is the company claiming a step of the cultivation
// ladder.
type RecordLadderStep struct {
	Actor     app.Actor
	CompanyID string
	Input     domain.LadderInput
}

// LadderRepository is the ladder repository the ladder commands need.
type LadderRepository interface {
	transactor
	app.CompanyLoader
	app.DocumentReader
	LadderEntries(ctx context.Context, companyID string) ([]domain.LadderEntry, error)
	Add(ctx context.Context, actor app.Actor, e domain.LadderEntry, ch app.Change) error
	UpdateStep(ctx context.Context, actor app.Actor, companyID string, step domain.LadderStep,
		fn func(ctx context.Context, e *domain.LadderEntry) (app.Change, error)) error
}

// RecordLadderStepHandler records ladder steps.
type RecordLadderStepHandler struct{ handler[LadderRepository] }

// NewRecordLadderStepHandler returns the handler over the ladder repository.
var NewRecordLadderStepHandler = newHandler[RecordLadderStepHandler, LadderRepository]

// Handle records the step, with evidence (if any) among the company's own
// documents.
func (h RecordLadderStepHandler) Handle(ctx context.Context, cmd RecordLadderStep) (domain.LadderEntry, error) {
	return inCompany(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, "ladder", "create", func(ctx context.Context, c *domain.Company, _ authz.Scope) (domain.LadderEntry, error) {
		existing, err := h.repo.LadderEntries(ctx, c.ID)
		if err != nil {
			return domain.LadderEntry{}, err
		}
		e, err := domain.NewLadderEntry(events.NewID(), c.ID, cmd.Input, existing, cmd.Actor.UserID, h.now())
		if err != nil {
			return domain.LadderEntry{}, err
		}
		if err := app.CheckCompanyDocument(ctx, h.repo, c.ID, e.EvidenceDocID, "evidence_document_id", "invalid-ladder-step"); err != nil {
			return domain.LadderEntry{}, err
		}
		return e, h.repo.Add(ctx, cmd.Actor, e, app.Change{Scope: app.CompanyScope(c),
			Events: []events.Payload{events.LadderStepRecordedV1{LadderStepV1: app.LadderPayload(c, e)}},
			Action: "ladder.record", Detail: map[string]any{"step": string(e.Step), "date": e.Date.Format(time.DateOnly)}})
	})
}
