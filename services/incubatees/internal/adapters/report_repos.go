package adapters

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// MetricReports is the metric report repository: Add and Update store a
// report with the revision a change adds, its events and its audit line,
// in one transaction (the context's, when it carries one); the reads the
// report commands need join it.
type MetricReports struct{ repo }

// NewMetricReports returns the report repository on s.
func NewMetricReports(s *Store) *MetricReports { return &MetricReports{repo{Reads{s: s}}} }

// Add stores a new report with its first revision, events and audit line.
func (r *MetricReports) Add(ctx context.Context, actor app.Actor, rep *domain.MetricReport, ch app.ReportChange) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertMetricReport(ctx, rep); err != nil {
			return err
		}
		if err := addRevision(ctx, tx, ch.Revision); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, rep.ID, rep.ID, rep.CompanyID, ch.Change)
	})
}

// Update loads the company's report of period p (report-not-found when
// there is none), lets fn change it, and saves it, unless another writer
// changed it meanwhile (conflict), with the revision, events and audit
// line fn returned.
func (r *MetricReports) Update(ctx context.Context, actor app.Actor, companyID string, p domain.Period,
	fn func(ctx context.Context, rep *domain.MetricReport) (app.ReportChange, error)) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		rep, err := tx.GetMetricReport(ctx, companyID, p)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NotFoundErr("report-not-found")
		} else if err != nil {
			return err
		}
		prevRevision, prevStatus := rep.Revision, rep.Status
		ch, err := fn(ctx, rep)
		if err != nil {
			return err
		}
		// The revision first: the report names it as its latest.
		if err := addRevision(ctx, tx, ch.Revision); err != nil {
			return err
		}
		if err := tx.UpdateMetricReport(ctx, rep, prevRevision, prevStatus); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, rep.ID, rep.ID, rep.CompanyID, ch.Change)
	})
}

// addRevision stores rev, when a change adds one.
func addRevision(ctx context.Context, tx app.Tx, rev *domain.ReportRevision) error {
	if rev == nil {
		return nil
	}
	return tx.InsertReportRevision(ctx, *rev)
}

// LadderEntries is the cultivation ladder's repository: Add and Update
// store an entry with its events and audit line in one transaction (the
// context's, when it carries one).
type LadderEntries struct{ repo }

// NewLadderEntries returns the ladder repository on s.
func NewLadderEntries(s *Store) *LadderEntries { return &LadderEntries{repo{Reads{s: s}}} }

// Add stores a new entry with its events and audit line.
func (r *LadderEntries) Add(ctx context.Context, actor app.Actor, e domain.LadderEntry, ch app.Change) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertLadderEntry(ctx, e); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, e.CompanyID, e.ID, e.CompanyID, ch)
	})
}

// UpdateStep loads the company's latest record of step
// (ladder-step-not-found when there is none), lets fn change it, and saves
// it with the events and audit line fn returned; a record changed
// meanwhile is a conflict.
func (r *LadderEntries) UpdateStep(ctx context.Context, actor app.Actor, companyID string, step domain.LadderStep,
	fn func(ctx context.Context, e *domain.LadderEntry) (app.Change, error)) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		entries, err := tx.LadderEntries(ctx, companyID)
		if err != nil {
			return err
		}
		var e domain.LadderEntry
		found := false
		for _, x := range entries {
			if x.Step == step && (!found || !x.Date.Before(e.Date)) {
				e, found = x, true
			}
		}
		if !found {
			return apperr.NotFoundErr("ladder-step-not-found")
		}
		ch, err := fn(ctx, &e)
		if err != nil {
			return err
		}
		if err := tx.UpdateLadderEntry(ctx, e); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, e.CompanyID, e.ID, e.CompanyID, ch)
	})
}

// GetMetricReport reads the company's report of a period.
func (q Reads) GetMetricReport(ctx context.Context, companyID string, p domain.Period) (*domain.MetricReport, error) {
	return via2(ctx, q.s, app.Tx.GetMetricReport, companyID, p)
}

// MetricReportsForPeriod maps company id to its report of period p.
func (q Reads) MetricReportsForPeriod(ctx context.Context, companyIDs []string, p domain.Period) (map[string]*domain.MetricReport, error) {
	return via2(ctx, q.s, app.Tx.MetricReportsForPeriod, companyIDs, p)
}

// CompanyDocument reads what this service knows of a document.
func (q Reads) CompanyDocument(ctx context.Context, id string) (app.CompanyDocument, error) {
	return via(ctx, q.s, app.Tx.CompanyDocument, id)
}

// VerifiedDocuments is the company's verified documents, oldest verification first.
func (q Reads) VerifiedDocuments(ctx context.Context, companyID string) ([]app.CompanyDocument, error) {
	return via(ctx, q.s, app.Tx.VerifiedDocuments, companyID)
}
