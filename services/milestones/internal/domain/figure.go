package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Units a target or a reported figure may be in. Money is in 千元
// (thousand yuan), as the Torch statistics forms count it.
const (
	UnitThousandYuan = "thousand_yuan"
	UnitPeople       = "people"
	UnitCount        = "count"
	UnitPercent      = "percent"
)

// Units lists every unit, in display order.
var Units = []string{UnitThousandYuan, UnitPeople, UnitCount, UnitPercent}

// UnitNames name the units (zh-CN, en).
var UnitNames = map[string][2]string{
	UnitThousandYuan: {"千元", "thousand yuan"}, UnitPeople: {"人", "people"}, UnitCount: {"个", "items"}, UnitPercent: {"%", "percent"},
}

// unitName is a unit's name in one language (0 zh-CN, 1 en); an unknown
// unit is shown as given.
func unitName(u string, lang int) string {
	if n, ok := UnitNames[u]; ok {
		return n[lang]
	}
	return u
}

// Figure is a number with its unit: a target ("revenue ≥ 5,000 千元") or
// what a startup reports.
type Figure struct {
	Value float64
	Unit  string
}

// checkFigure adds field errors of f under field to v.
func checkFigure(v *apperr.Validation, field string, f *Figure) {
	if f == nil {
		return
	}
	names := func(lang int) string {
		out := make([]string, len(Units))
		for i, u := range Units {
			out[i] = unitName(u, lang)
		}
		return strings.Join(out, []string{"、", ", "}[lang])
	}
	v.Check(!slices.Contains(Units, f.Unit), field+".unit", "unknown_unit", "allowed_zh", names(0), "allowed_en", names(1))
	v.Check(f.Value < 0 || f.Value > 1e12, field+".value", "out_of_range", "min", 0, "max", "1e12")
}

// CategoryNames name the categories (zh-CN, en).
var CategoryNames = map[string][2]string{
	"team": {"团队", "team"}, "product": {"产品", "product"}, "registration": {"注册登记", "registration"}, "revenue": {"营业收入", "revenue"},
	"certification": {"资质认定", "certification"}, "financing": {"融资", "financing"}, "other": {"其他", "other"},
}

// Categories group milestones (the console filters and colours by them).
var Categories = []string{"team", "product", "registration", "revenue", "certification", "financing", "other"}

// DateLayout is how dates travel and are stored.
const DateLayout = "2006-01-02"

// Day is t's calendar day in UTC, at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

// FormatDate writes t as YYYY-MM-DD ("" for the zero time).
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(DateLayout)
}

// DaysBetween is the number of whole days from a to b (negative when b is
// earlier).
func DaysBetween(a, b time.Time) int {
	return int(Day(b).Sub(Day(a)).Hours() / 24)
}
