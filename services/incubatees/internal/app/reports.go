package app

import (
	"context"
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

// InvalidPeriod is the refusal of a period that is not YYYY-MM or YYYY-Qn.
func InvalidPeriod() error {
	return apperr.NewValidation("invalid-report").Add("period", "period_format").Err()
}

// Change is what a change to an aggregate records beside the aggregate
// itself: its events, seen from Scope, and the audit line of the act
// (none when Action is empty), in the same scope.
type Change struct {
	Scope  events.Scope
	Events []events.Payload
	Action string
	Detail map[string]any
}

// ReportChange is a Change to a report, with the revision it adds (if any).
type ReportChange struct {
	Change
	Revision *domain.ReportRevision
}

// ReportCompany is CompanyAt for act on reports, with the period named:
// the first steps of every use case on one period's report.
func ReportCompany(ctx context.Context, rd CompanyLoader, e *authz.Enforcer, actor Actor, companyID, period, act string) (*domain.Company, authz.Scope, domain.Period, error) {
	c, scope, err := CompanyAt(ctx, rd, e, actor, companyID, "report", act)
	if err != nil {
		return nil, authz.Scope{}, domain.Period{}, err
	}
	p, ok := domain.ParsePeriod(period)
	if !ok {
		return nil, authz.Scope{}, domain.Period{}, InvalidPeriod()
	}
	return c, scope, p, nil
}

// ReportReader reads metric reports and their revisions.
type ReportReader interface {
	GetMetricReport(ctx context.Context, companyID string, p domain.Period) (*domain.MetricReport, error)
	ReportRevisions(ctx context.Context, reportID string) ([]domain.ReportRevision, error)
}

// PreviousFigures are the last submitted figures of the period before p,
// the base of the jump checks.
func PreviousFigures(ctx context.Context, rd ReportReader, companyID string, p domain.Period) (map[string]domain.MetricValue, error) {
	prev, err := rd.GetMetricReport(ctx, companyID, p.Previous())
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	revs, err := rd.ReportRevisions(ctx, prev.ID)
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

// MetricsEvent announces submitted figures of r at revision rev, for a
// company linked to carriers: reported the first time a period is
// submitted (prevRevision 0), revised after that.
func MetricsEvent(c *domain.Company, carriers []string, r *domain.MetricReport, rev domain.ReportRevision, prevRevision int) events.Payload {
	if carriers == nil {
		carriers = []string{}
	}
	nums := make(map[string]int64, len(rev.Values))
	for k, v := range rev.Values {
		nums[k] = v.Value
	}
	m := events.MetricsV1{ReportID: r.ID, CompanyID: c.ID, RegionID: c.RegionID, CarrierIDs: carriers, Period: r.Period.String(),
		Cadence: string(r.Period.Cadence()), Revision: rev.Number, MoneyUnit: domain.ReportUnitYuan, Metrics: nums}
	if prevRevision == 0 {
		return events.MetricsReportedV1{MetricsV1: m}
	}
	return events.MetricsRevisedV1{MetricsV1: m, PreviousRevision: prevRevision}
}

// ValidReportStatus reports whether s is a report status.
func ValidReportStatus(s string) bool {
	switch domain.ReportStatus(s) {
	case domain.ReportDraft, domain.ReportSubmitted, domain.ReportAccepted, domain.ReportReturned:
		return true
	}
	return false
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
