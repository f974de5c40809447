package incubatees

import (
	"context"
	"fmt"
	"testing"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// docTarget is whose checklist a documents event fills: the application,
// and the region and company the documents service names.
type docTarget struct{ appID, regionID, carrierID, companyID string }

func docTargetOf(x *domain.Application) docTarget {
	return docTarget{appID: x.ID, regionID: x.RegionID, carrierID: x.CarrierID, companyID: x.CompanyID}
}

// documentEvent is a documents event (uploaded, verified, returned or
// deleted, by status) about document docID of type in t's checklist.
func (h *harness) documentEvent(t docTarget, status domain.MaterialStatus, typ, docID string, version int) events.Envelope {
	h.T.Helper()
	d := events.DocumentV1{DocumentID: docID, RegionID: t.regionID, CarrierID: t.carrierID, CompanyID: t.companyID, Type: typ,
		ChecklistID: "application:" + t.appID, Status: string(status), Version: version, VersionID: events.NewID(),
		Size: 1024, SHA256: fmt.Sprintf("%064x", version), ContentType: "application/pdf"}
	var p events.Payload
	switch status {
	case domain.MaterialUploaded:
		p = events.DocumentUploadedV1{DocumentV1: d}
	case domain.MaterialVerified:
		p = events.DocumentVerifiedV1{DocumentV1: d}
	case domain.MaterialReturned:
		d.Comment = "请补充盖章页"
		p = events.DocumentReturnedV1{DocumentV1: d}
	case domain.MaterialDeleted:
		p = events.DocumentDeletedV1{DocumentV1: d}
	default:
		h.T.Fatalf("no documents event for status %q", status)
	}
	ev, err := events.New(events.Scope{RegionID: t.regionID, CarrierID: t.carrierID}, "documents-user", docID, p)
	if err != nil {
		h.T.Fatal(err)
	}
	return ev
}

// publishDocuments publishes evs, in order, as the documents service
// would (outbox, relay, NATS), and waits until the incubatees consumer has
// processed every one of them, applied or ignored.
func (h *harness) publishDocuments(evs ...events.Envelope) {
	h.T.Helper()
	if h.documents == nil {
		h.documents = testkit.NewOutbox(h.T, h.Bus)
	}
	h.documents.Publish(evs...)
	h.awaitProcessed("incubatees-documents", "documents", evs)
}

// uploadMaterials uploads version 1 of a document into every slot of the
// application, as a founder using the console would.
func (h *harness) uploadMaterials(x *domain.Application) { h.markMaterials(x, domain.MaterialUploaded) }

// verifyMaterials verifies version 1 of every slot's document, as the
// carrier's staff reviewing them in the documents service would.
func (h *harness) verifyMaterials(x *domain.Application) { h.markMaterials(x, domain.MaterialVerified) }

// markMaterials publishes a documents event of status about version 1 of
// the document in every slot of the application.
func (h *harness) markMaterials(x *domain.Application, status domain.MaterialStatus) {
	h.T.Helper()
	var evs []events.Envelope
	for _, m := range x.Materials {
		evs = append(evs, h.documentEvent(docTargetOf(x), status, m.Type, "doc-"+x.ID+"-"+m.Type, 1))
	}
	h.publishDocuments(evs...)
}

// application reads an application from the store.
func (h *harness) application(id string) *domain.Application {
	h.T.Helper()
	var x *domain.Application
	err := h.svc.store.Read(context.Background(), func(ctx context.Context, tx app.Tx) error {
		var err error
		x, err = tx.GetApplication(ctx, id)
		return err
	})
	if err != nil {
		h.T.Fatal(err)
	}
	return x
}

// materials reads an application's slots from the store, by type.
func (h *harness) materials(appID string) map[string]domain.MaterialSlot {
	h.T.Helper()
	out := map[string]domain.MaterialSlot{}
	for _, m := range h.application(appID).Materials {
		out[m.Type] = m
	}
	return out
}

// wantSlot asserts the status, document and version of one slot.
func wantSlot(t *testing.T, got map[string]domain.MaterialSlot, typ string, status domain.MaterialStatus, docID string, version int) {
	t.Helper()
	s := got[typ]
	if s.Status != status || s.DocumentID != docID || s.Version != version {
		t.Fatalf("slot %s: %+v, want %q %s v%d", typ, s, status, docID, version)
	}
}

func TestIntakeMaterialsGateSubmission(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		founder := "founder@lixia.demo"
		const licence, plan = "business_licence", "business_plan"
		// apply opens a call of X asking for materials and applies to it
		// as coA's founder.
		apply := func(title string, materials []string, what string) map[string]any {
			t.Helper()
			f := intakeFields(title)
			f.Materials = materials
			callID := h.intakeCall("X", f, true)
			return intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications",
				map[string]any{"company_id": h.IDs["coA"], "answers": intakeGoodAnswers()}), 201, what)
		}
		newApp := func(title string) *domain.Application {
			t.Helper()
			return h.application(apply(title, []string{licence, plan}, "apply")["id"].(string))
		}
		submit := func(id string, lang string) response {
			t.Helper()
			return h.Do(founder, "POST", "/api/v1/applications/"+id+"/submit", nil, "Accept-Language", lang)
		}
		// refused asserts a refused submission changed nothing: still a
		// draft, no event, no carrier link.
		refused := func(id, lang string, want ...string) map[string]any {
			t.Helper()
			outbox := h.count("outbox")
			r := submit(id, lang)
			intakeFields422(t, r, "submit with bad materials", want...)
			body := r.JSON(t)
			if body["slug"] != "materials-incomplete" {
				t.Fatalf("slug %v", body["slug"])
			}
			if h.count("outbox") != outbox {
				t.Fatal("a refused submission published an event")
			}
			if got := intakeWant(t, h.Do(founder, "GET", "/api/v1/applications/"+id, nil), 200, "read"); got["status"] != "draft" || got["submitted_at"] != nil {
				t.Fatalf("after refused submission: %v", got)
			}
			return body
		}

		// 1. Nothing uploaded: both slots missing.
		a1 := newApp("材料一")
		t1 := docTargetOf(a1)
		refused(a1.ID, "zh-CN", "materials."+licence+"=material_missing", "materials."+plan+"=material_missing")

		// 2. The licence uploaded then returned, the plan still missing:
		// both codes at once, in either language.
		h.publishDocuments(
			h.documentEvent(t1, domain.MaterialUploaded, licence, "L1", 1),
			h.documentEvent(t1, domain.MaterialReturned, licence, "L1", 1))
		wantSlot(t, h.materials(a1.ID), licence, domain.MaterialReturned, "L1", 1)
		want := []string{"materials." + licence + "=material_returned", "materials." + plan + "=material_missing"}
		zh := refused(a1.ID, "zh-CN", want...)
		en := refused(a1.ID, "en", want...)
		if zh["title"] == en["title"] {
			t.Fatalf("title not localized: %v / %v", zh["title"], en["title"])
		}
		zhFields := fieldErrors(t, submit(a1.ID, "zh-CN"))
		for field, e := range fieldErrors(t, submit(a1.ID, "en")) {
			if msg := e["message"].(string); msg == zhFields[field]["message"] {
				t.Fatalf("%s: message %q not localized", field, msg)
			}
		}

		// 3. Version 2 of the licence and the plan uploaded; the slots
		// reach the wire; a stale event of version 1 arriving late does
		// not regress the licence.
		h.publishDocuments(
			h.documentEvent(t1, domain.MaterialUploaded, licence, "L1", 2),
			h.documentEvent(t1, domain.MaterialUploaded, plan, "P1", 1),
			h.documentEvent(t1, domain.MaterialVerified, licence, "L1", 1),
			h.documentEvent(t1, domain.MaterialUploaded, licence, "L1", 1))
		got := h.materials(a1.ID)
		wantSlot(t, got, licence, domain.MaterialUploaded, "L1", 2)
		wantSlot(t, got, plan, domain.MaterialUploaded, "P1", 1)
		// Editing the answers keeps the slots the consumer wrote.
		intakeWant(t, h.Do(founder, "PATCH", "/api/v1/applications/"+a1.ID, map[string]any{"answers": intakeGoodAnswers()}), 200, "answer")
		wire := intakeWant(t, h.Do(founder, "GET", "/api/v1/applications/"+a1.ID, nil), 200, "read")
		slots := map[string]map[string]any{}
		for _, m := range wire["materials"].([]any) {
			s := m.(map[string]any)
			slots[s["type"].(string)] = s
		}
		if s := slots[licence]; s["document_id"] != "L1" || s["status"] != "uploaded" || s["version"] != float64(2) {
			t.Fatalf("licence on the wire: %v", s)
		}
		for _, k := range []string{"type", "document_id", "status", "version", "filename"} {
			if _, ok := slots[plan][k]; !ok || len(slots[plan]) != 5 {
				t.Fatalf("plan on the wire: %v (want exactly type, document_id, status, version, filename)", slots[plan])
			}
		}
		sub := intakeWant(t, submit(a1.ID, "zh-CN"), 200, "submit with materials")
		if sub["status"] != "submitted" {
			t.Fatalf("submitted: %v", sub)
		}
		// Verification after submission still reaches the slot.
		h.publishDocuments(h.documentEvent(t1, domain.MaterialVerified, plan, "P1", 1))
		wantSlot(t, h.materials(a1.ID), plan, domain.MaterialVerified, "P1", 1)

		// 4. A second application: uploaded, then the plan returned —
		// refused again; version 2 uploaded — accepted.
		a2 := newApp("材料二")
		t2 := docTargetOf(a2)
		h.uploadMaterials(a2)
		planDoc := "doc-" + a2.ID + "-" + plan
		h.publishDocuments(h.documentEvent(t2, domain.MaterialReturned, plan, planDoc, 1))
		refused(a2.ID, "zh-CN", "materials."+plan+"=material_returned")
		h.publishDocuments(h.documentEvent(t2, domain.MaterialUploaded, plan, planDoc, 2))
		wantSlot(t, h.materials(a2.ID), plan, domain.MaterialUploaded, planDoc, 2)
		intakeWant(t, submit(a2.ID, "zh-CN"), 200, "submit after re-upload")

		// 5. A third application: events naming its checklist but another
		// region or company, an unknown type, an unknown application and
		// another kind of checklist change nothing and do not block the
		// consumer; a deleted document empties its slot.
		a3 := newApp("材料三")
		t3 := docTargetOf(a3)
		foreignRegion, foreignCompany := t3, t3
		foreignRegion.regionID, foreignRegion.carrierID, foreignRegion.companyID = h.IDs["huaiyin"], h.IDs["H"], h.IDs["coC"]
		foreignCompany.companyID = h.IDs["coB"]
		unknown := t3
		unknown.appID = events.NewID()
		otherChecklist, err := events.New(events.Scope{RegionID: t3.regionID}, "documents-user", "R1", events.DocumentUploadedV1{DocumentV1: events.DocumentV1{
			DocumentID: "R1", RegionID: t3.regionID, CompanyID: t3.companyID, Type: licence, ChecklistID: "residency:" + a3.ID,
			Status: "uploaded", Version: 1}})
		if err != nil {
			t.Fatal(err)
		}
		h.publishDocuments(
			h.documentEvent(foreignRegion, domain.MaterialUploaded, licence, "F1", 1),
			h.documentEvent(foreignCompany, domain.MaterialUploaded, plan, "F2", 1),
			h.documentEvent(t3, domain.MaterialUploaded, "rd_ledger", "F3", 1),
			h.documentEvent(unknown, domain.MaterialUploaded, licence, "F4", 1),
			otherChecklist)
		got = h.materials(a3.ID)
		wantSlot(t, got, licence, domain.MaterialEmpty, "", 0)
		wantSlot(t, got, plan, domain.MaterialEmpty, "", 0)
		if len(got) != 2 {
			t.Fatalf("slots: %+v", got)
		}
		refused(a3.ID, "zh-CN", "materials."+licence+"=material_missing", "materials."+plan+"=material_missing")
		// The other application's slots are untouched as well.
		wantSlot(t, h.materials(a1.ID), licence, domain.MaterialUploaded, "L1", 2)

		h.uploadMaterials(a3)
		licenceDoc := "doc-" + a3.ID + "-" + licence
		// A verification made before the deletion but delivered after it
		// (a redelivery) does not bring the deleted document back.
		lateVerification := h.documentEvent(t3, domain.MaterialVerified, licence, licenceDoc, 1)
		h.publishDocuments(h.documentEvent(t3, domain.MaterialDeleted, licence, licenceDoc, 1))
		wantSlot(t, h.materials(a3.ID), licence, domain.MaterialEmpty, "", 0)
		refused(a3.ID, "en", "materials."+licence+"=material_missing")
		h.publishDocuments(lateVerification)
		wantSlot(t, h.materials(a3.ID), licence, domain.MaterialEmpty, "", 0)
		// A new document fills the slot again.
		h.publishDocuments(h.documentEvent(t3, domain.MaterialUploaded, licence, "L3", 1))
		intakeWant(t, submit(a3.ID, "zh-CN"), 200, "submit after a new upload")

		// 6. A call without materials submits as before.
		bare := apply("无材料", nil, "apply without materials")
		if len(bare["materials"].([]any)) != 0 {
			t.Fatalf("materials of a bare call: %v", bare["materials"])
		}
		intakeWant(t, submit(bare["id"].(string), "zh-CN"), 200, "submit without materials")
	})
}

