package command

import (
	"context"
	"errors"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// What the promotion and enrolment use cases need of memResidencies
// beyond residency_test.go: the reads and the residency writes a second
// aggregate's use case makes. Transaction runs fn as it is; a refusal
// comes before any write in every case tested, so nothing to roll back.

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
	evs, err := fn(ctx, p)
	if err != nil {
		return err
	}
	r.m.promotions[residencyID] = p
	return r.m.record(evs, func(ev events.Payload) (app.AuditEntry, bool) { return app.PromotionAudit(actor, p, ev) })
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
	cp := domain.EnrolmentOfferFromDB(o.Record())
	evs, err := fn(ctx, cp)
	if err != nil {
		return err
	}
	r.m.offers[id] = cp
	return r.m.record(evs, func(ev events.Payload) (app.AuditEntry, bool) { return app.EnrolmentAudit(actor, cp, ev) })
}
