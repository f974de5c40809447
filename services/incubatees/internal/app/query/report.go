package query

import (
	"context"
	"sort"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// GetReport is a period's report read by Actor.
type GetReport struct {
	Actor     app.Actor
	CompanyID string
	Period    string
}

// GetReportReadModel is what GetReportHandler reads.
type GetReportReadModel interface {
	CompanyReadModel
	app.ReportReader
}

// GetReportHandler reads reports.
type GetReportHandler struct{ reader[GetReportReadModel] }

// NewGetReportHandler returns the handler over rm.
var NewGetReportHandler = newReader[GetReportHandler, GetReportReadModel]

// Handle returns the period's report with every revision.
func (h GetReportHandler) Handle(ctx context.Context, q GetReport) (app.ReportView, error) {
	return app.Within(ctx, h.rm.Snapshot, func(ctx context.Context) (app.ReportView, error) {
		c, _, p, err := app.ReportCompany(ctx, h.rm, h.authz, q.Actor, q.CompanyID, q.Period, "read")
		if err != nil {
			return app.ReportView{}, err
		}
		r, err := h.rm.GetMetricReport(ctx, c.ID, p)
		if apperr.Is(err, apperr.NotFound) {
			return app.ReportView{}, apperr.NotFoundErr("report-not-found")
		} else if err != nil {
			return app.ReportView{}, err
		}
		revs, err := h.rm.ReportRevisions(ctx, r.ID)
		if err != nil {
			return app.ReportView{}, err
		}
		out := app.ReportView{Report: r, Revisions: revs}
		if len(revs) > 0 {
			out.Latest = revs[len(revs)-1]
		}
		return out, nil
	})
}

// ListReports is a page of a company's reports (Filter.CompanyID).
type ListReports struct {
	Actor  app.Actor
	Filter app.ReportFilter
	Page   list.Params
}

// ListReportsReadModel is what ListReportsHandler reads.
type ListReportsReadModel interface {
	CompanyReadModel
	ListMetricReports(ctx context.Context, f app.ReportFilter, p list.Params) ([]*domain.MetricReport, int, error)
}

// ListReportsHandler lists reports.
type ListReportsHandler struct{ reader[ListReportsReadModel] }

// NewListReportsHandler returns the handler over rm.
var NewListReportsHandler = newReader[ListReportsHandler, ListReportsReadModel]

// Handle lists the company's reports, newest period first.
func (h ListReportsHandler) Handle(ctx context.Context, q ListReports) ([]*domain.MetricReport, int, error) {
	return inSnapshot(ctx, h.rm.Snapshot, func(ctx context.Context) ([]*domain.MetricReport, int, error) {
		if _, _, err := app.CompanyAt(ctx, h.rm, h.authz, q.Actor, q.Filter.CompanyID, "report", "read"); err != nil {
			return nil, 0, err
		}
		if q.Filter.Status != "" && !app.ValidReportStatus(string(q.Filter.Status)) {
			return nil, 0, apperr.NewValidation("invalid-query").Add("status", "one_of", "allowed", "draft, submitted, accepted, returned").Err()
		}
		return h.rm.ListMetricReports(ctx, q.Filter, q.Page)
	})
}

// CarrierReports is an operator's view of a period's reports at a carrier.
type CarrierReports struct {
	Actor     app.Actor
	CarrierID string
	Filter    app.CarrierReportFilter
	Page      list.Params
}

// CarrierReportsReadModel is what CarrierReportsHandler reads.
type CarrierReportsReadModel interface {
	snapshotter
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	ListCompanies(ctx context.Context, f app.CompanyFilter, p list.Params) ([]*domain.Company, int, error)
	MetricReportsForPeriod(ctx context.Context, companyIDs []string, p domain.Period) (map[string]*domain.MetricReport, error)
}

// CarrierReportsHandler answers carriers' report overviews.
type CarrierReportsHandler struct {
	reader[CarrierReportsReadModel]
	now func() time.Time
}

// NewCarrierReportsHandler returns the handler over rm; now says which
// quarter ended last and what is overdue.
func NewCarrierReportsHandler(rm CarrierReportsReadModel, e *authz.Enforcer, now func() time.Time) CarrierReportsHandler {
	return CarrierReportsHandler{reader: reader[CarrierReportsReadModel]{rm, e}, now: now}
}

// Handle lists every company linked to the carrier, whether it has
// reported the period, what is overdue and who is due for a reminder.
func (h CarrierReportsHandler) Handle(ctx context.Context, q CarrierReports) (app.CarrierReportOverview, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) (app.CarrierReportOverview, error) {
		car, err := h.rm.GetCarrier(ctx, q.CarrierID)
		if apperr.Is(err, apperr.NotFound) {
			return app.CarrierReportOverview{}, apperr.NotFoundErr("carrier-not-found")
		} else if err != nil {
			return app.CarrierReportOverview{}, err
		}
		if err := app.AuthorizeInCarrier(h.authz, q.Actor, car, "report", "read"); err != nil {
			return app.CarrierReportOverview{}, err
		}
		period, err := h.period(q.Filter)
		if err != nil {
			return app.CarrierReportOverview{}, err
		}
		cos, _, err := h.rm.ListCompanies(ctx, app.CompanyFilter{RegionID: car.RegionID, CarrierIDs: []string{car.ID}}, list.First(100000))
		if err != nil {
			return app.CarrierReportOverview{}, err
		}
		ids := make([]string, len(cos))
		for i, c := range cos {
			ids[i] = c.ID
		}
		reports, err := h.rm.MetricReportsForPeriod(ctx, ids, period)
		if err != nil {
			return app.CarrierReportOverview{}, err
		}
		return overview(cos, reports, period, calendar.Today(h.now()), q.Filter, q.Page), nil
	})
}

