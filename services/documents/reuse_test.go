package documents

import (
	"bytes"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// openApplication publishes, as incubatees would, another application of
// company key to carrier, and waits until its checklist is here.
func (h *harness) openApplication(t *testing.T, appKey, company, region, carrier string) string {
	t.Helper()
	h.IDs[appKey] = events.NewID()
	ev, err := events.New(events.Scope{RegionID: h.IDs[region], CarrierID: h.IDs[carrier]}, "system", h.IDs[appKey], events.ApplicationCreatedV1{
		ApplicationV1: events.ApplicationV1{ApplicationID: h.IDs[appKey], CompanyID: h.IDs[company], CarrierID: h.IDs[carrier], RegionID: h.IDs[region],
			Status: "draft"}, Materials: appMaterials})
	if err != nil {
		t.Fatal(err)
	}
	h.Fixture.Publish(ev)
	checklist := "application:" + h.IDs[appKey]
	testkit.Eventually(t, "checklist of "+appKey, func() bool {
		return h.Do("admin@incuchain.demo", "GET", "/api/v1/checklists/"+checklist, nil).Status == 200
	})
	return checklist
}

// verified uploads body as company's founder into application app's slot
// typ and has reviewer verify it; it returns the document's id.
func (h *harness) verified(t *testing.T, founder, company, app, typ, name string, body []byte, reviewer string) string {
	t.Helper()
	res := h.upload(founder, company, h.slot(app, typ, name), body)
	if res.Status != 201 {
		t.Fatalf("upload %s: %d %s", name, res.Status, res.Body)
	}
	id := res.JSON(t)["id"].(string)
	if res := h.Do(reviewer, "POST", "/api/v1/documents/"+id+"/verify", map[string]any{}); res.Status != 200 {
		t.Fatalf("verify %s: %d %s", name, res.Status, res.Body)
	}
	return id
}

// reuse asks, as as, to reuse source into checklist as typ.
func (h *harness) reuse(as, checklist, source, typ string, hdr ...string) response {
	h.T.Helper()
	return h.Do(as, "POST", "/api/v1/checklists/"+checklist+"/documents/reuse", map[string]any{"source_document_id": source, "type": typ}, hdr...)
}

// A business licence coA's first carrier (X) verified is reused in a
// later application to another carrier (M): the copy is a new document of
// the new checklist, fresh for M to review, with its own object of the
// same bytes, telling M's reviewer when and by whom it was verified; the
// audit trail and the stream see it as an upload.
func TestReuseVerifiedMaterial(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		licence := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{9}, 300)...)
		source := h.verified(t, "founder@lixia.demo", "coA", "appA", "business_licence", "营业执照.png", licence, "operator@lixia.demo")
		later := h.openApplication(t, "appA2", "coA", "lixia", "M")

		list := h.Do("founder@lixia.demo", "GET", "/api/v1/companies/"+h.IDs["coA"]+"/documents/reusable?type=business_licence", nil)
		items, _ := list.JSON(t)["items"].([]any)
		if list.Status != 200 || len(items) != 1 {
			t.Fatalf("reusable licences: %d %s", list.Status, list.Body)
		}
		if it := items[0].(map[string]any); it["id"] != source || it["carrier_name"] != "X" || it["filename"] != "营业执照.png" || it["verified_at"] == "" {
			t.Errorf("reusable licence: %v", it)
		}
		if items := h.Do("founder@lixia.demo", "GET", "/api/v1/companies/"+h.IDs["coA"]+"/documents/reusable?type=business_plan", nil).JSON(t)["items"].([]any); len(items) != 0 {
			t.Errorf("no business plan was verified, yet: %v", items)
		}

		before := h.counts()
		res := h.reuse("founder@lixia.demo", later, source, "business_licence")
		if res.Status != 201 {
			t.Fatalf("reuse: %d %s", res.Status, res.Body)
		}
		doc := res.JSON(t)
		id := doc["id"].(string)
		from, _ := doc["reused_from"].(map[string]any)
		if id == source || doc["checklist_id"] != later || doc["carrier_id"] != h.IDs["M"] || doc["status"] != "uploaded" || doc["version"] != 1.0 ||
			doc["sha256"] != sha(licence) || doc["filename"] != "营业执照.png" || doc["content_type"] != "image/png" ||
			from["document_id"] != source || from["carrier_id"] != h.IDs["X"] || from["carrier_name"] != "X" || from["verified_at"] == "" {
			t.Fatalf("reused document: %v", doc)
		}
		if after := h.counts(); after != [4]int{before[0] + 1, before[1] + 1, before[2], before[3] + 1} {
			t.Errorf("a reuse is one document, one version, one object of its own: %v -> %v", before, after)
		}

		// M's reviewer reads the provenance and the bytes, and decides itself.
		got := h.Do("makeradmin@lixia.demo", "GET", "/api/v1/documents/"+id, nil).JSON(t)
		if f, _ := got["reused_from"].(map[string]any); f["document_id"] != source {
			t.Errorf("reviewer's view lacks the provenance: %v", got)
		}
		if vs, _ := got["versions"].([]any); len(vs) != 1 || vs[0].(map[string]any)["reused_from"] == nil {
			t.Errorf("version lacks the provenance: %v", got["versions"])
		}
		if body := h.Do("makeradmin@lixia.demo", "GET", "/api/v1/documents/"+id+"/versions/1/content", nil); body.Status != 200 || !bytes.Equal(body.Body, licence) {
			t.Errorf("copy's content: %d, %d bytes", body.Status, len(body.Body))
		}
		if c := h.Do("makeradmin@lixia.demo", "GET", "/api/v1/checklists/"+later, nil).JSON(t); !slotFilled(c, "business_licence", id) {
			t.Errorf("the reused licence does not fill the slot: %v", c)
		}
		if res := h.Do("makeradmin@lixia.demo", "POST", "/api/v1/documents/"+id+"/verify", map[string]any{}); res.Status != 200 {
			t.Fatalf("M verifies the copy: %d %s", res.Status, res.Body)
		}
		if src := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+source, nil).JSON(t); src["status"] != "verified" || src["reused_from"] != nil {
			t.Errorf("the source changed: %v", src)
		}

		audit := h.Do("founder@lixia.demo", "GET", "/api/v1/documents/"+id+"/audit", nil).JSON(t)["items"].([]any)
		var actions []string
		for _, a := range audit {
			e := a.(map[string]any)
			actions = append(actions, e["action"].(string))
			if e["action"] == "document.reuse" && e["detail"].(map[string]any)["reused_from"] != source {
				t.Errorf("reuse audit line lacks its source: %v", e)
			}
		}
		if !slices.Contains(actions, "document.reuse") || !slices.Contains(actions, "document.verify") {
			t.Errorf("audit: %v", actions)
		}
		want := map[string]int{events.DocumentUploaded: 2, events.DocumentVerified: 2}
		if got := h.published(want); !maps.Equal(got, want) {
			t.Errorf("published %v, want %v", got, want)
		}
	})
}

