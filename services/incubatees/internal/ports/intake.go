package ports

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

const tIntake = "intake 招募与申请"

func (h *HTTP) intakeRoutes() []httpx.Endpoint {
	return httpx.Tagged(tIntake,
		httpx.POST("/api/v1/carriers/:id/intake-calls", idBind(http.StatusCreated, h.createIntakeCall, intakeCallDTO)).Doc("创建招募批次 / Create an intake call (draft)").Takes(IntakeCallInput{}).Creates(IntakeCallDTO{}),
		httpx.GET("/api/v1/carriers/:id/intake-calls", h.listCarrierIntakeCalls).Doc("载体的招募批次 / A carrier's intake calls (filters: status)").Lists(IntakeCallDTO{}),
		httpx.GET("/api/v1/regions/:id/intake-calls", h.listRegionIntakeCalls).Doc("区域内开放的招募 / Open intake calls of a region (open=true, the default; open=false for district roles)").Lists(IntakeCallDTO{}),
		httpx.GET("/api/v1/intake-calls/:id", idRespond(func(ctx context.Context, a app.Actor, id string) (*domain.IntakeCall, error) {
			return h.cq.Queries.GetIntakeCall.Handle(ctx, query.GetIntakeCall{Actor: a, CallID: id})
		}, intakeCallDTO)).Doc("招募批次详情 / An intake call").Returns(IntakeCallDTO{}),
		httpx.PATCH("/api/v1/intake-calls/:id", idBind(http.StatusOK, h.updateIntakeCall, intakeCallDTO)).Doc("修改招募批次：只改动所发送的字段 / Change an intake call: fields sent change, fields left out stay (the form only while draft)").Takes(IntakeCallInput{}).Returns(IntakeCallDTO{}),
		httpx.POST("/api/v1/intake-calls/:id/open", idRespond(moveCall(h.cq.Commands.OpenIntakeCall), intakeCallDTO)).Doc("开放招募 / Open an intake call").Returns(IntakeCallDTO{}),
		httpx.POST("/api/v1/intake-calls/:id/close", idRespond(moveCall(h.cq.Commands.CloseIntakeCall), intakeCallDTO)).Doc("结束招募 / Close an intake call").Returns(IntakeCallDTO{}),
		httpx.POST("/api/v1/intake-calls/:id/applications", idBind(http.StatusCreated, h.applyToIntakeCall, applicationDTO)).Doc("发起入驻申请 / Start an application (draft)").Takes(ApplicationInput{}).Creates(ApplicationDTO{}),
		httpx.GET("/api/v1/applications/:id", h.getApplication).Doc("申请详情 / An application").Returns(ApplicationDTO{}),
		httpx.PATCH("/api/v1/applications/:id", idBind(http.StatusOK, h.updateApplication, applicationDTO)).Doc("合并修改申请答复：未发送的答复不变，null 清空 / Merge a draft's answers: answers left out stay, null clears one").Takes(ApplicationAnswersInput{}).Returns(ApplicationDTO{}),
		httpx.POST("/api/v1/applications/:id/submit", idRespond(func(ctx context.Context, a app.Actor, id string) (*domain.Application, error) {
			return h.cq.Commands.SubmitApplication.Handle(ctx, command.SubmitApplication{Actor: a, ApplicationID: id})
		}, applicationDTO)).Doc("提交申请 / Submit an application").Returns(ApplicationDTO{}),
		httpx.POST("/api/v1/applications/:id/withdraw", idRespond(func(ctx context.Context, a app.Actor, id string) (*domain.Application, error) {
			return h.cq.Commands.WithdrawApplication.Handle(ctx, command.WithdrawApplication{Actor: a, ApplicationID: id})
		}, applicationDTO)).Doc("撤回申请 / Withdraw an application").Returns(ApplicationDTO{}),
		httpx.POST("/api/v1/applications/:id/reviews", idBind(http.StatusOK, h.reviewApplication, applicationDTO)).Doc("评审打分 / Review an application (rubric scores 1–5)").Takes(ApplicationReviewInput{}).Returns(ApplicationDTO{}),
		httpx.POST("/api/v1/applications/:id/decision", idBind(http.StatusOK, h.decideApplication, applicationDTO)).Doc("录取或不录取 / Admit or reject an application").Takes(ApplicationDecisionInput{}).Returns(ApplicationDTO{}),
		httpx.GET("/api/v1/carriers/:id/applications", h.listCarrierApplications).Doc("申请收件箱 / A carrier's applications (filters: status, q)").Lists(ApplicationDTO{}),
		httpx.POST("/api/v1/carriers/:id/applications/decisions", idBind(http.StatusOK, h.decideApplications, bulkDecisionDTO)).Doc("批量决定 / Decide several applications, all or nothing").Takes(BulkApplicationDecisionInput{}).Returns(BulkApplicationDecisionDTO{}),
		httpx.GET("/api/v1/companies/:id/applications", h.listCompanyApplications).Doc("企业的申请 / A company's applications").Lists(ApplicationDTO{}),
	)
}

