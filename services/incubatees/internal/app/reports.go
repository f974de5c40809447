package app

import (
	"context"
	"sort"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ReportTx stores ladder steps and periodic metric reports.
type ReportTx interface {
	InsertLadderEntry(ctx context.Context, e domain.LadderEntry) error
	// UpdateLadderEntry stores a verification; a step verified meanwhile is a conflict.
	UpdateLadderEntry(ctx context.Context, e domain.LadderEntry) error
	// LadderEntries are a company's steps, lowest step and oldest first.
	LadderEntries(ctx context.Context, companyID string) ([]domain.LadderEntry, error)

	InsertMetricReport(ctx context.Context, r *domain.MetricReport) error
	// UpdateMetricReport stores r if the stored report is still at
	// revision prevRevision with status prevStatus, else answers conflict.
	UpdateMetricReport(ctx context.Context, r *domain.MetricReport, prevRevision int, prevStatus domain.ReportStatus) error
	// InsertReportRevision refuses (conflict) a revision number already taken.
	InsertReportRevision(ctx context.Context, rev domain.ReportRevision) error
	GetMetricReport(ctx context.Context, companyID string, p domain.Period) (*domain.MetricReport, error)
	// ReportRevisions are a report's revisions, oldest first.
	ReportRevisions(ctx context.Context, reportID string) ([]domain.ReportRevision, error)
	ListMetricReports(ctx context.Context, f ReportFilter, p list.Params) ([]*domain.MetricReport, int, error)
	// MetricReportsForPeriod maps company id to its report of period p.
	MetricReportsForPeriod(ctx context.Context, companyIDs []string, p domain.Period) (map[string]*domain.MetricReport, error)
}

// ReportFilter narrows a company's report list.
type ReportFilter struct {
	CompanyID string
	Status    domain.ReportStatus // empty: any
}

// ReportView is a period's report with its latest figures and, when asked
// for, every revision.
type ReportView struct {
	Report    *domain.MetricReport
	Latest    domain.ReportRevision
	Revisions []domain.ReportRevision // oldest first
}

func invalidPeriod() error {
	return apperr.NewValidation("invalid-report").Add("period", "period_format").Err()
}

// reportCompany is companyAt for act on reports, with the period named:
// the first steps of every use case on one period's report.
func (a *App) reportCompany(ctx context.Context, tx Tx, actor Actor, companyID, period, act string) (*domain.Company, authz.Scope, domain.Period, error) {
	c, scope, err := a.companyAt(ctx, tx, actor, companyID, "report", act)
	if err != nil {
		return nil, authz.Scope{}, domain.Period{}, err
	}
	p, ok := domain.ParsePeriod(period)
	if !ok {
		return nil, authz.Scope{}, domain.Period{}, invalidPeriod()
	}
	return c, scope, p, nil
}

// reportOf is the company's report for period p; report-not-found when
// there is none.
func reportOf(ctx context.Context, tx Tx, companyID string, p domain.Period) (*domain.MetricReport, error) {
	r, err := tx.GetMetricReport(ctx, companyID, p)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.NotFoundErr("report-not-found")
	}
	return r, err
}

// previousFigures are the last submitted figures of the period before p,
// the base of the jump checks.
func previousFigures(ctx context.Context, tx Tx, companyID string, p domain.Period) (map[string]domain.MetricValue, error) {
	prev, err := tx.GetMetricReport(ctx, companyID, p.Previous())
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	revs, err := tx.ReportRevisions(ctx, prev.ID)
	if err != nil {
		return nil, err
	}
	for i := len(revs) - 1; i >= 0; i-- {
		if revs[i].Submitted {
			return revs[i].Values, nil
		}
	}
	return nil, nil
}

// SubmitReport files a company's report for a period, as a draft or
// submitted; a period is reported once and revised after that.
func (a *App) SubmitReport(ctx context.Context, actor Actor, companyID, period string, in domain.ReportInput) (ReportView, []domain.Warning, error) {
	return a.saveReport(ctx, actor, companyID, period, in, false)
}

// ReviseReport adds a revision to a period's report; earlier revisions stay.
func (a *App) ReviseReport(ctx context.Context, actor Actor, companyID, period string, in domain.ReportInput) (ReportView, []domain.Warning, error) {
	return a.saveReport(ctx, actor, companyID, period, in, true)
}

