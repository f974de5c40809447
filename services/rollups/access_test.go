package rollups

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"unicode"
)

// Park staff see the region's totals, the same the district sees, but the
// rows behind them only of their own carrier.
func TestParkStaffSeeTotalsButOnlyTheirOwnRows(t *testing.T) {
	eachHistory(t, func(t *testing.T, h *harness) {
		q2 := url.Values{"period": {"2026-Q2"}}
		const maker = "makeradmin@lixia.demo"
		for _, fig := range []string{"carriers", "residencies", "funnel", "ladder"} {
			var district, park map[string]any
			h.get(officer, fig, q2, &district)
			h.get(maker, fig, q2, &park)
			if !equalJSON(district, park) {
				t.Errorf("%s: park staff see %v, the district %v", fig, park, district)
			}
		}
		var rows struct {
			Items []struct {
				CarrierID string `json:"carrier_id"`
			}
		}
		h.get(maker, "residencies/rows", url.Values{"period": {"2026-Q2"}, "measure": {"admitted"}}, &rows)
		// Admitted in Q2: coB at X (promoted from M). M's own staff do not see X's row.
		if len(rows.Items) != 0 {
			t.Errorf("M's admin sees residencies of other carriers: %+v", rows.Items)
		}
		h.get(maker, "residencies/rows", url.Values{"period": {"2026-Q2"}, "measure": {"promoted"}}, &rows)
		if len(rows.Items) != 1 || rows.Items[0].CarrierID != h.IDs["M"] {
			t.Errorf("M's admin, promoted rows: %+v", rows.Items)
		}
		var reports struct {
			Sums struct {
				RD float64 `json:"rd_expenditure"`
			}
			Top []any `json:"top_rd_spenders"`
		}
		h.get(maker, "reports", q2, &reports)
		if reports.Sums.RD != 120 || len(reports.Top) != 0 {
			t.Errorf("M's admin: region totals %v, and no other carrier's spenders: %v", reports.Sums, reports.Top)
		}
		var conflicts struct{ Items []any }
		h.get(maker, "conflicts", q2, &conflicts)
		if len(conflicts.Items) != 0 {
			t.Errorf("M's admin sees a conflict of X and A: %v", conflicts.Items)
		}
		h.get("parkadmin@lixia.demo", "conflicts", q2, &conflicts)
		if len(conflicts.Items) != 1 {
			t.Errorf("X's admin does not see its conflict: %v", conflicts.Items)
		}
		var health struct {
			Carriers []struct {
				CarrierID string `json:"carrier_id"`
			}
		}
		h.get(maker, "health", q2, &health)
		if len(health.Carriers) != 1 || health.Carriers[0].CarrierID != h.IDs["M"] {
			t.Errorf("M's admin, health lines: %+v", health.Carriers)
		}
	})
}

func equalJSON(a, b map[string]any) bool {
	return slices.Equal(sortedJSON(a), sortedJSON(b))
}

func sortedJSON(m map[string]any) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+jsonString(v))
	}
	slices.Sort(out)
	return out
}

// Every answer has an ETag that answers 304 when sent back; bad filters
// are a 422 naming each field, in Chinese and in English.
func TestETagAndRefusedFilters(t *testing.T) {
	h := newHistory(t, "sqlite")
	base := "/api/v1/regions/" + h.IDs["lixia"] + "/rollups/"
	for _, path := range []string{"carriers?period=2026-Q2", "residencies/rows?measure=admitted", "conflicts"} {
		r := h.Do(officer, "GET", base+path, nil)
		tag := r.Header.Get("ETag")
		if r.Status != http.StatusOK || tag == "" {
			t.Fatalf("%s: %d, ETag %q", path, r.Status, tag)
		}
		if again := h.Do(officer, "GET", base+path, nil, "If-None-Match", tag); again.Status != http.StatusNotModified || len(again.Body) != 0 {
			t.Errorf("%s with its ETag: %d %s", path, again.Status, again.Body)
		}
		if other := h.Do(officer, "GET", base+path, nil, "If-None-Match", `"stale"`); other.Status != http.StatusOK {
			t.Errorf("%s with another ETag: %d", path, other.Status)
		}
	}
	cases := []struct {
		query  string
		fields []string
	}{
		{"period=2026-Q5", []string{"period"}},
		{"as_of=2026-02-30", []string{"as_of"}},
		{"period=2026&as_of=2026-01-01", []string{"as_of"}},
		{"carrier_kind=spaceport&industry=Z9", []string{"carrier_kind", "industry"}},
		{"carrier_id=not-an-id!", []string{"carrier_id"}},
	}
	for _, c := range cases {
		for _, lang := range []string{"zh-CN", "en"} {
			r := h.Do(officer, "GET", base+"carriers?"+c.query, nil, "Accept-Language", lang)
			if r.Status != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s (%s): %d %s", c.query, lang, r.Status, r.Body)
				continue
			}
			var p struct {
				Slug   string
				Errors []struct{ Field, Message string }
			}
			r.Decode(t, &p)
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Field)
				if e.Message == "" || (lang == "zh-CN") != hasHan(e.Message) {
					t.Errorf("%s (%s): %s message %q", c.query, lang, e.Field, e.Message)
				}
			}
			if p.Slug != "invalid-filter" || !slices.Equal(got, c.fields) {
				t.Errorf("%s (%s): %s %v, want invalid-filter %v", c.query, lang, p.Slug, got, c.fields)
			}
		}
	}
	if r := h.Do(officer, "GET", base+"residencies/rows?measure=everyone", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown measure: %d %s", r.Status, r.Body)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
