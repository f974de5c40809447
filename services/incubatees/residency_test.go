package incubatees

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// residencyClock is the fixed "now" of the residency API tests:
// 2026-06-30 10:00 in China.
var residencyClock = time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC)

func (h *harness) setResidencyClock(at time.Time) {
	h.svc.clock.Set(func() time.Time { return at })
}

// eachResidency runs fn on each dialect against a harness whose clock
// stands at residencyClock.
func eachResidency(t *testing.T, fn func(t *testing.T, h *harness)) {
	dbtest.EachHarness(t, newHarness, func(t *testing.T, h *harness) {
		h.setResidencyClock(residencyClock)
		fn(t, h)
	})
}

// mustStatus fails unless res has status want; it returns the decoded body.
func (h *harness) mustStatus(res response, want int, what string) map[string]any {
	h.T.Helper()
	if res.Status != want {
		h.T.Fatalf("%s: %d, want %d: %s", what, res.Status, want, res.Body)
	}
	if len(res.Body) == 0 {
		return nil
	}
	return res.JSON(h.T)
}

// problemSlug is a problem+json answer's slug and its field codes.
func problemSlug(t *testing.T, res response) (string, map[string]string) {
	t.Helper()
	var p struct {
		Slug   string `json:"slug"`
		Detail string `json:"detail"`
		Errors []struct{ Field, Code string }
	}
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatalf("decode problem %s: %v", res.Body, err)
	}
	fields := map[string]string{}
	for _, e := range p.Errors {
		fields[e.Field] = e.Code
	}
	return p.Slug, fields
}

