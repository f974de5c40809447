package incubatees

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
)

// consentedPacket has coB, in residence at the maker space M, proposed to
// the incubator I sharing shared, consent; it answers the packet as the
// incubator's admin reads it.
func (h *harness) consentedPacket(shared []string) map[string]any {
	h.T.Helper()
	id := h.makerResidency()
	h.proposeToIncubator(id, shared)
	promo := "/api/v1/residencies/" + id + "/promotion"
	h.mustStatus(h.Do("founder2@lixia.demo", "POST", promo+"/consent", nil), 200, "consent")
	packet, _ := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", promo, nil), 200, "target reads the packet")["packet"].(map[string]any)
	return packet
}

// TestPromotionInbox: a promotion appears in the receiving carrier's
// inbox (and its badge count) once the company consented, named by the
// company and both carriers, without its packet; accepting moves it to
// the accepted list. Only the receiving carrier's staff and its district
// read the inbox; a bad status is a field error in both languages.
func TestPromotionInbox(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		I := h.IDs["I"]
		inbox := "/api/v1/carriers/" + I + "/incoming-promotions"
		count := func(status string) float64 {
			t.Helper()
			c := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", inbox+"/count?status="+status, nil), 200, "count "+status)
			if c["status"] != status {
				t.Fatalf("count answers for %v, asked %s", c["status"], status)
			}
			return c["count"].(float64)
		}
		items := func(as, query string) []any {
			t.Helper()
			return h.mustStatus(h.Do(as, "GET", inbox+query, nil), 200, "inbox "+query)["items"].([]any)
		}

		id := h.makerResidency()
		h.proposeToIncubator(id, []string{"milestones", "latest_metrics"})
		// A proposal is between the sending carrier and the company.
		if n := count("consented"); n != 0 {
			t.Fatalf("inbox counts a proposal before consent: %v", n)
		}
		if got := items("incadmin@lixia.demo", ""); len(got) != 0 {
			t.Fatalf("inbox lists a proposal before consent: %v", got)
		}

		p := h.mustStatus(h.Do("founder2@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil), 200, "consent")
		if p["to_carrier_name"] != "历下科技企业孵化器" || p["from_carrier_name"] != "历下创客空间" || p["company_name"] == "" {
			t.Fatalf("consented promotion is not named: %v", p)
		}
		if n := count("consented"); n != 1 {
			t.Fatalf("consented count: %v, want 1", n)
		}
		for _, as := range []string{"incadmin@lixia.demo", "district@lixia.demo", "officer@lixia.demo"} {
			got := items(as, "")
			if len(got) != 1 {
				t.Fatalf("%s reads %d entries, want 1", as, len(got))
			}
			e := got[0].(map[string]any)
			if e["residency_id"] != id || e["status"] != "consented" || e["company_name"] != p["company_name"] ||
				e["from_carrier_name"] != "历下创客空间" || e["to_carrier_name"] != "历下科技企业孵化器" {
				t.Fatalf("%s: inbox entry %v", as, e)
			}
			if _, ok := e["packet"]; ok {
				t.Fatalf("the inbox list carries the packet: %v", e)
			}
		}
		// The sending carrier, another carrier, another region's district
		// and the company do not read I's inbox.
		for _, as := range []string{"makeradmin@lixia.demo", "parkadmin@lixia.demo", "stranger@lixia.demo", "officer@huaiyin.demo", "founder2@lixia.demo"} {
			for _, path := range []string{inbox, inbox + "/count"} {
				if res := h.Do(as, "GET", path, nil); res.Status != 404 {
					t.Errorf("%s GET %s: %d, want 404", as, path, res.Status)
				}
			}
		}
		// Bad filters are field errors, in zh-CN and en.
		for lang, han := range map[string]bool{"zh-CN": true, "en": false} {
			for _, path := range []string{inbox + "?status=proposed", inbox + "/count?status=nonsense"} {
				res := h.Do("incadmin@lixia.demo", "GET", path, nil, "Accept-Language", lang)
				slug, f := problemSlug(t, res)
				if res.Status != 422 || slug != "invalid-query" || f["status"] != "one_of" {
					t.Errorf("%s %s: %d %s", lang, path, res.Status, res.Body)
				}
				if msg, ok := oneFieldMessage(res); !ok || !strings.Contains(msg, "consented") || hasHan(msg) != han {
					t.Errorf("%s %s: field message %s", lang, path, res.Body)
				}
			}
		}

		acc := h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil), 200, "accept")
		if acc["new_residency_id"] == "" || acc["to_carrier_name"] != "历下科技企业孵化器" {
			t.Fatalf("accepted: %v", acc)
		}
		if n := count("consented"); n != 0 {
			t.Fatalf("consented count after accept: %v", n)
		}
		if n := count("accepted"); n != 1 {
			t.Fatalf("accepted count: %v", n)
		}
		got := items("incadmin@lixia.demo", "?status=accepted&sort=created_at&desc=true")
		if len(got) != 1 || got[0].(map[string]any)["new_residency_id"] != acc["new_residency_id"] {
			t.Fatalf("accepted list: %v", got)
		}
	})
}