func slotFilled(c map[string]any, typ, id string) bool {
	slots, _ := c["slots"].([]any)
	for _, s := range slots {
		s := s.(map[string]any)
		if d, ok := s["document"].(map[string]any); ok && s["type"] == typ && d["id"] == id {
			return true
		}
	}
	return false
}

// Each rule of a reuse, refused with a problem that says why and leaving
// nothing behind.
func TestReuseRules(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		licence := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{3}, 200)...)
		source := h.verified(t, "founder@lixia.demo", "coA", "appA", "business_licence", "执照.png", licence, "operator@lixia.demo")
		other := h.verified(t, "founder2@lixia.demo", "coB", "appB", "business_licence", "乙执照.png", licence, "makeradmin@lixia.demo")
		res := h.upload("founder@lixia.demo", "coA", h.slot("appA", "business_plan", "plan.pdf"), pdf(500))
		unverified := res.JSON(t)["id"].(string)
		res = h.upload("founder@lixia.demo", "coA", url.Values{"type": {"business_licence"}, "carrier": {h.IDs["X"]}, "filename": {"old.png"}}, licence)
		deleted := res.JSON(t)["id"].(string)
		if res := h.Do("founder@lixia.demo", "DELETE", "/api/v1/documents/"+deleted, nil); res.Status != 204 {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		later := h.openApplication(t, "appA2", "coA", "lixia", "M")

		cases := []struct {
			name, as, checklist, source, typ string
			status                           int
			slug                             string
			fields                           []string
		}{
			{"source not verified", "founder@lixia.demo", later, unverified, "business_plan", 409, "document-not-verified", nil},
			{"source of another company", "founder@lixia.demo", later, other, "business_licence", 404, "reuse-source-not-found", nil},
			{"no such source", "founder@lixia.demo", later, events.NewID(), "business_licence", 404, "reuse-source-not-found", nil},
			{"source deleted", "founder@lixia.demo", later, deleted, "business_licence", 409, "document-deleted", nil},
			{"type differs from the source's", "founder@lixia.demo", later, source, "business_plan", 422, "invalid-reuse", []string{"type:reuse_type_mismatch"}},
			{"type the checklist does not ask for", "founder@lixia.demo", later, source, "other", 422, "invalid-upload", []string{"type:not_in_checklist"}},
			{"no source named", "founder@lixia.demo", later, "", "business_licence", 422, "invalid-reuse", []string{"source_document_id:required"}},
			{"into the checklist it is already in", "founder@lixia.demo", "application:" + h.IDs["appA"], source, "business_licence", 409, "reuse-same-checklist", nil},
			{"park operator of the carrier", "operator@lixia.demo", "application:" + h.IDs["appA"], source, "business_licence", 403, "not-allowed", nil},
			{"park admin of the receiving carrier", "makeradmin@lixia.demo", later, source, "business_licence", 403, "not-allowed", nil},
			{"a foreign region's founder", "founder3@huaiyin.demo", later, source, "business_licence", 404, "checklist-not-found", nil},
			{"a foreign region's operator", "operator@huaiyin.demo", later, source, "business_licence", 404, "checklist-not-found", nil},
			{"another company's founder", "founder2@lixia.demo", later, source, "business_licence", 404, "checklist-not-found", nil},
			{"no such checklist", "founder@lixia.demo", "application:" + events.NewID(), source, "business_licence", 404, "checklist-not-found", nil},
		}
		before := h.counts()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res := h.reuse(c.as, c.checklist, c.source, c.typ, "Accept-Language", "en")
				if res.Status != c.status || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%d %s, want %d problem+json", res.Status, res.Body, c.status)
				}
				if p := res.JSON(t); p["slug"] != c.slug || p["title"] == "" {
					t.Errorf("slug %v, want %s: %s", p["slug"], c.slug, res.Body)
				}
				if got := res.FieldCodes(t); !slices.Equal(got, c.fields) {
					t.Errorf("fields %v, want %v", got, c.fields)
				}
				if after := h.counts(); after != before {
					t.Errorf("left something behind: documents/versions/uploads/objects %v -> %v", before, after)
				}
			})
		}
		// The refusals people meet say why, in both languages, naming
		// types by their names.
		for _, c := range []struct {
			source, typ, lang string
			contains          []string
		}{
			{unverified, "business_plan", "zh-CN", []string{"已核验"}},
			{unverified, "business_plan", "en", []string{"verified"}},
			{source, "business_plan", "zh-CN", []string{"「营业执照」", "「商业计划书」"}},
			{source, "business_plan", "en", []string{"Business licence", "Business plan"}},
		} {
			p := h.reuse("founder@lixia.demo", later, c.source, c.typ, "Accept-Language", c.lang).JSON(t)
			text := p["title"].(string) + " " + p["detail"].(string)
			if errs, _ := p["errors"].([]any); len(errs) > 0 {
				text += " " + errs[0].(map[string]any)["message"].(string)
			}
			for _, want := range c.contains {
				if !strings.Contains(text, want) || strings.Contains(text, "business_") {
					t.Errorf("%s: %q, want it to say %q and no type code", c.lang, text, want)
				}
			}
		}

		// A decided application's checklist takes no reuse either.
		h.Fixture.Publish(decided(t, h, "appA2", "coA", "lixia", "M"))
		testkit.Eventually(t, "checklist closed", func() bool {
			return h.Do("founder@lixia.demo", "GET", "/api/v1/checklists/"+later, nil).JSON(t)["open"] == false
		})
		if res := h.reuse("founder@lixia.demo", later, source, "business_licence"); res.Status != 409 || res.JSON(t)["slug"] != "checklist-closed" {
			t.Errorf("reuse into a closed checklist: %d %s", res.Status, res.Body)
		}
		if after := h.counts(); after != before {
			t.Errorf("left something behind: %v -> %v", before, after)
		}
	})
}

// decided is incubatees' application.decided of application appKey.
func decided(t *testing.T, h *harness, appKey, company, region, carrier string) events.Envelope {
	t.Helper()
	return testkit.NewEvent(t, events.Scope{RegionID: h.IDs[region], CarrierID: h.IDs[carrier]}, h.IDs[appKey], events.ApplicationDecidedV1{
		ApplicationV1: events.ApplicationV1{ApplicationID: h.IDs[appKey], CompanyID: h.IDs[company], CarrierID: h.IDs[carrier], RegionID: h.IDs[region],
			Status: "admitted"}, Decision: "admitted"})
}