func TestResidencyFlow(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		X := h.IDs["X"]

		// A park admin records a company that was already at the carrier.
		res := h.enrolHTTP("parkadmin@lixia.demo", X, map[string]any{"company_id": h.IDs["coA"], "admitted_on": "2026-03-01"})
		r := h.mustStatus(res, 201, "create residency")
		id := r["id"].(string)
		if r["status"] != "admitted" || r["admitted_on"] != "2026-03-01" || r["carrier_kind"] != "science_park" {
			t.Fatalf("created: %s", res.Body)
		}

		// Who sees it: the company, its carrier, the district; not others.
		for as, want := range map[string]int{"founder@lixia.demo": 200, "operator@lixia.demo": 200, "officer@lixia.demo": 200,
			"makeradmin@lixia.demo": 404, "founder2@lixia.demo": 404, "officer@huaiyin.demo": 404, "": 401} {
			if got := h.Do(as, "GET", "/api/v1/residencies/"+id, nil).Status; got != want {
				t.Errorf("GET residency as %q: %d, want %d", as, got, want)
			}
		}
		// The company and the district read, only the carrier's staff manage.
		for _, as := range []string{"founder@lixia.demo", "district@lixia.demo"} {
			res := h.Do(as, "POST", "/api/v1/residencies/"+id+"/move-in", map[string]any{"moved_in_on": "2026-03-10", "unit": "A-301", "area_m2": 120.5})
			h.mustStatus(res, 403, "move-in as "+as)
		}

		// Bad input: field errors, nothing written.
		res = h.Do("operator@lixia.demo", "POST", "/api/v1/residencies/"+id+"/move-in", map[string]any{"moved_in_on": "2026-02-10", "unit": "", "area_m2": -5})
		h.mustStatus(res, 422, "bad move-in")
		if slug, f := problemSlug(t, res); slug != "invalid-residency" || f["moved_in_on"] != "before_admission" || f["unit"] != "required" || f["area_m2"] != "out_of_range" {
			t.Fatalf("bad move-in problem: %s", res.Body)
		}
		res = h.Do("operator@lixia.demo", "POST", "/api/v1/residencies/"+id+"/move-in", map[string]any{"moved_in_on": "2026-13-01", "unit": "A", "area_m2": 5})
		if _, f := problemSlug(t, res); res.Status != 422 || f["moved_in_on"] != "date_format" {
			t.Fatalf("bad date: %d %s", res.Status, res.Body)
		}

		// Move-in: the term end comes from the region's pack (2018 shape, v1: 48 months for I65).
		res = h.Do("operator@lixia.demo", "POST", "/api/v1/residencies/"+id+"/move-in", map[string]any{"moved_in_on": "2026-03-10", "unit": "A-301", "area_m2": 120.5})
		r = h.mustStatus(res, 200, "move-in")
		if r["status"] != "in_residence" || r["term_end_on"] != "2030-03-10" || r["rule_pack_version"] != 1.0 || r["area_m2"] != 120.5 {
			t.Fatalf("moved in: %s", res.Body)
		}
		ev := r["evaluation"].(map[string]any)
		if ev["rule_pack_version"] != 1.0 || ev["overstaying"] != false || ev["term_months"] != 48.0 {
			t.Fatalf("evaluation: %v", ev)
		}
		// Moving in twice is refused by the state machine.
		res = h.Do("operator@lixia.demo", "POST", "/api/v1/residencies/"+id+"/move-in", map[string]any{"moved_in_on": "2026-03-10", "unit": "A-301", "area_m2": 120.5})
		if slug, _ := problemSlug(t, res); res.Status != 409 || slug != "residency-transition-refused" {
			t.Fatalf("second move-in: %d %s", res.Status, res.Body)
		}

		// Duplicate: the same company cannot be in residence at M at the same time.
		res = h.enrolHTTP("makeradmin@lixia.demo", h.IDs["M"], map[string]any{"company_id": h.IDs["coA"], "moved_in_on": "2026-04-01", "unit": "M-1", "area_m2": 10})
		if slug, _ := problemSlug(t, res); res.Status != 409 || slug != "already-in-residence" || !strings.Contains(string(res.Body), "明湖国际信创产业园") {
			t.Fatalf("duplicate residency: %d %s", res.Status, res.Body)
		}
		// The refused acceptance left the offer pending; M takes it back.
		pending := h.mustStatus(h.Do("makeradmin@lixia.demo", "GET", "/api/v1/carriers/"+h.IDs["M"]+"/enrolment-offers?status=pending", nil), 200, "M's offers")
		if items := pending["items"].([]any); len(items) != 1 {
			t.Fatalf("M's pending offers: %v", pending)
		} else {
			h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/enrolment-offers/"+items[0].(map[string]any)["id"].(string)+"/withdraw", nil), 200, "withdraw")
		}
		page := h.mustStatus(h.Do("district@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/residencies", nil), 200, "district list")
		if page["total"] != 1.0 {
			t.Fatalf("district list after refused duplicate: %v", page)
		}

		// Lists with filters; overstaying follows the clock.
		list := func(as, q string) float64 {
			t.Helper()
			p := h.mustStatus(h.Do(as, "GET", "/api/v1/carriers/"+X+"/residencies"+q, nil), 200, "list "+q)
			return p["total"].(float64)
		}
		for q, want := range map[string]float64{"": 1, "?status=in_residence": 1, "?status=admitted": 0, "?industry=I65": 1, "?industry=C39": 0, "?overstaying=true": 0} {
			if got := list("operator@lixia.demo", q); got != want {
				t.Errorf("list %q: %v, want %v", q, got, want)
			}
		}
		if res := h.Do("operator@lixia.demo", "GET", "/api/v1/carriers/"+X+"/residencies?status=asleep", nil); res.Status != 422 {
			t.Errorf("bad status filter: %d", res.Status)
		}
		h.setResidencyClock(time.Date(2030, 3, 11, 2, 0, 0, 0, time.UTC))
		if got := list("district@lixia.demo", "?overstaying=true"); got != 1 {
			t.Errorf("overstaying after the term end: %v, want 1", got)
		}
		r = h.mustStatus(h.Do("founder@lixia.demo", "GET", "/api/v1/residencies/"+id, nil), 200, "get")
		if r["overstaying"] != true || r["evaluation"].(map[string]any)["overstaying"] != true {
			t.Fatalf("not overstaying: %v", r)
		}
		if res := h.Do("founder@lixia.demo", "GET", "/api/v1/carriers/"+X+"/residencies", nil); res.Status != 404 {
			t.Errorf("startup reads the carrier's residents: %d", res.Status)
		}
		if res := h.Do("parkadmin@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/residencies", nil); res.Status != 404 {
			t.Errorf("park admin reads the district list: %d", res.Status)
		}

		// Graduate; then nothing more.
		res = h.Do("parkadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/graduate", map[string]any{"reason": "graduated?", "on": "2030-03-01"})
		if _, f := problemSlug(t, res); res.Status != 422 || f["reason"] != "one_of" {
			t.Fatalf("bad reason: %d %s", res.Status, res.Body)
		}
		r = h.mustStatus(h.Do("parkadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/graduate", map[string]any{"reason": "financing", "on": "2030-03-01"}), 200, "graduate")
		if r["status"] != "graduated" || r["outcome"] != "graduated" || r["ended_on"] != "2030-03-01" || r["overstaying"] != false {
			t.Fatalf("graduated: %v", r)
		}
		res = h.Do("parkadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/exit", map[string]any{"reason": "left", "on": "2030-03-02"})
		if slug, _ := problemSlug(t, res); res.Status != 409 || slug != "residency-transition-refused" {
			t.Fatalf("exit after graduation: %d %s", res.Status, res.Body)
		}

		// Now it may move in elsewhere.
		res = h.enrolHTTP("makeradmin@lixia.demo", h.IDs["M"], map[string]any{"company_id": h.IDs["coA"], "moved_in_on": "2030-03-05", "unit": "M-1", "area_m2": 10})
		h.mustStatus(res, 201, "residency after graduation")
		// A company of another region is not one a carrier can record.
		res = h.enrolHTTP("makeradmin@lixia.demo", h.IDs["M"], map[string]any{"company_id": h.IDs["coC"]})
		if _, f := problemSlug(t, res); res.Status != 422 || f["company_id"] != "company_not_in_region" {
			t.Fatalf("foreign company: %d %s", res.Status, res.Body)
		}

		// Events: every change, scoped to region and carrier, with chain facts.
		evs := h.outboxEvents("incubatees.residency.")
		var types []string
		for _, e := range evs {
			types = append(types, e.Type)
			if e.RegionID != h.IDs["lixia"] || e.CarrierID == "" {
				t.Errorf("%s scope %q/%q", e.Type, e.RegionID, e.CarrierID)
			}
		}
		want := []string{events.ResidencyAdmitted, events.ResidencyMovedIn, events.ResidencyGraduated, events.ResidencyAdmitted, events.ResidencyMovedIn}
		if strings.Join(types, " ") != strings.Join(want, " ") {
			t.Fatalf("events %v, want %v", types, want)
		}
		var moved events.ResidencyMovedInV1
		if err := evs[1].Decode(&moved); err != nil {
			t.Fatal(err)
		}
		if moved.CompanyID != h.IDs["coA"] || moved.CarrierKind != "science_park" || moved.ChainOrder != 4 || moved.MovedInOn != "2026-03-10" ||
			moved.TermEndOn != "2030-03-10" || moved.RulePackVersion != 1 || moved.USCC == "" {
			t.Fatalf("moved_in payload: %+v", moved)
		}
	})
}

