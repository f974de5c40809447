package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// FiledReport is a report as filed, with the warnings its figures raised.
type FiledReport struct {
	app.ReportView
	Warnings []domain.Warning
}

// ReportRepository is the metric report repository the report commands
// need.
type ReportRepository interface {
	transactor
	app.CompanyLoader
	app.ReportReader
	Add(ctx context.Context, actor app.Actor, r *domain.MetricReport, ch app.ReportChange) error
	Update(ctx context.Context, actor app.Actor, companyID string, p domain.Period,
		fn func(ctx context.Context, r *domain.MetricReport) (app.ReportChange, error)) error
}

// checkFigures checks a filing of period p against the figures last
// submitted for the period before.
func checkFigures(ctx context.Context, repo app.ReportReader, c *domain.Company, p domain.Period, in domain.ReportInput, now time.Time) (map[string]domain.MetricValue, []domain.Warning, error) {
	prev, err := app.PreviousFigures(ctx, repo, c.ID, p)
	if err != nil {
		return nil, nil, err
	}
	return domain.CheckReport(p, in, prev, now)
}

// filed is the change of filing revision rev of r (action report.create
// or report.revise); submitted figures are announced, as reported the
// first time (prevRevision 0) and as revised after that.
func filed(ctx context.Context, repo app.CompanyLinks, c *domain.Company, r *domain.MetricReport, rev domain.ReportRevision, submit bool,
	prevRevision int, action string, warns []domain.Warning) (app.ReportChange, error) {
	ch := app.ReportChange{Revision: &rev, Change: app.Change{Scope: app.CompanyScope(c), Action: action,
		Detail: map[string]any{"period": r.Period.String(), "revision": r.Revision, "submitted": submit, "warnings": len(warns)}}}
	if submit {
		carriers, err := repo.CompanyCarriers(ctx, c.ID)
		if err != nil {
			return app.ReportChange{}, err
		}
		ch.Events = append(ch.Events, app.MetricsEvent(c, carriers, r, rev, prevRevision))
	}
	return ch, nil
}

// reportExists is the conflict of filing a period twice.
func reportExists(p domain.Period) error {
	e := apperr.ConflictErr("report-exists").With("period", p.String())
	e.Fields = []apperr.FieldError{{Field: "period", Code: "already_reported"}}
	return e
}
