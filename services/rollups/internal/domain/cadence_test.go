package domain

import (
	"reflect"
	"testing"
)

func TestDuePeriods(t *testing.T) {
	q3 := Window{From: "2026-07-01", To: "2026-09-30"}
	year := Window{From: "2026-01-01", To: "2026-12-06"}
	labels := func(ps []ReportPeriod) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.Label)
		}
		return out
	}
	for _, c := range []struct {
		name, cadence  string
		grace          int
		w              Window
		movedIn, ended string
		want           []string
	}{
		{"a quarter asks for the quarter before", Quarterly, 15, q3, "2025-01-01", "", []string{"2026-Q2"}},
		{"monthly: the three months due in it", Monthly, 15, q3, "2025-01-01", "", []string{"2026-06", "2026-07", "2026-08"}},
		{"the year to date, quarterly", Quarterly, 15, year, "2025-01-01", "", []string{"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"}},
		{"moved in during Q1: Q1 on", Quarterly, 15, year, "2026-03-02", "", []string{"2026-Q1", "2026-Q2", "2026-Q3"}},
		{"left on the last day of Q2", Quarterly, 15, year, "2026-02-05", "2026-06-30", []string{"2026-Q1", "2026-Q2"}},
		{"left on the first day of Q2: not in residence in it", Quarterly, 15, year, "2026-02-05", "2026-04-01", []string{"2026-Q1"}},
		{"a longer grace moves a deadline out of the window", Quarterly, 70, year, "2025-01-01", "", []string{"2025-Q4", "2026-Q1", "2026-Q2"}},
		{"not moved in", Quarterly, 15, year, "", "", []string{}},
	} {
		if got := labels(DuePeriods(c.cadence, c.grace, c.w, c.movedIn, c.ended)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if p := DuePeriods(Quarterly, 15, q3, "2025-01-01", ""); p[0].DueOn != "2026-07-15" || p[0].Start != "2026-04-01" || p[0].End != "2026-06-30" {
		t.Errorf("2026-Q2: %+v", p[0])
	}
}
