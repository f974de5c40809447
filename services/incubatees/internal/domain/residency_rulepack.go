package domain

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// Reporting cadences a rule pack may ask for.
var RulePackCadences = []string{"monthly", "quarterly"}

// GraduationRules are the conditions of which any one graduates a company.
type GraduationRules struct {
	HighTechCertificate bool  `json:"high_tech_certificate"`
	FinancingOverYuan   int64 `json:"financing_over_yuan"`       // cumulative angel/VC financing, 元; 0 = not a condition
	RevenueOverYuan     int64 `json:"revenue_over_yuan"`         // yearly revenue, 元; 0 = not a condition
	RevenueYears        int   `json:"revenue_consecutive_years"` // consecutive years above RevenueOverYuan
}

// RulePack is one published version of a region's incubation rules.
// Packs are never changed: a district admin publishes a new version.
type RulePack struct {
	RegionID       string
	Version        int
	Name           string
	EntryAgeMonths int            // a company at most this old (months since founding) when it moves in
	TermMonths     int            // the incubation term
	IndustryTerms  map[string]int // GB/T 4754 code prefix → term months (longest prefix wins)
	Graduation     GraduationRules
	Cadence        string // monthly | quarterly
	PublishedAt    time.Time
	PublishedBy    string
}

// NationalPack2018 is the shape of the 2018 national incubator rules
// (国科发区〔2018〕300号): entry at most 24 months old, a 48-month term, 60
// months for integrated circuits, biomedicine and modern agriculture.
func NationalPack2018(regionID string, now time.Time) RulePack {
	return RulePack{RegionID: regionID, Version: 1, Name: "2018 国家级科技企业孵化器管理办法（形态）",
		EntryAgeMonths: 24, TermMonths: 48,
		IndustryTerms: map[string]int{"C39": 60, "C27": 60, "M7340": 60, "A": 60},
		Graduation:    GraduationRules{HighTechCertificate: true, FinancingOverYuan: 5_000_000, RevenueOverYuan: 10_000_000, RevenueYears: 2},
		Cadence:       "quarterly", PublishedAt: now, PublishedBy: "system"}
}

var residencyIndustryPrefix = regexp.MustCompile(`^[A-T][0-9]{0,4}$`)

// Validate checks a pack before it is published.
func (p RulePack) Validate() error {
	v := apperr.NewValidation("invalid-rule-pack")
	v.Check(strings.TrimSpace(p.Name) == "" || utf8.RuneCountInString(p.Name) > 200, "name", "required")
	v.Check(p.EntryAgeMonths < 1 || p.EntryAgeMonths > 240, "entry_age_months", "out_of_range", "min", 1, "max", 240)
	v.Check(p.TermMonths < 1 || p.TermMonths > 240, "term_months", "out_of_range", "min", 1, "max", 240)
	keys := make([]string, 0, len(p.IndustryTerms))
	for k := range p.IndustryTerms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := "industry_terms." + k
		v.Check(!residencyIndustryPrefix.MatchString(k), field, "industry_code", "value", k)
		m := p.IndustryTerms[k]
		v.Check(m < 1 || m > 240, field, "out_of_range", "min", 1, "max", 240)
	}
	g := p.Graduation
	v.Check(g.FinancingOverYuan < 0, "graduation.financing_over_yuan", "out_of_range", "min", 0, "max", int64(1e12))
	v.Check(g.RevenueOverYuan < 0, "graduation.revenue_over_yuan", "out_of_range", "min", 0, "max", int64(1e12))
	v.Check(g.RevenueYears < 0 || g.RevenueYears > 10, "graduation.revenue_consecutive_years", "out_of_range", "min", 0, "max", 10)
	CheckOneOf(v, "cadence", p.Cadence, RulePackCadences)
	return v.Err()
}

// TermFor is the term in months for a company of industry code, the
// longest matching industry exception first.
func (p RulePack) TermFor(industry string) int {
	best, months := -1, p.TermMonths
	for prefix, m := range p.IndustryTerms {
		if strings.HasPrefix(industry, prefix) && len(prefix) > best {
			best, months = len(prefix), m
		}
	}
	return months
}

// CompanyFacts are what is known of a company when a residency is evaluated.
type CompanyFacts struct {
	IndustryCode            string
	FoundedOn               *time.Time
	HighTechCertificate     bool
	CumulativeFinancingYuan int64
	RevenueByYearYuan       map[int]int64 // calendar year → revenue, 元
}

// Evaluation is what a rule pack says about a residency at a date.
type Evaluation struct {
	PackVersion      int        `json:"rule_pack_version"`
	At               time.Time  `json:"at"`
	TermMonths       int        `json:"term_months"`
	TermEndOn        *time.Time `json:"term_end_on,omitempty"`
	Overstaying      bool       `json:"overstaying"`
	EntryAgeMonths   *int       `json:"entry_age_months,omitempty"`
	EntryAgeExceeded bool       `json:"entry_age_exceeded"`
	GraduationMet    []string   `json:"graduation_met"`
}

// MonthsBetween counts whole months from a to b (0 when b is before a).
func MonthsBetween(a, b time.Time) int {
	a, b = residencyDay(a), residencyDay(b)
	if b.Before(a) {
		return 0
	}
	m := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return m
}

// TermEnd is the last day of a term of months starting on movedIn.
func TermEnd(movedIn time.Time, months int) time.Time {
	return residencyDay(movedIn).AddDate(0, months, 0)
}

// Evaluate applies pack to residency r of a company with facts at date at.
// It is pure: the caller records PackVersion with whatever it stores.
func Evaluate(p RulePack, r *Residency, f CompanyFacts, at time.Time) Evaluation {
	e := Evaluation{PackVersion: p.Version, At: residencyDay(at), TermMonths: p.TermFor(f.IndustryCode), GraduationMet: []string{}}
	entry := r.admittedOn
	if r.movedInOn != nil {
		end := TermEnd(*r.movedInOn, e.TermMonths)
		e.TermEndOn = &end
		e.Overstaying = r.status == InResidence && residencyDay(at).After(end)
		entry = *r.movedInOn
	}
	if f.FoundedOn != nil {
		age := MonthsBetween(*f.FoundedOn, entry)
		e.EntryAgeMonths = &age
		// "At most 24 months old": older than that by a day counts.
		e.EntryAgeExceeded = residencyDay(entry).After(residencyDay(*f.FoundedOn).AddDate(0, p.EntryAgeMonths, 0))
	}
	g := p.Graduation
	if g.HighTechCertificate && f.HighTechCertificate {
		e.GraduationMet = append(e.GraduationMet, "high_tech_certificate")
	}
	if g.FinancingOverYuan > 0 && f.CumulativeFinancingYuan > g.FinancingOverYuan {
		e.GraduationMet = append(e.GraduationMet, "financing")
	}
	if g.RevenueOverYuan > 0 && g.RevenueYears > 0 && residencyConsecutiveYears(f.RevenueByYearYuan, g.RevenueOverYuan) >= g.RevenueYears {
		e.GraduationMet = append(e.GraduationMet, "revenue")
	}
	return e
}

func residencyConsecutiveYears(byYear map[int]int64, over int64) int {
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	best, run, prev := 0, 0, 0
	for _, y := range years {
		if byYear[y] > over {
			if run > 0 && y == prev+1 {
				run++
			} else {
				run = 1
			}
			prev = y
		} else {
			run = 0
		}
		best = max(best, run)
	}
	return best
}