// A use case that read an application before the consumer changed its
// materials writes it back without undoing that change. Only PostgreSQL
// lets the two transactions interleave (SQLite runs one writer at a time).
func TestIntakeMaterialsSurviveAConcurrentEdit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		if !db.IsPostgres(h.svc.DB) {
			t.Skip("SQLite serializes write transactions")
		}
		ctx := context.Background()
		id := h.intakeApplication(0, domain.AppDraft)
		x := h.application(id)
		licenceDoc := "doc-" + id + "-business_licence"
		err := h.svc.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
			stale, err := tx.GetApplication(ctx, id)
			if err != nil {
				return err
			}
			// The consumer commits while this transaction is open.
			h.publishDocuments(h.documentEvent(docTargetOf(x), domain.MaterialReturned, "business_licence", licenceDoc, 1))
			stale.Reason = "edited"
			return tx.UpdateApplication(ctx, stale)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := h.application(id); got.Reason != "edited" {
			t.Fatalf("the edit was lost: %+v", got)
		}
		wantSlot(t, h.materials(id), "business_licence", domain.MaterialReturned, licenceDoc, 1)
	})
}

// A file answer must name one of the applying company's documents, as the
// documents service announced them; another company's, an unknown or a
// deleted one is refused at submission, field by field.
func TestFileAnswersNameTheCompanysDocuments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		founder := "founder@lixia.demo"
		f := intakeFields("附件题")
		f.Materials = nil
		f.Questions = append(f.Questions, domain.Question{Key: "patent", LabelZH: "专利证书", Type: domain.QFile, Required: true})
		callID := h.intakeCall("X", f, true)
		answers := intakeGoodAnswers()
		mine, theirs, gone := events.NewID(), events.NewID(), events.NewID()
		answers["patent"] = theirs
		id := intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications",
			map[string]any{"company_id": h.IDs["coA"], "answers": answers}), 201, "apply")["id"].(string)
		x := h.application(id)
		own := docTarget{regionID: x.RegionID, carrierID: x.CarrierID, companyID: x.CompanyID}
		other := docTarget{regionID: x.RegionID, carrierID: h.IDs["M"], companyID: h.IDs["coB"]}
		// Documents outside any checklist (the company's own files).
		free := func(t docTarget, status domain.MaterialStatus, docID string) events.Envelope {
			d := events.DocumentV1{DocumentID: docID, RegionID: t.regionID, CarrierID: t.carrierID, CompanyID: t.companyID, Type: "other",
				Status: string(status), Version: 1, VersionID: events.NewID(), Size: 10, SHA256: fmt.Sprintf("%064x", 1), ContentType: "application/pdf"}
			var p events.Payload = events.DocumentUploadedV1{DocumentV1: d}
			if status == domain.MaterialDeleted {
				p = events.DocumentDeletedV1{DocumentV1: d}
			}
			ev, err := events.New(events.Scope{RegionID: t.regionID, CarrierID: t.carrierID}, "documents-user", docID, p)
			if err != nil {
				h.T.Fatal(err)
			}
			return ev
		}
		h.publishDocuments(free(other, domain.MaterialUploaded, theirs), free(own, domain.MaterialUploaded, gone), free(own, domain.MaterialDeleted, gone),
			free(own, domain.MaterialUploaded, mine))
		submit := func() response { return h.Do(founder, "POST", "/api/v1/applications/"+id+"/submit", nil) }

		intakeFields422(t, submit(), "another company's document", "answers.patent=unknown_document")
		for _, bad := range []string{gone, events.NewID()} {
			answers["patent"] = bad
			intakeWant(t, h.Do(founder, "PATCH", "/api/v1/applications/"+id, map[string]any{"answers": answers}), 200, "save")
			intakeFields422(t, submit(), "deleted or unknown document", "answers.patent=unknown_document")
		}
		answers["patent"] = mine
		intakeWant(t, h.Do(founder, "PATCH", "/api/v1/applications/"+id, map[string]any{"answers": answers}), 200, "save")
		if got := intakeWant(t, submit(), 200, "submit with the company's own file"); got["status"] != "submitted" {
			t.Fatalf("status %v", got["status"])
		}
	})
}

// companyDocumentEvent announces document docID of company key, outside
// any checklist (the company's own files), as the documents service would.
func (h *harness) companyDocumentEvent(company, docID string) events.Envelope {
	h.T.Helper()
	var regionID string
	if err := h.svc.store.Read(context.Background(), func(ctx context.Context, tx app.Tx) error {
		c, err := tx.GetCompany(ctx, h.IDs[company])
		if err == nil {
			regionID = c.RegionID
		}
		return err
	}); err != nil {
		h.T.Fatal(err)
	}
	d := events.DocumentV1{DocumentID: docID, RegionID: regionID, CompanyID: h.IDs[company], Type: "milestone_evidence",
		Status: "uploaded", Version: 1, VersionID: events.NewID(), Size: 10, SHA256: fmt.Sprintf("%064x", 1), ContentType: "application/pdf"}
	ev, err := events.New(events.Scope{RegionID: regionID}, "documents-user", docID, events.DocumentUploadedV1{DocumentV1: d})
	if err != nil {
		h.T.Fatal(err)
	}
	return ev
}
