package adapters

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Reads is what the queries read, and the commands through their
// repositories. Every method joins the transaction the context carries
// (app.WithTx; a command's Update, or Snapshot), else reads in its own;
// none of them writes.
type Reads struct{ s *Store }

// Residencies is the residency aggregate's repository: Update and Add own
// load → change → save → outbox → audit in one transaction, and the reads
// the residency commands need join it.
type Residencies struct {
	repo
	aggregate[*domain.Residency]
	now func() time.Time
}

// NewResidencies returns the residency repository on s; now stamps the
// rule pack a write seeds.
func NewResidencies(s *Store, now func() time.Time) *Residencies {
	return &Residencies{repo: repo{Reads{s: s}}, now: now, aggregate: aggregate[*domain.Residency]{s: s, what: "residency",
		load: app.Tx.GetResidency, insert: app.Tx.InsertResidency, update: app.Tx.UpdateResidency,
		id: (*domain.Residency).ID, scope: app.ResidencyScope, audit: app.ResidencyAudit}}
}

// NewReads returns the read side alone (for the queries).
func NewReads(s *Store) Reads { return Reads{s: s} }

// read runs fn in the context's transaction, else in a read transaction.
func read[T any](ctx context.Context, s *Store, fn func(ctx context.Context, tx app.Tx) (T, error)) (T, error) {
	if tx, ok := app.TxFrom(ctx); ok {
		return fn(ctx, tx)
	}
	return bus.Fetch(ctx, s.Read, fn)
}

// via is read of one transaction method on its argument: the Reads that
// only pass a call through to the transaction are this.
func via[A, T any](ctx context.Context, s *Store, m func(app.Tx, context.Context, A) (T, error), a A) (T, error) {
	return read(ctx, s, func(ctx context.Context, tx app.Tx) (T, error) { return m(tx, ctx, a) })
}

// via2 is via for a method of two arguments.
func via2[A, B, T any](ctx context.Context, s *Store, m func(app.Tx, context.Context, A, B) (T, error), a A, b B) (T, error) {
	return read(ctx, s, func(ctx context.Context, tx app.Tx) (T, error) { return m(tx, ctx, a, b) })
}

// viaPage is via for a list method: readPage of filter f's page p.
func viaPage[F, T any](ctx context.Context, s *Store, m func(app.Tx, context.Context, F, list.Params) ([]T, int, error), f F, p list.Params) ([]T, int, error) {
	return readPage(ctx, s, func(ctx context.Context, tx app.Tx) ([]T, int, error) { return m(tx, ctx, f, p) })
}

// readPage is read for a page of a list and the list's total.
func readPage[T any](ctx context.Context, s *Store, fn func(ctx context.Context, tx app.Tx) ([]T, int, error)) ([]T, int, error) {
	if tx, ok := app.TxFrom(ctx); ok {
		return fn(ctx, tx)
	}
	return bus.FetchPage(ctx, s.Read, fn)
}

// write runs fn in the context's transaction, else in a new write
// transaction whose context carries it (so nested calls join it).
func (r *Residencies) write(ctx context.Context, fn func(ctx context.Context, tx app.Tx) error) error {
	return write(ctx, r.s, fn)
}

// write runs fn in the context's transaction, else in a new write
// transaction on s whose context carries it.
func write(ctx context.Context, s *Store, fn func(ctx context.Context, tx app.Tx) error) error {
	if tx, ok := app.TxFrom(ctx); ok {
		return fn(ctx, tx)
	}
	return s.Write(ctx, func(ctx context.Context, tx app.Tx) error { return fn(app.WithTx(ctx, tx), tx) })
}

// Snapshot runs fn in one read transaction, so a query's reads agree.
func (q Reads) Snapshot(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := app.TxFrom(ctx); ok {
		return fn(ctx)
	}
	return q.s.Read(ctx, func(ctx context.Context, tx app.Tx) error { return fn(app.WithTx(ctx, tx)) })
}

func publish(ctx context.Context, tx app.Tx, scope events.Scope, actor app.Actor, aggregateID string, p events.Payload) error {
	ev, err := events.New(scope, actor.UserID, aggregateID, p)
	if err != nil {
		return err
	}
	return tx.Publish(ctx, ev)
}

