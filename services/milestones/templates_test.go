package milestones

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Regions start with the seeded templates; a carrier's own template
// replaces its region's for that carrier only, and is what a plan is
// applied from. A template with bad items changes nothing.
func TestTemplatesPerRegionAndCarrier(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		var region struct {
			Items []struct {
				Kind   string `json:"kind"`
				Seeded bool   `json:"seeded"`
				Items  []struct {
					TitleZH string `json:"title_zh"`
				} `json:"items"`
			} `json:"items"`
		}
		h.must(200, h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/milestone-templates", nil), "region templates").Decode(t, &region)
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

		bad := h.Do("parkadmin@lixia.demo", "PUT", "/api/v1/carriers/"+h.IDs["X"]+"/milestone-template", map[string]any{"items": []map[string]any{
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
		if n := h.count("templates", "carrier_id = ?", h.IDs["X"]); n != 0 {
			t.Fatalf("a refused template was stored")
		}

		h.must(200, h.Do("parkadmin@lixia.demo", "PUT", "/api/v1/carriers/"+h.IDs["X"]+"/milestone-template", map[string]any{"items": []map[string]any{
			{"title_zh": "样机交付", "title_en": "Prototype delivered", "category": "product", "offset_days": 45, "criteria": "客户签收单",
				"evidence_types": []string{"milestone_evidence"}}}}), "carrier template")
		var own struct {
			CarrierID string `json:"carrier_id"`
			Version   int    `json:"version"`
			Seeded    bool   `json:"seeded"`
		}
		h.must(200, h.Do("operator@lixia.demo", "GET", "/api/v1/carriers/"+h.IDs["X"]+"/milestone-template", nil), "effective").Decode(t, &own)
		if own.CarrierID != h.IDs["X"] || own.Seeded || own.Version != 1 {
			t.Fatalf("carrier's own template: %+v", own)
		}
		// The sibling carrier of the same kind in another region keeps its region's.
		var other struct {
			CarrierID string `json:"carrier_id"`
			Seeded    bool   `json:"seeded"`
		}
		h.must(200, h.Do("operator@huaiyin.demo", "GET", "/api/v1/carriers/"+h.IDs["H"]+"/milestone-template", nil), "H template").Decode(t, &other)
		if other.CarrierID != "" || !other.Seeded {
			t.Fatalf("H's template: %+v", other)
		}
		ids := h.applyTemplate("operator@lixia.demo", "resA")
		plan := h.page("operator@lixia.demo", "/api/v1/residencies/"+h.IDs["resA"]+"/milestones")
		if len(ids) != 1 || plan.Items[0].TitleZH != "样机交付" || plan.Items[0].DueOn != movedIn.AddDate(0, 0, 45).Format(time.DateOnly) {
			t.Fatalf("plan from the carrier's template: %+v", plan)
		}
		// The district edits the region's incubator template: H plans with it.
		h.must(200, h.Do("admin@incuchain.demo", "PUT", "/api/v1/regions/"+h.IDs["huaiyin"]+"/milestone-templates/incubator", map[string]any{"items": []map[string]any{
			{"title_zh": "营收达标", "category": "revenue", "offset_days": 300, "target": map[string]any{"value": 5000, "unit": "thousand_yuan"},
				"evidence_types": []string{"financial_statements"}}}}), "region template")
		if ids := h.applyTemplate("operator@huaiyin.demo", "resC"); len(ids) != 1 {
			t.Fatalf("H planned %d from the region's edited template", len(ids))
		}
	})
}

func ownTemplateBody(title string) map[string]any {
	return map[string]any{"items": []map[string]any{{"title_zh": title, "title_en": "Prototype", "category": "product", "offset_days": 45, "criteria": "客户签收单"}}}
}

// Several people save the same carrier's own template at the same moment,
// while it does not exist yet and then while it does: every answer is 200
// or 409 problem+json (template-changed, in the caller's language), never
// 500; the template ends as one of the bodies sent, whole, and its version
// counts exactly the saves that answered 200 (no edit lost silently).
func TestConcurrentOwnTemplateSaves(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		path := "/api/v1/carriers/" + h.IDs["X"] + "/milestone-template"
		people := []string{"parkadmin@lixia.demo", "district@lixia.demo", "admin@incuchain.demo", "parkadmin@lixia.demo", "district@lixia.demo", "admin@incuchain.demo"}
		langs := []string{"zh-CN", "en"}
		saved, titles := 0, map[string]bool{}
		for round := range 3 {
			var wg sync.WaitGroup
			start := make(chan struct{})
			answers := make([]response, len(people))
			for i, as := range people {
				title := fmt.Sprintf("样机交付 %d-%d", round, i)
				titles[title] = true
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					answers[i] = h.Do(as, "PUT", path, ownTemplateBody(title), "Accept-Language", langs[i%2])
				}()
			}
			close(start)
			wg.Wait()
			for i, r := range answers {
				switch r.Status {
				case 200:
					saved++
				case 409:
					want := map[string]string{"zh-CN": "该模板刚被他人修改", "en": "Someone else has just changed this template"}[langs[i%2]]
					if r.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(r.Body), "template-changed") ||
						!strings.Contains(string(r.Body), want) {
						t.Fatalf("round %d, %s: the loser's answer: %s %s", round, people[i], r.Header.Get("Content-Type"), r.Body)
					}
				default:
					t.Fatalf("round %d, %s: %d %s", round, people[i], r.Status, r.Body)
				}
			}
		}
		var got struct {
			CarrierID string `json:"carrier_id"`
			Version   int    `json:"version"`
			Items     []struct {
				TitleZH string `json:"title_zh"`
			} `json:"items"`
		}
		h.must(200, h.Do("operator@lixia.demo", "GET", path, nil), "the template").Decode(t, &got)
		if got.CarrierID != h.IDs["X"] || got.Version != saved || len(got.Items) != 1 || !titles[got.Items[0].TitleZH] {
			t.Fatalf("after the races: %+v, %d saves answered 200", got, saved)
		}
		if n := h.count("templates", "carrier_id = ?", h.IDs["X"]); n != 1 {
			t.Fatalf("%d templates of X", n)
		}
		if n := h.count("audit_log", "action = ? AND carrier_id = ?", "milestone_template.update", h.IDs["X"]); n != saved {
			t.Fatalf("%d audit lines for %d saves", n, saved)
		}
	})
}