func (a *App) saveReport(ctx context.Context, actor Actor, companyID, period string, in domain.ReportInput, revise bool) (ReportView, []domain.Warning, error) {
	var out ReportView
	var warns []domain.Warning
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		c, _, p, err := a.reportCompany(ctx, tx, actor, companyID, period, "create")
		if err != nil {
			return err
		}
		existing, err := tx.GetMetricReport(ctx, c.ID, p)
		switch {
		case err == nil && !revise:
			e := apperr.ConflictErr("report-exists").With("period", p.String())
			e.Fields = []apperr.FieldError{{Field: "period", Code: "already_reported"}}
			return e
		case apperr.Is(err, apperr.NotFound) && revise:
			return apperr.NotFoundErr("report-not-found")
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return err
		}
		prev, err := previousFigures(ctx, tx, c.ID, p)
		if err != nil {
			return err
		}
		vals, w, err := domain.CheckReport(p, in, prev, a.now())
		warns = w
		if err != nil {
			return err
		}
		now := a.now()
		wasSubmitted := false
		var r *domain.MetricReport
		if revise {
			r, wasSubmitted = existing, existing.FirstSubmittedAt != nil
			rev := domain.NewRevision(r, r.ID, vals, in.Explanations, w, in.Submit, actor.UserID, now)
			prevRevision, prevStatus := r.Revision, r.Status
			r.Revise(rev, now)
			if err := tx.InsertReportRevision(ctx, rev); err != nil {
				return err
			}
			if err := tx.UpdateMetricReport(ctx, r, prevRevision, prevStatus); err != nil {
				return err
			}
			out.Latest = rev
			if in.Submit && wasSubmitted {
				if err := a.publishMetrics(ctx, tx, actor, c, r, rev, prevRevision); err != nil {
					return err
				}
			}
		} else {
			id := events.NewID()
			rev := domain.NewRevision(nil, id, vals, in.Explanations, w, in.Submit, actor.UserID, now)
			r = domain.NewMetricReport(id, c.ID, c.RegionID, p, rev, now)
			if err := tx.InsertMetricReport(ctx, r); err != nil {
				return err
			}
			if err := tx.InsertReportRevision(ctx, rev); err != nil {
				return err
			}
			out.Latest = rev
		}
		if in.Submit && !wasSubmitted {
			if err := a.publishMetrics(ctx, tx, actor, c, r, out.Latest, 0); err != nil {
				return err
			}
		}
		out.Report = r
		action := "report.create"
		if revise {
			action = "report.revise"
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: r.ID, RegionID: c.RegionID, CompanyID: c.ID,
			Detail: map[string]any{"period": p.String(), "revision": r.Revision, "submitted": in.Submit, "warnings": len(w)}})
	})
	if err != nil {
		return ReportView{}, warns, err
	}
	return out, warns, nil
}

// publishMetrics announces submitted figures: reported the first time a
// period is submitted (prevRevision 0), revised after that.
func (a *App) publishMetrics(ctx context.Context, tx Tx, actor Actor, c *domain.Company, r *domain.MetricReport, rev domain.ReportRevision, prevRevision int) error {
	carriers, err := tx.CompanyCarriers(ctx, c.ID)
	if err != nil {
		return err
	}
	if carriers == nil {
		carriers = []string{}
	}
	nums := make(map[string]int64, len(rev.Values))
	for k, v := range rev.Values {
		nums[k] = v.Value
	}
	m := events.MetricsV1{ReportID: r.ID, CompanyID: c.ID, RegionID: c.RegionID, CarrierIDs: carriers, Period: r.Period.String(),
		Cadence: string(r.Period.Cadence()), Revision: rev.Number, MoneyUnit: domain.ReportUnitYuan, Metrics: nums}
	scope := events.Scope{RegionID: c.RegionID}
	if prevRevision == 0 {
		return a.publish(ctx, tx, scope, actor, r.ID, events.MetricsReportedV1{MetricsV1: m})
	}
	return a.publish(ctx, tx, scope, actor, r.ID, events.MetricsRevisedV1{MetricsV1: m, PreviousRevision: prevRevision})
}

// GetReport returns a period's report with every revision.
func (a *App) GetReport(ctx context.Context, actor Actor, companyID, period string) (ReportView, error) {
	var out ReportView
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		c, _, p, err := a.reportCompany(ctx, tx, actor, companyID, period, "read")
		if err != nil {
			return err
		}
		r, err := reportOf(ctx, tx, c.ID, p)
		if err != nil {
			return err
		}
		revs, err := tx.ReportRevisions(ctx, r.ID)
		if err != nil {
			return err
		}
		out = ReportView{Report: r, Revisions: revs}
		if len(revs) > 0 {
			out.Latest = revs[len(revs)-1]
		}
		return nil
	})
	return out, err
}

// ListReports lists a company's reports, newest period first.
func (a *App) ListReports(ctx context.Context, actor Actor, f ReportFilter, p list.Params) ([]*domain.MetricReport, int, error) {
	var out []*domain.MetricReport
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		if _, _, err := a.companyAt(ctx, tx, actor, f.CompanyID, "report", "read"); err != nil {
			return err
		}
		if f.Status != "" && !validReportStatus(string(f.Status)) {
			return apperr.NewValidation("invalid-query").Add("status", "one_of", "allowed", "draft, submitted, accepted, returned").Err()
		}
		var err error
		out, total, err = tx.ListMetricReports(ctx, f, p)
		return err
	})
	return out, total, err
}

func validReportStatus(s string) bool {
	switch domain.ReportStatus(s) {
	case domain.ReportDraft, domain.ReportSubmitted, domain.ReportAccepted, domain.ReportReturned:
		return true
	}
	return false
}

