package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// DocumentEventTypes are the documents events that fill the material
// slots of applications.
var DocumentEventTypes = []string{events.DocumentUploaded, events.DocumentVerified, events.DocumentReturned, events.DocumentDeleted}

// documentStatuses maps each documents event to the status it leaves the
// document in; the event type, not the payload, decides.
var documentStatuses = map[string]domain.MaterialStatus{
	events.DocumentUploaded: domain.MaterialUploaded,
	events.DocumentVerified: domain.MaterialVerified,
	events.DocumentReturned: domain.MaterialReturned,
	events.DocumentDeleted:  domain.MaterialDeleted,
}

// applicationChecklist is the prefix of the documents service's checklist
// ids that belong to an application ("application:<id>").
const applicationChecklist = "application:"

// ApplyDocumentEvent records one documents event in the material slot of
// the application whose checklist the document fills, inside the
// consumer's transaction. Events of other checklists, of unknown
// applications or material types, of another tenant, or older than what
// the slot shows change nothing.
func ApplyDocumentEvent(ctx context.Context, tx Tx, ev events.Envelope, log *slog.Logger, now time.Time) error {
	status, ok := documentStatuses[ev.Type]
	if !ok {
		return nil
	}
	var p events.DocumentV1
	if err := ev.Decode(&p); err != nil {
		return bus.Permanent(err)
	}
	log = log.With("event_id", ev.ID, "event_type", ev.Type, "document_id", p.DocumentID, "checklist_id", p.ChecklistID)
	doc := CompanyDocument{ID: p.DocumentID, CompanyID: p.CompanyID, RegionID: p.RegionID, Type: p.Type, Filename: p.Filename, Status: status, At: ev.OccurredAt}
	if status == domain.MaterialVerified {
		at := ev.OccurredAt
		doc.VerifiedAt = &at
	}
	if err := tx.PutCompanyDocument(ctx, doc); err != nil {
		return err
	}
	appID, ok := strings.CutPrefix(p.ChecklistID, applicationChecklist)
	if !ok || appID == "" {
		return nil // not an application's material
	}
	x, err := tx.LockApplication(ctx, appID)
	if apperr.Is(err, apperr.NotFound) {
		log.DebugContext(ctx, "document event for an unknown application; ignored")
		return nil
	}
	if err != nil {
		return err
	}
	// The checklist id comes from the documents service, which takes it
	// from its caller: a document of another tenant never fills a slot.
	if p.RegionID != x.RegionID || p.CompanyID != x.CompanyID {
		log.WarnContext(ctx, "document event names an application of another region or company; ignored",
			"event_region_id", p.RegionID, "event_company_id", p.CompanyID)
		return nil
	}
	// DocumentV1 carries no file name yet; the slot's stays empty.
	why := x.ApplyDocument(domain.DocumentChange{Type: p.Type, DocumentID: p.DocumentID, Status: status, Version: p.Version, Filename: p.Filename, At: ev.OccurredAt}, now)
	if why != "" {
		log.DebugContext(ctx, "document event does not change the application's materials", "reason", why, "type", p.Type, "version", p.Version)
		return nil
	}
	if err := tx.UpdateApplicationMaterials(ctx, x); err != nil {
		return err
	}
	if status != domain.MaterialDeleted || !x.ReturnForDeletedMaterial(p.Type, now) {
		return nil
	}
	// A submitted application lost a material it relied on: it goes back
	// to the company, which is told which one to provide again.
	if err := tx.UpdateApplication(ctx, x); err != nil {
		return err
	}
	ret, err := events.New(events.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID}, ev.Actor, x.ID,
		events.ApplicationReturnedV1{ApplicationV1: ApplicationPayload(x), MaterialType: p.Type, DocumentID: p.DocumentID})
	if err != nil {
		return err
	}
	if err := tx.Publish(ctx, ret); err != nil {
		return err
	}
	return tx.Audit(ctx, AuditEntry{Actor: ev.Actor, Action: "application.return", ObjectID: x.ID, RegionID: x.RegionID, CarrierID: x.CarrierID,
		CompanyID: x.CompanyID, Detail: map[string]any{"status": string(x.Status), "call_id": x.CallID, "material_type": p.Type, "document_id": p.DocumentID}})
}

// CheckFileAnswers refuses file answers that name no document of the
// applying company (or a deleted one). The documents service announces
// each upload a moment after it is stored, so a just-uploaded file may
// need a second try; the error says which question.
func CheckFileAnswers(ctx context.Context, tx DocumentReader, x *domain.Application, call *domain.IntakeCall) error {
	v := apperr.NewValidation("invalid-answers")
	for _, q := range call.Fields.Questions {
		raw, ok := x.Answers[q.Key]
		if q.Type != domain.QFile || !ok {
			continue
		}
		var id string
		if json.Unmarshal(raw, &id) != nil || id == "" {
			continue // the answer check names malformed ones
		}
		known, err := IsCompanyDocument(ctx, tx, x.CompanyID, id)
		if err != nil {
			return err
		}
		v.Check(!known, "answers."+q.Key, "unknown_document")
	}
	return v.Err()
}

// DocumentReader reads what this service knows of a document.
type DocumentReader interface {
	CompanyDocument(ctx context.Context, id string) (CompanyDocument, error)
}

// CheckCompanyDocument refuses a document id (when one is given) that
// names no live document of the company, as a field error.
func CheckCompanyDocument(ctx context.Context, rd DocumentReader, companyID, docID, field, slug string) error {
	if docID == "" {
		return nil
	}
	known, err := IsCompanyDocument(ctx, rd, companyID, docID)
	if err != nil {
		return err
	}
	return apperr.NewValidation(slug).Check(!known, field, "unknown_document").Err()
}

// IsCompanyDocument reports whether docID is a live document of the company.
func IsCompanyDocument(ctx context.Context, rd DocumentReader, companyID, docID string) (bool, error) {
	d, err := rd.CompanyDocument(ctx, docID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return d.CompanyID == companyID && d.Status != domain.MaterialDeleted, nil
}
