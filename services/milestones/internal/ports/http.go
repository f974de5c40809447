// Package ports is the milestones service's HTTP API (/api/v1) and its
// event consumers.
package ports

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/app/command"
	"github.com/incuchain/incuchain/services/milestones/internal/app/query"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
	"github.com/incuchain/incuchain/services/milestones/internal/service"
)

// HTTP serves the milestones API.
type HTTP struct{ cq service.Application }

// Mount registers every route on r and returns the OpenAPI document built
// from the same table.
func Mount(r gin.IRouter, cq service.Application) *httpx.OpenAPI {
	h := &HTTP{cq: cq}
	return httpx.MountAPI(r, "Incuchain milestones", h.routes()...)
}

func (h *HTTP) routes() []httpx.Endpoint {
	return httpx.Tagged("milestones 里程碑",
		httpx.GET("/api/v1/regions/:id/milestone-templates", h.regionTemplates).Doc("区域里程碑模板 / A region's milestone templates per carrier kind").Lists(TemplateDTO{}),
		httpx.PUT("/api/v1/regions/:id/milestone-templates/:kind", h.putRegionTemplate).Doc("修改区域模板 / Change a region's template of a carrier kind").Takes(TemplateInput{}).Returns(TemplateDTO{}),
		httpx.GET("/api/v1/regions/:id/milestone-counts", h.regionCounts).Doc("各载体里程碑统计（仅计数）/ Milestone counts per carrier (counts only)").Lists(CarrierCountsDTO{}),
		httpx.GET("/api/v1/carriers/:id/milestone-template", h.carrierTemplate).Doc("载体使用的模板 / The template a carrier plans with").Returns(TemplateDTO{}),
		httpx.PUT("/api/v1/carriers/:id/milestone-template", h.putCarrierTemplate).Doc("设置载体自有模板 / Set a carrier's own template").Takes(TemplateInput{}).Returns(TemplateDTO{}),
		httpx.GET("/api/v1/carriers/:id/milestones", h.carrierMilestones).Doc("载体里程碑看板（?overdue=true 逾期；?state=submitted 待核验）/ A carrier's milestone board (?overdue=true, ?state=submitted)").Lists(MilestoneDTO{}),
		httpx.GET("/api/v1/me/overdue-milestones", h.staffOverdue).Doc("我负责的各载体的逾期里程碑（?carrier_id= 筛选载体）/ The overdue milestones of every carrier the caller staffs (?carrier_id= for one)").Lists(MilestoneDTO{}),
		httpx.GET("/api/v1/companies/:id/milestone-timeline", h.companyTimeline).Doc("企业跨载体里程碑时间线 / A company's milestones across its chain").Lists(MilestoneDTO{}),
		httpx.GET("/api/v1/residencies/:id/milestone-plan", h.plan).Doc("在孵记录的里程碑计划 / A residency's milestone plan").Returns(PlanDTO{}),
		httpx.POST("/api/v1/residencies/:id/milestone-plan", h.applyTemplate).Doc("按模板制定计划 / Plan a residency's milestones from its carrier's template").Creates(PlanDTO{}),
		httpx.GET("/api/v1/residencies/:id/milestones", h.residencyMilestones).Doc("在孵记录的里程碑 / A residency's milestones").Lists(MilestoneDTO{}),
		httpx.POST("/api/v1/residencies/:id/milestones", h.addMilestone).Doc("增加里程碑 / Add a milestone to a plan").Takes(MilestoneInput{}).Creates(MilestoneDTO{}),
		httpx.GET("/api/v1/milestones/:id", h.milestone).Doc("里程碑详情、进展与历史 / A milestone with its updates and history").Returns(MilestoneDetailDTO{}),
		httpx.PATCH("/api/v1/milestones/:id", h.editMilestone).Doc("修改里程碑（截止日期请用改期）/ Edit a milestone (due date: reschedule)").Takes(MilestoneEditInput{}).Returns(MilestoneDTO{}),
		httpx.DELETE("/api/v1/milestones/:id", h.removeMilestone).Doc("删除尚未开始的里程碑 / Remove a milestone nobody has worked on").NoContent(),
		httpx.POST("/api/v1/milestones/:id/updates", h.progress).Doc("填报进展 / Post a progress update (startup)").Takes(ProgressInput{}).Creates(ProgressDTO{}),
		httpx.POST("/api/v1/milestones/:id/submit", h.transition(domain.ActSubmit)).Doc("提交核验 / Submit for verification (startup)").Returns(MilestoneDTO{}),
		httpx.POST("/api/v1/milestones/:id/verify", h.transition(domain.ActVerify)).Doc("核验通过 / Verify (carrier)").Takes(CommentInput{}).Returns(MilestoneDTO{}),
		httpx.POST("/api/v1/milestones/:id/return", h.transition(domain.ActReturn)).Doc("退回 / Return with a comment (carrier)").Takes(CommentInput{}).Returns(MilestoneDTO{}),
		httpx.POST("/api/v1/milestones/:id/waive", h.transition(domain.ActWaive)).Doc("免除 / Waive with a reason (carrier)").Takes(ReasonInput{}).Returns(MilestoneDTO{}),
		httpx.POST("/api/v1/milestones/:id/reschedule", h.reschedule).Doc("改期 / Reschedule with a reason (carrier)").Takes(RescheduleInput{}).Returns(MilestoneDTO{}),
	)
}

