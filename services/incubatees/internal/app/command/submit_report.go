package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// SubmitReport files a company's report for a period, as a draft or
// submitted (Input.Submit).
type SubmitReport struct {
	Actor     app.Actor
	CompanyID string
	Period    string
	Input     domain.ReportInput
}

// SubmitReportHandler files reports.
type SubmitReportHandler struct{ handler[ReportRepository] }

// NewSubmitReportHandler returns the handler over the report repository.
var NewSubmitReportHandler = newHandler[SubmitReportHandler, ReportRepository]

// Handle files the report; a period is reported once and revised after
// that.
func (h SubmitReportHandler) Handle(ctx context.Context, cmd SubmitReport) (FiledReport, error) {
	return inReport(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, cmd.Period, "create", func(ctx context.Context, c *domain.Company, _ authz.Scope, p domain.Period) (FiledReport, error) {
		if _, err := h.repo.GetMetricReport(ctx, c.ID, p); err == nil {
			return FiledReport{}, reportExists(p)
		} else if !apperr.Is(err, apperr.NotFound) {
			return FiledReport{}, err
		}
		vals, warns, err := checkFigures(ctx, h.repo, c, p, cmd.Input, h.now())
		if err != nil {
			return FiledReport{}, err
		}
		now := h.now()
		id := events.NewID()
		rev := domain.NewRevision(nil, id, vals, cmd.Input.Explanations, warns, cmd.Input.Submit, cmd.Actor.UserID, now)
		r := domain.NewMetricReport(id, c.ID, c.RegionID, p, rev, now)
		ch, err := filed(ctx, h.repo, c, r, rev, cmd.Input.Submit, 0, "report.create", warns)
		if err != nil {
			return FiledReport{}, err
		}
		if err := h.repo.Add(ctx, cmd.Actor, r, ch); err != nil {
			return FiledReport{}, err
		}
		return FiledReport{ReportView: app.ReportView{Report: r, Latest: rev}, Warnings: warns}, nil
	})
}