func TestResidencyPromotion(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		M, I := h.IDs["M"], h.IDs["I"]
		coB := h.IDs["coB"]

		r := h.mustStatus(h.enrolHTTP("makeradmin@lixia.demo", M, map[string]any{"company_id": coB, "moved_in_on": "2025-09-01", "unit": "工位 12", "area_m2": 6}), 201, "maker residency")
		id := r["id"].(string)
		promo := "/api/v1/residencies/" + id + "/promotions"

		// Refused proposals: sideways/down, other region, foreign carrier's staff.
		bad := map[string]struct {
			as, to, code string
			status       int
		}{
			"other region":  {"makeradmin@lixia.demo", h.IDs["H"], "other_region", 422},
			"same carrier":  {"makeradmin@lixia.demo", M, "same_carrier", 422},
			"foreign staff": {"parkadmin@lixia.demo", I, "", 404},
			"startup":       {"founder2@lixia.demo", I, "", 403},
		}
		for name, c := range bad {
			res := h.Do(c.as, "POST", promo, map[string]any{"to_carrier_id": c.to})
			_, f := problemSlug(t, res)
			if res.Status != c.status || (c.code != "" && f["to_carrier_id"] != c.code) {
				t.Errorf("%s: %d %s", name, res.Status, res.Body)
			}
		}
		res := h.Do("makeradmin@lixia.demo", "POST", promo, map[string]any{"to_carrier_id": I, "note": "表现优秀", "shared": []string{"milestones", "latest_metrics"}})
		p := h.mustStatus(res, 201, "propose")
		if p["status"] != "proposed" || p["from_chain_order"] != 1.0 || p["to_chain_order"] != 2.0 {
			t.Fatalf("proposed: %s", res.Body)
		}
		if res := h.Do("makeradmin@lixia.demo", "POST", promo, map[string]any{"to_carrier_id": h.IDs["A"]}); res.Status != 409 {
			t.Errorf("second proposal: %d %s", res.Status, res.Body)
		}
		// Before consent the next carrier sees nothing, and cannot accept.
		if res := h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+id+"/promotion", nil); res.Status != 404 {
			t.Errorf("target reads before consent: %d", res.Status)
		}
		if res := h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil); res.Status != 404 {
			t.Errorf("target accepts before consent: %d", res.Status)
		}
		if res := h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+id, nil); res.Status != 404 {
			t.Errorf("target reads the residency before consent: %d", res.Status)
		}
		// Only the company's admin consents.
		if res := h.Do("founder@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil); res.Status != 404 {
			t.Errorf("another company consents: %d", res.Status)
		}
		if res := h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil); res.Status != 403 {
			t.Errorf("the carrier consents for the company: %d", res.Status)
		}
		// The company has reported once, so its latest metrics travel too.
		period := domain.LatestEndedPeriod(domain.Quarterly, h.svc.clock.Today()).String()
		if _, err := h.svc.cq.Commands.SubmitReport.Handle(context.Background(), command.SubmitReport{Actor: app.Actor{UserID: h.Users["founder2@lixia.demo"]}, CompanyID: coB, Period: period, Input: fullReport(700)}); err != nil {
			t.Fatal(err)
		}
		p = h.mustStatus(h.Do("founder2@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil), 200, "consent")
		if p["status"] != "consented" {
			t.Fatalf("consented: %v", p)
		}
		// After consent the next carrier may read what it takes over.
		if res := h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+id, nil); res.Status != 200 {
			t.Errorf("target reads the residency after consent: %d %s", res.Status, res.Body)
		}
		if res := h.Do("parkadmin@lixia.demo", "GET", "/api/v1/residencies/"+id, nil); res.Status != 404 {
			t.Errorf("an uninvolved carrier reads it: %d", res.Status)
		}
		// The handoff packet reaches the next carrier.
		p = h.mustStatus(h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+id+"/promotion", nil), 200, "target reads the packet")
		packet, _ := p["packet"].(map[string]any)
		profile, _ := packet["profile"].(map[string]any)
		if profile["company_id"] != coB || profile["uscc"] != "91110000802100433B" || packet["milestones"] == nil {
			t.Fatalf("packet: %v", p["packet"])
		}
		lm, _ := packet["latest_metrics"].(map[string]any)
		rd, _ := lm["metrics"].(map[string]any)["rd_expenditure"].(map[string]any)
		if lm["period"] != period || rd["value"] != float64(700_000) {
			t.Errorf("latest_metrics in the packet: %v", packet["latest_metrics"])
		}
		if res := h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil); res.Status != 403 {
			t.Errorf("the proposing carrier accepts: %d %s", res.Status, res.Body)
		}
		p = h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil), 200, "accept")
		next := p["new_residency_id"].(string)

		// The old residency closed as promoted; the new one is admitted at I.
		old := h.mustStatus(h.Do("founder2@lixia.demo", "GET", "/api/v1/residencies/"+id, nil), 200, "old")
		nr := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", "/api/v1/residencies/"+next, nil), 200, "new")
		if old["status"] != "promoted" || nr["status"] != "admitted" || nr["promoted_from_id"] != id || nr["carrier_id"] != I {
			t.Fatalf("after accept: old %v new %v", old, nr)
		}
		// The chain history: two entries in order.
		chain := h.mustStatus(h.Do("founder2@lixia.demo", "GET", "/api/v1/companies/"+coB+"/chain", nil), 200, "chain")
		items := chain["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("chain: %v", chain)
		}
		first, second := items[0].(map[string]any), items[1].(map[string]any)
		if first["carrier_kind"] != "maker_space" || first["chain_order"] != 1.0 || first["outcome"] != "promoted" || first["carrier_name"] != "历下创客空间" ||
			second["carrier_kind"] != "incubator" || second["chain_order"] != 2.0 || second["status"] != "admitted" {
			t.Fatalf("chain entries: %v", items)
		}
		if res := h.Do("founder@lixia.demo", "GET", "/api/v1/companies/"+coB+"/chain", nil); res.Status != 404 {
			t.Errorf("another startup reads the chain: %d", res.Status)
		}

		// Moving in at I is not a duplicate: the maker-space stay is over.
		h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+next+"/move-in",
			map[string]any{"moved_in_on": "2026-06-30", "unit": "B-201", "area_m2": 150}), 200, "move in at I")
		// From the incubator, back down to a maker space is refused.
		res = h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+next+"/promotions", map[string]any{"to_carrier_id": M})
		if _, f := problemSlug(t, res); res.Status != 422 || f["to_carrier_id"] != "not_higher" {
			t.Fatalf("promotion down the chain: %d %s", res.Status, res.Body)
		}

		got := []string{}
		for _, e := range h.outboxEvents("incubatees.promotion.", events.ResidencyPromoted) {
			got = append(got, e.Type)
		}
		want := []string{events.PromotionProposed, events.PromotionConsented, events.ResidencyPromoted, events.PromotionAccepted}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("promotion events %v, want %v", got, want)
		}
	})
}

