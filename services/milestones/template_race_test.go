package milestones

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

func ownTemplateBody(title string) map[string]any {
	return map[string]any{"items": []map[string]any{{"title_zh": title, "title_en": "Prototype", "category": "product", "offset_days": 45, "criteria": "客户签收单"}}}
}

// Several people save the same carrier's own template at the same moment,
// while it does not exist yet and then while it does: every answer is 200
// or 409 problem+json (template-changed, in the caller's language), never
// 500; the template ends as one of the bodies sent, whole, and its version
// counts exactly the saves that answered 200 (no edit lost silently).
func TestConcurrentOwnTemplateSaves(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		path := "/api/v1/carriers/" + h.ids["X"] + "/milestone-template"
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
		if got.CarrierID != h.ids["X"] || got.Version != saved || len(got.Items) != 1 || !titles[got.Items[0].TitleZH] {
			t.Fatalf("after the races: %+v, %d saves answered 200", got, saved)
		}
		if n := h.count("templates", "carrier_id = ?", h.ids["X"]); n != 1 {
			t.Fatalf("%d templates of X", n)
		}
		if n := h.count("audit_log", "action = ? AND carrier_id = ?", "milestone_template.update", h.ids["X"]); n != saved {
			t.Fatalf("%d audit lines for %d saves", n, saved)
		}
	})
}

// The loser of each race, step by step (so both databases show it whatever
// the timing): a creation after someone else created the template, and a
// save of a version someone else has replaced since it was loaded, are
// refused with the conflict the API answers 409, and change nothing.
func TestOwnTemplateLoserIsRefused(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		ctx := context.Background()
		store := h.svc.cq.Store
		region, carrier := h.ids["lixia"], h.ids["X"]
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
			tpl, err := domain.NewTemplate(events.NewID(), region, carrier, "incubator", items(title), h.users["parkadmin@lixia.demo"], h.clock.Now())
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
