package ports

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

const (
	tLadder  = "ladder 梯次培育"
	tReports = "reports 统计报表"
)

func (h *HTTP) reportRoutes() []httpx.Endpoint {
	return []httpx.Endpoint{
		httpx.GET("/api/v1/companies/:id/ladder", h.listLadder).Tag(tLadder).Doc("企业梯次培育记录 / A company's cultivation ladder").Lists(LadderStepDTO{}),
		httpx.POST("/api/v1/companies/:id/ladder", idBind(http.StatusCreated, h.recordLadderStep, ladderNowDTO)).Tag(tLadder).Doc("登记培育梯次 / Record a ladder step").Takes(LadderInput{}).Creates(LadderStepDTO{}),
		httpx.POST("/api/v1/companies/:id/ladder/:step/verify", h.verifyLadderStep).Tag(tLadder).Doc("核验培育梯次（须有证明材料）/ Verify a ladder step on evidence").Takes(LadderVerifyInput{}).Returns(LadderStepDTO{}),
		httpx.POST("/api/v1/companies/:id/ladder/:step/reject", h.rejectLadderStep).Tag(tLadder).Doc("驳回培育梯次 / Reject a ladder step").Takes(LadderRejectInput{}).Returns(LadderStepDTO{}),
		httpx.GET("/api/v1/companies/:id/reports", h.listReports).Tag(tReports).Doc("企业统计报表 / A company's metric reports (filters: status)").Lists(ReportDTO{}),
		httpx.POST("/api/v1/companies/:id/reports", idBind(http.StatusCreated, h.submitReport, filedReportDTO)).Tag(tReports).Doc("填报统计报表（草稿或提交） / File a period's metric report (draft or submit)").Takes(ReportInput{}).Creates(ReportDTO{}),
		httpx.GET("/api/v1/companies/:id/reports/:period", h.getReport).Tag(tReports).Doc("某期报表及修订记录 / A period's report with its revisions").Returns(ReportDTO{}),
		httpx.POST("/api/v1/companies/:id/reports/:period/revisions", h.reviseReport).Tag(tReports).Doc("修订报表 / Revise a period's report").Takes(RevisionInput{}).Creates(ReportDTO{}),
		httpx.POST("/api/v1/companies/:id/reports/:period/review", h.reviewReport).Tag(tReports).Doc("审核报表 / Review a submitted report").Takes(ReviewInput{}).Returns(ReportDTO{}),
		httpx.GET("/api/v1/carriers/:id/reports", h.carrierReports).Tag(tReports).Doc("载体报表总览（filters: period, status, overdue, reminders） / A carrier's report overview").Lists(CarrierReportPage{}),
	}
}

// LadderInput is the body of recording a ladder step.
type LadderInput struct {
	Step               string `json:"step"`
	CertificateNo      string `json:"certificate_no"`
	Date               string `json:"date"`   // YYYY-MM-DD
	Expiry             string `json:"expiry"` // YYYY-MM-DD; empty: the step's default
	EvidenceDocumentID string `json:"evidence_document_id"`
}

// LadderVerifyInput is the body of verifying a step: the company's
// document that shows it (empty: the one the claim named).
type LadderVerifyInput struct {
	EvidenceDocumentID string `json:"evidence_document_id"`
}

// LadderRejectInput is the body of rejecting a step.
type LadderRejectInput struct {
	Reason string `json:"reason" text:"multiline"`
}

// LadderStepDTO is a recorded step.
type LadderStepDTO struct {
	ID                 string     `json:"id"`
	Step               string     `json:"step"`
	StepRank           int        `json:"step_rank"`
	CertificateNo      string     `json:"certificate_no"`
	Date               string     `json:"date"`
	Expiry             string     `json:"expiry,omitempty"`
	Expired            bool       `json:"expired"`
	EvidenceDocumentID string     `json:"evidence_document_id"`
	Status             string     `json:"status"`
	RecordedBy         string     `json:"recorded_by"`
	RecordedAt         time.Time  `json:"recorded_at"`
	VerifiedBy         string     `json:"verified_by,omitempty"`
	VerifiedAt         *time.Time `json:"verified_at,omitempty"`
	RejectReason       string     `json:"reject_reason,omitempty"`
}

func ladderDTO(e domain.LadderEntry, now time.Time) LadderStepDTO {
	return LadderStepDTO{ID: e.ID, Step: string(e.Step), StepRank: e.Step.Rank(), CertificateNo: e.CertificateNo, Date: e.Date.Format(time.DateOnly),
		Expiry: app.DayString(e.Expiry), Expired: e.Expired(now), EvidenceDocumentID: e.EvidenceDocID, Status: string(e.Status), RecordedBy: e.RecordedBy,
		RecordedAt: e.RecordedAt, VerifiedBy: e.VerifiedBy, VerifiedAt: e.VerifiedAt, RejectReason: e.RejectReason}
}