// The loser of each race, step by step (so both databases show it whatever
// the timing): a creation after someone else created the template, and a
// save of a version someone else has replaced since it was loaded, are
// refused with the conflict the API answers 409, and change nothing.
func TestOwnTemplateLoserIsRefused(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		ctx := context.Background()
		store := h.svc.cq.Store
		region, carrier := h.IDs["lixia"], h.IDs["X"]
		items := func(title string) []domain.TemplateItem {
			return []domain.TemplateItem{{TitleZH: title, Category: "product", OffsetDays: 30, Criteria: "签收单"}}
		}
		put := func(tpl *domain.Template) error {
			return store.Write(ctx, func(ctx context.Context, tx app.Tx) error { return tx.PutTemplate(ctx, tpl) })
		}
		load := func() *domain.Template {
			var tpl *domain.Template
			if err := store.Read(ctx, func(ctx context.Context, tx app.Tx) error {
				var err error
				tpl, err = tx.Template(ctx, region, carrier, "incubator")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return tpl
		}
		newOwn := func(title string) *domain.Template {
			tpl, err := domain.NewTemplate(events.NewID(), region, carrier, "incubator", items(title), h.Users["parkadmin@lixia.demo"], h.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			return tpl
		}
		// Both found none; the first creates it.
		first, second := newOwn("甲"), newOwn("乙")
		if err := put(first); err != nil {
			t.Fatal(err)
		}
		if err := put(second); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "template-changed") {
			t.Fatalf("second creation: %v", err)
		}
		// Both loaded version 1; the first saves version 2.
		a, b := load(), load()
		if err := a.Replace(items("丙"), "a", h.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := b.Replace(items("丁"), "b", h.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := put(a); err != nil {
			t.Fatal(err)
		}
		if err := put(b); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		if got := load(); got.Version() != 2 || got.Record().Items[0].TitleZH != "丙" {
			t.Fatalf("after the stale save: version %d, %+v", got.Version(), got.Record().Items)
		}
	})
}
