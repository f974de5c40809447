package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

var _ app.ReportTx = (*txStore)(nil)

func dateOf(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

type ladderRow struct {
	bun.BaseModel `bun:"table:ladder_steps"`
	ID            string     `bun:"id,pk"`
	CompanyID     string     `bun:"company_id"`
	Step          string     `bun:"step"`
	StepRank      int        `bun:"step_rank"`
	CertificateNo string     `bun:"certificate_no"`
	StepDate      string     `bun:"step_date"`
	ExpiresOn     *string    `bun:"expires_on"`
	EvidenceDocID string     `bun:"evidence_document_id"`
	Status        string     `bun:"status"`
	RecordedBy    string     `bun:"recorded_by"`
	RecordedAt    time.Time  `bun:"recorded_at"`
	VerifiedBy    string     `bun:"verified_by"`
	VerifiedAt    *time.Time `bun:"verified_at"`
	RejectReason  string     `bun:"reject_reason"`
}

func ladderToRow(e domain.LadderEntry) ladderRow {
	return ladderRow{ID: e.ID, CompanyID: e.CompanyID, Step: string(e.Step), StepRank: e.Step.Rank(), CertificateNo: e.CertificateNo,
		StepDate: e.Date.Format(time.DateOnly), ExpiresOn: dayp(e.Expiry), EvidenceDocID: e.EvidenceDocID, Status: string(e.Status),
		RecordedBy: e.RecordedBy, RecordedAt: e.RecordedAt.UTC(), VerifiedBy: e.VerifiedBy, VerifiedAt: utcp(e.VerifiedAt), RejectReason: e.RejectReason}
}

func ladderFrom(r ladderRow) domain.LadderEntry {
	e := domain.LadderEntry{ID: r.ID, CompanyID: r.CompanyID, Step: domain.LadderStep(r.Step), CertificateNo: r.CertificateNo,
		Date: dateOf(r.StepDate), EvidenceDocID: r.EvidenceDocID, Status: domain.LadderStatus(r.Status), RecordedBy: r.RecordedBy,
		RecordedAt: r.RecordedAt, VerifiedBy: r.VerifiedBy, VerifiedAt: r.VerifiedAt, RejectReason: r.RejectReason}
	if r.ExpiresOn != nil {
		d := dateOf(*r.ExpiresOn)
		e.Expiry = &d
	}
	return e
}

func (t *txStore) InsertLadderEntry(ctx context.Context, e domain.LadderEntry) error {
	row := ladderToRow(e)
	return db.Exec(ctx, t.NewInsert().Model(&row), "insert ladder step")
}

func (t *txStore) UpdateLadderEntry(ctx context.Context, e domain.LadderEntry) error {
	row := ladderToRow(e)
	// Only a claimed step is verified, once: a concurrent verifier loses.
	q := t.NewUpdate().Model(&row).WherePK().Where("status = ?", string(domain.LadderClaimed)).
		Column("status", "verified_by", "verified_at")
	return execGuarded(ctx, q, "update ladder step", apperr.ConflictErr("ladder-step-already-verified"))
}

func (t *txStore) LadderEntries(ctx context.Context, companyID string) ([]domain.LadderEntry, error) {
	var rows []ladderRow
	q := t.NewSelect().Model(&rows).Where("company_id = ?", companyID).Order("step_rank", "step_date", "recorded_at", "id")
	return db.MapAll(ctx, q, &rows, "list ladder steps", ladderFrom)
}

type reportRow struct {
	bun.BaseModel    `bun:"table:metric_reports"`
	ID               string     `bun:"id,pk"`
	CompanyID        string     `bun:"company_id"`
	RegionID         string     `bun:"region_id"`
	Period           string     `bun:"period"`
	Cadence          string     `bun:"cadence"`
	PeriodEnd        string     `bun:"period_end"`
	Status           string     `bun:"status"`
	Revision         int        `bun:"revision"`
	FirstSubmittedAt *time.Time `bun:"first_submitted_at"`
	SubmittedAt      *time.Time `bun:"submitted_at"`
	ReviewedBy       string     `bun:"reviewed_by"`
	ReviewedAt       *time.Time `bun:"reviewed_at"`
	ReviewComment    string     `bun:"review_comment"`
	CreatedAt        time.Time  `bun:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
}

func reportToRow(r *domain.MetricReport) reportRow {
	return reportRow{ID: r.ID, CompanyID: r.CompanyID, RegionID: r.RegionID, Period: r.Period.String(), Cadence: string(r.Period.Cadence()),
		PeriodEnd: r.Period.End().Format(time.DateOnly), Status: string(r.Status), Revision: r.Revision, FirstSubmittedAt: utcp(r.FirstSubmittedAt),
		SubmittedAt: utcp(r.SubmittedAt), ReviewedBy: r.ReviewedBy, ReviewedAt: utcp(r.ReviewedAt), ReviewComment: r.ReviewComment,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func reportFrom(r reportRow) *domain.MetricReport {
	p, _ := domain.ParsePeriod(r.Period)
	return &domain.MetricReport{ID: r.ID, CompanyID: r.CompanyID, RegionID: r.RegionID, Period: p, Status: domain.ReportStatus(r.Status),
		Revision: r.Revision, FirstSubmittedAt: r.FirstSubmittedAt, SubmittedAt: r.SubmittedAt, ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt,
		ReviewComment: r.ReviewComment, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (t *txStore) InsertMetricReport(ctx context.Context, r *domain.MetricReport) error {
	row := reportToRow(r)
	return db.ExecUnique(ctx, t.NewInsert().Model(&row), "insert metric report", apperr.ConflictErr("report-exists").With("period", r.Period.String()))
}

// UpdateMetricReport is optimistic: a revision or review that committed
// since r was read makes it a conflict rather than a lost update.
func (t *txStore) UpdateMetricReport(ctx context.Context, r *domain.MetricReport, prevRevision int, prevStatus domain.ReportStatus) error {
	row := reportToRow(r)
	q := t.NewUpdate().Model(&row).WherePK().Where("revision = ? AND status = ?", prevRevision, string(prevStatus)).
		ExcludeColumn("id", "company_id", "region_id", "period", "cadence", "period_end", "created_at")
	return execGuarded(ctx, q, "update metric report", apperr.ConflictErr("report-changed"))
}

func (t *txStore) GetMetricReport(ctx context.Context, companyID string, p domain.Period) (*domain.MetricReport, error) {
	var r reportRow
	return db.MapOne(ctx, t.NewSelect().Model(&r).Where("company_id = ? AND period = ?", companyID, p.String()), &r, "report-not-found", reportFrom)
}

func (t *txStore) ListMetricReports(ctx context.Context, f app.ReportFilter, p list.Params) ([]*domain.MetricReport, int, error) {
	var rows []reportRow
	q := t.NewSelect().Model(&rows).Where("company_id = ?", f.CompanyID)
	q = db.Filter(q, "status = ?", string(f.Status))
	return db.MapPage(ctx, q.Order("period_end DESC", "period DESC"), p, &rows, "list metric reports", reportFrom)
}

func (t *txStore) MetricReportsForPeriod(ctx context.Context, companyIDs []string, p domain.Period) (map[string]*domain.MetricReport, error) {
	if len(companyIDs) == 0 {
		return map[string]*domain.MetricReport{}, nil
	}
	var rows []reportRow
	q := t.NewSelect().Model(&rows).Where("period = ? AND company_id IN (?)", p.String(), bun.List(companyIDs))
	return db.MapKeyed(ctx, q, &rows, "metric reports of "+p.String(), func(r reportRow) (string, *domain.MetricReport) {
		return r.CompanyID, reportFrom(r)
	})
}

type revisionRow struct {
	bun.BaseModel `bun:"table:metric_report_revisions"`
	ReportID      string    `bun:"report_id,pk"`
	Revision      int       `bun:"revision,pk"`
	Metrics       string    `bun:"metrics"`
	Explanations  string    `bun:"explanations"`
	Warnings      string    `bun:"warnings"`
	Submitted     bool      `bun:"submitted"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (t *txStore) InsertReportRevision(ctx context.Context, rev domain.ReportRevision) error {
	vals, err := json.Marshal(rev.Values)
	if err != nil {
		return err
	}
	expl, err := json.Marshal(rev.Explanations)
	if err != nil {
		return err
	}
	warns := []domain.Warning{}
	warns = append(warns, rev.Warnings...)
	w, err := json.Marshal(warns)
	if err != nil {
		return err
	}
	row := revisionRow{ReportID: rev.ReportID, Revision: rev.Number, Metrics: string(vals), Explanations: string(expl), Warnings: string(w),
		Submitted: rev.Submitted, CreatedBy: rev.CreatedBy, CreatedAt: rev.CreatedAt.UTC()}
	return db.ExecUnique(ctx, t.NewInsert().Model(&row), "insert report revision", apperr.ConflictErr("report-changed"))
}

func (t *txStore) ReportRevisions(ctx context.Context, reportID string) ([]domain.ReportRevision, error) {
	var rows []revisionRow
	q := t.NewSelect().Model(&rows).Where("report_id = ?", reportID).Order("revision")
	return db.DecodeAll(ctx, q, &rows, "list report revisions", revisionFrom)
}

func revisionFrom(r revisionRow) (domain.ReportRevision, error) {
	rev := domain.ReportRevision{ReportID: r.ReportID, Number: r.Revision, Submitted: r.Submitted, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	for _, col := range []struct {
		json string
		into any
	}{{r.Metrics, &rev.Values}, {r.Explanations, &rev.Explanations}, {r.Warnings, &rev.Warnings}} {
		if err := json.Unmarshal([]byte(col.json), col.into); err != nil {
			return rev, fmt.Errorf("decode revision %s/%d: %w", r.ReportID, r.Revision, err)
		}
	}
	return rev, nil
}

// execGuarded runs q, a change guarded by a condition on the row it
// changes (an expected status or revision): no row changed is conflict,
// someone else's change won.
func execGuarded(ctx context.Context, q db.Execer, what string, conflict error) error {
	n, err := db.Affected(ctx, q, what)
	if err == nil && n == 0 {
		return conflict
	}
	return err
}
