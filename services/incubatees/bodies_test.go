package incubatees

import (
	"encoding/json"
	"strings"
	"testing"
)

// Empty and partial bodies: PATCH merges (absent = unchanged), PUT must
// carry every field, and endpoints that need a choice refuse to default.
func TestEmptyAndPartialBodies(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		coA := h.IDs["coA"]
		company := "/api/v1/companies/" + coA
		full := map[string]any{"name_zh": "甲科技有限公司", "name_en": "Jia Tech", "industry_code": "I65", "tech_field": "工业视觉",
			"founded_on": "2020-05-01", "founder_type": "", "founder_gender": "", "contact_name": "张三", "contact_phone": "13800000000", "contact_email": "a@jia.cn"}
		h.mustStatus(h.Do("founder@lixia.demo", "PUT", company, full), 200, "full PUT")

		// {} and a partial PUT: 400, every missing field named, in both languages; nothing changes.
		for _, body := range []any{map[string]any{}, map[string]any{"name_zh": "改名了", "industry_code": "I65"}} {
			for lang, word := range map[string]string{"zh-CN": "必填", "en": "is required"} {
				res := h.Do("founder@lixia.demo", "PUT", company, body, "Accept-Language", lang)
				if res.Status != 400 || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("PUT %v: %d %s", body, res.Status, res.Body)
				}
				var p struct {
					Slug   string
					Errors []struct{ Field, Code, Message string }
				}
				if err := json.Unmarshal(res.Body, &p); err != nil {
					t.Fatal(err)
				}
				named := map[string]bool{}
				for _, e := range p.Errors {
					named[e.Field] = e.Code == "required" && e.Message == word
				}
				if p.Slug != "incomplete-company" || !named["contact_email"] || !named["name_en"] || named["name_zh"] != (len(body.(map[string]any)) == 0) {
					t.Errorf("PUT %v (%s): %s", body, lang, res.Body)
				}
			}
		}
		got := h.mustStatus(h.Do("founder@lixia.demo", "GET", company, nil), 200, "get")
		if got["name_zh"] != "甲科技有限公司" || got["contact_email"] != "a@jia.cn" || got["tech_field"] != "工业视觉" {
			t.Fatalf("refused PUTs changed the company: %v", got)
		}
		// "" clears an optional field, when sent on purpose.
		full["tech_field"] = ""
		if got := h.mustStatus(h.Do("founder@lixia.demo", "PUT", company, full), 200, "clear tech_field"); got["tech_field"] != "" || got["contact_email"] != "a@jia.cn" {
			t.Fatalf("after clearing: %v", got)
		}

		// PATCH of answers merges: unsent answers stay, null clears one.
		id := h.intakeApplication(0, "draft")
		app := "/api/v1/applications/" + id
		before := h.mustStatus(h.Do("founder@lixia.demo", "GET", app, nil), 200, "get application")["answers"].(map[string]any)
		after := h.mustStatus(h.Do("founder@lixia.demo", "PATCH", app, map[string]any{"answers": map[string]any{"pitch": "新的简介"}}), 200, "patch pitch")["answers"].(map[string]any)
		if after["pitch"] != "新的简介" || after["stage"] != before["stage"] || after["revenue"] == nil || after["staff"] != before["staff"] {
			t.Fatalf("PATCH one answer: before %v, after %v", before, after)
		}
		after = h.mustStatus(h.Do("founder@lixia.demo", "PATCH", app, map[string]any{"answers": map[string]any{"stage": nil}}), 200, "clear stage")["answers"].(map[string]any)
		if _, ok := after["stage"]; ok || after["pitch"] != "新的简介" {
			t.Fatalf("PATCH stage: null: %v", after)
		}
		if again := h.mustStatus(h.Do("founder@lixia.demo", "PATCH", app, map[string]any{}), 200, "empty patch")["answers"].(map[string]any); len(again) != len(after) {
			t.Fatalf("{} changed the answers: %v", again)
		}

		// A revision from {} is refused field by field, and nothing is stored.
		period := h.matrixReport(0, false)
		revisions := func() int {
			r := h.mustStatus(h.Do("founder@lixia.demo", "GET", company+"/reports/"+period, nil), 200, "report")
			return len(r["revisions"].([]any))
		}
		n := revisions()
		res := h.Do("founder@lixia.demo", "POST", company+"/reports/"+period+"/revisions", map[string]any{})
		if _, f := problemSlug(t, res); res.Status != 422 || f["metrics"] != "required" {
			t.Errorf("revision from {}: %d %s", res.Status, res.Body)
		}
		if revisions() != n {
			t.Errorf("a refused revision was stored")
		}
		res = h.Do("founder@lixia.demo", "POST", company+"/reports", map[string]any{"period": h.nextMatrixPeriod()})
		if _, f := problemSlug(t, res); res.Status != 422 || f["metrics"] != "required" {
			t.Errorf("report from no metrics: %d %s", res.Status, res.Body)
		}

		// Endpoints that need a choice do not default one from {}.
		submitted := h.matrixReport(0, true)
		for what, c := range map[string]struct{ as, path string }{
			"report review":     {"operator@lixia.demo", company + "/reports/" + submitted + "/review"},
			"decision":          {"operator@lixia.demo", "/api/v1/applications/" + h.intakeApplication(0, "submitted") + "/decision"},
			"bulk decision":     {"operator@lixia.demo", "/api/v1/carriers/" + h.IDs["X"] + "/applications/decisions"},
			"enrolment decline": {"founder@lixia.demo", "/api/v1/enrolment-offers/none/decline"},
		} {
			res := h.Do(c.as, "POST", c.path, map[string]any{})
			if what == "enrolment decline" {
				if res.Status != 404 {
					t.Errorf("%s: %d %s", what, res.Status, res.Body)
				}
				continue
			}
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"decision"`) && !strings.Contains(string(res.Body), `"field":"ids"`) {
				t.Errorf("%s from {}: %d %s", what, res.Status, res.Body)
			}
		}
	})
}