func actor(c *gin.Context) app.Actor { return app.Actor{UserID: authn.UserID(c)} }

// FigureDTO is a figure: a value in a unit (thousand_yuan = 千元, people,
// count, percent).
type FigureDTO struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit" enum:"thousand_yuan,people,count,percent"`
}

func figureDTO(f *domain.Figure) *FigureDTO {
	if f == nil {
		return nil
	}
	return &FigureDTO{Value: f.Value, Unit: f.Unit}
}

func (f *FigureDTO) domain() *domain.Figure {
	if f == nil {
		return nil
	}
	return &domain.Figure{Value: f.Value, Unit: f.Unit}
}

// TemplateItemDTO is one milestone of a template.
type TemplateItemDTO struct {
	TitleZH       string     `json:"title_zh"`
	TitleEN       string     `json:"title_en"`
	Category      string     `json:"category" enum:"team,product,registration,revenue,certification,financing,other"`
	OffsetDays    int        `json:"offset_days"`
	Criteria      string     `json:"criteria"`
	Target        *FigureDTO `json:"target"`
	EvidenceTypes []string   `json:"evidence_types"`
}

// TemplateInput replaces a template's items.
type TemplateInput struct {
	Items []TemplateItemDTO `json:"items" binding:"required"`
}

// TemplateDTO is a template. Seeded is true while nobody has edited it;
// CarrierID is set on a carrier's own template.
type TemplateDTO struct {
	ID        string            `json:"id"`
	RegionID  string            `json:"region_id"`
	CarrierID string            `json:"carrier_id"`
	Kind      string            `json:"kind"`
	Version   int               `json:"version"`
	Seeded    bool              `json:"seeded"`
	UpdatedBy string            `json:"updated_by"`
	UpdatedAt time.Time         `json:"updated_at"`
	Items     []TemplateItemDTO `json:"items"`
}

func templateDTO(t *domain.Template) TemplateDTO {
	items := make([]TemplateItemDTO, 0, len(t.Items()))
	for _, it := range t.Items() {
		ev := it.EvidenceTypes
		if ev == nil {
			ev = []string{}
		}
		items = append(items, TemplateItemDTO{TitleZH: it.TitleZH, TitleEN: it.TitleEN, Category: it.Category, OffsetDays: it.OffsetDays,
			Criteria: it.Criteria, Target: figureDTO(it.Target), EvidenceTypes: ev})
	}
	return TemplateDTO{ID: t.ID(), RegionID: t.RegionID(), CarrierID: t.CarrierID(), Kind: t.Kind(), Version: t.Version(), Seeded: t.Seeded(),
		UpdatedBy: t.UpdatedBy(), UpdatedAt: t.UpdatedAt(), Items: items}
}

func (in TemplateInput) items() []domain.TemplateItem {
	out := make([]domain.TemplateItem, len(in.Items))
	for i, it := range in.Items {
		out[i] = domain.TemplateItem{TitleZH: it.TitleZH, TitleEN: it.TitleEN, Category: it.Category, OffsetDays: it.OffsetDays, Criteria: it.Criteria,
			Target: it.Target.domain(), EvidenceTypes: it.EvidenceTypes}
	}
	return out
}

