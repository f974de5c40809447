package incubatees

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// intakeEvents reads the intake area's events from the outbox, in order.
func (h *harness) intakeEvents() []events.Envelope {
	h.T.Helper()
	return h.outboxEvents("incubatees.intake_call.", "incubatees.application.")
}

// intakeWant asserts a response status, showing the body when it differs.
func intakeWant(t *testing.T, r response, status int, what string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: %d, want %d: %s", what, r.Status, status, r.Body)
	}
	if status >= 400 {
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("%s: content type %q", what, ct)
		}
	}
	if len(r.Body) == 0 {
		return nil
	}
	return r.JSON(t)
}

// intakeFields422 asserts a 422 naming exactly these field=code pairs.
func intakeFields422(t *testing.T, r response, what string, want ...string) {
	t.Helper()
	intakeWant(t, r, 422, what)
	got := map[string]string{}
	for f, e := range fieldErrors(t, r) {
		got[f] = e["code"].(string)
		if e["message"] == "" || e["message"] == "field."+got[f] {
			t.Errorf("%s: field %s has no message: %v", what, f, e)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: fields %v, want %v", what, got, want)
	}
	for _, w := range want {
		f, code, _ := strings.Cut(w, "=")
		if got[f] != code {
			t.Fatalf("%s: fields %v, want %v", what, got, want)
		}
	}
}

func TestIntakeFlow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		carrierI, coA := h.IDs["I"], h.IDs["coA"]
		inc, founder := "incadmin@lixia.demo", "founder@lixia.demo"

		// A bad call writes nothing.
		before := map[string]int{"intake_calls": h.count("intake_calls"), "outbox": h.count("outbox")}
		bad := intakeCallBody("春季招募")
		bad["closes_on"] = "2020-01-01"
		bad["questions"] = []map[string]any{{"key": "rev", "label_zh": "营收", "type": "money"}, {"key": "x", "label_zh": "x", "type": "choice", "options": []string{"a"}}}
		bad["materials"] = []string{"business_plan", "passport"}
		intakeFields422(t, h.Do(inc, "POST", "/api/v1/carriers/"+carrierI+"/intake-calls", bad), "bad call",
			"closes_on=before_opens_on", "questions.0.unit=money_unit", "questions.1.options=too_few", "materials.1=unknown_material")
		intakeFields422(t, h.Do(inc, "POST", "/api/v1/carriers/"+carrierI+"/intake-calls", map[string]any{"title_zh": "x", "opens_on": "2026/01/01", "capacity": 1}),
			"bad date", "opens_on=date_format")
		for table, n := range before {
			if got := h.count(table); got != n {
				t.Fatalf("%s: %d rows after refused input, want %d", table, got, n)
			}
		}

		// A draft is not listed publicly, nor visible to a startup.
		call := intakeWant(t, h.Do(inc, "POST", "/api/v1/carriers/"+carrierI+"/intake-calls", intakeCallBody("春季招募")), 201, "create call")
		callID := call["id"].(string)
		if call["status"] != "draft" || len(call["criteria"].([]any)) != 4 || call["min_reviews"] != 1.0 {
			t.Fatalf("new call: %v", call)
		}
		intakeWant(t, h.Do(founder, "GET", "/api/v1/intake-calls/"+callID, nil), 404, "startup reads a draft")
		listed := func(as, region string) int {
			t.Helper()
			page := intakeWant(t, h.Do(as, "GET", "/api/v1/regions/"+h.IDs[region]+"/intake-calls?open=true", nil), 200, "public listing")
			n := 0
			for _, it := range page["items"].([]any) {
				if it.(map[string]any)["id"] == callID {
					n++
				}
			}
			return n
		}
		if listed(founder, "lixia") != 0 {
			t.Fatal("draft listed publicly")
		}
		// The full list (drafts too) is for district roles.
		all := intakeWant(t, h.Do("officer@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/intake-calls?open=false", nil), 200, "district full list")
		if all["total"].(float64) != 1 || all["items"].([]any)[0].(map[string]any)["id"] != callID {
			t.Fatalf("district full list: %v", all)
		}
		intakeWant(t, h.Do(founder, "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/intake-calls?open=false", nil), 403, "startup full list")
		intakeFields422(t, h.Do(founder, "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/intake-calls?open=maybe", nil), "bad open", "open=one_of")
		intakeWant(t, h.Do(inc, "POST", "/api/v1/intake-calls/"+callID+"/open", nil), 200, "open")
		intakeWant(t, h.Do(inc, "POST", "/api/v1/intake-calls/"+callID+"/open", nil), 409, "open twice")
		// Open: listed to anyone signed in, even from another region; not
		// in the other region's list.
		if listed("founder3@huaiyin.demo", "lixia") != 1 || listed(founder, "huaiyin") != 0 {
			t.Fatal("open call not listed in its region only")
		}
		intakeWant(t, h.Do(founder, "GET", "/api/v1/regions/"+h.IDs["coA"]+"/intake-calls", nil), 404, "unknown region")
		// Once open, the form is frozen.
		intakeFields422(t, h.Do(inc, "PATCH", "/api/v1/intake-calls/"+callID, map[string]any{"questions": []any{}}), "edit open form", "questions=frozen_when_open")

		// Bad answers: field errors per question key, nothing written.
		before = map[string]int{"applications": h.count("applications"), "outbox": h.count("outbox")}
		intakeFields422(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications", map[string]any{"company_id": coA, "answers": map[string]any{
			"revenue": map[string]any{"amount": 1200000, "unit": "yuan"}, "stage": "ipo", "staff": "many", "bogus": 1}}),
			"bad answers", "answers.revenue=money_unit_mismatch", "answers.stage=not_an_option", "answers.staff=want_number", "answers.bogus=unknown_question")
		intakeFields422(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications", map[string]any{"company_id": coA, "answers": map[string]any{
			"revenue": map[string]any{"amount": 1200}}}), "money without unit", "answers.revenue=money_unit_missing")
		intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications", map[string]any{"company_id": h.IDs["coC"]}), 404, "someone else's company")
		for table, n := range before {
			if got := h.count(table); got != n {
				t.Fatalf("%s: %d rows after refused answers, want %d", table, got, n)
			}
		}

		// A partial draft; submitting it names what is missing.
		draft := intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications", map[string]any{"company_id": coA,
			"answers": map[string]any{"pitch": "工业视觉检测"}}), 201, "apply")
		appID := draft["id"].(string)
		if draft["status"] != "draft" || len(draft["materials"].([]any)) != 2 {
			t.Fatalf("draft: %v", draft)
		}
		intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+callID+"/applications", map[string]any{"company_id": coA}), 409, "second live application")
		intakeWant(t, h.Do(inc, "GET", "/api/v1/applications/"+appID, nil), 404, "carrier reads a draft")
		intakeWant(t, h.Do(inc, "GET", "/api/v1/companies/"+coA, nil), 404, "carrier sees the company before submission")
		intakeFields422(t, h.Do(founder, "POST", "/api/v1/applications/"+appID+"/submit", nil), "submit incomplete", "answers.revenue=required")
		intakeWant(t, h.Do(founder, "PATCH", "/api/v1/applications/"+appID, map[string]any{"answers": intakeGoodAnswers()}), 200, "answer")
		intakeFields422(t, h.Do(founder, "POST", "/api/v1/applications/"+appID+"/submit", nil), "submit without materials",
			"materials.business_licence=material_missing", "materials.business_plan=material_missing")
		h.uploadMaterials(h.application(appID))
		sub := intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+appID+"/submit", nil), 200, "submit")
		if sub["status"] != "submitted" || sub["submitted_at"] == nil {
			t.Fatalf("submitted: %v", sub)
		}
		intakeWant(t, h.Do(founder, "PATCH", "/api/v1/applications/"+appID, map[string]any{"answers": intakeGoodAnswers()}), 409, "answer after submit")
		// Submitting linked the company to the carrier.
		intakeWant(t, h.Do(inc, "GET", "/api/v1/companies/"+coA, nil), 200, "carrier sees the company after submission")

		// The operator inbox.
		inbox := intakeWant(t, h.Do(inc, "GET", "/api/v1/carriers/"+carrierI+"/applications?status=submitted&q=coA", nil), 200, "inbox")
		if inbox["total"].(float64) != 1 || inbox["items"].([]any)[0].(map[string]any)["company_name_zh"] != "coA科技有限公司" {
			t.Fatalf("inbox: %v", inbox)
		}
		if in := intakeWant(t, h.Do(inc, "GET", "/api/v1/carriers/"+carrierI+"/applications?q=nomatch", nil), 200, "inbox q"); in["total"].(float64) != 0 {
			t.Fatalf("inbox q: %v", in)
		}
		intakeFields422(t, h.Do(inc, "GET", "/api/v1/carriers/"+carrierI+"/applications?status=draft", nil), "inbox drafts", "status=one_of")

		// Reviews: scored per criterion, first one moves it to reviewing.
		intakeFields422(t, h.Do(inc, "POST", "/api/v1/applications/"+appID+"/reviews", map[string]any{"scores": map[string]int{"team": 6, "technology": 4, "market": 3}}),
			"bad scores", "scores.team=out_of_range", "scores.fit=required")
		rv := intakeWant(t, h.Do(inc, "POST", "/api/v1/applications/"+appID+"/reviews", map[string]any{"scores": map[string]int{"team": 5, "technology": 4, "market": 3, "fit": 4}, "comment": "团队扎实"}), 200, "review")
		if rv["status"] != "reviewing" {
			t.Fatalf("after review: %v", rv)
		}
		if staff := intakeWant(t, h.Do(inc, "GET", "/api/v1/applications/"+appID, nil), 200, "staff reads"); len(staff["reviews"].([]any)) != 1 {
			t.Fatalf("staff view: %v", staff)
		}
		if _, shown := intakeWant(t, h.Do(founder, "GET", "/api/v1/applications/"+appID, nil), 200, "applicant reads")["reviews"]; shown {
			t.Fatal("applicant sees the reviews")
		}

		// Another carrier's staff cannot decide it: 404, alone or in bulk.
		intakeWant(t, h.Do("parkadmin@lixia.demo", "POST", "/api/v1/applications/"+appID+"/decision", map[string]any{"decision": "admit", "reason": "x"}), 404, "foreign decision")
		intakeFields422(t, h.Do("parkadmin@lixia.demo", "POST", "/api/v1/carriers/"+h.IDs["X"]+"/applications/decisions",
			map[string]any{"ids": []string{appID}, "decision": "admit", "reason": "x"}), "foreign bulk decision", "ids."+appID+"=not_found")
		intakeFields422(t, h.Do(inc, "POST", "/api/v1/applications/"+appID+"/decision", map[string]any{"decision": "admit", "reason": " "}), "no reason", "reason=required")
		intakeFields422(t, h.Do(inc, "POST", "/api/v1/applications/"+appID+"/decision", map[string]any{"decision": "maybe", "reason": "x"}), "bad decision", "decision=one_of")

		// Uploaded is not enough: admission needs the materials verified.
		intakeFields422(t, h.Do(inc, "POST", "/api/v1/applications/"+appID+"/decision", map[string]any{"decision": "admit", "reason": "技术领先，团队完整"}),
			"admit unverified", "materials.business_licence=material_not_verified", "materials.business_plan=material_not_verified")
		h.verifyMaterials(h.application(appID))

		dec := intakeWant(t, h.Do(inc, "POST", "/api/v1/applications/"+appID+"/decision", map[string]any{"decision": "admit", "reason": "技术领先，团队完整"}), 200, "admit")
		if dec["status"] != "admitted" {
			t.Fatalf("decided: %v", dec)
		}
		mine := intakeWant(t, h.Do(founder, "GET", "/api/v1/applications/"+appID, nil), 200, "applicant reads the decision")
		if mine["reason"] != "技术领先，团队完整" || mine["status"] != "admitted" {
			t.Fatalf("applicant view: %v", mine)
		}
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+appID+"/withdraw", nil), 409, "withdraw after decision")
		own := intakeWant(t, h.Do(founder, "GET", "/api/v1/companies/"+coA+"/applications", nil), 200, "company list")
		if own["total"].(float64) != 1 {
			t.Fatalf("company list: %v", own)
		}
		intakeWant(t, h.Do(inc, "POST", "/api/v1/intake-calls/"+callID+"/close", nil), 200, "close")
		if listed(founder, "lixia") != 0 {
			t.Fatal("closed call still listed")
		}

		// Every state change published, scoped to region and carrier.
		var types []string
		for _, ev := range h.intakeEvents() {
			if ev.AggregateID != callID && ev.AggregateID != appID {
				continue
			}
			types = append(types, strings.TrimPrefix(ev.Type, "incubatees."))
			if ev.RegionID != h.IDs["lixia"] || ev.CarrierID != carrierI {
				t.Errorf("%s scoped %s/%s", ev.Type, ev.RegionID, ev.CarrierID)
			}
			if ev.Type == events.ApplicationDecided {
				var p events.ApplicationDecidedV1
				if err := ev.Decode(&p); err != nil || p.Decision != "admitted" || p.Reason != "技术领先，团队完整" || p.CompanyID != coA {
					t.Errorf("decided payload %+v %v", p, err)
				}
			}
		}
		want := []string{"intake_call.created", "intake_call.opened", "application.created", "application.submitted",
			"application.reviewed", "application.decided", "intake_call.closed"}
		if strings.Join(types, " ") != strings.Join(want, " ") {
			t.Fatalf("events %v, want %v", types, want)
		}
	})
}

func TestIntakeBulkDecisionIsAllOrNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		op := "operator@lixia.demo"
		// Three submitted applications at X (capacity 2) and a draft.
		var ids []string
		for range 3 {
			ids = append(ids, h.intakeApplication(0, "submitted"))
		}
		draft := h.intakeApplication(0, "draft")
		url := "/api/v1/carriers/" + h.IDs["X"] + "/applications/decisions"
		before := h.count("outbox")

		// A draft, an unknown id and a repeat fail; the good ones are not
		// decided either.
		intakeFields422(t, h.Do(op, "POST", url, map[string]any{"ids": []string{ids[0], draft, "nope", ids[0]}, "decision": "reject", "reason": "名额有限"}),
			"bulk with bad ids", "ids."+draft+"=not_found", "ids.nope=not_found", "ids."+ids[0]+"=listed_twice")
		if h.count("outbox") != before {
			t.Fatal("a refused bulk decision published events")
		}
		if got := intakeWant(t, h.Do(op, "GET", "/api/v1/applications/"+ids[0], nil), 200, "read"); got["status"] != "submitted" {
			t.Fatalf("half-written bulk: %v", got)
		}
		intakeFields422(t, h.Do(op, "POST", url, map[string]any{"ids": []string{}, "decision": "admit", "reason": "x"}), "no ids", "ids=required")

		// Each call has capacity 2 and the three are in different calls:
		// admit all three, then a re-decision fails as a whole.
		res := intakeWant(t, h.Do(op, "POST", url, map[string]any{"ids": ids, "decision": "admit", "reason": "同意入驻"}), 200, "bulk admit")
		if len(res["items"].([]any)) != 3 {
			t.Fatalf("bulk result: %v", res)
		}
		for _, id := range ids {
			if got := intakeWant(t, h.Do("founder@lixia.demo", "GET", "/api/v1/applications/"+id, nil), 200, "read"); got["status"] != "admitted" || got["reason"] != "同意入驻" {
				t.Fatalf("after bulk: %v", got)
			}
		}
		intakeFields422(t, h.Do(op, "POST", url, map[string]any{"ids": ids[:1], "decision": "reject", "reason": "x"}), "decide twice", "ids."+ids[0]+"=bad_transition")
	})
}