func TestRulePacks(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		path := "/api/v1/regions/" + h.IDs["lixia"] + "/rule-packs"

		// An early residency moves in under version 1.
		r := h.mustStatus(h.enrolHTTP("parkadmin@lixia.demo", h.IDs["X"], map[string]any{"company_id": h.IDs["coA"], "moved_in_on": "2026-01-01", "unit": "A", "area_m2": 50}), 201, "v1 residency")
		if r["rule_pack_version"] != 1.0 || r["term_end_on"] != "2030-01-01" {
			t.Fatalf("v1 residency: %v", r)
		}

		page := h.mustStatus(h.Do("officer@lixia.demo", "GET", path, nil), 200, "list packs")
		items := page["items"].([]any)
		v1 := items[0].(map[string]any)
		if len(items) != 1 || v1["version"] != 1.0 || v1["term_months"] != 48.0 || v1["entry_age_months"] != 24.0 || v1["cadence"] != "quarterly" {
			t.Fatalf("seeded pack: %v", page)
		}
		if v1["industry_terms"].(map[string]any)["C39"] != 60.0 {
			t.Fatalf("industry exceptions: %v", v1["industry_terms"])
		}
		for as, want := range map[string]int{"operator@lixia.demo": 200, "founder@lixia.demo": 404, "officer@huaiyin.demo": 404, "": 401} {
			if got := h.Do(as, "GET", path, nil).Status; got != want {
				t.Errorf("list packs as %q: %d, want %d", as, got, want)
			}
		}

		body := map[string]any{"name": "历下区 2026 规则", "entry_age_months": 36, "term_months": 36, "industry_terms": map[string]int{"I65": 40},
			"graduation": map[string]any{"high_tech_certificate": true, "financing_over_yuan": 8_000_000, "revenue_over_yuan": 10_000_000, "revenue_consecutive_years": 2},
			"cadence":    "monthly"}
		for as, want := range map[string]int{"officer@lixia.demo": 403, "parkadmin@lixia.demo": 403, "founder@lixia.demo": 404} {
			if got := h.Do(as, "POST", path, body).Status; got != want {
				t.Errorf("publish as %s: %d, want %d", as, got, want)
			}
		}
		res := h.Do("district@lixia.demo", "POST", path, map[string]any{"name": "x", "entry_age_months": 0, "term_months": 36, "cadence": "weekly",
			"industry_terms": map[string]int{"ZZ": 12}})
		if _, f := problemSlug(t, res); res.Status != 422 || f["entry_age_months"] != "out_of_range" || f["cadence"] != "one_of" || f["industry_terms.ZZ"] != "industry_code" {
			t.Fatalf("bad pack: %d %s", res.Status, res.Body)
		}
		v2 := h.mustStatus(h.Do("district@lixia.demo", "POST", path, body), 201, "publish")
		if v2["version"] != 2.0 || v2["published_by"] != h.Users["district@lixia.demo"] {
			t.Fatalf("published: %v", v2)
		}

		// A residency moved in now gets version 2 (40 months for I65);
		// the earlier one keeps version 1.
		h.mustStatus(h.Do("parkadmin@lixia.demo", "POST", "/api/v1/residencies/"+r["id"].(string)+"/exit", map[string]any{"reason": "搬离", "on": "2026-02-01"}), 200, "exit")
		r2 := h.mustStatus(h.enrolHTTP("parkadmin@lixia.demo", h.IDs["X"], map[string]any{"company_id": h.IDs["coA"], "moved_in_on": "2026-03-01", "unit": "A", "area_m2": 50}), 201, "v2 residency")
		if r2["rule_pack_version"] != 2.0 || r2["term_end_on"] != "2029-07-01" {
			t.Fatalf("v2 residency: %v", r2)
		}
		old := h.mustStatus(h.Do("parkadmin@lixia.demo", "GET", "/api/v1/residencies/"+r["id"].(string), nil), 200, "old")
		if old["rule_pack_version"] != 1.0 || old["evaluation"].(map[string]any)["rule_pack_version"] != 1.0 {
			t.Fatalf("old residency re-evaluated with another pack: %v", old)
		}
		// Every region got version 1 when it appeared; lixia then published 2.
		var lixia []events.Envelope
		for _, ev := range h.outboxEvents(events.RulePackPublished) {
			if ev.RegionID == h.IDs["lixia"] {
				lixia = append(lixia, ev)
			}
		}
		if len(lixia) != 2 {
			t.Fatalf("rule pack events of lixia: %d, want 2 (v1 when the region appeared, v2 published)", len(lixia))
		}
	})
}

