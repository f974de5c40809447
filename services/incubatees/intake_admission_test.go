package incubatees

import (
	"context"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Issue 11, item 2: admission needs every required material verified and
// the call's number of reviews, unless a carrier admin overrides with a
// reason; a refusal writes nothing, alone or in bulk.
func TestIntakeAdmissionRules(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		op, admin := "operator@lixia.demo", "parkadmin@lixia.demo"
		founder := "founder@lixia.demo"
		f := intakeFields("两评招募")
		f.MinReviews = 2
		callID := h.intakeCall("X", f, true)
		if got := intakeWant(t, h.Do(op, "GET", "/api/v1/intake-calls/"+callID, nil), 200, "read call"); got["min_reviews"] != 2.0 {
			t.Fatalf("call: %v", got)
		}
		id := intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications",
			map[string]any{"company_id": h.IDs["coA"], "answers": intakeGoodAnswers()}), 201, "apply")["id"].(string)
		h.uploadMaterials(h.application(id))
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+id+"/submit", nil), 200, "submit")
		review := func(as string) {
			t.Helper()
			intakeWant(t, h.Do(as, "POST", "/api/v1/applications/"+id+"/reviews",
				map[string]any{"scores": map[string]int{"team": 4, "technology": 4, "market": 4, "fit": 4}}), 200, "review")
		}
		review(op)

		// refused asserts a refused admission left everything as it was.
		refused := func(as string, body map[string]any, lang string, want ...string) map[string]any {
			t.Helper()
			before := map[string]int{"outbox": h.count("outbox"), "audit_log": h.count("audit_log"), "residencies": h.count("residencies"),
				"company_carriers": h.count("company_carriers")}
			r := h.Do(as, "POST", "/api/v1/applications/"+id+"/decision", body, "Accept-Language", lang)
			intakeFields422(t, r, "refused admission", want...)
			for table, n := range before {
				if got := h.count(table); got != n {
					t.Fatalf("%s: %d rows after a refused admission, want %d", table, got, n)
				}
			}
			if got := h.application(id); got.Status != domain.AppReviewing || got.Override != "" || got.DecidedAt != nil {
				t.Fatalf("half-written admission: %+v", got)
			}
			return r.JSON(t)
		}
		admit := map[string]any{"decision": "admit", "reason": "欢迎入驻"}
		zh := refused(op, admit, "zh-CN", "materials.business_licence=material_not_verified", "reviews=too_few_reviews")
		if zh["slug"] != "admission-incomplete" {
			t.Fatalf("zh refusal: %v", zh)
		}
		msgs := func(body map[string]any) string {
			var b strings.Builder
			for _, e := range body["errors"].([]any) {
				b.WriteString(e.(map[string]any)["message"].(string) + "|")
			}
			return b.String()
		}
		if m := msgs(zh); !strings.Contains(m, "尚未核验") || !strings.Contains(m, "至少需要 2 份评审，目前 1 份") {
			t.Fatalf("zh messages: %s", m)
		}
		en := refused(op, admit, "en", "materials.business_licence=material_not_verified", "reviews=too_few_reviews")
		if m := msgs(en); !strings.Contains(m, "not been verified") || !strings.Contains(m, "at least 2 reviews, has 1") {
			t.Fatalf("en messages: %s", m)
		}

		// Verified materials, one review short: only the reviews are named.
		h.verifyMaterials(h.application(id))
		refused(op, admit, "zh-CN", "reviews=too_few_reviews")

		// An operator may not override; an over-long reason is refused.
		withOverride := map[string]any{"decision": "admit", "reason": "欢迎入驻", "override_reason": "区重点引进项目，评审会后补"}
		if r := h.Do(op, "POST", "/api/v1/applications/"+id+"/decision", withOverride); r.Status != 403 {
			t.Fatalf("operator override: %d %s", r.Status, r.Body)
		}
		refused(admin, map[string]any{"decision": "admit", "reason": "x", "override_reason": strings.Repeat("理", 2001)}, "en", "override_reason=too_long")

		// The park admin overrides: admitted, the reason kept, audited and
		// published.
		got := intakeWant(t, h.Do(admin, "POST", "/api/v1/applications/"+id+"/decision", withOverride), 200, "admin override")
		if got["status"] != "admitted" || got["override_reason"] != "区重点引进项目，评审会后补" {
			t.Fatalf("override: %v", got)
		}
		if x := h.application(id); x.Override != "区重点引进项目，评审会后补" {
			t.Fatalf("stored override %q", x.Override)
		}
		var found bool
		for _, ev := range h.intakeEvents() {
			if ev.Type == events.ApplicationDecided && ev.AggregateID == id {
				var p events.ApplicationDecidedV1
				if err := ev.Decode(&p); err != nil || p.OverrideReason != "区重点引进项目，评审会后补" {
					t.Fatalf("decided event %+v %v", p, err)
				}
				found = true
			}
		}
		if !found {
			t.Fatal("no decided event")
		}
		var detail string
		if err := h.svc.DB.NewSelect().Table("audit_log").Column("detail").Where("action = ? AND object_id = ?", "application.decide", id).
			Scan(ctx, &detail); err != nil || !strings.Contains(detail, "区重点引进项目") {
			t.Fatalf("audit detail %q %v", detail, err)
		}
	})
}

