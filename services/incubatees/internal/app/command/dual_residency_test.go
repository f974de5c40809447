package command

import (
	"context"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// OpenElsewhere lists the company's open residencies at other carriers.
func (m *memResidencies) OpenElsewhere(_ context.Context, companyID, _, carrierID string) ([]app.ResidencyView, error) {
	var out []app.ResidencyView
	for _, r := range m.residencies {
		if r.CompanyID() == companyID && r.CarrierID() != carrierID && r.Status().Open() {
			out = append(out, app.ResidencyView{Residency: *r, CarrierNameZH: m.carriers[r.CarrierID()].NameZH})
		}
	}
	return out, nil
}

func TestDualFlag(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	open := func(id, carrier string) *domain.Residency {
		r, err := domain.NewResidency(id, "co", carrier, "R1", domain.ResidencySource{ApplicationID: "app-" + id}, now, now)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	m := &memResidencies{residencies: map[string]*domain.Residency{"rM": open("rM", "M"), "rX": open("rX", "X")},
		carriers: map[string]app.Carrier{"M": {ID: "M", NameZH: "创客空间"}, "X": {ID: "X", NameZH: "园区"}, "I": {ID: "I", NameZH: "孵化器"}}}
	co := &domain.Company{ID: "co", RegionID: "R1", Fields: domain.CompanyFields{NameZH: "甲"}}
	entering := open("rI", "I")
	for _, c := range []struct {
		src    domain.ResidencySource
		via    string
		others int
	}{
		{domain.ResidencySource{ApplicationID: "a"}, "application", 2},
		{domain.ResidencySource{EnrolmentOfferID: "o"}, "enrolment", 2},
		{domain.ResidencySource{PromotedFromID: "rM"}, "promotion", 1}, // the residency left is no conflict
	} {
		evs, err := dualFlag(context.Background(), m, co, entering, m.carriers["I"], c.src)
		if err != nil || len(evs) != 1 {
			t.Fatalf("%s: %v %v", c.via, evs, err)
		}
		p := evs[0].(events.DualResidencyFlaggedV1)
		if p.Via != c.via || len(p.Others) != c.others || p.CarrierID != "I" || p.ResidencyID != "rI" || p.CompanyNameZH != "甲" {
			t.Fatalf("%s: %+v", c.via, p)
		}
		for _, o := range p.Others {
			if o.ResidencyID == c.src.PromotedFromID || o.CarrierNameZH == "" || o.AdmittedOn != "2026-03-02" {
				t.Fatalf("%s: other %+v", c.via, o)
			}
		}
	}
	// Open nowhere else: no flag.
	alone := &memResidencies{residencies: map[string]*domain.Residency{}, carriers: m.carriers}
	if evs, err := dualFlag(context.Background(), alone, co, entering, m.carriers["I"], domain.ResidencySource{ApplicationID: "a"}); err != nil || evs != nil {
		t.Fatalf("alone: %v %v", evs, err)
	}
}
