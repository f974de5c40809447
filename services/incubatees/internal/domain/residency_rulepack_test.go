package domain

import (
	"reflect"
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	v1 := NationalPack2018("lixia", residencyTestNow)
	v2 := v1
	v2.Version, v2.TermMonths, v2.EntryAgeMonths, v2.IndustryTerms = 2, 36, 36, map[string]int{"I65": 42}
	inRes := func(moved string) Residency {
		return Residency{status: InResidence, admittedOn: day(moved), movedInOn: dayp(moved)}
	}
	cases := []struct {
		name          string
		pack          RulePack
		r             Residency
		f             CompanyFacts
		at            string
		wantVersion   int
		wantTerm      int
		wantEnd       string
		wantOverstay  bool
		wantAge       int
		wantAgeExceed bool
		wantGrad      []string
	}{
		{"within term", v1, inRes("2022-07-01"), CompanyFacts{IndustryCode: "I6511", FoundedOn: dayp("2021-07-01")}, "2026-06-30",
			1, 48, "2026-07-01", false, 12, false, []string{}},
		{"term end day is still in", v1, inRes("2022-07-01"), CompanyFacts{IndustryCode: "I6511"}, "2026-07-01",
			1, 48, "2026-07-01", false, -1, false, []string{}},
		{"overstaying the day after", v1, inRes("2022-07-01"), CompanyFacts{IndustryCode: "I6511"}, "2026-07-02",
			1, 48, "2026-07-01", true, -1, false, []string{}},
		{"industry exception C39 gets 60 months", v1, inRes("2022-07-01"), CompanyFacts{IndustryCode: "C3973"}, "2026-07-02",
			1, 60, "2027-07-01", false, -1, false, []string{}},
		{"industry exception M7340 (longest prefix)", v1, inRes("2022-07-01"), CompanyFacts{IndustryCode: "M7340"}, "2027-07-02",
			1, 60, "2027-07-01", true, -1, false, []string{}},
		{"entry age exactly 24 months is allowed", v1, inRes("2024-03-15"), CompanyFacts{IndustryCode: "I65", FoundedOn: dayp("2022-03-15")}, "2026-01-01",
			1, 48, "2028-03-15", false, 24, false, []string{}},
		{"entry age 24 months and a day is exceeded", v1, inRes("2024-03-16"), CompanyFacts{IndustryCode: "I65", FoundedOn: dayp("2022-03-15")}, "2026-01-01",
			1, 48, "2028-03-16", false, 24, true, []string{}},
		{"newer pack: shorter term, other exception", v2, inRes("2023-01-01"), CompanyFacts{IndustryCode: "I6511", FoundedOn: dayp("2020-06-01")}, "2026-06-30",
			2, 42, "2026-07-01", false, 31, false, []string{}},
		{"admitted, not moved in: no term yet", v1, Residency{status: Admitted, admittedOn: day("2026-01-01")},
			CompanyFacts{IndustryCode: "I65", FoundedOn: dayp("2023-06-01")}, "2026-06-30", 1, 48, "", false, 31, true, []string{}},
		{"graduation: certificate and financing above ¥5,000,000", v1, inRes("2024-01-01"),
			CompanyFacts{IndustryCode: "I65", HighTechCertificate: true, CumulativeFinancingYuan: 5_000_001}, "2026-06-30",
			1, 48, "2028-01-01", false, -1, false, []string{"high_tech_certificate", "financing"}},
		{"graduation: financing exactly ¥5,000,000 is not above", v1, inRes("2024-01-01"),
			CompanyFacts{IndustryCode: "I65", CumulativeFinancingYuan: 5_000_000}, "2026-06-30", 1, 48, "2028-01-01", false, -1, false, []string{}},
		{"graduation: revenue two consecutive years", v1, inRes("2024-01-01"),
			CompanyFacts{IndustryCode: "I65", RevenueByYearYuan: map[int]int64{2023: 9_000_000, 2024: 12_000_000, 2025: 10_000_001}}, "2026-06-30",
			1, 48, "2028-01-01", false, -1, false, []string{"revenue"}},
		{"graduation: revenue two years but not consecutive", v1, inRes("2024-01-01"),
			CompanyFacts{IndustryCode: "I65", RevenueByYearYuan: map[int]int64{2022: 20_000_000, 2023: 1, 2024: 20_000_000}}, "2026-06-30",
			1, 48, "2028-01-01", false, -1, false, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Evaluate(c.pack, &c.r, c.f, day(c.at))
			end := ""
			if e.TermEndOn != nil {
				end = e.TermEndOn.Format(time.DateOnly)
			}
			age := -1
			if e.EntryAgeMonths != nil {
				age = *e.EntryAgeMonths
			}
			if e.PackVersion != c.wantVersion || e.TermMonths != c.wantTerm || end != c.wantEnd || e.Overstaying != c.wantOverstay ||
				age != c.wantAge || e.EntryAgeExceeded != c.wantAgeExceed || !reflect.DeepEqual(e.GraduationMet, c.wantGrad) {
				t.Fatalf("got version %d term %d end %q overstay %v age %d exceeded %v grad %v; want %d %d %q %v %d %v %v",
					e.PackVersion, e.TermMonths, end, e.Overstaying, age, e.EntryAgeExceeded, e.GraduationMet,
					c.wantVersion, c.wantTerm, c.wantEnd, c.wantOverstay, c.wantAge, c.wantAgeExceed, c.wantGrad)
			}
		})
	}
}

func TestRulePackValidate(t *testing.T) {
	ok := NationalPack2018("lixia", residencyTestNow)
	if err := ok.Validate(); err != nil {
		t.Fatalf("the 2018 pack: %v", err)
	}
	bad := ok
	bad.TermMonths, bad.Cadence, bad.IndustryTerms = 0, "weekly", map[string]int{"ZZ": 60, "C39": 0}
	got := residencyFieldCodes(t, bad.Validate())
	want := map[string]string{"term_months": "out_of_range", "cadence": "one_of", "industry_terms.ZZ": "industry_code", "industry_terms.C39": "out_of_range"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

func TestMonthsBetween(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"2024-01-31", "2024-02-29", 0}, {"2024-01-15", "2024-02-15", 1}, {"2020-03-01", "2026-02-28", 71}, {"2026-01-01", "2025-01-01", 0}} {
		if got := MonthsBetween(day(c.a), day(c.b)); got != c.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
