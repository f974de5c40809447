package calendar

import (
	"testing"
	"time"
)

func TestTodayIsTheDateInChina(t *testing.T) {
	for _, c := range []struct {
		at   string
		want string
	}{
		{"2026-12-06T15:59:59Z", "2026-12-06"},
		{"2026-12-06T16:00:00Z", "2026-12-07"}, // midnight in Jinan
		{"2026-12-31T23:30:00Z", "2027-01-01"},
		{"2026-12-07T00:30:00+08:00", "2026-12-07"},
		{"2026-12-06T20:00:00-05:00", "2026-12-07"},
	} {
		at, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := Date(at); got != c.want {
			t.Errorf("Date(%s) = %s, want %s", c.at, got, c.want)
		}
		if got := Today(at); got.Location() != time.UTC || got.Hour() != 0 || got.Format(time.DateOnly) != c.want {
			t.Errorf("Today(%s) = %v, want midnight UTC of %s", c.at, got, c.want)
		}
	}
}
