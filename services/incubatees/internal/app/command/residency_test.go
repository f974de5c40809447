package command

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// memResidencies is an in-memory residency repository: Update works on a
// copy and stores it only when fn succeeds, as a transaction would.
type memResidencies struct {
	residencies map[string]*domain.Residency
	packs       map[string]domain.RulePack
	companies   map[string]*domain.Company
	carriers    map[string]app.Carrier
	published   []events.Payload
	audited     []string

	// for the promotion and enrolment use cases (mem_test.go)
	members    map[string]domain.Membership // by companyID/userID
	promotions map[string]*domain.Promotion // latest, by residency
	offers     map[string]*domain.EnrolmentOffer
	links      []string
}

func (m *memResidencies) Update(ctx context.Context, actor app.Actor, id string, fn UpdateFunc) error {
	r, ok := m.residencies[id]
	if !ok {
		return apperr.NotFoundErr("residency-not-found")
	}
	cp := domain.ResidencyFromDB(r.Record())
	evs, err := fn(ctx, cp)
	if err != nil {
		return err
	}
	m.residencies[id] = cp
	for _, p := range evs {
		a, ok := app.ResidencyAudit(actor, cp, p)
		if !ok {
			return errors.New("no audit line for " + p.EventType())
		}
		m.published, m.audited = append(m.published, p), append(m.audited, a.Action)
	}
	return nil
}

func (m *memResidencies) GetCompany(_ context.Context, id string) (*domain.Company, error) {
	if co, ok := m.companies[id]; ok {
		return co, nil
	}
	return nil, apperr.NotFoundErr("company-not-found")
}

func (m *memResidencies) GetCarrier(_ context.Context, id string) (app.Carrier, error) {
	if c, ok := m.carriers[id]; ok {
		return c, nil
	}
	return app.Carrier{}, apperr.NotFoundErr("carrier-not-found")
}

func (m *memResidencies) InResidenceElsewhere(_ context.Context, companyID, _, exceptID string) ([]app.ResidencyView, error) {
	var out []app.ResidencyView
	for id, r := range m.residencies {
		if id != exceptID && r.CompanyID() == companyID && r.Status() == domain.InResidence {
			out = append(out, app.ResidencyView{Residency: *r})
		}
	}
	return out, nil
}

// SeededRulePack seeds the national pack, as the bun repository does in
// the write transaction.
func (m *memResidencies) SeededRulePack(_ context.Context, regionID string) (domain.RulePack, error) {
	if p, ok := m.packs[regionID]; ok {
		return p, nil
	}
	p := domain.NationalPack2018(regionID, clock())
	m.packs[regionID] = p
	return p, nil
}

func clock() time.Time { return time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC) }

const (
	region, carrier, otherCarrier, company = "R1", "C1", "C2", "CO1"
	admin, operator, member, stranger      = "admin", "operator", "member", "stranger"
)