// Two carriers moving the same company in at the same moment: exactly one
// wins, the other gets the duplicate conflict (the unique index backs the
// use case's check when both pass it at once on PostgreSQL).
func TestResidencyDuplicateRace(t *testing.T) {
	eachResidency(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		admin := app.Actor{UserID: h.Users["admin@incuchain.demo"]}
		var ids []string
		for _, c := range []string{"X", "M", "I", "A"} {
			r := h.mustEnrol("admin@incuchain.demo", h.IDs[c], app.OfferEnrolmentInput{CompanyID: h.IDs["coA"], AdmittedOn: &residencyClock})
			ids = append(ids, r.ID())
		}
		errs := make(chan error, len(ids))
		for _, id := range ids {
			go func() {
				_, err := h.svc.cq.Commands.MoveIn.Handle(ctx, command.MoveIn{Actor: admin, ResidencyID: id, Facts: domain.MoveInFacts{On: residencyClock, Unit: "U", AreaM2: 10}})
				errs <- err
			}()
		}
		won := 0
		for range ids {
			err := <-errs
			switch ae, ok := apperr.As(err); {
			case err == nil:
				won++
			case ok && ae.Category == apperr.Conflict && ae.Slug == "already-in-residence":
			default:
				t.Errorf("move-in: %v", err)
			}
		}
		page := h.mustStatus(h.Do("district@lixia.demo", "GET", "/api/v1/regions/"+h.IDs["lixia"]+"/residencies?status=in_residence", nil), 200, "list")
		if won != 1 || page["total"] != 1.0 {
			t.Fatalf("%d move-ins won, %v in residence; want 1 and 1", won, page["total"])
		}
	})
}

// The proposing carrier learns where it may promote to from this service:
// the active carriers of its region higher up the chain.
func TestPromotionTargets(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		r := h.mustEnrol("makeradmin@lixia.demo", h.IDs["M"],
			app.OfferEnrolmentInput{CompanyID: h.IDs["coB"], MoveIn: &domain.MoveInFacts{On: h.svc.clock.Today(), Unit: "M-1", AreaM2: 20}})
		res := h.Do("makeradmin@lixia.demo", "GET", "/api/v1/residencies/"+r.ID()+"/promotion/targets", nil)
		if res.Status != 200 {
			t.Fatalf("targets: %d %s", res.Status, res.Body)
		}
		var got []string
		for _, it := range res.JSON(t)["items"].([]any) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		want := []string{h.IDs["I"], h.IDs["A"], h.IDs["X"]} // incubator, accelerator, science park; not huaiyin's
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("targets %v, want %v", got, want)
		}
	})
}
