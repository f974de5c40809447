package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ReviewReport accepts or returns a submitted report.
type ReviewReport struct {
	Actor     app.Actor
	CompanyID string
	Period    string
	Decision  domain.ReviewDecision
	Comment   string
}

// ReviewReportHandler reviews reports.
type ReviewReportHandler struct{ handler[ReportRepository] }

// NewReviewReportHandler returns the handler over the report repository.
var NewReviewReportHandler = newHandler[ReviewReportHandler, ReportRepository]

// Handle records the review; operators of a carrier the company is linked
// to review, for that carrier.
func (h ReviewReportHandler) Handle(ctx context.Context, cmd ReviewReport) (app.ReportView, error) {
	return inReport(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, cmd.Period, "review", func(ctx context.Context, c *domain.Company, scope authz.Scope, p domain.Period) (app.ReportView, error) {
		var out app.ReportView
		err := h.repo.Update(ctx, cmd.Actor, c.ID, p, func(_ context.Context, r *domain.MetricReport) (app.ReportChange, error) {
			if err := r.Review(cmd.Decision, cmd.Comment, cmd.Actor.UserID, h.now()); err != nil {
				return app.ReportChange{}, err
			}
			out.Report = r
			return app.ReportChange{Change: app.Change{Scope: events.Scope{RegionID: c.RegionID, CarrierID: scope.CarrierID},
				Events: []events.Payload{events.MetricsReviewedV1{ReportID: r.ID, CompanyID: c.ID, RegionID: c.RegionID, CarrierID: scope.CarrierID,
					Period: p.String(), Revision: r.Revision, Decision: string(cmd.Decision), Status: string(r.Status), Comment: r.ReviewComment}},
				Action: "report.review", Detail: map[string]any{"period": p.String(), "revision": r.Revision, "decision": string(cmd.Decision)}}}, nil
		})
		return out, err
	})
}