func (h *HTTP) regionTemplates(c *gin.Context) {
	ts, err := h.cq.Queries.RegionTemplates(c.Request.Context(), actor(c), c.Param("id"))
	httpx.RespondAll(c, ts, err, templateDTO)
}

func (h *HTTP) putRegionTemplate(c *gin.Context) {
	h.putTemplate(c, command.PutTemplate{RegionID: c.Param("id"), Kind: c.Param("kind")})
}

func (h *HTTP) carrierTemplate(c *gin.Context) {
	t, err := h.cq.Queries.CarrierTemplate(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, t, err, templateDTO)
}

func (h *HTTP) putCarrierTemplate(c *gin.Context) {
	h.putTemplate(c, command.PutTemplate{CarrierID: c.Param("id")})
}

func (h *HTTP) putTemplate(c *gin.Context, cmd command.PutTemplate) {
	in, ok := httpx.Bound[TemplateInput](c)
	if !ok {
		return
	}
	cmd.Actor, cmd.Items = actor(c), in.items()
	t, err := h.cq.Commands.PutTemplate.Handle(c.Request.Context(), cmd)
	httpx.Respond(c, http.StatusOK, t, err, templateDTO)
}

// CarrierCountsDTO are a carrier's milestones by state (open residencies
// only) and how many are overdue: the district's figures, never rows.
type CarrierCountsDTO struct {
	CarrierID     string `json:"carrier_id"`
	CarrierNameZH string `json:"carrier_name_zh"`
	CarrierNameEN string `json:"carrier_name_en"`
	CarrierKind   string `json:"carrier_kind"`
	Total         int    `json:"total"`
	Overdue       int    `json:"overdue"`
	Planned       int    `json:"planned"`
	InProgress    int    `json:"in_progress"`
	Submitted     int    `json:"submitted"`
	Verified      int    `json:"verified"`
	Returned      int    `json:"returned"`
	Waived        int    `json:"waived"`
}

func countsDTO(c app.CarrierCounts) CarrierCountsDTO {
	return CarrierCountsDTO{CarrierID: c.ID, CarrierNameZH: c.NameZH, CarrierNameEN: c.NameEN, CarrierKind: c.Kind, Total: c.Total, Overdue: c.Overdue,
		Planned: c.ByState[domain.Planned], InProgress: c.ByState[domain.InProgress], Submitted: c.ByState[domain.Submitted],
		Verified: c.ByState[domain.Verified], Returned: c.ByState[domain.Returned], Waived: c.ByState[domain.Waived]}
}

func (h *HTTP) regionCounts(c *gin.Context) {
	cs, err := h.cq.Queries.RegionCounts(c.Request.Context(), actor(c), c.Param("id"))
	httpx.RespondAll(c, cs, err, countsDTO)
}