func parseDate(v *apperr.Validation, field, s string) *time.Time {
	if s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.Add(field, "date_format")
		return nil
	}
	return &d
}

func (h *HTTP) listLadder(c *gin.Context) {
	es, err := h.cq.Queries.ListLadder.Handle(c.Request.Context(), query.ListLadder{Actor: actor(c), CompanyID: c.Param("id")})
	now := time.Now()
	httpx.RespondAll(c, es, err, func(e domain.LadderEntry) LadderStepDTO { return ladderDTO(e, now) })
}

// ladderNowDTO is e as it stands at the moment of answering.
func ladderNowDTO(e domain.LadderEntry) LadderStepDTO { return ladderDTO(e, time.Now()) }

func (h *HTTP) recordLadderStep(ctx context.Context, a app.Actor, id string, in LadderInput) (domain.LadderEntry, error) {
	v := apperr.NewValidation("invalid-ladder-step")
	li := domain.LadderInput{Step: domain.LadderStep(in.Step), CertificateNo: in.CertificateNo, EvidenceDocID: in.EvidenceDocumentID,
		Date: parseDate(v, "date", in.Date), Expiry: parseDate(v, "expiry", in.Expiry)}
	if err := v.Err(); err != nil {
		return domain.LadderEntry{}, err
	}
	return h.cq.Commands.RecordLadderStep.Handle(ctx, command.RecordLadderStep{Actor: a, CompanyID: id, Input: li})
}

func (h *HTTP) verifyLadderStep(c *gin.Context) {
	// The body is optional: a request with neither a body nor a
	// Content-Type uses the claim's evidence. Anything else is decoded
	// (and refused) before the step is looked up, as on every route.
	var in LadderVerifyInput
	if c.Request.ContentLength != 0 || c.GetHeader("Content-Type") != "" {
		var ok bool
		if in, ok = httpx.Bound[LadderVerifyInput](c); !ok {
			return
		}
	}
	e, err := h.cq.Commands.VerifyLadderStep.Handle(c.Request.Context(), command.VerifyLadderStep{Actor: actor(c), CompanyID: c.Param("id"),
		Step: domain.LadderStep(c.Param("step")), Evidence: in.EvidenceDocumentID})
	httpx.Respond(c, http.StatusOK, e, err, ladderNowDTO)
}

func (h *HTTP) rejectLadderStep(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in LadderRejectInput) (domain.LadderEntry, error) {
		return h.cq.Commands.RejectLadderStep.Handle(c.Request.Context(), command.RejectLadderStep{Actor: actor(c), CompanyID: c.Param("id"),
			Step: domain.LadderStep(c.Param("step")), Reason: in.Reason})
	}, ladderNowDTO)
}

// ReportInput is the body of filing a period's report. Each metric is a
// plain integer for counts, or {"value": n, "unit": "thousand_yuan"|"yuan"}
// for money.
type ReportInput struct {
	Period       string                     `json:"period"` // YYYY-MM or YYYY-Qn
	Metrics      map[string]json.RawMessage `json:"metrics"`
	Explanations map[string]string          `json:"explanations" text:"multiline"`
	Submit       bool                       `json:"submit"` // false: save a draft
}

// RevisionInput is the body of revising a period's report.
type RevisionInput struct {
	Metrics      map[string]json.RawMessage `json:"metrics"`
	Explanations map[string]string          `json:"explanations" text:"multiline"`
	Submit       bool                       `json:"submit"`
}

// ReviewInput is an operator's verdict.
type ReviewInput struct {
	Decision string `json:"decision"`                 // accept | return
	Comment  string `json:"comment" text:"multiline"` // required to return
}

// MetricDTO is one indicator: Value in 元 for money (Unit "yuan"), and
// what the company entered.
type MetricDTO struct {
	Value       int64  `json:"value"`
	Unit        string `json:"unit,omitempty"`
	Entered     int64  `json:"entered"`
	EnteredUnit string `json:"entered_unit,omitempty"`
}

