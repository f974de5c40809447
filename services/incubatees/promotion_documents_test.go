package incubatees

import (
	"fmt"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
)

// consentedPacket has coB, in residence at the maker space M, proposed to
// the incubator I sharing shared, consent; it answers the packet as the
// incubator's admin reads it.
func (h *harness) consentedPacket(shared []string) map[string]any {
	h.t.Helper()
	r := h.mustStatus(h.enrolHTTP("makeradmin@lixia.demo", h.ids["M"], map[string]any{"company_id": h.ids["coB"], "moved_in_on": "2025-09-01", "unit": "工位 12", "area_m2": 6}), 201, "maker residency")
	res := "/api/v1/residencies/" + r["id"].(string)
	promo := res + "/promotion"
	h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", res+"/promotions", map[string]any{"to_carrier_id": h.ids["I"], "shared": shared}), 201, "propose")
	h.mustStatus(h.Do("founder2@lixia.demo", "POST", promo+"/consent", nil), 200, "consent")
	packet, _ := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", promo, nil), 200, "target reads the packet")["packet"].(map[string]any)
	return packet
}

// TestHandoffListsVerifiedDocuments: the company lets its documents travel;
// the incubator's packet lists its verified documents (kind, file name,
// when verified), learnt from the documents service's events alone, and
// neither a document only uploaded, one verified and then deleted, one
// returned after verification, nor another company's verified document.
func TestHandoffListsVerifiedDocuments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		h.setResidencyClock(residencyClock)
		coA, coB, region := h.ids["coA"], h.ids["coB"], h.ids["lixia"]
		doc := func(p func(events.DocumentV1) events.Payload, id, company, typ, name string, version int) events.Envelope {
			t.Helper()
			d := events.DocumentV1{DocumentID: id, RegionID: region, CompanyID: company, Type: typ, Status: "x", Version: version, VersionID: events.NewID(),
				Size: 10, SHA256: fmt.Sprintf("%064x", version), ContentType: "application/pdf", Filename: name}
			ev, err := events.New(events.Scope{RegionID: region}, "documents-user", id, p(d))
			if err != nil {
				t.Fatal(err)
			}
			return ev
		}
		up := func(d events.DocumentV1) events.Payload { return events.DocumentUploadedV1{DocumentV1: d} }
		ok := func(d events.DocumentV1) events.Payload { return events.DocumentVerifiedV1{DocumentV1: d} }
		ret := func(d events.DocumentV1) events.Payload { return events.DocumentReturnedV1{DocumentV1: d} }
		del := func(d events.DocumentV1) events.Payload { return events.DocumentDeletedV1{DocumentV1: d} }
		// In the order the documents service makes the changes (a change
		// older than the row's is ignored).
		uploaded := doc(up, "d-licence", coB, "business_licence", "营业执照.pdf", 1)
		licence := doc(ok, "d-licence", coB, "business_licence", "营业执照.pdf", 1)
		h.publishDocuments(
			uploaded, licence,
			doc(up, "d-plan", coB, "business_plan", "计划书.pdf", 1),
			doc(ok, "d-gone", coB, "ip_certificate", "专利.pdf", 1), doc(del, "d-gone", coB, "ip_certificate", "专利.pdf", 1),
			doc(ok, "d-ledger", coB, "rd_ledger", "研发台账.xlsx", 1), doc(ret, "d-ledger", coB, "rd_ledger", "研发台账.xlsx", 1),
			doc(ok, "d-other", coA, "business_licence", "别家执照.pdf", 1),
		)

		packet := h.consentedPacket([]string{"documents"})
		list, _ := packet["documents"].([]any)
		if len(list) != 1 {
			t.Fatalf("packet documents: %v", packet["documents"])
		}
		d := list[0].(map[string]any)
		if d["document_id"] != "d-licence" || d["type"] != "business_licence" || d["filename"] != "营业执照.pdf" ||
			d["verified_at"] != licence.OccurredAt.UTC().Format(time.RFC3339) {
			t.Errorf("packet document: %v", d)
		}
		if _, ok := packet["milestones"]; ok {
			t.Errorf("milestones travel though not shared: %v", packet)
		}
	})
}

// TestHandoffWithoutDocuments: documents the company did not let travel
// stay out of the packet.
func TestHandoffWithoutDocuments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		h.setResidencyClock(residencyClock)
		coB, region := h.ids["coB"], h.ids["lixia"]
		d := events.DocumentV1{DocumentID: "d-licence", RegionID: region, CompanyID: coB, Type: "business_licence", Status: "verified", Version: 1,
			VersionID: events.NewID(), Size: 10, SHA256: fmt.Sprintf("%064x", 1), ContentType: "application/pdf", Filename: "营业执照.pdf"}
		ev, err := events.New(events.Scope{RegionID: region}, "documents-user", "d-licence", events.DocumentVerifiedV1{DocumentV1: d})
		if err != nil {
			t.Fatal(err)
		}
		h.publishDocuments(ev)
		if packet := h.consentedPacket([]string{"milestones"}); packet["documents"] != nil {
			t.Errorf("documents travel though not shared: %v", packet["documents"])
		}
	})
}