// LinkCarrier lets the carrier's staff see the company from since on.
func (r *Residencies) LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error {
	return r.write(ctx, func(ctx context.Context, tx app.Tx) error { return tx.LinkCarrier(ctx, companyID, carrierID, since) })
}

// UnlinkCarrierUnbacked drops the carrier's sight of the company unless a
// relationship still backs it (see app.CompanyTx).
func (r *Residencies) UnlinkCarrierUnbacked(ctx context.Context, companyID, carrierID, exceptPromotionID string) error {
	return r.write(ctx, func(ctx context.Context, tx app.Tx) error {
		return tx.UnlinkCarrierUnbacked(ctx, companyID, carrierID, exceptPromotionID)
	})
}

// SeededRulePack is the region's latest pack, seeding the national one
// when the region has none (see app.SeededRulePack): writes only.
func (r *Residencies) SeededRulePack(ctx context.Context, regionID string) (domain.RulePack, error) {
	var p domain.RulePack
	err := r.write(ctx, func(ctx context.Context, tx app.Tx) error {
		var err error
		p, err = app.SeededRulePack(ctx, tx, regionID, r.now())
		return err
	})
	return p, err
}

// GetResidency reads one residency.
func (q Reads) GetResidency(ctx context.Context, id string) (*domain.Residency, error) {
	return via(ctx, q.s, app.Tx.GetResidency, id)
}

// OpenResidencyAt is the company's open residency at a carrier.
func (q Reads) OpenResidencyAt(ctx context.Context, companyID, carrierID string) (*domain.Residency, error) {
	return via2(ctx, q.s, app.Tx.OpenResidencyAt, companyID, carrierID)
}

// InResidenceElsewhere lists the company's other residencies in residence.
func (q Reads) InResidenceElsewhere(ctx context.Context, companyID, uscc, exceptID string) ([]app.ResidencyView, error) {
	return read(ctx, q.s, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
		return tx.InResidenceElsewhere(ctx, companyID, uscc, exceptID)
	})
}

// OpenElsewhere lists the open (admitted or in residence) residencies of
// the company, or of a company with its USCC, at carriers other than
// carrierID.
func (q Reads) OpenElsewhere(ctx context.Context, companyID, uscc, carrierID string) ([]app.ResidencyView, error) {
	return read(ctx, q.s, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
		return tx.OpenElsewhere(ctx, companyID, uscc, carrierID)
	})
}

// OpenOf lists the open residencies of the companies and USCCs.
func (q Reads) OpenOf(ctx context.Context, companyIDs, usccs []string) ([]app.ResidencyView, error) {
	return read(ctx, q.s, func(ctx context.Context, tx app.Tx) ([]app.ResidencyView, error) {
		return tx.OpenOf(ctx, companyIDs, usccs)
	})
}

// GetCompany reads a company.
func (q Reads) GetCompany(ctx context.Context, id string) (*domain.Company, error) {
	return via(ctx, q.s, app.Tx.GetCompany, id)
}

// GetCarrier reads the copy of a carrier.
func (q Reads) GetCarrier(ctx context.Context, id string) (app.Carrier, error) {
	return via(ctx, q.s, app.Tx.GetCarrier, id)
}

// GetMembership reads a user's membership of a company.
func (q Reads) GetMembership(ctx context.Context, companyID, userID string) (domain.Membership, error) {
	return via2(ctx, q.s, app.Tx.GetMembership, companyID, userID)
}

// LatestPromotion is the residency's newest promotion.
func (q Reads) LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error) {
	return via(ctx, q.s, app.Tx.LatestPromotion, residencyID)
}

// IncomingPromotions pages the promotions a carrier receives.
func (q Reads) IncomingPromotions(ctx context.Context, f app.IncomingPromotionFilter, p list.Params) ([]app.PromotionView, int, error) {
	return viaPage(ctx, q.s, app.Tx.IncomingPromotions, f, p)
}

// CountIncomingPromotions counts the promotions a carrier receives.
func (q Reads) CountIncomingPromotions(ctx context.Context, f app.IncomingPromotionFilter) (int, error) {
	return via(ctx, q.s, app.Tx.CountIncomingPromotions, f)
}