// Bulk admission applies the rule to each application: the ones that
// fail are named with what they lack, and none is admitted.
func TestIntakeBulkAdmissionRules(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		op := "operator@lixia.demo"
		ready := h.intakeApplication(0, domain.AppSubmitted) // verified, no reviews required
		unverified := h.intakeApplication(0, domain.AppSubmitted)
		x := h.application(unverified)
		h.publishDocuments(h.documentEvent(docTargetOf(x), domain.MaterialReturned, "business_licence", "doc-"+x.ID+"-business_licence", 1))
		url := "/api/v1/carriers/" + h.IDs["X"] + "/applications/decisions"
		before := map[string]int{"outbox": h.count("outbox"), "residencies": h.count("residencies")}
		intakeFields422(t, h.Do(op, "POST", url, map[string]any{"ids": []string{ready, unverified}, "decision": "admit", "reason": "同意入驻"}),
			"bulk with an unverified material", "ids."+unverified+".materials.business_licence=material_not_verified")
		for table, n := range before {
			if got := h.count(table); got != n {
				t.Fatalf("%s: %d rows after a refused bulk admission, want %d", table, got, n)
			}
		}
		if got := h.application(ready); got.Status != domain.AppSubmitted {
			t.Fatalf("half-written bulk: %+v", got)
		}
		// The park admin's override admits both, each keeping the reason.
		res := intakeWant(t, h.Do("parkadmin@lixia.demo", "POST", url, map[string]any{"ids": []string{ready, unverified}, "decision": "admit",
			"reason": "同意入驻", "override_reason": "营业执照原件已当面核验"}), 200, "bulk override")
		items := res["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["override_reason"] != nil || items[1].(map[string]any)["override_reason"] != "营业执照原件已当面核验" {
			t.Fatalf("bulk override: %v", res)
		}
	})
}