func TestIntakeCapacityWithdrawAndReapply(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		founder, op := "founder@lixia.demo", "operator@lixia.demo"
		f := intakeFields("一人名额")
		f.Capacity = 1
		call, err := h.svc.cq.Commands.CreateIntakeCall.Handle(ctx, command.CreateIntakeCall{Actor: h.intakeAdmin(), CarrierID: h.IDs["X"], Fields: f})
		if err != nil {
			t.Fatal(err)
		}
		intakeWant(t, h.Do(founder, "POST", "/api/v1/intake-calls/"+call.ID+"/applications", map[string]any{"company_id": h.IDs["coA"]}), 404, "apply to a draft call")
		intakeWant(t, h.Do(op, "POST", "/api/v1/intake-calls/"+call.ID+"/open", nil), 200, "open")
		apply := func(as, company string) string {
			t.Helper()
			id := intakeWant(t, h.Do(as, "POST", "/api/v1/intake-calls/"+call.ID+"/applications",
				map[string]any{"company_id": h.IDs[company], "answers": intakeGoodAnswers()}), 201, "apply")["id"].(string)
			h.uploadMaterials(h.application(id))
			return id
		}
		// Withdraw a draft, apply again (a final application does not
		// block a new one), submit, withdraw, apply a third time.
		a1 := apply(founder, "coA")
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+a1+"/withdraw", nil), 200, "withdraw draft")
		a2 := apply(founder, "coA")
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+a2+"/submit", nil), 200, "submit")
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+a2+"/withdraw", nil), 200, "withdraw submitted")
		intakeWant(t, h.Do(op, "POST", "/api/v1/applications/"+a2+"/decision", map[string]any{"decision": "admit", "reason": "x"}), 409, "decide a withdrawn one")
		a3 := apply(founder, "coA")
		intakeWant(t, h.Do(founder, "POST", "/api/v1/applications/"+a3+"/submit", nil), 200, "submit again")
		// coB (linked to M) applies to X too; capacity 1 admits only one.
		h.linkCarrier(h.IDs["coB"], h.IDs["X"])
		b := apply("founder2@lixia.demo", "coB")
		intakeWant(t, h.Do("founder2@lixia.demo", "POST", "/api/v1/applications/"+b+"/submit", nil), 200, "submit coB")
		h.verifyMaterials(h.application(a3))
		h.verifyMaterials(h.application(b))
		intakeWant(t, h.Do(op, "POST", "/api/v1/applications/"+a3+"/decision", map[string]any{"decision": "admit", "reason": "欢迎"}), 200, "admit coA")
		full := intakeWant(t, h.Do(op, "POST", "/api/v1/applications/"+b+"/decision", map[string]any{"decision": "admit", "reason": "欢迎"}), 409, "admit beyond capacity")
		if full["slug"] != "intake-call-full" {
			t.Fatalf("capacity: %v", full)
		}
		intakeWant(t, h.Do(op, "POST", "/api/v1/applications/"+b+"/decision", map[string]any{"decision": "reject", "reason": "名额已满"}), 200, "reject coB")

		// Withdrawals are published; the call's dates bound applying.
		n := 0
		for _, ev := range h.intakeEvents() {
			if ev.Type == events.ApplicationWithdrawn && (ev.AggregateID == a1 || ev.AggregateID == a2) {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("%d withdrawn events, want 2", n)
		}
		// A second live application that slips past the check (as a
		// concurrent one would) is refused by the index as a conflict.
		err = h.svc.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
			x, err := tx.GetApplication(ctx, a3)
			if err != nil {
				return err
			}
			x.ID, x.Status = events.NewID(), domain.AppDraft
			if err := tx.InsertApplication(ctx, x); err != nil {
				return err
			}
			x.ID = events.NewID()
			return tx.InsertApplication(ctx, x)
		})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second live application at the store: %v", err)
		}
		h.svc.clock.Set(func() time.Time { return time.Now().UTC().AddDate(0, 2, 0) })
		defer h.svc.clock.Set(func() time.Time { return time.Now().UTC() })
		intakeWant(t, h.Do("founder2@lixia.demo", "POST", "/api/v1/intake-calls/"+call.ID+"/applications", map[string]any{"company_id": h.IDs["coB"]}), 409, "apply after the closing date")
	})
}
