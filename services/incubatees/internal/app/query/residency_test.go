package query

import (
	"context"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// memReads is an in-memory read model; it has no way to write, so the
// query cannot seed a rule pack however it is written.
type memReads struct {
	r     *domain.Residency
	packs map[int]domain.RulePack
}

func (m memReads) Snapshot(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }
func (m memReads) GetResidency(context.Context, string) (*domain.Residency, error)    { return m.r, nil }
func (m memReads) GetCompany(_ context.Context, id string) (*domain.Company, error) {
	return &domain.Company{ID: id, RegionID: "R1", Fields: domain.CompanyFields{NameZH: "甲", IndustryCode: "I65"}}, nil
}
func (m memReads) GetCarrier(_ context.Context, id string) (app.Carrier, error) {
	return app.Carrier{ID: id, RegionID: "R1", Kind: "incubator", ChainOrder: 2}, nil
}
func (m memReads) LatestPromotion(context.Context, string) (*domain.Promotion, error) {
	return nil, apperr.NotFoundErr("promotion-not-found")
}
func (m memReads) RulePack(_ context.Context, _ string, version int) (domain.RulePack, error) {
	for v, p := range m.packs {
		if version == 0 || v == version {
			return p, nil
		}
	}
	return domain.RulePack{}, apperr.NotFoundErr("rule-pack-not-found")
}
func (m memReads) LadderEntries(context.Context, string) ([]domain.LadderEntry, error) {
	return nil, nil
}
func (m memReads) ListMetricReports(context.Context, app.ReportFilter, list.Params) ([]*domain.MetricReport, int, error) {
	return nil, 0, nil
}
func (m memReads) ReportRevisions(context.Context, string) ([]domain.ReportRevision, error) {
	return nil, nil
}

// GetResidency evaluates with the region's stored pack, and answers
// without an evaluation (never seeding one) when the region has none.
func TestGetResidencyEvaluatesWithTheStoredPackOnly(t *testing.T) {
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Grant(authz.Assignment{UserID: "admin", Role: authz.RoleParkAdmin, Domain: authz.CarrierDomain("C1")}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC) }
	r := domain.ResidencyFromDB(domain.ResidencyRecord{ID: "res1", CompanyID: "CO1", CarrierID: "C1", RegionID: "R1", ApplicationID: "a",
		Status: domain.Admitted, AdmittedOn: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)})
	for _, c := range []struct {
		name  string
		packs map[int]domain.RulePack
		want  bool
	}{
		{"no pack", map[int]domain.RulePack{}, false},
		{"national pack", map[int]domain.RulePack{1: domain.NationalPack2018("R1", now())}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rm := memReads{r: r, packs: c.packs}
			d, err := NewGetResidencyHandler(rm, e, now).Handle(context.Background(), GetResidency{Actor: app.Actor{UserID: "admin"}, ResidencyID: "res1"})
			if err != nil || (d.Evaluation != nil) != c.want || len(rm.packs) != len(c.packs) {
				t.Fatalf("err %v, evaluation %v, packs %d", err, d.Evaluation, len(rm.packs))
			}
			if c.want && d.Evaluation.PackVersion != 1 {
				t.Fatalf("evaluated with version %d", d.Evaluation.PackVersion)
			}
		})
	}
	_, err = NewGetResidencyHandler(memReads{r: r}, e, now).Handle(context.Background(), GetResidency{Actor: app.Actor{UserID: "nobody"}, ResidencyID: "res1"})
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("stranger: %v", err)
	}
}
