package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Carrier kinds in chain order, and the two policy kinds outside the chain.
var CarrierKinds = []string{"maker_space", "incubator", "accelerator", "science_park", "concept_center", "pilot_base"}

// ChainKinds are the four steps of the incubation chain, in order.
var ChainKinds = []string{"maker_space", "incubator", "accelerator", "science_park"}

// LadderRungs are the cultivation ladder's three rungs, in order:
// 科技型中小企业 → 高新技术企业 → 科技创新领军企业.
var LadderRungs = []string{"tech_sme", "high_tech", "leading"}

// Window is a closed range of days [From, To], YYYY-MM-DD.
type Window struct {
	From, To string
	// Label names the window as asked ("2026-Q3", "2026", "as of 2026-08-15").
	Label string
}

// Filter is what a figure is asked for.
type Filter struct {
	RegionID    string
	CarrierKind string
	CarrierID   string
	Industry    string // GB/T 4754 section letter, A–T
	Window      Window
}

// FilterInput is a figure request's raw query parameters.
type FilterInput struct {
	CarrierKind, CarrierID, Industry, Period, AsOf string
}

var (
	quarterRe = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	yearRe    = regexp.MustCompile(`^(\d{4})$`)
	monthRe   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
)

// ParseFilter checks a request's filters; today is the window when
// neither period nor as_of is given (the year to date). A refused filter
// is an invalid-filter validation error naming each field.
func ParseFilter(regionID string, in FilterInput, today time.Time) (Filter, error) {
	v := apperr.NewValidation("invalid-filter")
	f := Filter{RegionID: regionID, CarrierKind: in.CarrierKind, CarrierID: in.CarrierID, Industry: strings.ToUpper(in.Industry)}
	if in.CarrierKind != "" {
		ok := false
		for _, k := range CarrierKinds {
			ok = ok || k == in.CarrierKind
		}
		v.Check(!ok, "carrier_kind", "one_of", "allowed", strings.Join(CarrierKinds, ", "))
	}
	v.Check(in.CarrierID != "" && !validID(in.CarrierID), "carrier_id", "invalid")
	v.Check(f.Industry != "" && (len(f.Industry) != 1 || f.Industry[0] < 'A' || f.Industry[0] > 'T'), "industry", "not_an_industry_section")
	v.Check(in.Period != "" && in.AsOf != "", "as_of", "period_and_as_of")
	switch {
	case in.Period != "":
		w, ok := PeriodWindow(in.Period)
		v.Check(!ok, "period", "not_a_period")
		f.Window = w
	case in.AsOf != "":
		d, err := time.Parse(time.DateOnly, in.AsOf)
		v.Check(err != nil, "as_of", "not_a_date")
		if err == nil {
			f.Window = Window{From: fmt.Sprintf("%04d-01-01", d.Year()), To: in.AsOf, Label: in.AsOf}
		}
	default:
		d := today.Format(time.DateOnly)
		f.Window = Window{From: d[:4] + "-01-01", To: d, Label: d}
	}
	return f, v.Err()
}

// PeriodWindow is the window of a quarter ("2026-Q3"), a year ("2026") or
// a month ("2026-07"), the periods reports are filed for.
func PeriodWindow(p string) (Window, bool) {
	if m := quarterRe.FindStringSubmatch(p); m != nil {
		q, _ := strconv.Atoi(m[2])
		from := fmt.Sprintf("%s-%02d-01", m[1], 3*q-2)
		return Window{From: from, To: lastDay(m[1], 3*q), Label: p}, true
	}
	if m := yearRe.FindStringSubmatch(p); m != nil {
		return Window{From: m[1] + "-01-01", To: m[1] + "-12-31", Label: p}, true
	}
	if m := monthRe.FindStringSubmatch(p); m != nil {
		mo, _ := strconv.Atoi(m[2])
		return Window{From: p + "-01", To: lastDay(m[1], mo), Label: p}, true
	}
	return Window{}, false
}

func lastDay(year string, month int) string {
	y, _ := strconv.Atoi(year)
	return time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// SnapshotPeriod reports whether p is a period a snapshot freezes: a
// quarter or a year.
func SnapshotPeriod(p string) bool { return quarterRe.MatchString(p) || yearRe.MatchString(p) }

// validID accepts the ids Incuchain hands out (ULIDs) and nothing that
// could be mistaken for more: letters and digits, 1–64 of them.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// IndustrySection is the GB/T 4754 section (门类, A–T) of an industry
// code ("I65", "M", "i6510"); "" when the code names none.
func IndustrySection(code string) string {
	code = strings.TrimSpace(strings.ToUpper(code))
	if code == "" || code[0] < 'A' || code[0] > 'T' {
		return ""
	}
	return code[:1]
}

// Stamp orders the events of one aggregate: later occurred_at wins, the
// event id breaks a tie. Stamps compare as strings.
func Stamp(occurredAt time.Time, eventID string) string {
	return occurredAt.UTC().Format("2006-01-02T15:04:05.000000000Z") + "|" + eventID
}

// MonthsBetween is the whole and fractional months from a to b
// (YYYY-MM-DD), by days / (365.25/12); false when either is no date.
func MonthsBetween(a, b string) (float64, bool) {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return tb.Sub(ta).Hours() / 24 / (365.25 / 12), true
}

// Median of xs (sorted or not); 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ThousandYuan converts 元 to 千元, the Torch forms' unit, to 0.001.
func ThousandYuan(yuan int64) float64 { return float64(yuan) / 1000 }
