package incubatees

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/incuchain/incuchain/pkg/events"
)

// TestDeclinePromotion: the receiving carrier declines a consented
// promotion with a reason. Without a reason it is a field error in zh-CN
// and en and nothing changes; the sending carrier and the company are
// refused. Once declined, the sending carrier and the company read the
// reason, the inbox lists it as declined, the residency stays in
// residence where it was, promotion.declined is published with the
// reason, and the sending carrier may propose again.
func TestDeclinePromotion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		h.setResidencyClock(residencyClock)
		M, I, coB := h.ids["M"], h.ids["I"], h.ids["coB"]
		r := h.mustStatus(h.enrolHTTP("makeradmin@lixia.demo", M, map[string]any{"company_id": coB, "moved_in_on": "2025-09-01", "unit": "工位 12", "area_m2": 6}), 201, "maker residency")
		id := r["id"].(string)
		promo, decline := "/api/v1/residencies/"+id+"/promotion", "/api/v1/residencies/"+id+"/promotion/decline"
		h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotions", map[string]any{"to_carrier_id": I, "shared": []string{"milestones"}}), 201, "propose")
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
				var pb struct {
					Errors []struct{ Field, Message string }
				}
				if err := json.Unmarshal(res.Body, &pb); err != nil || len(pb.Errors) != 1 || pb.Errors[0].Message == "" ||
					strings.ContainsFunc(pb.Errors[0].Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) != han {
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
			evs[0].CarrierID != M || evs[0].Actor != h.users["incadmin@lixia.demo"] {
			t.Errorf("declined event %+v (%v), envelope %+v", ev, err, evs[0])
		}

		// The residency is free for a new proposal.
		h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotions", map[string]any{"to_carrier_id": I}), 201, "propose again")
	})
}
