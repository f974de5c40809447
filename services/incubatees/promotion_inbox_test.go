package incubatees

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
)

// TestPromotionInbox: a promotion appears in the receiving carrier's
// inbox (and its badge count) once the company consented, named by the
// company and both carriers, without its packet; accepting moves it to
// the accepted list. Only the receiving carrier's staff and its district
// read the inbox; a bad status is a field error in both languages.
func TestPromotionInbox(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			h := newHarness(t, d)
			h.setResidencyClock(residencyClock)
			M, I, coB := h.ids["M"], h.ids["I"], h.ids["coB"]
			inbox := "/api/v1/carriers/" + I + "/incoming-promotions"
			count := func(status string) float64 {
				t.Helper()
				c := h.mustStatus(h.Do("incadmin@lixia.demo", "GET", inbox+"/count?status="+status, nil), 200, "count "+status)
				if c["status"] != status {
					t.Fatalf("count answers for %v, asked %s", c["status"], status)
				}
				return c["count"].(float64)
			}
			items := func(as, query string) []any {
				t.Helper()
				return h.mustStatus(h.Do(as, "GET", inbox+query, nil), 200, "inbox "+query)["items"].([]any)
			}

			r := h.mustStatus(h.enrolHTTP("makeradmin@lixia.demo", M, map[string]any{"company_id": coB, "moved_in_on": "2025-09-01", "unit": "工位 12", "area_m2": 6}), 201, "maker residency")
			id := r["id"].(string)
			h.mustStatus(h.Do("makeradmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotions", map[string]any{"to_carrier_id": I, "shared": []string{"milestones", "latest_metrics"}}), 201, "propose")
			// A proposal is between the sending carrier and the company.
			if n := count("consented"); n != 0 {
				t.Fatalf("inbox counts a proposal before consent: %v", n)
			}
			if got := items("incadmin@lixia.demo", ""); len(got) != 0 {
				t.Fatalf("inbox lists a proposal before consent: %v", got)
			}

			p := h.mustStatus(h.Do("founder2@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/consent", nil), 200, "consent")
			if p["to_carrier_name"] != "历下科技企业孵化器" || p["from_carrier_name"] != "历下创客空间" || p["company_name"] == "" {
				t.Fatalf("consented promotion is not named: %v", p)
			}
			if n := count("consented"); n != 1 {
				t.Fatalf("consented count: %v, want 1", n)
			}
			for _, as := range []string{"incadmin@lixia.demo", "district@lixia.demo", "officer@lixia.demo"} {
				got := items(as, "")
				if len(got) != 1 {
					t.Fatalf("%s reads %d entries, want 1", as, len(got))
				}
				e := got[0].(map[string]any)
				if e["residency_id"] != id || e["status"] != "consented" || e["company_name"] != p["company_name"] ||
					e["from_carrier_name"] != "历下创客空间" || e["to_carrier_name"] != "历下科技企业孵化器" {
					t.Fatalf("%s: inbox entry %v", as, e)
				}
				if _, ok := e["packet"]; ok {
					t.Fatalf("the inbox list carries the packet: %v", e)
				}
			}
			// The sending carrier, another carrier, another region's district
			// and the company do not read I's inbox.
			for _, as := range []string{"makeradmin@lixia.demo", "parkadmin@lixia.demo", "stranger@lixia.demo", "officer@huaiyin.demo", "founder2@lixia.demo"} {
				for _, path := range []string{inbox, inbox + "/count"} {
					if res := h.Do(as, "GET", path, nil); res.Status != 404 {
						t.Errorf("%s GET %s: %d, want 404", as, path, res.Status)
					}
				}
			}
			// Bad filters are field errors, in zh-CN and en.
			for lang, han := range map[string]bool{"zh-CN": true, "en": false} {
				for _, path := range []string{inbox + "?status=proposed", inbox + "/count?status=nonsense"} {
					res := h.Do("incadmin@lixia.demo", "GET", path, nil, "Accept-Language", lang)
					slug, f := problemSlug(t, res)
					if res.Status != 422 || slug != "invalid-query" || f["status"] != "one_of" {
						t.Errorf("%s %s: %d %s", lang, path, res.Status, res.Body)
					}
					var pb struct {
						Errors []struct{ Field, Message string }
					}
					if err := json.Unmarshal(res.Body, &pb); err != nil || len(pb.Errors) != 1 || !strings.Contains(pb.Errors[0].Message, "consented") ||
						strings.ContainsFunc(pb.Errors[0].Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) != han {
						t.Errorf("%s %s: field message %s", lang, path, res.Body)
					}
				}
			}

			acc := h.mustStatus(h.Do("incadmin@lixia.demo", "POST", "/api/v1/residencies/"+id+"/promotion/accept", nil), 200, "accept")
			if acc["new_residency_id"] == "" || acc["to_carrier_name"] != "历下科技企业孵化器" {
				t.Fatalf("accepted: %v", acc)
			}
			if n := count("consented"); n != 0 {
				t.Fatalf("consented count after accept: %v", n)
			}
			if n := count("accepted"); n != 1 {
				t.Fatalf("accepted count: %v", n)
			}
			got := items("incadmin@lixia.demo", "?status=accepted&sort=created_at&desc=true")
			if len(got) != 1 || got[0].(map[string]any)["new_residency_id"] != acc["new_residency_id"] {
				t.Fatalf("accepted list: %v", got)
			}
		})
	}
}
