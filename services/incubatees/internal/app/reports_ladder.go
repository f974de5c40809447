package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

func ladderPayload(c *domain.Company, e domain.LadderEntry) events.LadderStepV1 {
	p := events.LadderStepV1{EntryID: e.ID, CompanyID: c.ID, RegionID: c.RegionID, Step: string(e.Step), CertificateNo: e.CertificateNo,
		Date: e.Date.Format(time.DateOnly), EvidenceDocumentID: e.EvidenceDocID, Status: string(e.Status)}
	if e.Expiry != nil {
		p.Expiry = e.Expiry.Format(time.DateOnly)
	}
	return p
}

// ListLadder returns a company's ladder steps, lowest first.
func (a *App) ListLadder(ctx context.Context, actor Actor, companyID string) ([]domain.LadderEntry, error) {
	var out []domain.LadderEntry
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		c, _, err := a.companyAt(ctx, tx, actor, companyID, "ladder", "read")
		if err != nil {
			return err
		}
		out, err = tx.LadderEntries(ctx, c.ID)
		return err
	})
	return out, err
}

// RecordLadderStep is the company claiming a step of the ladder.
func (a *App) RecordLadderStep(ctx context.Context, actor Actor, companyID string, in domain.LadderInput) (domain.LadderEntry, error) {
	var out domain.LadderEntry
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		c, _, err := a.companyAt(ctx, tx, actor, companyID, "ladder", "create")
		if err != nil {
			return err
		}
		existing, err := tx.LadderEntries(ctx, c.ID)
		if err != nil {
			return err
		}
		if out, err = domain.NewLadderEntry(events.NewID(), c.ID, in, existing, actor.UserID, a.now()); err != nil {
			return err
		}
		if err := checkCompanyDocument(ctx, tx, c.ID, out.EvidenceDocID, "evidence_document_id", "invalid-ladder-step"); err != nil {
			return err
		}
		if err := tx.InsertLadderEntry(ctx, out); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID}, actor, c.ID, events.LadderStepRecordedV1{LadderStepV1: ladderPayload(c, out)}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "ladder.record", ObjectID: out.ID, RegionID: c.RegionID, CompanyID: c.ID,
			Detail: map[string]any{"step": string(out.Step), "date": out.Date.Format(time.DateOnly)}})
	})
	return out, err
}

// VerifyLadderStep is park staff of a carrier the company is linked to, or
// the district, confirming the company's latest record of a step.
func (a *App) VerifyLadderStep(ctx context.Context, actor Actor, companyID string, step domain.LadderStep) (domain.LadderEntry, error) {
	var out domain.LadderEntry
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		c, scope, err := a.companyAt(ctx, tx, actor, companyID, "ladder", "verify")
		if err != nil {
			return err
		}
		entries, err := tx.LadderEntries(ctx, c.ID)
		if err != nil {
			return err
		}
		found := false
		for _, e := range entries {
			if e.Step == step && (!found || !e.Date.Before(out.Date)) {
				out, found = e, true
			}
		}
		if !found {
			return apperr.NotFoundErr("ladder-step-not-found")
		}
		if err := out.Verify(actor.UserID, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateLadderEntry(ctx, out); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID}, actor, c.ID,
			events.LadderStepVerifiedV1{LadderStepV1: ladderPayload(c, out), VerifiedBy: actor.UserID}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "ladder.verify", ObjectID: out.ID, RegionID: c.RegionID, CarrierID: scope.CarrierID,
			CompanyID: c.ID, Detail: map[string]any{"step": string(out.Step)}})
	})
	return out, err
}
