package milestones

import (
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// Regions start with the seeded templates; a carrier's own template
// replaces its region's for that carrier only, and is what a plan is
// applied from. A template with bad items changes nothing.
func TestTemplatesPerRegionAndCarrier(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		var region struct {
			Items []struct {
				Kind   string `json:"kind"`
				Seeded bool   `json:"seeded"`
				Items  []struct {
					TitleZH string `json:"title_zh"`
				} `json:"items"`
			} `json:"items"`
		}
		h.must(200, h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.ids["lixia"]+"/milestone-templates", nil), "region templates").Decode(t, &region)
		kinds := map[string]string{}
		for _, tpl := range region.Items {
			if !tpl.Seeded || len(tpl.Items) != 3 {
				t.Fatalf("seeded template %+v", tpl)
			}
			kinds[tpl.Kind] = tpl.Items[0].TitleZH
		}
		if kinds["maker_space"] != "核心团队组建" || kinds["incubator"] != "取得首笔营业收入" || kinds["accelerator"] != "完成 A 轮融资" {
			t.Fatalf("seeded kinds: %v", kinds)
		}

		bad := h.Do("parkadmin@lixia.demo", "PUT", "/api/v1/carriers/"+h.ids["X"]+"/milestone-template", map[string]any{"items": []map[string]any{
			{"title_zh": "", "category": "fun", "offset_days": -3, "target": map[string]any{"value": 5, "unit": "yuan"}, "evidence_types": []string{"selfie"}}}},
			"Accept-Language", "en")
		if bad.Status != 422 {
			t.Fatalf("bad template: %d %s", bad.Status, bad.Body)
		}
		codes := bad.FieldCodes(t)
		for _, want := range []string{"items[0].title_zh:required", "items[0].category:unknown_category", "items[0].offset_days:out_of_range",
			"items[0].target.unit:unknown_unit", "items[0].evidence_types:unknown_document_type"} {
			found := false
			for _, c := range codes {
				found = found || c == want
			}
			if !found {
				t.Errorf("bad template lacks %s: %v", want, codes)
			}
		}
		if n := h.count("templates", "carrier_id = ?", h.ids["X"]); n != 0 {
			t.Fatalf("a refused template was stored")
		}

		h.must(200, h.Do("parkadmin@lixia.demo", "PUT", "/api/v1/carriers/"+h.ids["X"]+"/milestone-template", map[string]any{"items": []map[string]any{
			{"title_zh": "样机交付", "title_en": "Prototype delivered", "category": "product", "offset_days": 45, "criteria": "客户签收单",
				"evidence_types": []string{"milestone_evidence"}}}}), "carrier template")
		var own struct {
			CarrierID string `json:"carrier_id"`
			Version   int    `json:"version"`
			Seeded    bool   `json:"seeded"`
		}
		h.must(200, h.Do("operator@lixia.demo", "GET", "/api/v1/carriers/"+h.ids["X"]+"/milestone-template", nil), "effective").Decode(t, &own)
		if own.CarrierID != h.ids["X"] || own.Seeded || own.Version != 1 {
			t.Fatalf("carrier's own template: %+v", own)
		}
		// The sibling carrier of the same kind in another region keeps its region's.
		var other struct {
			CarrierID string `json:"carrier_id"`
			Seeded    bool   `json:"seeded"`
		}
		h.must(200, h.Do("operator@huaiyin.demo", "GET", "/api/v1/carriers/"+h.ids["H"]+"/milestone-template", nil), "H template").Decode(t, &other)
		if other.CarrierID != "" || !other.Seeded {
			t.Fatalf("H's template: %+v", other)
		}
		ids := h.applyTemplate("operator@lixia.demo", "resA")
		plan := h.page("operator@lixia.demo", "/api/v1/residencies/"+h.ids["resA"]+"/milestones")
		if len(ids) != 1 || plan.Items[0].TitleZH != "样机交付" || plan.Items[0].DueOn != movedIn.AddDate(0, 0, 45).Format(time.DateOnly) {
			t.Fatalf("plan from the carrier's template: %+v", plan)
		}
		// The district edits the region's incubator template: H plans with it.
		h.must(200, h.Do("admin@incuchain.demo", "PUT", "/api/v1/regions/"+h.ids["huaiyin"]+"/milestone-templates/incubator", map[string]any{"items": []map[string]any{
			{"title_zh": "营收达标", "category": "revenue", "offset_days": 300, "target": map[string]any{"value": 5000, "unit": "thousand_yuan"},
				"evidence_types": []string{"financial_statements"}}}}), "region template")
		if ids := h.applyTemplate("operator@huaiyin.demo", "resC"); len(ids) != 1 {
			t.Fatalf("H planned %d from the region's edited template", len(ids))
		}
	})
}