// ReviewReport accepts or returns a submitted report; operators of a
// carrier the company is linked to review.
func (a *App) ReviewReport(ctx context.Context, actor Actor, companyID, period string, d domain.ReviewDecision, comment string) (ReportView, error) {
	var out ReportView
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		c, scope, p, err := a.reportCompany(ctx, tx, actor, companyID, period, "review")
		if err != nil {
			return err
		}
		r, err := reportOf(ctx, tx, c.ID, p)
		if err != nil {
			return err
		}
		prevStatus := r.Status
		if err := r.Review(d, comment, actor.UserID, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateMetricReport(ctx, r, r.Revision, prevStatus); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID}, actor, r.ID, events.MetricsReviewedV1{
			ReportID: r.ID, CompanyID: c.ID, RegionID: c.RegionID, CarrierID: scope.CarrierID, Period: p.String(), Revision: r.Revision,
			Decision: string(d), Status: string(r.Status), Comment: r.ReviewComment}); err != nil {
			return err
		}
		out.Report = r
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "report.review", ObjectID: r.ID, RegionID: c.RegionID, CarrierID: scope.CarrierID,
			CompanyID: c.ID, Detail: map[string]any{"period": p.String(), "revision": r.Revision, "decision": string(d)}})
	})
	return out, err
}

// CarrierReportFilter narrows a carrier's report overview.
type CarrierReportFilter struct {
	Period       string // YYYY-MM or YYYY-Qn; empty: the latest ended quarter
	Status       string // missing | draft | submitted | accepted | returned
	Overdue      bool   // only reports past due and not submitted
	RemindersDue bool   // only reports due within ReminderDays and not submitted
}

// ReminderDays is how early before the due date a company is reminded.
const ReminderDays = 7

// CarrierReportRow is one linked company's state for the period.
type CarrierReportRow struct {
	Company     *domain.Company
	Report      *domain.MetricReport // nil when nothing is filed
	Status      string               // the report's status, or "missing"
	DueOn       time.Time
	DueInDays   int // negative once overdue
	Overdue     bool
	ReminderDue bool
}

// CarrierReportOverview is who has and hasn't reported a period.
type CarrierReportOverview struct {
	Period domain.Period
	DueOn  time.Time
	Rows   []CarrierReportRow
	Total  int
	Counts map[string]int // by status, before filtering
}

// StatusMissing is the overview status of a company with no report.
const StatusMissing = "missing"

// CarrierReports is an operator's view of a period's reports: every
// company linked to the carrier, whether it has reported, what is overdue
// and who is due for a reminder.
func (a *App) CarrierReports(ctx context.Context, actor Actor, carrierID string, f CarrierReportFilter, p list.Params) (CarrierReportOverview, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return CarrierReportOverview{}, err
	}
	var out CarrierReportOverview
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		car, err := tx.GetCarrier(ctx, carrierID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NotFoundErr("carrier-not-found")
		} else if err != nil {
			return err
		}
		if err := a.decideInCarrier(actor, car.RegionID, car.ID, "report", "read"); err != nil {
			return err
		}
		v := apperr.NewValidation("invalid-query")
		period := domain.LatestEndedPeriod(domain.Quarterly, a.now())
		if f.Period != "" {
			var ok bool
			if period, ok = domain.ParsePeriod(f.Period); !ok {
				v.Add("period", "period_format")
			}
		}
		v.Check(f.Status != "" && f.Status != StatusMissing && !validReportStatus(f.Status), "status", "one_of", "allowed", "missing, draft, submitted, accepted, returned")
		if err := v.Err(); err != nil {
			return err
		}
		cos, _, err := tx.ListCompanies(ctx, CompanyFilter{RegionID: car.RegionID, CarrierIDs: []string{car.ID}}, list.First(100000))
		if err != nil {
			return err
		}
		ids := make([]string, len(cos))
		for i, c := range cos {
			ids[i] = c.ID
		}
		reports, err := tx.MetricReportsForPeriod(ctx, ids, period)
		if err != nil {
			return err
		}
		today := domain.ChinaToday(a.now())
		due := period.Due()
		out = CarrierReportOverview{Period: period, DueOn: due, Counts: map[string]int{}}
		var rows []CarrierReportRow
		for _, c := range cos {
			r := reports[c.ID]
			row := CarrierReportRow{Company: c, Report: r, Status: StatusMissing, DueOn: due, DueInDays: int(due.Sub(today).Hours() / 24)}
			if r != nil {
				row.Status = string(r.Status)
			}
			owed := r.Outstanding()
			row.Overdue = owed && row.DueInDays < 0
			row.ReminderDue = owed && row.DueInDays >= 0 && row.DueInDays <= ReminderDays
			out.Counts[row.Status]++
			if (f.Status != "" && row.Status != f.Status) || (f.Overdue && !row.Overdue) || (f.RemindersDue && !row.ReminderDue) {
				continue
			}
			rows = append(rows, row)
		}
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].Company.Fields.NameZH != rows[j].Company.Fields.NameZH {
				return rows[i].Company.Fields.NameZH < rows[j].Company.Fields.NameZH
			}
			return rows[i].Company.ID < rows[j].Company.ID
		})
		out.Total = len(rows)
		from, to := min(p.Offset(), len(rows)), min(p.Offset()+p.PageSize, len(rows))
		out.Rows = rows[from:to]
		return nil
	})
	return out, err
}