// period is the filter's period (the latest ended quarter when it names
// none), after checking the filter.
func (h CarrierReportsHandler) period(f app.CarrierReportFilter) (domain.Period, error) {
	v := apperr.NewValidation("invalid-query")
	period := domain.LatestEndedPeriod(domain.Quarterly, h.now())
	if f.Period != "" {
		var ok bool
		if period, ok = domain.ParsePeriod(f.Period); !ok {
			v.Add("period", "period_format")
		}
	}
	v.Check(f.Status != "" && f.Status != app.StatusMissing && !app.ValidReportStatus(f.Status), "status", "one_of", "allowed", "missing, draft, submitted, accepted, returned")
	return period, v.Err()
}

// overview is a page of the companies' rows for period, by name, with the
// counts by status before filtering.
func overview(cos []*domain.Company, reports map[string]*domain.MetricReport, period domain.Period, today time.Time, f app.CarrierReportFilter, p list.Params) app.CarrierReportOverview {
	due := period.Due()
	out := app.CarrierReportOverview{Period: period, DueOn: due, Counts: map[string]int{}}
	var rows []app.CarrierReportRow
	for _, c := range cos {
		r := reports[c.ID]
		row := app.CarrierReportRow{Company: c, Report: r, Status: app.StatusMissing, DueOn: due, DueInDays: int(due.Sub(today).Hours() / 24)}
		if r != nil {
			row.Status = string(r.Status)
		}
		owed := r.Outstanding()
		row.Overdue = owed && row.DueInDays < 0
		row.ReminderDue = owed && row.DueInDays >= 0 && row.DueInDays <= app.ReminderDays
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
	return out
}

// ListLadder is a company's cultivation ladder.
type ListLadder struct {
	Actor     app.Actor
	CompanyID string
}

// ListLadderReadModel is what ListLadderHandler reads.
type ListLadderReadModel interface {
	CompanyReadModel
	LadderEntries(ctx context.Context, companyID string) ([]domain.LadderEntry, error)
}

// ListLadderHandler reads ladders.
type ListLadderHandler struct{ reader[ListLadderReadModel] }

// NewListLadderHandler returns the handler over rm.
var NewListLadderHandler = newReader[ListLadderHandler, ListLadderReadModel]

// Handle returns the company's steps, lowest first.
func (h ListLadderHandler) Handle(ctx context.Context, q ListLadder) ([]domain.LadderEntry, error) {
	return ofCompany(ctx, h.reader, q.Actor, q.CompanyID, "ladder", "read", func(ctx context.Context, c *domain.Company) ([]domain.LadderEntry, error) {
		return h.rm.LadderEntries(ctx, c.ID)
	})
}