// Issue 11, item 2: deleting a material a submitted application relies on
// hands the application back to the company as a draft naming the
// material (it is not refused in documents); the carrier can no longer
// admit it until the company provides the material and submits again.
func TestIntakeDeletedMaterialReturnsApplication(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		op, founder := "operator@lixia.demo", "founder@lixia.demo"
		id := h.intakeApplication(0, domain.AppSubmitted)
		x := h.application(id)
		licence := "doc-" + id + "-business_licence"
		h.publishDocuments(h.documentEvent(docTargetOf(x), domain.MaterialDeleted, "business_licence", licence, 1))

		got := intakeWant(t, h.Do(founder, "GET", "/api/v1/applications/"+id, nil), 200, "founder reads")
		if got["status"] != "draft" || got["returned_for"] != "business_licence" || got["submitted_at"] != nil {
			t.Fatalf("after deletion: %v", got)
		}
		var returned int
		for _, ev := range h.intakeEvents() {
			if ev.Type == events.ApplicationReturned && ev.AggregateID == id {
				var p events.ApplicationReturnedV1
				if err := ev.Decode(&p); err != nil || p.MaterialType != "business_licence" || p.DocumentID != licence || p.Status != "draft" {
					t.Fatalf("returned event %+v %v", p, err)
				}
				returned++
			}
		}
		if returned != 1 {
			t.Fatalf("%d returned events, want 1", returned)
		}
		// The carrier no longer has it to decide, even with an override.
		intakeWant(t, h.Do("parkadmin@lixia.demo", "POST", "/api/v1/applications/"+id+"/decision",
			map[string]any{"decision": "admit", "reason": "x", "override_reason": "y"}), 404, "admit a returned application")
		if h.application(id).Status != domain.AppDraft {
			t.Fatal("admitted a returned application")
		}
		// A redelivered deletion changes nothing more.
		outbox := h.count("outbox")
		h.publishDocuments(h.documentEvent(docTargetOf(x), domain.MaterialDeleted, "business_licence", licence, 1))
		if h.count("outbox") != outbox {
			t.Fatal("a second deletion published again")
		}
		// Uploaded again and resubmitted: the notice is gone.
		h.publishDocuments(h.documentEvent(docTargetOf(x), domain.MaterialUploaded, "business_licence", "doc-new-"+id, 1))
		again := intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+id+"/submit", nil), 200, "submit again")
		if again["status"] != "submitted" || again["returned_for"] != nil {
			t.Fatalf("resubmitted: %v", again)
		}
		intakeFields422(t, h.Do(op, "POST", "/api/v1/applications/"+id+"/decision", map[string]any{"decision": "admit", "reason": "欢迎"}),
			"admit with the new licence unverified", "materials.business_licence=material_not_verified")
	})
}

// Issue 11, item 2: a company admitted while open at another carrier is
// admitted but flagged, in the answer, on the application (which the
// district reads) and in the decided event, naming the other carrier.
func TestIntakeAdmissionFlagsAnotherCarrier(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		founder := "founder@lixia.demo"
		first := h.intakeApplication(0, domain.AppSubmitted) // coA at X
		if got := intakeWant(t, h.Do("operator@lixia.demo", "POST", "/api/v1/applications/"+first+"/decision",
			map[string]any{"decision": "admit", "reason": "欢迎"}), 200, "admit at X"); got["conflicts"] != nil {
			t.Fatalf("first admission flagged: %v", got)
		}
		callID := h.intakeCall("I", intakeFields("孵化器招募"), true)
		id := intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications",
			map[string]any{"company_id": h.IDs["coA"], "answers": intakeGoodAnswers()}), 201, "apply at I")["id"].(string)
		h.uploadMaterials(h.application(id))
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+id+"/submit", nil), 200, "submit at I")
		h.verifyMaterials(h.application(id))

		got := intakeWant(t, h.Do("incadmin@lixia.demo", "POST", "/api/v1/applications/"+id+"/decision",
			map[string]any{"decision": "admit", "reason": "欢迎"}), 200, "admit at I")
		flagged := func(body map[string]any) bool {
			cs, _ := body["conflicts"].([]any)
			return len(cs) == 1 && cs[0].(map[string]any)["carrier_id"] == h.IDs["X"] && cs[0].(map[string]any)["status"] == "admitted" &&
				cs[0].(map[string]any)["carrier_name_zh"] != ""
		}
		if got["status"] != "admitted" || !flagged(got) {
			t.Fatalf("second admission: %v", got)
		}
		if district := intakeWant(t, h.Do("officer@lixia.demo", "GET", "/api/v1/applications/"+id, nil), 200, "district reads"); !flagged(district) {
			t.Fatalf("district view: %v", district)
		}
		var n int
		for _, ev := range h.intakeEvents() {
			if ev.Type != events.ApplicationDecided || ev.AggregateID != id {
				continue
			}
			var p events.ApplicationDecidedV1
			if err := ev.Decode(&p); err != nil || len(p.Conflicts) != 1 || p.Conflicts[0].CarrierID != h.IDs["X"] || ev.RegionID != h.IDs["lixia"] {
				t.Fatalf("decided event %+v %v", p, err)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("%d decided events, want 1", n)
		}
	})
}
