package domain

import (
	"reflect"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// now is 2026-06-30 10:00 in China.
var residencyTestNow = time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC)

func TestResidencyTransitions(t *testing.T) {
	all := []ResidencyAction{ActMoveIn, ActGraduate, ActExit, ActPromote}
	allowed := map[ResidencyStatus]map[ResidencyAction]ResidencyStatus{
		Admitted:    {ActMoveIn: InResidence, ActExit: Exited},
		InResidence: {ActGraduate: Graduated, ActExit: Exited, ActPromote: Promoted},
		Graduated:   {},
		Exited:      {},
		Promoted:    {},
	}
	for _, from := range ResidencyStatuses {
		for _, act := range all {
			want, ok := allowed[from][act]
			t.Run(string(from)+"/"+string(act), func(t *testing.T) {
				got, gotOK := NextResidencyStatus(from, act)
				if gotOK != ok || got != want {
					t.Fatalf("NextResidencyStatus(%s, %s) = %q, %v; want %q, %v", from, act, got, gotOK, want, ok)
				}
				// The methods obey the same machine.
				r := &Residency{status: from, admittedOn: day("2026-01-05"), movedInOn: dayp("2026-01-10")}
				var err error
				switch act {
				case ActMoveIn:
					err = r.MoveIn(MoveInFacts{On: day("2026-02-01"), Unit: "A-301", AreaM2: 80}, day("2030-02-01"), 1, residencyTestNow)
				case ActGraduate:
					err = r.End(act, "financing", day("2026-06-01"), residencyTestNow)
				default:
					err = r.End(act, "moved away", day("2026-06-01"), residencyTestNow)
				}
				if ok {
					if err != nil || r.Status() != want {
						t.Fatalf("%s from %s: err %v, status %s; want %s", act, from, err, r.Status(), want)
					}
				} else {
					ae, isApp := apperr.As(err)
					if !isApp || ae.Category != apperr.Conflict || ae.Slug != "residency-transition-refused" || r.Status() != from {
						t.Fatalf("%s from %s: err %v, status %s; want refused and unchanged", act, from, err, r.Status())
					}
				}
			})
		}
	}
}

func residencyFieldCodes(t *testing.T, err error) map[string]string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok {
		t.Fatalf("not an apperr: %v", err)
	}
	out := map[string]string{}
	for _, f := range ae.Fields {
		out[f.Field] = f.Code
	}
	return out
}

func TestMoveInValidation(t *testing.T) {
	cases := []struct {
		name string
		f    MoveInFacts
		want map[string]string
	}{
		{"ok", MoveInFacts{On: day("2026-03-01"), Unit: "B-12", AreaM2: 45.5}, nil},
		{"ok today in China", MoveInFacts{On: day("2026-06-30"), Unit: "B-12", AreaM2: 1}, nil},
		{"future", MoveInFacts{On: day("2026-07-01"), Unit: "B-12", AreaM2: 45}, map[string]string{"moved_in_on": "in_future"}},
		{"before admission", MoveInFacts{On: day("2026-01-04"), Unit: "B-12", AreaM2: 45}, map[string]string{"moved_in_on": "before_admission"}},
		{"missing everything", MoveInFacts{}, map[string]string{"moved_in_on": "required", "unit": "required", "area_m2": "out_of_range"}},
		{"negative area", MoveInFacts{On: day("2026-03-01"), Unit: "x", AreaM2: -3}, map[string]string{"area_m2": "out_of_range"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewResidency("r1", "c1", "k1", "g1", ResidencySource{ApplicationID: "a1"}, day("2026-01-05"), residencyTestNow)
			if err != nil {
				t.Fatal(err)
			}
			err = r.MoveIn(c.f, day("2030-01-01"), 1, residencyTestNow)
			if c.want == nil {
				if err != nil || r.Status() != InResidence || r.RulePackVersion() != 1 || r.TermEndOn().Format(time.DateOnly) != "2030-01-01" {
					t.Fatalf("err %v, %+v", err, r)
				}
				return
			}
			if got := residencyFieldCodes(t, err); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("fields %v, want %v", got, c.want)
			}
			if r.Status() != Admitted {
				t.Fatalf("status changed to %s on a refused move-in", r.Status())
			}
		})
	}
}

