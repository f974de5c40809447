package command

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// The in-memory world the use cases run against: a residency repository
// that is also every other port they read or write through.

// memResidencies is an in-memory residency repository: Update works on a
// copy and stores it only when fn succeeds, as a transaction would.
type memResidencies struct {
	residencies map[string]*domain.Residency
	packs       map[string]domain.RulePack
	companies   map[string]*domain.Company
	carriers    map[string]app.Carrier
	published   []events.Payload
	audited     []string

	// for the promotion and enrolment use cases
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
	return updateCopy(ctx, m, actor, domain.ResidencyFromDB(r.Record()), fn, func(cp *domain.Residency) { m.residencies[id] = cp }, app.ResidencyAudit)
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

// What the promotion and enrolment use cases need of memResidencies
// beyond the residency use cases: the reads and the residency writes a
// second aggregate's use case makes. Transaction runs fn as it is; a
// refusal comes before any write in every case tested, so nothing to roll
// back.

func (m *memResidencies) Transaction(ctx context.Context, fn func(context.Context) error) error {
	return fn(ctx)
}

func (m *memResidencies) GetResidency(_ context.Context, id string) (*domain.Residency, error) {
	if r, ok := m.residencies[id]; ok {
		return domain.ResidencyFromDB(r.Record()), nil
	}
	return nil, apperr.NotFoundErr("residency-not-found")
}

func (m *memResidencies) OpenResidencyAt(_ context.Context, companyID, carrierID string) (*domain.Residency, error) {
	for _, r := range m.residencies {
		if r.CompanyID() == companyID && r.CarrierID() == carrierID && r.Status().Open() {
			return domain.ResidencyFromDB(r.Record()), nil
		}
	}
	return nil, apperr.NotFoundErr("residency-not-found")
}

func (m *memResidencies) Add(_ context.Context, actor app.Actor, r *domain.Residency, evs ...events.Payload) error {
	m.residencies[r.ID()] = r
	return m.record(evs, func(p events.Payload) (app.AuditEntry, bool) { return app.ResidencyAudit(actor, r, p) })
}

// updateCopy runs fn on cp, a copy of what is stored: only when fn
// succeeds does put store it and are its events recorded, each with the
// audit line audit gives for actor.
func updateCopy[T any](ctx context.Context, m *memResidencies, actor app.Actor, cp T, fn func(context.Context, T) ([]events.Payload, error),
	put func(T), audit func(app.Actor, T, events.Payload) (app.AuditEntry, bool)) error {
	evs, err := fn(ctx, cp)
	if err != nil {
		return err
	}
	put(cp)
	return m.record(evs, func(p events.Payload) (app.AuditEntry, bool) { return audit(actor, cp, p) })
}

func (m *memResidencies) record(evs []events.Payload, audit func(events.Payload) (app.AuditEntry, bool)) error {
	for _, p := range evs {
		a, ok := audit(p)
		if !ok {
			return errors.New("no audit line for " + p.EventType())
		}
		m.published, m.audited = append(m.published, p), append(m.audited, a.Action)
	}
	return nil
}

func (m *memResidencies) LinkCarrier(_ context.Context, companyID, carrierID string, _ time.Time) error {
	m.links = append(m.links, companyID+"@"+carrierID)
	return nil
}

func (m *memResidencies) Audit(_ context.Context, e app.AuditEntry) error {
	m.audited = append(m.audited, e.Action)
	return nil
}

func (m *memResidencies) GetMembership(_ context.Context, companyID, userID string) (domain.Membership, error) {
	if ms, ok := m.members[companyID+"/"+userID]; ok {
		return ms, nil
	}
	return domain.Membership{}, apperr.NotFoundErr("membership-not-found")
}

func (m *memResidencies) LatestPromotion(_ context.Context, residencyID string) (*domain.Promotion, error) {
	if p, ok := m.promotions[residencyID]; ok {
		return domain.PromotionFromDB(p.Record()), nil
	}
	return nil, apperr.NotFoundErr("promotion-not-found")
}

func (m *memResidencies) CompanyResidencies(context.Context, string) ([]app.ResidencyView, error) {
	return nil, nil
}

func (m *memResidencies) LadderEntries(context.Context, string) ([]domain.LadderEntry, error) {
	return nil, nil
}

func (m *memResidencies) ListMetricReports(context.Context, app.ReportFilter, list.Params) ([]*domain.MetricReport, int, error) {
	return nil, 0, nil
}

func (m *memResidencies) ReportRevisions(context.Context, string) ([]domain.ReportRevision, error) {
	return nil, nil
}

func (m *memResidencies) CompanyByUSCC(context.Context, string, domain.USCC) (*domain.Company, error) {
	return nil, apperr.NotFoundErr("company-not-found")
}

func (m *memResidencies) PendingEnrolmentOffer(_ context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error) {
	for _, o := range m.offers {
		if o.CompanyID() == companyID && o.CarrierID() == carrierID && o.Status() == domain.EnrolmentPending {
			return o, nil
		}
	}
	return nil, apperr.NotFoundErr("enrolment-not-found")
}

// memPromotions is the in-memory promotion repository over m: a residency's
// latest promotion, changed on a copy stored only when fn succeeds.
type memPromotions struct{ m *memResidencies }

func (r memPromotions) Add(_ context.Context, actor app.Actor, p *domain.Promotion, evs ...events.Payload) error {
	r.m.promotions[p.ResidencyID()] = p
	return r.m.record(evs, func(ev events.Payload) (app.AuditEntry, bool) { return app.PromotionAudit(actor, p, ev) })
}

func (r memPromotions) UpdateLatest(ctx context.Context, actor app.Actor, residencyID string, fn PromotionFunc) error {
	p, err := r.m.LatestPromotion(ctx, residencyID)
	if err != nil {
		return err
	}
	return updateCopy(ctx, r.m, actor, p, fn, func(p *domain.Promotion) { r.m.promotions[residencyID] = p }, app.PromotionAudit)
}

// memOffers is the in-memory enrolment offer repository over m.
type memOffers struct{ m *memResidencies }

func (r memOffers) Add(_ context.Context, actor app.Actor, o *domain.EnrolmentOffer, evs ...events.Payload) error {
	r.m.offers[o.ID()] = o
	return r.m.record(evs, func(ev events.Payload) (app.AuditEntry, bool) { return app.EnrolmentAudit(actor, o, ev) })
}

func (r memOffers) Update(ctx context.Context, actor app.Actor, id string, fn EnrolmentFunc) error {
	o, ok := r.m.offers[id]
	if !ok {
		return apperr.NotFoundErr("enrolment-not-found")
	}
	return updateCopy(ctx, r.m, actor, domain.EnrolmentOfferFromDB(o.Record()), fn, func(cp *domain.EnrolmentOffer) { r.m.offers[id] = cp }, app.EnrolmentAudit)
}

// VerifiedMilestones: the in-memory world has no milestones service, so no
// company has a verified milestone (the service's tests cover the copy).
func (r *memResidencies) VerifiedMilestones(context.Context, string) ([]app.VerifiedMilestone, error) {
	return nil, nil
}

// VerifiedDocuments: the in-memory world has no documents service, so no
// verified document travels.
func (r *memResidencies) VerifiedDocuments(context.Context, string) ([]app.CompanyDocument, error) {
	return nil, nil
}