// world is one residency in status st at carrier C1, and an enforcer
// with a park admin and a park operator of C1, a park admin of C2 and a
// member of the company (its admin, by membership).
func world(t *testing.T, st domain.ResidencyStatus) (*memResidencies, *authz.Enforcer) {
	t.Helper()
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []authz.Assignment{
		{UserID: admin, Role: authz.RoleParkAdmin, Domain: authz.CarrierDomain(carrier)},
		{UserID: operator, Role: authz.RoleParkOperator, Domain: authz.CarrierDomain(carrier)},
		{UserID: stranger, Role: authz.RoleParkAdmin, Domain: authz.CarrierDomain(otherCarrier)},
		{UserID: member, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(company)},
	} {
		if err := e.Grant(a); err != nil {
			t.Fatal(err)
		}
	}
	rec := domain.ResidencyRecord{ID: "res1", CompanyID: company, CarrierID: carrier, RegionID: region, ApplicationID: "app1",
		Status: st, AdmittedOn: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
	if st != domain.Admitted {
		in := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
		rec.MovedInOn, rec.RulePackVersion = &in, 1
	}
	return &memResidencies{
		members:     map[string]domain.Membership{company + "/" + member: {CompanyID: company, UserID: member, Role: domain.CompanyAdmin, Status: domain.Active}},
		promotions:  map[string]*domain.Promotion{},
		offers:      map[string]*domain.EnrolmentOffer{},
		residencies: map[string]*domain.Residency{"res1": domain.ResidencyFromDB(rec)},
		packs:       map[string]domain.RulePack{},
		companies:   map[string]*domain.Company{company: {ID: company, RegionID: region, Fields: domain.CompanyFields{NameZH: "甲", IndustryCode: "I65"}}},
		carriers: map[string]app.Carrier{carrier: {ID: carrier, RegionID: region, Kind: "incubator", ChainOrder: 2},
			otherCarrier: {ID: otherCarrier, RegionID: region, Kind: "accelerator", ChainOrder: 3}},
	}, e
}

func category(err error) apperr.Category {
	var ae *apperr.Error
	if err == nil {
		return "ok"
	}
	if errors.As(err, &ae) {
		return ae.Category
	}
	return "other"
}

// Every transition from every state, by the carrier's admin: the domain's
// machine decides, the refused ones change nothing and publish nothing.
func TestResidencyTransitionsThroughTheUseCases(t *testing.T) {
	allowed := map[domain.ResidencyStatus]map[domain.ResidencyAction]domain.ResidencyStatus{
		domain.Admitted:    {domain.ActMoveIn: domain.InResidence, domain.ActExit: domain.Exited},
		domain.InResidence: {domain.ActGraduate: domain.Graduated, domain.ActExit: domain.Exited},
	}
	wantEvent := map[domain.ResidencyAction]string{domain.ActMoveIn: events.ResidencyMovedIn,
		domain.ActGraduate: events.ResidencyGraduated, domain.ActExit: events.ResidencyExited}
	on := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, from := range domain.ResidencyStatuses {
		for _, act := range []domain.ResidencyAction{domain.ActMoveIn, domain.ActGraduate, domain.ActExit} {
			t.Run(string(from)+"/"+string(act), func(t *testing.T) {
				repo, e := world(t, from)
				var err error
				switch act {
				case domain.ActMoveIn:
					_, err = NewMoveInHandler(repo, e, clock).Handle(context.Background(),
						MoveIn{Actor: app.Actor{UserID: admin}, ResidencyID: "res1", Facts: domain.MoveInFacts{On: on, Unit: "A-101", AreaM2: 50}})
				default:
					reason := "financing"
					if act == domain.ActExit {
						reason = "迁出"
					}
					_, err = NewEndResidencyHandler(repo, e, clock).Handle(context.Background(),
						EndResidency{Actor: app.Actor{UserID: admin}, ResidencyID: "res1", Action: act, Reason: reason, On: on})
				}
				got := repo.residencies["res1"]
				to, ok := allowed[from][act]
				if !ok {
					if category(err) != apperr.Conflict || got.Status() != from || len(repo.published) != 0 {
						t.Fatalf("err %v, status %s, %d events; want conflict, %s unchanged, none", err, got.Status(), len(repo.published), from)
					}
					return
				}
				if err != nil || got.Status() != to || len(repo.published) != 1 || repo.published[0].EventType() != wantEvent[act] {
					t.Fatalf("err %v, status %s, events %v; want %s and one %s", err, got.Status(), repo.published, to, wantEvent[act])
				}
				if repo.audited[0] != "residency."+string(act) {
					t.Fatalf("audit %q", repo.audited[0])
				}
			})
		}
	}
}

// Who may move a residency in: 401 anonymous, 404 to strangers (another
// carrier's admin), 403 to who may only read it (a member of the company),
// allowed to the carrier's admin and operator.
func TestMoveInAuthorization(t *testing.T) {
	cases := []struct {
		user string
		want apperr.Category
	}{
		{"", apperr.Unauthenticated},
		{stranger, apperr.NotFound},
		{member, apperr.Forbidden},
		{operator, "ok"},
		{admin, "ok"},
	}
	for _, c := range cases {
		t.Run(c.user, func(t *testing.T) {
			repo, e := world(t, domain.Admitted)
			_, err := NewMoveInHandler(repo, e, clock).Handle(context.Background(), MoveIn{Actor: app.Actor{UserID: c.user}, ResidencyID: "res1",
				Facts: domain.MoveInFacts{On: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Unit: "A", AreaM2: 10}})
			if category(err) != c.want {
				t.Fatalf("err %v, want %s", err, c.want)
			}
			if moved := repo.residencies["res1"].Status() == domain.InResidence; moved != (c.want == "ok") {
				t.Fatalf("moved in: %v", moved)
			}
		})
	}
}

// A region without a rule pack (one from before packs were seeded on
// region.created) gets the national pack from the first move-in, and the
// term end comes from it.
func TestMoveInSeedsTheRulePackOfARegionWithout(t *testing.T) {
	repo, e := world(t, domain.Admitted)
	r, err := NewMoveInHandler(repo, e, clock).Handle(context.Background(), MoveIn{Actor: app.Actor{UserID: admin}, ResidencyID: "res1",
		Facts: domain.MoveInFacts{On: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Unit: "A", AreaM2: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := repo.packs[region]; !ok || r.RulePackVersion() != 1 || r.TermEndOn().Format(time.DateOnly) != "2030-03-01" {
		t.Fatalf("pack seeded %v, version %d, term end %v", ok, r.RulePackVersion(), r.TermEndOn())
	}
}

// One company, one carrier at a time: a second move-in elsewhere is refused.
func TestMoveInRefusedWhileInResidenceElsewhere(t *testing.T) {
	repo, e := world(t, domain.Admitted)
	in := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	repo.residencies["res0"] = domain.ResidencyFromDB(domain.ResidencyRecord{ID: "res0", CompanyID: company, CarrierID: otherCarrier,
		RegionID: region, ApplicationID: "app0", Status: domain.InResidence, AdmittedOn: in, MovedInOn: &in})
	_, err := NewMoveInHandler(repo, e, clock).Handle(context.Background(), MoveIn{Actor: app.Actor{UserID: admin}, ResidencyID: "res1",
		Facts: domain.MoveInFacts{On: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Unit: "A", AreaM2: 10}})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Slug != "already-in-residence" || repo.residencies["res1"].Status() != domain.Admitted {
		t.Fatalf("err %v", err)
	}
}
