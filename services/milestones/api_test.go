package milestones

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

type milestoneJSON struct {
	ID       string   `json:"id"`
	State    string   `json:"state"`
	DueOn    string   `json:"due_on"`
	Overdue  bool     `json:"overdue"`
	Evidence []string `json:"evidence"`
	Category string   `json:"category"`
	TitleZH  string   `json:"title_zh"`
	Carrier  string   `json:"carrier_id"`
}

type pageJSON struct {
	Items []milestoneJSON `json:"items"`
	Total int             `json:"total"`
}

func (h *harness) page(as, path string) pageJSON {
	h.T.Helper()
	r := h.Do(as, "GET", path, nil)
	if r.Status != 200 {
		h.T.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	var p pageJSON
	r.Decode(h.T, &p)
	return p
}

func (h *harness) must(status int, r response, what string) response {
	h.T.Helper()
	if r.Status != status {
		h.T.Fatalf("%s: %d, want %d: %s", what, r.Status, status, r.Body)
	}
	return r
}

// The whole round: the operator applies the incubator template, the
// startup reports with evidence and submits, the operator returns it, the
// startup resubmits, another operator verifies; the history says each
// step, and each step's event is in the outbox.
func TestPlanProgressVerify(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		ids := h.applyTemplate("operator@lixia.demo", "resA")
		if len(ids) != 3 {
			t.Fatalf("incubator template planned %d milestones", len(ids))
		}
		plan := h.page("founder@lixia.demo", "/api/v1/residencies/"+h.IDs["resA"]+"/milestones?sort=due_on")
		if plan.Total != 3 || plan.Items[0].DueOn != movedIn.AddDate(0, 0, 180).Format(time.DateOnly) || plan.Items[0].Category != "revenue" {
			t.Fatalf("plan: %+v", plan)
		}
		first := "/api/v1/milestones/" + ids[0]
		testkit.Eventually(t, "users read model", func() bool { return h.count("users", "id = ?", h.Users["founder@lixia.demo"]) == 1 })
		var posted struct {
			Update struct {
				AuthorName string `json:"author_name"`
			} `json:"update"`
		}
		h.must(201, h.Do("founder@lixia.demo", "POST", first+"/updates", map[string]any{"text": "首单签约", "percent": 60,
			"figure": map[string]any{"value": 120, "unit": "thousand_yuan"}, "evidence": []string{h.IDs["docA-evidence"]}}), "progress").Decode(t, &posted)
		if posted.Update.AuthorName != "founder@lixia.demo" {
			t.Fatalf("posted update names its author %q", posted.Update.AuthorName)
		}
		h.must(200, h.Do("founder@lixia.demo", "POST", first+"/submit", nil), "submit")
		h.must(403, h.Do("founder@lixia.demo", "POST", first+"/verify", map[string]any{}), "startup verifies")
		h.must(200, h.Do("operator@lixia.demo", "POST", first+"/return", map[string]any{"comment": "请补充发票"}), "return")
		h.must(200, h.Do("founder@lixia.demo", "POST", first+"/submit", nil), "resubmit")
		var m struct {
			State string `json:"state"`
		}
		h.must(200, h.Do("operator2@lixia.demo", "POST", first+"/verify", map[string]any{"comment": "通过"}), "verify").Decode(t, &m)
		if m.State != "verified" {
			t.Fatalf("after verify: %s", m.State)
		}
		var detail struct {
			Updates []struct {
				Evidence   []string `json:"evidence"`
				AuthorID   string   `json:"author_id"`
				AuthorName string   `json:"author_name"`
			} `json:"updates"`
			History []struct {
				Action, From, To, Actor, Reason string
				ActorName                       string `json:"actor_name"`
			} `json:"history"`
		}
		h.must(200, h.Do("founder@lixia.demo", "GET", first, nil), "detail").Decode(t, &detail)
		var steps []string
		for _, c := range detail.History {
			steps = append(steps, c.Action+":"+c.To)
		}
		want := []string{"plan:planned", "progress:in_progress", "submit:submitted", "return:returned", "submit:submitted", "verify:verified"}
		if !slices.Equal(steps, want) {
			t.Fatalf("history %v, want %v", steps, want)
		}
		if detail.History[3].Reason != "请补充发票" || detail.History[3].Actor != h.Users["operator@lixia.demo"] ||
			detail.History[3].ActorName != "operator@lixia.demo" {
			t.Fatalf("return line: %+v", detail.History[3])
		}
		if len(detail.Updates) != 1 || detail.Updates[0].Evidence[0] != h.IDs["docA-evidence"] ||
			detail.Updates[0].AuthorID != h.Users["founder@lixia.demo"] || detail.Updates[0].AuthorName != "founder@lixia.demo" {
			t.Fatalf("updates: %+v", detail.Updates)
		}
		got := h.outboxTypes()
		for typ, n := range map[string]int{events.MilestonePlanned: 3, events.MilestoneProgressed: 1, events.MilestoneSubmitted: 2,
			events.MilestoneReturned: 1, events.MilestoneVerified: 1} {
			if got[typ] != n {
				t.Errorf("%s events: %d, want %d (%v)", typ, got[typ], n, got)
			}
		}
		// A verified milestone moves no further.
		h.must(409, h.Do("operator@lixia.demo", "POST", first+"/waive", map[string]any{"reason": "不再需要"}), "waive verified")
		// The operator who verified it cannot have reported it either way;
		// the person who reported can never verify, even as staff.
		second := "/api/v1/milestones/" + ids[1]
		h.must(201, h.Do("founder@lixia.demo", "POST", second+"/updates", map[string]any{"text": "已提交入库申请", "evidence": []string{h.IDs["docA-evidence"]}}), "progress 2")
		h.must(200, h.Do("operator@lixia.demo", "POST", second+"/waive", map[string]any{"reason": "政策调整，本年度不再要求"}), "waive")
		third := "/api/v1/milestones/" + ids[2]
		h.must(200, h.Do("operator@lixia.demo", "POST", third+"/reschedule", map[string]any{"due_on": movedIn.AddDate(2, 0, 0).Format(time.DateOnly),
			"reason": "融资窗口推迟"}), "reschedule")
		got = h.outboxTypes()
		if got[events.MilestoneWaived] != 1 || got[events.MilestoneRescheduled] != 1 {
			t.Fatalf("waive/reschedule events: %v", got)
		}
	})
}