// RulePack is a region's pack of a version (0: the latest).
func (q Reads) RulePack(ctx context.Context, regionID string, version int) (domain.RulePack, error) {
	return via2(ctx, q.s, app.Tx.RulePack, regionID, version)
}

// RegionExists reports whether the region is known.
func (q Reads) RegionExists(ctx context.Context, id string) (bool, error) {
	return via(ctx, q.s, app.Tx.RegionExists, id)
}

// CompanyCarriers lists the carriers a company is linked to.
func (q Reads) CompanyCarriers(ctx context.Context, companyID string) ([]string, error) {
	return via(ctx, q.s, app.Tx.CompanyCarriers, companyID)
}

// ListResidencies lists residencies of a region or carrier.
func (q Reads) ListResidencies(ctx context.Context, f app.ResidencyFilter, p list.Params) ([]app.ResidencyView, int, error) {
	return viaPage(ctx, q.s, app.Tx.ListResidencies, f, p)
}

// CompanyResidencies is the company's chain, oldest first.
func (q Reads) CompanyResidencies(ctx context.Context, companyID string) ([]app.ResidencyView, error) {
	return via(ctx, q.s, app.Tx.CompanyResidencies, companyID)
}

// LadderEntries are the company's cultivation ladder steps.
func (q Reads) LadderEntries(ctx context.Context, companyID string) ([]domain.LadderEntry, error) {
	return via(ctx, q.s, app.Tx.LadderEntries, companyID)
}

// ListMetricReports lists metric reports.
func (q Reads) ListMetricReports(ctx context.Context, f app.ReportFilter, p list.Params) ([]*domain.MetricReport, int, error) {
	return viaPage(ctx, q.s, app.Tx.ListMetricReports, f, p)
}

// ReportRevisions are a report's revisions.
func (q Reads) ReportRevisions(ctx context.Context, reportID string) ([]domain.ReportRevision, error) {
	return via(ctx, q.s, app.Tx.ReportRevisions, reportID)
}

// repo is what a repository is made of: the reads its commands make,
// which join its transaction, and Transaction.
type repo struct{ Reads }

// Transaction runs fn in one write transaction that the repository's
// calls inside it join (a use case that changes two aggregates, or that
// authorizes before it loads).
func (r repo) Transaction(ctx context.Context, fn func(ctx context.Context) error) error {
	return write(ctx, r.s, func(ctx context.Context, _ app.Tx) error { return fn(ctx) })
}

// Audit writes an audit line that no event carries.
func (r *Residencies) Audit(ctx context.Context, e app.AuditEntry) error {
	return r.write(ctx, func(ctx context.Context, tx app.Tx) error { return tx.Audit(ctx, e) })
}

// RegionCarriers lists the copies of a region's carriers.
func (q Reads) RegionCarriers(ctx context.Context, regionID string) ([]app.Carrier, error) {
	return via(ctx, q.s, app.Tx.RegionCarriers, regionID)
}

// CompanyByUSCC is the region's company with that USCC.
func (q Reads) CompanyByUSCC(ctx context.Context, regionID string, uscc domain.USCC) (*domain.Company, error) {
	return via2(ctx, q.s, app.Tx.CompanyByUSCC, regionID, uscc)
}

// PendingEnrolmentOffer is the company's pending offer from a carrier.
func (q Reads) PendingEnrolmentOffer(ctx context.Context, companyID, carrierID string) (*domain.EnrolmentOffer, error) {
	return via2(ctx, q.s, app.Tx.PendingEnrolmentOffer, companyID, carrierID)
}

// ListEnrolmentOffers lists a carrier's or a company's offers.
func (q Reads) ListEnrolmentOffers(ctx context.Context, f app.EnrolmentFilter, p list.Params) ([]app.EnrolmentView, int, error) {
	return viaPage(ctx, q.s, app.Tx.ListEnrolmentOffers, f, p)
}

// ListRulePacks lists a region's packs, newest first.
func (q Reads) ListRulePacks(ctx context.Context, regionID string) ([]domain.RulePack, error) {
	return via(ctx, q.s, app.Tx.ListRulePacks, regionID)
}
