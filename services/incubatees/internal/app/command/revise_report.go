package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ReviseReport adds a revision to a period's report.
type ReviseReport struct {
	Actor     app.Actor
	CompanyID string
	Period    string
	Input     domain.ReportInput
}

// ReviseReportHandler revises reports.
type ReviseReportHandler struct{ handler[ReportRepository] }

// NewReviseReportHandler returns the handler over the report repository.
var NewReviseReportHandler = newHandler[ReviseReportHandler, ReportRepository]

// Handle adds the revision; earlier revisions stay.
func (h ReviseReportHandler) Handle(ctx context.Context, cmd ReviseReport) (FiledReport, error) {
	return inReport(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, cmd.Period, "create", func(ctx context.Context, c *domain.Company, _ authz.Scope, p domain.Period) (FiledReport, error) {
		var out FiledReport
		err := h.repo.Update(ctx, cmd.Actor, c.ID, p, func(ctx context.Context, r *domain.MetricReport) (app.ReportChange, error) {
			vals, warns, err := checkFigures(ctx, h.repo, c, p, cmd.Input, h.now())
			if err != nil {
				return app.ReportChange{}, err
			}
			now := h.now()
			wasSubmitted, prevRevision := r.FirstSubmittedAt != nil, r.Revision
			rev := domain.NewRevision(r, r.ID, vals, cmd.Input.Explanations, warns, cmd.Input.Submit, cmd.Actor.UserID, now)
			r.Revise(rev, now)
			if !wasSubmitted {
				prevRevision = 0 // submitted for the first time: reported, not revised
			}
			out = FiledReport{ReportView: app.ReportView{Report: r, Latest: rev}, Warnings: warns}
			return filed(ctx, h.repo, c, r, rev, cmd.Input.Submit, prevRevision, "report.revise", warns)
		})
		return out, err
	})
}