// Bad input answers field errors in both languages and writes nothing.
func TestBadInputWritesNothing(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		ids := h.applyTemplate("operator@lixia.demo", "resA")
		first := "/api/v1/milestones/" + ids[0]
		before := [3]int{h.count("milestones", ""), h.count("milestone_updates", ""), h.count("milestone_history", "")}
		outbox := h.count("outbox", "")
		cases := []struct {
			name, method, path string
			body               any
			status             int
			field, code        string
			zh, en             string
		}{
			{"due date before move-in", "POST", "/api/v1/residencies/" + h.IDs["resA"] + "/milestones",
				map[string]any{"title_zh": "提前目标", "category": "product", "due_on": movedIn.AddDate(0, 0, -1).Format(time.DateOnly)},
				422, "due_on", "before_move_in", "不能早于入驻日期 2026-03-02", "cannot be before the move-in date 2026-03-02"},
			{"evidence of a type the milestone does not take", "POST", first + "/updates",
				map[string]any{"text": "营业执照", "evidence": []string{h.IDs["docA-licence"]}},
				422, "evidence[0]", "evidence_type_not_taken", "该资料是“营业执照”", "is a Business licence"},
			{"evidence of another company", "POST", first + "/updates",
				map[string]any{"text": "x", "evidence": []string{h.IDs["docB-evidence"]}},
				422, "evidence[0]", "unknown_document", "该企业没有这份资料", "is not one of the company's documents"},
			{"figure in the wrong unit", "POST", first + "/updates",
				map[string]any{"figure": map[string]any{"value": 12, "unit": "people"}},
				422, "figure.unit", "wrong_unit", "该里程碑的目标以“千元”计", "this milestone's target is in thousand yuan"},
			{"reschedule without a reason", "POST", first + "/reschedule",
				map[string]any{"due_on": movedIn.AddDate(1, 0, 0).Format(time.DateOnly)},
				422, "reason", "required", "必填", "is required"},
			{"bad date", "POST", first + "/reschedule", map[string]any{"due_on": "2026-13-40", "reason": "x"},
				422, "due_on", "bad_date", "YYYY-MM-DD", "YYYY-MM-DD"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				for _, lang := range []string{"zh-CN", "en"} {
					r := h.Do("operator@lixia.demo", tc.method, tc.path, tc.body, "Accept-Language", lang)
					if tc.method == "POST" && (tc.path == first+"/updates") {
						r = h.Do("founder@lixia.demo", tc.method, tc.path, tc.body, "Accept-Language", lang)
					}
					if r.Status != tc.status || r.Header.Get("Content-Type") != "application/problem+json" {
						t.Fatalf("%s: %d %s", lang, r.Status, r.Body)
					}
					var p struct {
						Errors []struct{ Field, Code, Message string } `json:"errors"`
					}
					r.Decode(t, &p)
					found := false
					for _, e := range p.Errors {
						want := map[string]string{"zh-CN": tc.zh, "en": tc.en}[lang]
						if e.Field == tc.field && e.Code == tc.code {
							found = true
							if !strings.Contains(e.Message, want) {
								t.Errorf("%s message %q lacks %q", lang, e.Message, want)
							}
						}
					}
					if !found {
						t.Fatalf("%s: no %s/%s in %s", lang, tc.field, tc.code, r.Body)
					}
				}
			})
		}
		after := [3]int{h.count("milestones", ""), h.count("milestone_updates", ""), h.count("milestone_history", "")}
		if after != before || h.count("outbox", "") != outbox {
			t.Fatalf("refusals wrote: %v → %v, outbox %d → %d", before, after, outbox, h.count("outbox", ""))
		}
	})
}

// Two operators applying the template at once: one plans, the other is
// told it is done; the plan holds the template's milestones once.
func TestConcurrentApplyPlansOnce(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		path := "/api/v1/residencies/" + h.IDs["resA"] + "/milestone-plan"
		statuses := make(chan int, 4)
		var wg sync.WaitGroup
		for _, as := range []string{"operator@lixia.demo", "operator2@lixia.demo", "parkadmin@lixia.demo", "admin@incuchain.demo"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- h.Do(as, "POST", path, nil).Status
			}()
		}
		wg.Wait()
		close(statuses)
		got := map[int]int{}
		for s := range statuses {
			got[s]++
		}
		if got[201] != 1 || got[409] != 3 {
			t.Fatalf("statuses %v, want one 201 and three 409", got)
		}
		if n := h.count("milestones", "residency_id = ?", h.IDs["resA"]); n != 3 {
			t.Fatalf("%d milestones planned", n)
		}
	})
}