// IntakeCallInput is the body of create (every field) and PATCH (only the
// fields present change).
type IntakeCallInput struct {
	TitleZH     *string            `json:"title_zh"`
	TitleEN     *string            `json:"title_en"`
	OpensOn     *string            `json:"opens_on"`  // YYYY-MM-DD
	ClosesOn    *string            `json:"closes_on"` // YYYY-MM-DD
	Eligibility *string            `json:"eligibility" text:"multiline"`
	Materials   *[]string          `json:"materials"`
	Questions   *[]domain.Question `json:"questions"`
	Criteria    *[]string          `json:"criteria"`
	Capacity    *int               `json:"capacity"`
	// MinReviews is how many reviews admission needs (1 when a new call
	// leaves it out).
	MinReviews *int `json:"min_reviews"`
}

// edit parses the input into a change of call fields; bad dates are field
// errors before anything is loaded.
func (in IntakeCallInput) edit() (func(f *domain.CallFields), error) {
	v := apperr.NewValidation("invalid-intake-call")
	date := func(s *string, field string) *time.Time {
		if s == nil {
			return nil
		}
		d, err := time.Parse(time.DateOnly, *s)
		if err != nil {
			v.Add(field, "date_format")
			return nil
		}
		return &d
	}
	opens, closes := date(in.OpensOn, "opens_on"), date(in.ClosesOn, "closes_on")
	if err := v.Err(); err != nil {
		return nil, err
	}
	return func(f *domain.CallFields) {
		patch(&f.TitleZH, in.TitleZH)
		patch(&f.TitleEN, in.TitleEN)
		patch(&f.OpensOn, opens)
		patch(&f.ClosesOn, closes)
		patch(&f.Eligibility, in.Eligibility)
		patch(&f.Materials, in.Materials)
		patch(&f.Questions, in.Questions)
		patch(&f.Criteria, in.Criteria)
		patch(&f.Capacity, in.Capacity)
		patch(&f.MinReviews, in.MinReviews)
	}, nil
}

// patch sets *field to *v when the body carried it (v not nil), as a
// PATCH does; a field left out keeps its value.
func patch[T any](field *T, v *T) {
	if v != nil {
		*field = *v
	}
}