// TestDeclinePromotion: the receiving carrier declines a consented
// promotion with a reason. Without a reason it is a field error in zh-CN
// and en and nothing changes; the sending carrier and the company are
// refused. Once declined, the sending carrier and the company read the
// reason, the inbox lists it as declined, the residency stays in
// residence where it was, promotion.declined is published with the
// reason, and the sending carrier may propose again.
func TestDeclinePromotion(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		M, I, coB := h.IDs["M"], h.IDs["I"], h.IDs["coB"]
		id := h.makerResidency()
		promo, decline := "/api/v1/residencies/"+id+"/promotion", "/api/v1/residencies/"+id+"/promotion/decline"
		h.proposeToIncubator(id, []string{"milestones"})
		// Before consent the receiving carrier does not see the promotion.
		if res := h.Do("incadmin@lixia.demo", "POST", decline, map[string]any{"reason": "场地已满"}); res.Status != 404 {
			t.Fatalf("decline before consent: %d %s", res.Status, res.Body)
		}
		h.mustStatus(h.Do("founder2@lixia.demo", "POST", promo+"/consent", nil), 200, "consent")

		for lang, han := range map[string]bool{"zh-CN": true, "en": false} {
			for _, c := range []struct {
				body map[string]any
				code string
			}{{map[string]any{"reason": "  "}, "required"}, {map[string]any{}, "required"}, {map[string]any{"reason": strings.Repeat("满", 1001)}, "too_long"}} {
				res := h.Do("incadmin@lixia.demo", "POST", decline, c.body, "Accept-Language", lang)
				slug, f := problemSlug(t, res)
				if res.Status != 422 || slug != "invalid-decline" || f["reason"] != c.code {
					t.Fatalf("%s decline (%s): %d %s", lang, c.code, res.Status, res.Body)
				}
				if msg, ok := oneFieldMessage(res); !ok || msg == "" || hasHan(msg) != han {
					t.Errorf("%s: field message %s", lang, res.Body)
				}
			}
		}
		for _, as := range []string{"makeradmin@lixia.demo", "founder2@lixia.demo", "district@lixia.demo"} {
			if res := h.Do(as, "POST", decline, map[string]any{"reason": "不接收"}); res.Status != 403 {
				t.Errorf("%s declines: %d %s", as, res.Status, res.Body)
			}
		}
		for _, as := range []string{"parkadmin@lixia.demo", "stranger@lixia.demo", "officer@huaiyin.demo"} {
			if res := h.Do(as, "POST", decline, map[string]any{"reason": "不接收"}); res.Status != 404 {
				t.Errorf("%s declines: %d %s", as, res.Status, res.Body)
			}
		}
		if p := h.mustStatus(h.Do("makeradmin@lixia.demo", "GET", promo, nil), 200, "still consented"); p["status"] != "consented" || p["decline_reason"] != nil {
			t.Fatalf("a refused decline changed the promotion: %v", p)
		}
		if n := len(h.outboxEvents(events.PromotionDeclined)); n != 0 {
			t.Fatalf("%d declined events after refused declines", n)
		}

		const reason = "本期场地已满，建议下季度再推荐"
		// Consent let the receiving carrier read the company; the decline ends that.
		h.mustStatus(h.Do("incadmin@lixia.demo", "GET", "/api/v1/companies/"+coB, nil), 200, "the receiving carrier reads the consenting company")
		d := h.mustStatus(h.Do("incadmin@lixia.demo", "POST", decline, map[string]any{"reason": "  " + reason + "\n"}), 200, "decline")
		if res := h.Do("incadmin@lixia.demo", "GET", "/api/v1/companies/"+coB, nil); res.Status != 404 {
			t.Errorf("the declining carrier still reads the company: %d %s", res.Status, res.Body)
		}
		h.mustStatus(h.Do("makeradmin@lixia.demo", "GET", "/api/v1/companies/"+coB, nil), 200, "the sending carrier still reads its resident")
		if d["status"] != "declined" || d["decline_reason"] != reason || d["new_residency_id"] != nil {
			t.Fatalf("declined: %v", d)
		}
		for _, as := range []string{"makeradmin@lixia.demo", "founder2@lixia.demo", "incadmin@lixia.demo"} {
			if p := h.mustStatus(h.Do(as, "GET", promo, nil), 200, as+" reads the decline"); p["status"] != "declined" || p["decline_reason"] != reason {
				t.Errorf("%s reads %v", as, p)
			}
		}
		if res := h.Do("incadmin@lixia.demo", "POST", decline, map[string]any{"reason": reason}); res.Status != 409 {
			t.Errorf("declining twice: %d %s", res.Status, res.Body)
		}
		if res := h.Do("incadmin@lixia.demo", "POST", promo+"/accept", nil); res.Status != 409 {
			t.Errorf("accepting a declined promotion: %d %s", res.Status, res.Body)
		}
		if res := h.mustStatus(h.Do("makeradmin@lixia.demo", "GET", "/api/v1/residencies/"+id, nil), 200, "residency"); res["status"] != "in_residence" || res["carrier_id"] != M {
			t.Errorf("the residency moved: %v", res)
		}
		inbox := "/api/v1/carriers/" + I + "/incoming-promotions"
		if c := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", inbox+"/count?status=consented", nil), 200, "count"); c["count"] != 0.0 {
			t.Errorf("consented count after decline: %v", c)
		}
		got := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", inbox+"?status=declined", nil), 200, "declined inbox")["items"].([]any)
		if len(got) != 1 || got[0].(map[string]any)["decline_reason"] != reason {
			t.Errorf("declined inbox: %v", got)
		}

		evs := h.outboxEvents(events.PromotionDeclined)
		if len(evs) != 1 {
			t.Fatalf("declined events: %d", len(evs))
		}
		var ev events.PromotionDeclinedV1
		if err := evs[0].Decode(&ev); err != nil || ev.Reason != reason || ev.Status != "declined" || ev.ResidencyID != id || ev.ToCarrierID != I ||
			evs[0].CarrierID != M || evs[0].Actor != h.Users["incadmin@lixia.demo"] {
			t.Errorf("declined event %+v (%v), envelope %+v", ev, err, evs[0])
		}

		// The residency is free for a new proposal.
		h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotions", map[string]any{"to_carrier_id": I}), 201, "propose again")
	})
}

// TestHandoffListsVerifiedDocuments: the company lets its documents travel;
// the incubator's packet lists its verified documents (kind, file name,
// when verified), learnt from the documents service's events alone, and
// neither a document only uploaded, one verified and then deleted, one
// returned after verification, nor another company's verified document.
func TestHandoffListsVerifiedDocuments(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		coA, coB, region := h.IDs["coA"], h.IDs["coB"], h.IDs["lixia"]
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
	eachResidency(t, func(t *testing.T, h *harness) {
		coB, region := h.IDs["coB"], h.IDs["lixia"]
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