// MilestoneDTO is a milestone with its carrier and company names. Overdue
// is computed for today; PlanStatus is open until the residency ends.
type MilestoneDTO struct {
	ID            string     `json:"id"`
	ResidencyID   string     `json:"residency_id"`
	CompanyID     string     `json:"company_id"`
	CarrierID     string     `json:"carrier_id"`
	RegionID      string     `json:"region_id"`
	TitleZH       string     `json:"title_zh"`
	TitleEN       string     `json:"title_en"`
	Category      string     `json:"category" enum:"team,product,registration,revenue,certification,financing,other"`
	Criteria      string     `json:"criteria"`
	Target        *FigureDTO `json:"target"`
	EvidenceTypes []string   `json:"evidence_types"`
	DueOn         string     `json:"due_on"`
	OwnerID       string     `json:"owner_id"`
	State         string     `json:"state" enum:"planned,in_progress,submitted,verified,returned,waived"`
	Overdue       bool       `json:"overdue"`
	Percent       *int       `json:"percent"`
	Figure        *FigureDTO `json:"figure"`
	Evidence      []string   `json:"evidence"`
	UpdatedAt     time.Time  `json:"updated_at"`
	CarrierKind   string     `json:"carrier_kind"`
	CarrierNameZH string     `json:"carrier_name_zh"`
	CarrierNameEN string     `json:"carrier_name_en"`
	ChainOrder    int        `json:"chain_order"`
	CompanyNameZH string     `json:"company_name_zh"`
	PlanStatus    string     `json:"plan_status" enum:"open,closed"`
	Outcome       string     `json:"outcome"`
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// milestoneDTO is m as a command answers it: a command changes only a
// milestone of an open plan.
func (h *HTTP) milestoneDTO(m *domain.Milestone) MilestoneDTO {
	return MilestoneDTO{PlanStatus: "open", ID: m.ID(), ResidencyID: m.ResidencyID(), CompanyID: m.CompanyID(), CarrierID: m.CarrierID(), RegionID: m.RegionID(),
		TitleZH: m.TitleZH(), TitleEN: m.TitleEN(), Category: m.Category(), Criteria: m.Criteria(), Target: figureDTO(m.Target()),
		EvidenceTypes: orEmpty(m.EvidenceTypes()), DueOn: domain.FormatDate(m.DueOn()), OwnerID: m.OwnerID(), State: string(m.State()),
		Overdue: m.Overdue(h.cq.Now()), Percent: m.Percent(), Figure: figureDTO(m.Figure()), Evidence: orEmpty(m.Evidence()), UpdatedAt: m.UpdatedAt()}
}

func (h *HTTP) viewDTO(v app.MilestoneView) MilestoneDTO {
	d := h.milestoneDTO(v.Milestone)
	d.CarrierKind, d.CarrierNameZH, d.CarrierNameEN, d.ChainOrder = v.CarrierKind, v.CarrierNameZH, v.CarrierNameEN, v.ChainOrder
	d.CompanyNameZH, d.PlanStatus, d.Outcome = v.CompanyNameZH, v.PlanStatus, v.Outcome
	d.Overdue = d.Overdue && d.PlanStatus == "open" // a closed plan's milestones are history, not late
	return d
}

func (h *HTTP) planMilestoneDTO(p *domain.Plan) func(m *domain.Milestone) MilestoneDTO {
	return func(m *domain.Milestone) MilestoneDTO {
		d := h.milestoneDTO(m)
		d.CarrierKind, d.ChainOrder, d.PlanStatus, d.Outcome = p.CarrierKind(), p.ChainOrder(), p.Status(), p.Outcome()
		d.Overdue = d.Overdue && d.PlanStatus == "open" // a closed plan's milestones are history, not late
		return d
	}
}

var milestoneSorts = []string{"due_on", "position", "updated_at", "state"}

// filter reads the lists' filters: state and category.
func filter(c *gin.Context) (app.MilestoneFilter, error) {
	v := apperr.NewValidation("invalid-query")
	f := app.MilestoneFilter{State: domain.State(c.Query("state")), Category: c.Query("category"), CompanyID: c.Query("company_id")}
	if f.State != "" && !f.State.Valid() {
		v.Add("state", "one_of", "allowed", "planned, in_progress, submitted, verified, returned, waived")
	}
	if f.Category != "" {
		ok := false
		for _, k := range domain.Categories {
			ok = ok || k == f.Category
		}
		v.Check(!ok, "category", "unknown_category")
	}
	if s := c.Query("overdue"); s != "" && s != "true" && s != "false" {
		v.Add("overdue", "one_of", "allowed", "true, false")
	}
	v.Check(len(f.CompanyID) > 64, "company_id", "too_long", "max", 64)
	return f, v.Err()
}

func (h *HTTP) list(c *gin.Context, fetch func(f app.MilestoneFilter, p list.Params) (query.Page, error)) {
	httpx.RespondPage(c, milestoneSorts, func(p list.Params) ([]app.MilestoneView, int, error) {
		f, err := filter(c)
		if err != nil {
			return nil, 0, err
		}
		page, err := fetch(f, p)
		return page.Items, page.Total, err
	}, h.viewDTO)
}

func (h *HTTP) carrierMilestones(c *gin.Context) {
	h.list(c, func(f app.MilestoneFilter, p list.Params) (query.Page, error) {
		return h.cq.Queries.CarrierMilestones(c.Request.Context(), actor(c), c.Param("id"), c.Query("overdue") == "true", f, p)
	})
}

func (h *HTTP) staffOverdue(c *gin.Context) {
	h.list(c, func(f app.MilestoneFilter, p list.Params) (query.Page, error) {
		carrierID := c.Query("carrier_id")
		if len(carrierID) > 64 {
			return query.Page{}, apperr.NewValidation("invalid-query").Add("carrier_id", "too_long", "max", 64).Err()
		}
		return h.cq.Queries.StaffOverdue(c.Request.Context(), actor(c), carrierID, f, p)
	})
}

func (h *HTTP) companyTimeline(c *gin.Context) {
	h.list(c, func(f app.MilestoneFilter, p list.Params) (query.Page, error) {
		return h.cq.Queries.CompanyTimeline(c.Request.Context(), actor(c), c.Param("id"), f, p)
	})
}

func (h *HTTP) residencyMilestones(c *gin.Context) {
	h.list(c, func(f app.MilestoneFilter, p list.Params) (query.Page, error) {
		return h.cq.Queries.ResidencyMilestones(c.Request.Context(), actor(c), c.Param("id"), f, p)
	})
}

// PlanDTO is a residency's plan: its dates and status (closed once the
// residency has ended: graduated, exited or promoted) and every milestone.
// BaseDate is the day templates count from (move-in, else admission).
type PlanDTO struct {
	ResidencyID     string         `json:"residency_id"`
	CompanyID       string         `json:"company_id"`
	CarrierID       string         `json:"carrier_id"`
	RegionID        string         `json:"region_id"`
	CarrierKind     string         `json:"carrier_kind"`
	Status          string         `json:"status" enum:"open,closed"`
	AdmittedOn      string         `json:"admitted_on"`
	MovedInOn       string         `json:"moved_in_on"`
	EndedOn         string         `json:"ended_on"`
	Outcome         string         `json:"outcome"`
	ToResidencyID   string         `json:"to_residency_id"`
	BaseDate        string         `json:"base_date"`
	TemplateID      string         `json:"template_id"`
	TemplateVersion int            `json:"template_version"`
	Milestones      []MilestoneDTO `json:"milestones"`
}

func (h *HTTP) planDTO(p *domain.Plan) PlanDTO {
	ms := make([]MilestoneDTO, 0, len(p.Milestones()))
	for _, m := range p.Milestones() {
		ms = append(ms, h.planMilestoneDTO(p)(m))
	}
	return PlanDTO{ResidencyID: p.ResidencyID(), CompanyID: p.CompanyID(), CarrierID: p.CarrierID(), RegionID: p.RegionID(), CarrierKind: p.CarrierKind(),
		Status: p.Status(), AdmittedOn: domain.FormatDate(p.AdmittedOn()), MovedInOn: domain.FormatDate(p.MovedInOn()), EndedOn: domain.FormatDate(p.EndedOn()),
		Outcome: p.Outcome(), ToResidencyID: p.ToResidencyID(), BaseDate: domain.FormatDate(p.BaseDate()), TemplateID: p.TemplateID(),
		TemplateVersion: p.TemplateVersion(), Milestones: ms}
}

func (h *HTTP) plan(c *gin.Context) {
	p, err := h.cq.Queries.Plan(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, p, err, h.planDTO)
}

func (h *HTTP) applyTemplate(c *gin.Context) {
	p, err := h.cq.Commands.ApplyTemplate.Handle(c.Request.Context(), command.ApplyTemplate{Actor: actor(c), ResidencyID: c.Param("id")})
	httpx.Respond(c, http.StatusCreated, p, err, h.planDTO)
}

// MilestoneEditInput changes a milestone; its due date changes only by
// reschedule, with a reason.
type MilestoneEditInput struct {
	TitleZH       string     `json:"title_zh"`
	TitleEN       string     `json:"title_en"`
	Category      string     `json:"category" enum:"team,product,registration,revenue,certification,financing,other"`
	Criteria      string     `json:"criteria"`
	Target        *FigureDTO `json:"target"`
	EvidenceTypes []string   `json:"evidence_types"`
	OwnerID       string     `json:"owner_id"`
}

// MilestoneInput plans a milestone. DueOn is YYYY-MM-DD, on or after move-in.
type MilestoneInput struct {
	MilestoneEditInput
	DueOn string `json:"due_on" binding:"required"`
}

func (in MilestoneEditInput) domain(due time.Time) domain.MilestoneInput {
	return domain.MilestoneInput{TitleZH: in.TitleZH, TitleEN: in.TitleEN, Category: in.Category, Criteria: in.Criteria, Target: in.Target.domain(),
		EvidenceTypes: in.EvidenceTypes, DueOn: due, OwnerID: in.OwnerID}
}

// boundDue is the request body bound into an In (see httpx.Bound) with its due
// date, dueOn's; a date that does not parse is answered as slug's field
// error on due_on, and ok is false.
func boundDue[In any](c *gin.Context, slug string, dueOn func(In) string) (in In, due time.Time, ok bool) {
	if in, ok = httpx.Bound[In](c); !ok || dueOn(in) == "" {
		return in, time.Time{}, ok // no date: the domain says it is required
	}
	due, err := domain.ParseDate(dueOn(in))
	if err != nil {
		httpx.Error(c, apperr.NewValidation(slug).Add("due_on", "bad_date").Err())
		return in, time.Time{}, false
	}
	return in, due, true
}

func (h *HTTP) addMilestone(c *gin.Context) {
	in, due, ok := boundDue(c, "invalid-milestone", func(in MilestoneInput) string { return in.DueOn })
	if !ok {
		return
	}
	m, err := h.cq.Commands.AdjustPlan.Add(c.Request.Context(), command.AddMilestone{Actor: actor(c), ResidencyID: c.Param("id"),
		Input: in.domain(due)})
	httpx.Respond(c, http.StatusCreated, m, err, h.milestoneDTO)
}

func (h *HTTP) editMilestone(c *gin.Context) {
	in, ok := httpx.Bound[MilestoneEditInput](c)
	if !ok {
		return
	}
	m, err := h.cq.Commands.AdjustPlan.Edit(c.Request.Context(), command.EditMilestone{Actor: actor(c), MilestoneID: c.Param("id"),
		Input: in.domain(time.Time{})})
	httpx.Respond(c, http.StatusOK, m, err, h.milestoneDTO)
}

func (h *HTTP) removeMilestone(c *gin.Context) {
	httpx.NoContent(c, h.cq.Commands.AdjustPlan.Remove(c.Request.Context(), command.RemoveMilestone{Actor: actor(c), MilestoneID: c.Param("id")}))
}

// UpdateDTO is a progress update.
type UpdateDTO struct {
	ID       string `json:"id"`
	AuthorID string `json:"author_id"`
	// AuthorName is the author's display name, else email; empty when
	// the service does not know the user.
	AuthorName string     `json:"author_name"`
	At         time.Time  `json:"at"`
	Text       string     `json:"text"`
	Percent    *int       `json:"percent"`
	Figure     *FigureDTO `json:"figure"`
	Evidence   []string   `json:"evidence"`
}

func updateDTO(u domain.Update, names map[string]string) UpdateDTO {
	return UpdateDTO{ID: u.ID, AuthorID: u.AuthorID, AuthorName: names[u.AuthorID], At: u.At, Text: u.Text, Percent: u.Percent, Figure: figureDTO(u.Figure), Evidence: orEmpty(u.Evidence)}
}

// ChangeDTO is one line of a milestone's history.
type ChangeDTO struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	// ActorName is the actor's display name, else email; empty when the
	// service does not know the user (the system's own lines).
	ActorName string         `json:"actor_name"`
	Action    string         `json:"action" enum:"plan,edit,progress,submit,verify,return,waive,reschedule"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Reason    string         `json:"reason"`
	Detail    map[string]any `json:"detail"`
}

// MilestoneDetailDTO is a milestone with every update and its history.
type MilestoneDetailDTO struct {
	Milestone MilestoneDTO `json:"milestone"`
	Updates   []UpdateDTO  `json:"updates"`
	History   []ChangeDTO  `json:"history"`
}

func (h *HTTP) detailDTO(d query.MilestoneDetail) MilestoneDetailDTO {
	out := MilestoneDetailDTO{Milestone: h.planMilestoneDTO(d.Plan)(d.Milestone), Updates: []UpdateDTO{}, History: []ChangeDTO{}}
	for _, u := range d.Updates {
		out.Updates = append(out.Updates, updateDTO(u, d.Names))
	}
	for _, ch := range d.History {
		detail := ch.Detail
		if detail == nil {
			detail = map[string]any{}
		}
		out.History = append(out.History, ChangeDTO{At: ch.At, Actor: ch.Actor, ActorName: d.Names[ch.Actor], Action: string(ch.Action), From: string(ch.From), To: string(ch.To),
			Reason: ch.Reason, Detail: detail})
	}
	return out
}

func (h *HTTP) milestone(c *gin.Context) {
	d, err := h.cq.Queries.Milestone(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, d, err, h.detailDTO)
}

// ProgressInput is a startup's update: text, a percent or a figure (in
// the target's unit), and evidence: ids of the company's documents of a
// type the milestone takes.
type ProgressInput struct {
	Text     string     `json:"text"`
	Percent  *int       `json:"percent"`
	Figure   *FigureDTO `json:"figure"`
	Evidence []string   `json:"evidence"`
}

// ProgressDTO is the update and the milestone after it.
type ProgressDTO struct {
	Update    UpdateDTO    `json:"update"`
	Milestone MilestoneDTO `json:"milestone"`
}

type progressed struct {
	m     *domain.Milestone
	u     domain.Update
	names map[string]string
}

func (h *HTTP) progress(c *gin.Context) {
	in, ok := httpx.Bound[ProgressInput](c)
	if !ok {
		return
	}
	m, u, err := h.cq.Commands.PostProgress.Handle(c.Request.Context(), command.PostProgress{Actor: actor(c), MilestoneID: c.Param("id"),
		Input: domain.ProgressInput{Text: in.Text, Percent: in.Percent, Figure: in.Figure.domain(), Evidence: in.Evidence}})
	var names map[string]string
	if err == nil {
		// The update is saved: a failed name lookup only leaves the name
		// out of the answer rather than report the write as failed.
		var nerr error
		if names, nerr = h.cq.Queries.UserNames(c.Request.Context(), actor(c), u.AuthorID); nerr != nil {
			slog.WarnContext(c.Request.Context(), "milestones: author name", "err", nerr)
		}
	}
	httpx.Respond(c, http.StatusCreated, progressed{m, u, names}, err, func(p progressed) ProgressDTO {
		return ProgressDTO{Update: updateDTO(p.u, p.names), Milestone: h.milestoneDTO(p.m)}
	})
}

// CommentInput is a verification's or a return's comment (a return needs one).
type CommentInput struct {
	Comment string `json:"comment"`
}

// ReasonInput is why a milestone is waived.
type ReasonInput struct {
	Reason string `json:"reason"`
}

// RescheduleInput is a new due date (YYYY-MM-DD) and why.
type RescheduleInput struct {
	DueOn  string `json:"due_on" binding:"required"`
	Reason string `json:"reason"`
}

func (h *HTTP) transition(act domain.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		cmd := command.Transition{Actor: actor(c), MilestoneID: c.Param("id"), Action: act}
		switch act {
		case domain.ActVerify, domain.ActReturn:
			in, ok := httpx.Bound[CommentInput](c)
			if !ok {
				return
			}
			cmd.Reason = in.Comment
		case domain.ActWaive:
			in, ok := httpx.Bound[ReasonInput](c)
			if !ok {
				return
			}
			cmd.Reason = in.Reason
		}
		m, err := h.cq.Commands.Transition.Handle(c.Request.Context(), cmd)
		httpx.Respond(c, http.StatusOK, m, err, h.milestoneDTO)
	}
}

func (h *HTTP) reschedule(c *gin.Context) {
	in, due, ok := boundDue(c, "invalid-reschedule", func(in RescheduleInput) string { return in.DueOn })
	if !ok {
		return
	}
	m, err := h.cq.Commands.Transition.Handle(c.Request.Context(), command.Transition{Actor: actor(c), MilestoneID: c.Param("id"),
		Action: domain.ActReschedule, Reason: in.Reason, DueOn: due})
	httpx.Respond(c, http.StatusOK, m, err, h.milestoneDTO)
}
