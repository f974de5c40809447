package list

import "testing"

func TestOffset(t *testing.T) {
	for _, tc := range []struct {
		p    Params
		want int
	}{
		{Params{Page: 1, PageSize: 20}, 0},
		{Params{Page: 3, PageSize: 20}, 40},
		{First(1000), 0},
	} {
		if got := tc.p.Offset(); got != tc.want {
			t.Errorf("%+v.Offset() = %d, want %d", tc.p, got, tc.want)
		}
	}
	if p := First(7); p.Page != 1 || p.PageSize != 7 || p.Q != "" || p.Sort != "" {
		t.Errorf("First(7) = %+v", p)
	}
}