// WarningDTO is a plausibility warning that needs an explanation.
type WarningDTO struct {
	Field  string         `json:"field"`
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// RevisionDTO is one saved revision.
type RevisionDTO struct {
	Revision     int                  `json:"revision"`
	Metrics      map[string]MetricDTO `json:"metrics"`
	Explanations map[string]string    `json:"explanations"`
	Warnings     []WarningDTO         `json:"warnings"`
	Submitted    bool                 `json:"submitted"`
	CreatedBy    string               `json:"created_by"`
	CreatedAt    time.Time            `json:"created_at"`
}

// ReportDTO is a period's report: its state, latest figures and (on the
// single-report route) its revisions.
type ReportDTO struct {
	ID               string        `json:"id"`
	CompanyID        string        `json:"company_id"`
	Period           string        `json:"period"`
	Cadence          string        `json:"cadence"`
	PeriodEnd        string        `json:"period_end"`
	DueOn            string        `json:"due_on"`
	Status           string        `json:"status"`
	Revision         int           `json:"revision"`
	FirstSubmittedAt *time.Time    `json:"first_submitted_at,omitempty"`
	SubmittedAt      *time.Time    `json:"submitted_at,omitempty"`
	ReviewedBy       string        `json:"reviewed_by,omitempty"`
	ReviewedAt       *time.Time    `json:"reviewed_at,omitempty"`
	ReviewComment    string        `json:"review_comment,omitempty"`
	CreatedAt        time.Time     `json:"created_at"`
	UpdatedAt        time.Time     `json:"updated_at"`
	Latest           *RevisionDTO  `json:"latest,omitempty"`
	Revisions        []RevisionDTO `json:"revisions,omitempty"`
	Warnings         []WarningDTO  `json:"warnings,omitempty"` // of this save
}

func warningDTOs(ws []domain.Warning) []WarningDTO {
	out := make([]WarningDTO, 0, len(ws))
	for _, w := range ws {
		out = append(out, WarningDTO{Field: w.Field, Code: w.Code, Params: w.Params})
	}
	return out
}

func revisionDTO(r domain.ReportRevision) RevisionDTO {
	d := RevisionDTO{Revision: r.Number, Metrics: map[string]MetricDTO{}, Explanations: r.Explanations, Warnings: warningDTOs(r.Warnings),
		Submitted: r.Submitted, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	if d.Explanations == nil {
		d.Explanations = map[string]string{}
	}
	for k, v := range r.Values {
		m := MetricDTO{Value: v.Value, Entered: v.Entered}
		if v.Unit != "" {
			m.Unit, m.EnteredUnit = domain.ReportUnitYuan, v.Unit
		}
		d.Metrics[k] = m
	}
	return d
}

func reportDTO(r *domain.MetricReport) ReportDTO {
	return ReportDTO{ID: r.ID, CompanyID: r.CompanyID, Period: r.Period.String(), Cadence: string(r.Period.Cadence()),
		PeriodEnd: r.Period.End().Format(time.DateOnly), DueOn: r.Period.Due().Format(time.DateOnly), Status: string(r.Status), Revision: r.Revision,
		FirstSubmittedAt: r.FirstSubmittedAt, SubmittedAt: r.SubmittedAt, ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt,
		ReviewComment: r.ReviewComment, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func viewDTO(v app.ReportView, warns []domain.Warning, withRevisions bool) ReportDTO {
	d := reportDTO(v.Report)
	if v.Latest.Number > 0 {
		l := revisionDTO(v.Latest)
		d.Latest = &l
	}
	if withRevisions {
		d.Revisions = make([]RevisionDTO, 0, len(v.Revisions))
		for _, r := range v.Revisions {
			d.Revisions = append(d.Revisions, revisionDTO(r))
		}
	}
	if warns != nil {
		d.Warnings = warningDTOs(warns)
	}
	return d
}

// metricInputs decodes each metric: a JSON integer, or {"value", "unit"}.
// Values that are not integers are flagged for the domain to report with
// the other field errors.
func metricInputs(raw map[string]json.RawMessage) map[string]domain.MetricInput {
	out := make(map[string]domain.MetricInput, len(raw))
	for k, msg := range raw {
		var num json.Number
		var obj struct {
			Value json.Number `json:"value"`
			Unit  string      `json:"unit"`
		}
		in := domain.MetricInput{}
		trimmed := bytes.TrimSpace(msg)
		switch {
		case len(trimmed) > 0 && trimmed[0] == '{':
			dec := json.NewDecoder(bytes.NewReader(trimmed))
			dec.UseNumber()
			dec.DisallowUnknownFields()
			if dec.Decode(&obj) != nil {
				in.Invalid = true
				break
			}
			num, in.Unit = obj.Value, obj.Unit
		default:
			dec := json.NewDecoder(bytes.NewReader(trimmed))
			dec.UseNumber()
			if dec.Decode(&num) != nil {
				in.Invalid = true
			}
		}
		if !in.Invalid {
			n, err := strconv.ParseInt(num.String(), 10, 64)
			in.Value, in.Invalid = n, err != nil
		}
		out[k] = in
	}
	return out
}

func filedReportDTO(f command.FiledReport) ReportDTO { return viewDTO(f.ReportView, f.Warnings, false) }

func (h *HTTP) submitReport(ctx context.Context, a app.Actor, id string, in ReportInput) (command.FiledReport, error) {
	return h.cq.Commands.SubmitReport.Handle(ctx, command.SubmitReport{Actor: a, CompanyID: id, Period: in.Period,
		Input: domain.ReportInput{Metrics: metricInputs(in.Metrics), Explanations: in.Explanations, Submit: in.Submit}})
}

func (h *HTTP) reviseReport(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in RevisionInput) (command.FiledReport, error) {
		return h.cq.Commands.ReviseReport.Handle(c.Request.Context(), command.ReviseReport{Actor: actor(c), CompanyID: c.Param("id"), Period: c.Param("period"),
			Input: domain.ReportInput{Metrics: metricInputs(in.Metrics), Explanations: in.Explanations, Submit: in.Submit}})
	}, filedReportDTO)
}

func (h *HTTP) getReport(c *gin.Context) {
	v, err := h.cq.Queries.GetReport.Handle(c.Request.Context(), query.GetReport{Actor: actor(c), CompanyID: c.Param("id"), Period: c.Param("period")})
	httpx.Respond(c, http.StatusOK, v, err, func(v app.ReportView) ReportDTO { return viewDTO(v, nil, true) })
}

func (h *HTTP) listReports(c *gin.Context) {
	f := app.ReportFilter{CompanyID: c.Param("id"), Status: domain.ReportStatus(c.Query("status"))}
	httpx.RespondPage(c, nil, func(p list.Params) ([]*domain.MetricReport, int, error) {
		return h.cq.Queries.ListReports.Handle(c.Request.Context(), query.ListReports{Actor: actor(c), Filter: f, Page: p})
	}, reportDTO)
}

func (h *HTTP) reviewReport(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in ReviewInput) (app.ReportView, error) {
		return h.cq.Commands.ReviewReport.Handle(c.Request.Context(), command.ReviewReport{Actor: actor(c), CompanyID: c.Param("id"), Period: c.Param("period"),
			Decision: domain.ReviewDecision(in.Decision), Comment: in.Comment})
	}, func(v app.ReportView) ReportDTO { return viewDTO(v, nil, false) })
}

