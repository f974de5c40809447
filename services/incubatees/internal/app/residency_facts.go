package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// FactsReader reads what CompanyFacts looks at.
type FactsReader interface {
	LadderEntries(ctx context.Context, companyID string) ([]domain.LadderEntry, error)
	ListMetricReports(ctx context.Context, f ReportFilter, p list.Params) ([]*domain.MetricReport, int, error)
	ReportRevisions(ctx context.Context, reportID string) ([]domain.ReportRevision, error)
}

// CompanyFacts gathers what the rule pack's graduation conditions look at:
// a verified, unexpired 高新技术企业 certificate on the ladder, and from the
// latest submitted revision of every metric report the financing raised
// (summed over all periods) and the revenue of each calendar year (summed
// over that year's periods, which together cover it).
// It only reads; the residency query gives it its own repository.
func CompanyFacts(ctx context.Context, tx FactsReader, co *domain.Company, today time.Time) (domain.CompanyFacts, error) {
	f := domain.CompanyFacts{IndustryCode: co.Fields.IndustryCode, FoundedOn: co.Fields.FoundedOn, RevenueByYearYuan: map[int]int64{}}
	steps, err := tx.LadderEntries(ctx, co.ID)
	if err != nil {
		return f, err
	}
	for _, s := range steps {
		if s.Step == domain.StepHighTech && s.Status == domain.LadderVerified && (s.Expiry == nil || !s.Expiry.Before(today)) {
			f.HighTechCertificate = true
		}
	}
	reports, _, err := tx.ListMetricReports(ctx, ReportFilter{CompanyID: co.ID}, list.Params{Page: 1, PageSize: 1000})
	if err != nil {
		return f, err
	}
	for _, r := range reports {
		latest, err := latestSubmitted(ctx, tx, r.ID)
		if err != nil {
			return f, err
		}
		if latest == nil {
			continue
		}
		f.CumulativeFinancingYuan += latest.Values["financing_amount"].Value
		f.RevenueByYearYuan[r.Period.Year] += latest.Values["revenue"].Value
	}
	return f, nil
}

// latestSubmitted is the report's submitted revision with the highest
// number, or nil when none was submitted.
func latestSubmitted(ctx context.Context, tx FactsReader, reportID string) (*domain.ReportRevision, error) {
	revs, err := tx.ReportRevisions(ctx, reportID)
	if err != nil {
		return nil, err
	}
	var latest *domain.ReportRevision
	for i := range revs {
		if revs[i].Submitted && (latest == nil || revs[i].Number > latest.Number) {
			latest = &revs[i]
		}
	}
	return latest, nil
}

// latestMetrics is the latest submitted revision of the company's most
// recent period, or nil when it has submitted none.
func latestMetrics(ctx context.Context, tx FactsReader, companyID string) (map[string]any, error) {
	reports, _, err := tx.ListMetricReports(ctx, ReportFilter{CompanyID: companyID}, list.Params{Page: 1, PageSize: 1000})
	if err != nil {
		return nil, err
	}
	var best map[string]any
	var bestEnd time.Time
	for _, r := range reports {
		latest, err := latestSubmitted(ctx, tx, r.ID)
		if err != nil {
			return nil, err
		}
		if latest == nil || (best != nil && !r.Period.End().After(bestEnd)) {
			continue
		}
		best, bestEnd = map[string]any{"period": r.Period.String(), "revision": latest.Number, "money_unit": "yuan", "metrics": latest.Values}, r.Period.End()
	}
	return best, nil
}