func TestEndValidation(t *testing.T) {
	cases := []struct {
		name   string
		act    ResidencyAction
		reason string
		on     time.Time
		want   map[string]string
	}{
		{"graduate ok", ActGraduate, "high_tech_certificate", day("2026-06-01"), nil},
		{"graduate unknown reason", ActGraduate, "tired", day("2026-06-01"), map[string]string{"reason": "one_of"}},
		{"exit without reason", ActExit, " ", day("2026-06-01"), map[string]string{"reason": "required"}},
		{"exit before move-in", ActExit, "left", day("2026-01-09"), map[string]string{"on": "before_admission"}},
		{"exit in future", ActExit, "left", day("2026-07-02"), map[string]string{"on": "in_future"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &Residency{status: InResidence, admittedOn: day("2026-01-05"), movedInOn: dayp("2026-01-10")}
			err := r.End(c.act, c.reason, c.on, residencyTestNow)
			if c.want == nil {
				if err != nil || r.Status() != Graduated || r.EndedOn() == nil {
					t.Fatalf("err %v, %+v", err, r)
				}
				return
			}
			if got := residencyFieldCodes(t, err); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("fields %v, want %v", got, c.want)
			}
		})
	}
}

func TestOverstaying(t *testing.T) {
	r := &Residency{status: InResidence, termEndOn: dayp("2026-06-30")}
	for _, c := range []struct {
		at   string
		want bool
	}{{"2026-06-29", false}, {"2026-06-30", false}, {"2026-07-01", true}} {
		if got := r.Overstaying(day(c.at)); got != c.want {
			t.Errorf("Overstaying(%s) = %v, want %v", c.at, got, c.want)
		}
	}
	r.status = Graduated
	if r.Overstaying(day("2027-01-01")) {
		t.Error("a graduate cannot overstay")
	}
}

func TestNewPromotion(t *testing.T) {
	lixia := func(id, kind string, order int) ChainCarrier {
		return ChainCarrier{ID: id, RegionID: "lixia", Kind: kind, ChainOrder: order}
	}
	maker, inc, acc := lixia("M", "maker_space", 1), lixia("I", "incubator", 2), lixia("A", "accelerator", 3)
	concept := lixia("C", "concept_center", 0)
	foreign := ChainCarrier{ID: "H", RegionID: "huaiyin", Kind: "incubator", ChainOrder: 2}
	cases := []struct {
		name     string
		from, to ChainCarrier
		status   ResidencyStatus
		shared   []string
		wantCode string // field code on to_carrier_id/shared, "" = ok
		wantSlug string
	}{
		{"maker to incubator", maker, inc, InResidence, []string{"milestones"}, "", ""},
		{"maker to accelerator skips a step", maker, acc, InResidence, nil, "", ""},
		{"lower order", acc, inc, InResidence, nil, "not_higher", ""},
		{"same order", inc, lixia("I2", "incubator", 2), InResidence, nil, "not_higher", ""},
		{"same carrier", inc, inc, InResidence, nil, "same_carrier", ""},
		{"other region", maker, foreign, InResidence, nil, "other_region", ""},
		{"to concept center", maker, concept, InResidence, nil, "not_in_chain", ""},
		{"unknown shared item", maker, inc, InResidence, []string{"bank_statements"}, "one_of", ""},
		{"not in residence", maker, inc, Admitted, nil, "", "residency-transition-refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &Residency{id: "r1", companyID: "co", regionID: "lixia", status: c.status}
			p, err := NewPromotion("p1", r, c.from, c.to, "note", c.shared, "u1", residencyTestNow)
			switch {
			case c.wantSlug != "":
				if ae, ok := apperr.As(err); !ok || ae.Slug != c.wantSlug {
					t.Fatalf("err %v, want %s", err, c.wantSlug)
				}
			case c.wantCode != "":
				codes := residencyFieldCodes(t, err)
				if codes["to_carrier_id"] != c.wantCode && codes["shared"] != c.wantCode {
					t.Fatalf("fields %v, want %s", codes, c.wantCode)
				}
			default:
				if err != nil || p.Status() != PromotionProposed || p.Shared()[0] != "profile" {
					t.Fatalf("err %v, %+v", err, p)
				}
			}
		})
	}
}

func TestPromotionTransitions(t *testing.T) {
	p := PromotionFromDB(PromotionRecord{Status: PromotionProposed})
	if err := p.Accept("u", "r2", residencyTestNow); err == nil {
		t.Fatal("accepted before consent")
	}
	if err := p.Consent("u", []byte(`{}`), residencyTestNow); err != nil || p.Status() != PromotionConsented {
		t.Fatalf("consent: %v %s", err, p.Status())
	}
	if err := p.Consent("u", nil, residencyTestNow); err == nil {
		t.Fatal("consented twice")
	}
	if err := p.Accept("u", "r2", residencyTestNow); err != nil || p.Status() != PromotionAccepted || p.Open() {
		t.Fatalf("accept: %v %s", err, p.Status())
	}
	if err := p.Accept("u", "r3", residencyTestNow); err == nil {
		t.Fatal("accepted twice")
	}
}