// IntakeCallDTO is an intake call on the wire.
type IntakeCallDTO struct {
	ID          string            `json:"id"`
	RegionID    string            `json:"region_id"`
	CarrierID   string            `json:"carrier_id"`
	TitleZH     string            `json:"title_zh"`
	TitleEN     string            `json:"title_en"`
	OpensOn     string            `json:"opens_on"`
	ClosesOn    string            `json:"closes_on"`
	Eligibility string            `json:"eligibility"`
	Materials   []string          `json:"materials"`
	Questions   []domain.Question `json:"questions"`
	Criteria    []string          `json:"criteria"`
	Capacity    int               `json:"capacity"`
	MinReviews  int               `json:"min_reviews"`
	Status      string            `json:"status"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

func intakeCallDTO(c *domain.IntakeCall) IntakeCallDTO {
	return IntakeCallDTO{ID: c.ID, RegionID: c.RegionID, CarrierID: c.CarrierID, TitleZH: c.Fields.TitleZH, TitleEN: c.Fields.TitleEN,
		OpensOn: c.Fields.OpensOn.Format(time.DateOnly), ClosesOn: c.Fields.ClosesOn.Format(time.DateOnly), Eligibility: c.Fields.Eligibility,
		Materials: c.Fields.Materials, Questions: c.Fields.Questions, Criteria: c.Fields.Criteria, Capacity: c.Fields.Capacity,
		MinReviews: c.Fields.MinReviews, Status: string(c.Status), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// ApplicationInput starts an application. Money answers are
// {"amount": <integer>, "unit": "yuan"|"thousand_yuan"} in the question's unit.
type ApplicationInput struct {
	CompanyID string                     `json:"company_id"`
	Answers   map[string]json.RawMessage `json:"answers" text:"multiline"`
}

// ApplicationAnswersInput replaces a draft's answers.
//
// PATCH merges: a question left out keeps its answer, a value replaces it,
// null clears it; {} changes nothing.
type ApplicationAnswersInput struct {
	Answers map[string]json.RawMessage `json:"answers" text:"multiline"`
}

// ApplicationReviewInput is one reviewer's scores per criterion (1–5) and comment.
type ApplicationReviewInput struct {
	Scores  map[string]int `json:"scores"`
	Comment string         `json:"comment" text:"multiline"`
}

// ApplicationDecisionInput admits or rejects; the reason is shown to the applicant.
type ApplicationDecisionInput struct {
	Decision string `json:"decision"` // admit | reject
	Reason   string `json:"reason" text:"multiline"`
	// OverrideReason lets a carrier admin admit although required
	// materials are not verified or reviews are too few; it is kept,
	// audited and published with the decision.
	OverrideReason string `json:"override_reason" text:"multiline"`
}

// BulkApplicationDecisionInput decides several applications of a carrier.
type BulkApplicationDecisionInput struct {
	IDs      []string `json:"ids"`
	Decision string   `json:"decision"`
	Reason   string   `json:"reason" text:"multiline"`
	// OverrideReason is as for one decision, for every listed application.
	OverrideReason string `json:"override_reason" text:"multiline"`
}

// BulkApplicationDecisionDTO lists the decided applications.
type BulkApplicationDecisionDTO struct {
	Items []ApplicationDTO `json:"items"`
}

// ApplicationReviewDTO is one reviewer's scores (carrier staff and district only).
type ApplicationReviewDTO struct {
	ReviewerID string         `json:"reviewer_id"`
	Scores     map[string]int `json:"scores"`
	Comment    string         `json:"comment"`
	At         time.Time      `json:"at"`
}

// ApplicationDTO is an application on the wire. Reviews appear only for
// the carrier's staff and the district.
type ApplicationDTO struct {
	ID            string                     `json:"id"`
	CallID        string                     `json:"call_id"`
	CallTitleZH   string                     `json:"call_title_zh"`
	CarrierID     string                     `json:"carrier_id"`
	RegionID      string                     `json:"region_id"`
	CompanyID     string                     `json:"company_id"`
	CompanyNameZH string                     `json:"company_name_zh,omitempty"`
	Status        string                     `json:"status"`
	Answers       map[string]json.RawMessage `json:"answers"`
	Materials     []MaterialSlotDTO          `json:"materials"`
	Reason        string                     `json:"reason"`
	// OverrideReason is why an admin admitted past the admission rules.
	OverrideReason string `json:"override_reason,omitempty"`
	// ReturnedFor names the material whose deletion handed the submitted
	// application back to the company as a draft (to provide again and
	// submit anew); empty otherwise.
	ReturnedFor string `json:"returned_for,omitempty"`
	// Conflicts warns that the company, or one with its USCC, was open at
	// other carriers when admitted (counted by one carrier only).
	Conflicts   []domain.AdmissionConflict `json:"conflicts,omitempty"`
	DecidedAt   *time.Time                 `json:"decided_at"`
	SubmittedAt *time.Time                 `json:"submitted_at"`
	CreatedAt   time.Time                  `json:"created_at"`
	UpdatedAt   time.Time                  `json:"updated_at"`
	Reviews     *[]ApplicationReviewDTO    `json:"reviews,omitempty"`
}

// MaterialSlotDTO is one required material of an application on the wire:
// the document the documents service keeps in it, and where that stands
// (status "" while the slot is empty).
type MaterialSlotDTO struct {
	Type       string `json:"type"`
	DocumentID string `json:"document_id"`
	Status     string `json:"status"`
	Version    int    `json:"version"`
	Filename   string `json:"filename"`
}

func materialSlotDTOs(ms []domain.MaterialSlot) []MaterialSlotDTO {
	out := make([]MaterialSlotDTO, len(ms))
	for i, m := range ms {
		out[i] = MaterialSlotDTO{Type: m.Type, DocumentID: m.DocumentID, Status: string(m.Status), Version: m.Version, Filename: m.Filename}
	}
	return out
}

func applicationDTO(x *domain.Application) ApplicationDTO {
	return ApplicationDTO{ID: x.ID, CallID: x.CallID, CarrierID: x.CarrierID, RegionID: x.RegionID, CompanyID: x.CompanyID,
		Status: string(x.Status), Answers: x.Answers, Materials: materialSlotDTOs(x.Materials), Reason: x.Reason, OverrideReason: x.Override,
		ReturnedFor: x.ReturnedFor, Conflicts: x.Conflicts, DecidedAt: x.DecidedAt, SubmittedAt: x.SubmittedAt, CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt}
}

func applicationItemDTO(it app.ApplicationItem) ApplicationDTO {
	d := applicationDTO(it.Application)
	d.CompanyNameZH, d.CallTitleZH = it.CompanyNameZH, it.CallTitleZH
	return d
}

func (h *HTTP) createIntakeCall(ctx context.Context, a app.Actor, id string, in IntakeCallInput) (*domain.IntakeCall, error) {
	edit, err := in.edit()
	if err != nil {
		return nil, err
	}
	f := domain.CallFields{MinReviews: domain.DefaultMinReviews}
	edit(&f)
	return h.cq.Commands.CreateIntakeCall.Handle(ctx, command.CreateIntakeCall{Actor: a, CarrierID: id, Fields: f})
}

func (h *HTTP) listCarrierIntakeCalls(c *gin.Context) {
	httpx.RespondPage(c, adapters.IntakeCallSortFields(), func(p list.Params) ([]*domain.IntakeCall, int, error) {
		st, err := statusQuery(c, []domain.CallStatus{domain.CallDraft, domain.CallOpen, domain.CallClosed})
		if err != nil {
			return nil, 0, err
		}
		return h.cq.Queries.CarrierIntakeCalls.Handle(c.Request.Context(), query.CarrierIntakeCalls{Actor: actor(c), CarrierID: c.Param("id"), Status: st, Page: p})
	}, intakeCallDTO)
}

func (h *HTTP) listRegionIntakeCalls(c *gin.Context) {
	httpx.RespondPage(c, adapters.IntakeCallSortFields(), func(p list.Params) ([]*domain.IntakeCall, int, error) {
		open := true
		switch c.Query("open") {
		case "", "true":
		case "false":
			open = false
		default:
			return nil, 0, apperr.NewValidation("invalid-query").Add("open", "one_of", "allowed", "true, false").Err()
		}
		return h.cq.Queries.RegionIntakeCalls.Handle(c.Request.Context(), query.RegionIntakeCalls{Actor: actor(c), RegionID: c.Param("id"), OpenOnly: open, Page: p})
	}, intakeCallDTO)
}

func (h *HTTP) updateIntakeCall(ctx context.Context, a app.Actor, id string, in IntakeCallInput) (*domain.IntakeCall, error) {
	edit, err := in.edit()
	if err != nil {
		return nil, err
	}
	return h.cq.Commands.UpdateIntakeCall.Handle(ctx, command.UpdateIntakeCall{Actor: a, CallID: id, Edit: edit})
}

func (h *HTTP) applyToIntakeCall(ctx context.Context, a app.Actor, id string, in ApplicationInput) (*domain.Application, error) {
	return h.cq.Commands.Apply.Handle(ctx, command.Apply{Actor: a, CallID: id, CompanyID: in.CompanyID, Answers: in.Answers})
}

func (h *HTTP) getApplication(c *gin.Context) {
	d, err := h.cq.Queries.GetApplication.Handle(c.Request.Context(), query.GetApplication{Actor: actor(c), ApplicationID: c.Param("id")})
	if err != nil {
		httpx.Error(c, err)
		return
	}
	out := applicationDTO(d.Application)
	out.CallTitleZH = d.Call.Fields.TitleZH
	if d.Reviews != nil {
		rs := make([]ApplicationReviewDTO, 0, len(d.Reviews))
		for _, r := range d.Reviews {
			rs = append(rs, ApplicationReviewDTO{ReviewerID: r.ReviewerID, Scores: r.Scores, Comment: r.Comment, At: r.At})
		}
		out.Reviews = &rs
	}
	c.JSON(http.StatusOK, out)
}

func (h *HTTP) updateApplication(ctx context.Context, a app.Actor, id string, in ApplicationAnswersInput) (*domain.Application, error) {
	return h.cq.Commands.UpdateApplicationAnswers.Handle(ctx, command.UpdateApplicationAnswers{Actor: a, ApplicationID: id, Answers: in.Answers})
}

func (h *HTTP) reviewApplication(ctx context.Context, a app.Actor, id string, in ApplicationReviewInput) (*domain.Application, error) {
	return h.cq.Commands.ReviewApplication.Handle(ctx, command.ReviewApplication{Actor: a, ApplicationID: id, Scores: in.Scores, Comment: in.Comment})
}

func (h *HTTP) decideApplication(ctx context.Context, a app.Actor, id string, in ApplicationDecisionInput) (*domain.Application, error) {
	act, err := app.ParseDecision(in.Decision)
	if err != nil {
		return nil, err
	}
	return h.cq.Commands.DecideApplication.Handle(ctx, command.DecideApplication{Actor: a, ApplicationID: id, Action: act, Reason: in.Reason,
		Override: in.OverrideReason})
}

func (h *HTTP) decideApplications(ctx context.Context, a app.Actor, id string, in BulkApplicationDecisionInput) ([]*domain.Application, error) {
	act, err := app.ParseDecision(in.Decision)
	if err != nil {
		return nil, err
	}
	return h.cq.Commands.DecideApplications.Handle(ctx, command.DecideApplications{Actor: a, CarrierID: id, IDs: in.IDs, Action: act, Reason: in.Reason,
		Override: in.OverrideReason})
}

// bulkDecisionDTO is the answer of a bulk decision.
func bulkDecisionDTO(xs []*domain.Application) BulkApplicationDecisionDTO {
	return BulkApplicationDecisionDTO{Items: convert(xs, applicationDTO)}
}

// inboxStatuses are what a carrier's inbox filters by: every status but
// draft, which the carrier never sees.
var inboxStatuses = []domain.AppStatus{domain.AppSubmitted, domain.AppReviewing, domain.AppAdmitted, domain.AppRejected, domain.AppWithdrawn}

func (h *HTTP) listCarrierApplications(c *gin.Context) {
	httpx.RespondPage(c, adapters.ApplicationSortFields(), func(p list.Params) ([]app.ApplicationItem, int, error) {
		st, err := statusQuery(c, inboxStatuses)
		if err != nil {
			return nil, 0, err
		}
		return h.cq.Queries.CarrierApplications.Handle(c.Request.Context(), query.CarrierApplications{Actor: actor(c), CarrierID: c.Param("id"), Status: st, Page: p})
	}, applicationItemDTO)
}

func (h *HTTP) listCompanyApplications(c *gin.Context) {
	xs, err := h.cq.Queries.CompanyApplications.Handle(c.Request.Context(), query.CompanyApplications{Actor: actor(c), CompanyID: c.Param("id")})
	httpx.RespondAll(c, xs, err, applicationItemDTO)
}

// moveCall is the use of an open or close handler on the call the path names.
func moveCall(h command.MoveIntakeCallHandler) func(ctx context.Context, a app.Actor, id string) (*domain.IntakeCall, error) {
	return func(ctx context.Context, a app.Actor, id string) (*domain.IntakeCall, error) {
		return h.Handle(ctx, command.MoveIntakeCall{Actor: a, CallID: id})
	}
}