// CarrierReportDTO is one linked company's state for the period.
type CarrierReportDTO struct {
	CompanyID   string     `json:"company_id"`
	CompanyKey  string     `json:"company_key"`
	NameZH      string     `json:"name_zh"`
	NameEN      string     `json:"name_en"`
	Period      string     `json:"period"`
	Status      string     `json:"status" enum:"missing,draft,submitted,accepted,returned"`
	Revision    int        `json:"revision"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	DueOn       string     `json:"due_on"`
	DueInDays   int        `json:"due_in_days"` // negative once overdue
	Overdue     bool       `json:"overdue"`
	ReminderDue bool       `json:"reminder_due"`
}

// CarrierReportPage is the overview: a page of companies plus the period's
// totals by status.
type CarrierReportPage struct {
	httpx.Page[CarrierReportDTO]
	Period string         `json:"period"`
	DueOn  string         `json:"due_on"`
	Counts map[string]int `json:"counts"`
}

func boolQuery(v *apperr.Validation, c *gin.Context, name string) bool {
	s := c.Query(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	v.Check(err != nil, name, "one_of", "allowed", "true, false")
	return b
}

func (h *HTTP) carrierReports(c *gin.Context) {
	p, err := httpx.ParseList(c)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := apperr.NewValidation("invalid-query")
	f := app.CarrierReportFilter{Period: c.Query("period"), Status: c.Query("status"), Overdue: boolQuery(v, c, "overdue"), RemindersDue: boolQuery(v, c, "reminders")}
	if err := v.Err(); err != nil {
		httpx.Error(c, err)
		return
	}
	o, err := h.cq.Queries.CarrierReports.Handle(c.Request.Context(), query.CarrierReports{Actor: actor(c), CarrierID: c.Param("id"), Filter: f, Page: p})
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items := make([]CarrierReportDTO, 0, len(o.Rows))
	for _, r := range o.Rows {
		d := CarrierReportDTO{CompanyID: r.Company.ID, CompanyKey: r.Company.Key(), NameZH: r.Company.Fields.NameZH, NameEN: r.Company.Fields.NameEN,
			Period: o.Period.String(), Status: r.Status, DueOn: r.DueOn.Format(time.DateOnly), DueInDays: r.DueInDays, Overdue: r.Overdue, ReminderDue: r.ReminderDue}
		if r.Report != nil {
			d.Revision, d.SubmittedAt = r.Report.Revision, r.Report.SubmittedAt
		}
		items = append(items, d)
	}
	c.JSON(http.StatusOK, CarrierReportPage{Page: httpx.NewPage(items, o.Total, p), Period: o.Period.String(), DueOn: o.DueOn.Format(time.DateOnly), Counts: o.Counts})
}
