// Package ports is the incubatees service's HTTP API (/api/v1) and its
// event consumers.
package ports

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
	"github.com/incuchain/incuchain/services/incubatees/internal/service"
)

// HTTP serves the incubatees API.
type HTTP struct {
	cq    service.Application
	clock *app.Clock
}

// Mount registers every route of every area on r and returns the OpenAPI
// document built from the same table.
func Mount(r gin.IRouter, cq service.Application, clock *app.Clock) *httpx.OpenAPI {
	h := &HTTP{cq: cq, clock: clock}
	doc := httpx.NewOpenAPI("Incuchain incubatees", "1.0.0")
	for _, area := range [][]httpx.Endpoint{h.companyRoutes(), h.intakeRoutes(), h.residencyRoutes(), h.enrolmentRoutes(), h.reportRoutes()} {
		httpx.Mount(r, doc, area...)
	}
	return doc
}

func actor(c *gin.Context) app.Actor {
	id, _ := authn.FromContext(c.Request.Context())
	if strings.HasPrefix(id.UserID, "svc:") {
		return app.Actor{}
	}
	return app.Actor{UserID: id.UserID}
}

// statusQuery reads ?status= as one of allowed; left out (or empty) it is
// no filter. Anything else is a one_of error that lists allowed.
func statusQuery[S ~string](c *gin.Context, allowed []S) (S, error) {
	s := S(c.Query("status"))
	if s == "" {
		return s, nil
	}
	v := apperr.NewValidation("invalid-query")
	domain.CheckOneOf(v, "status", s, allowed)
	if err := v.Err(); err != nil {
		return "", err
	}
	return s, nil
}

const tCompanies = "companies 企业"

func (h *HTTP) companyRoutes() []httpx.Endpoint {
	return httpx.Tagged(tCompanies,
		httpx.GET("/api/v1/me/companies", h.myCompanies).Doc("我的企业 / The caller's companies").Lists(MyCompanyDTO{}),
		httpx.GET("/api/v1/regions/:id/companies", h.listCompanies).Doc("区域内企业 / Companies of a region (filters: industry)").Lists(CompanyDTO{}),
		httpx.POST("/api/v1/regions/:id/companies", idBind(http.StatusCreated, h.registerCompany, companyDTO)).Doc("登记企业或团队 / Register a company or team").Takes(CompanyInput{}).Creates(CompanyDTO{}),
		httpx.GET("/api/v1/companies/:id", idRespond(func(ctx context.Context, a app.Actor, id string) (*domain.Company, error) {
			return h.cq.Queries.GetCompany.Handle(ctx, query.GetCompany{Actor: a, CompanyID: id})
		}, companyDTO)).Doc("企业详情 / A company").Returns(CompanyDTO{}),
		httpx.PUT("/api/v1/companies/:id", idBind(http.StatusOK, h.updateCompany, companyDTO)).Doc("替换企业信息：须提交全部字段，可选字段以空字符串清空 / Replace a company's details: send every field, \"\" clears an optional one").Takes(CompanyReplaceInput{}).Returns(CompanyDTO{}),
		httpx.POST("/api/v1/companies/:id/uscc", idBind(http.StatusOK, h.linkUSCC, companyDTO)).Doc("关联统一社会信用代码 / Link a team to its USCC").Takes(usccInput{}).Returns(CompanyDTO{}),
		httpx.GET("/api/v1/companies/:id/members", h.listMembers).Doc("企业成员 / Company members").Lists(MemberDTO{}),
		httpx.POST("/api/v1/companies/:id/members", idBind(http.StatusCreated, h.inviteMember, memberDTO)).Doc("邀请成员 / Invite a member").Takes(memberInput{}).Creates(MemberDTO{}),
		httpx.POST("/api/v1/companies/:id/members/accept", h.acceptMembership).Doc("接受企业邀请 / Accept a company invitation").NoContent(),
		httpx.DELETE("/api/v1/companies/:id/members/:user", h.removeMember).Doc("移除成员或退出 / Remove a member, or leave").NoContent(),
	)
}

// CompanyInput is the body of register and update.
type CompanyInput struct {
	USCC          string `json:"uscc"`
	NameZH        string `json:"name_zh"`
	NameEN        string `json:"name_en"`
	IndustryCode  string `json:"industry_code"`
	TechField     string `json:"tech_field"`
	FoundedOn     string `json:"founded_on"` // YYYY-MM-DD
	FounderType   string `json:"founder_type"`
	FounderGender string `json:"founder_gender"`
	ContactName   string `json:"contact_name"`
	ContactPhone  string `json:"contact_phone"`
	ContactEmail  string `json:"contact_email"`
}

func (in CompanyInput) fields() (domain.CompanyFields, error) {
	v := apperr.NewValidation("invalid-company")
	f := domain.CompanyFields{NameZH: in.NameZH, NameEN: in.NameEN, IndustryCode: in.IndustryCode, TechField: in.TechField,
		FoundedOn: parseDate(v, "founded_on", in.FoundedOn), FounderType: in.FounderType, FounderGender: in.FounderGender,
		ContactName: in.ContactName, ContactPhone: in.ContactPhone, ContactEmail: in.ContactEmail}
	return f, v.Err()
}

// CompanyDTO is a company on the wire.
type CompanyDTO struct {
	ID            string    `json:"id"`
	RegionID      string    `json:"region_id"`
	USCC          string    `json:"uscc"`
	ProvisionalID string    `json:"provisional_id"`
	Key           string    `json:"key"`
	NameZH        string    `json:"name_zh"`
	NameEN        string    `json:"name_en"`
	IndustryCode  string    `json:"industry_code"`
	TechField     string    `json:"tech_field"`
	FoundedOn     string    `json:"founded_on"`
	FounderType   string    `json:"founder_type"`
	FounderGender string    `json:"founder_gender"`
	ContactName   string    `json:"contact_name"`
	ContactPhone  string    `json:"contact_phone"`
	ContactEmail  string    `json:"contact_email"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func companyDTO(c *domain.Company) CompanyDTO {
	return CompanyDTO{ID: c.ID, RegionID: c.RegionID, USCC: string(c.USCC), ProvisionalID: c.ProvisionalID, Key: c.Key(),
		NameZH: c.Fields.NameZH, NameEN: c.Fields.NameEN, IndustryCode: c.Fields.IndustryCode, TechField: c.Fields.TechField,
		FoundedOn: app.DayString(c.Fields.FoundedOn), FounderType: c.Fields.FounderType, FounderGender: c.Fields.FounderGender,
		ContactName: c.Fields.ContactName, ContactPhone: c.Fields.ContactPhone, ContactEmail: c.Fields.ContactEmail, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// MyCompanyDTO is one of the caller's memberships.
type MyCompanyDTO struct {
	Company CompanyDTO `json:"company"`
	Role    string     `json:"role" enum:"company_admin,member"`
	Status  string     `json:"status" enum:"invited,active,left"`
}

// MemberDTO is a company member.
type MemberDTO struct {
	UserID      string    `json:"user_id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role" enum:"company_admin,member"`
	Status      string    `json:"status" enum:"invited,active,left"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type usccInput struct {
	USCC string `json:"uscc"`
}

type memberInput struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

func (h *HTTP) myCompanies(c *gin.Context) {
	ms, err := h.cq.Queries.MyCompanies.Handle(c.Request.Context(), query.MyCompanies{Actor: actor(c)})
	httpx.RespondAll(c, ms, err, func(m query.MyCompany) MyCompanyDTO {
		return MyCompanyDTO{Company: companyDTO(m.Company), Role: string(m.Role), Status: string(m.Status)}
	})
}

func (h *HTTP) listCompanies(c *gin.Context) {
	f := app.CompanyFilter{RegionID: c.Param("id"), Industry: strings.ToUpper(c.Query("industry"))}
	httpx.RespondPage(c, adapters.CompanySortFields(), func(p list.Params) ([]*domain.Company, int, error) {
		return h.cq.Queries.ListCompanies.Handle(c.Request.Context(), query.ListCompanies{Actor: actor(c), Filter: f, Page: p})
	}, companyDTO)
}

func (h *HTTP) registerCompany(ctx context.Context, a app.Actor, id string, in CompanyInput) (*domain.Company, error) {
	f, err := in.fields()
	if err != nil {
		return nil, err
	}
	return h.cq.Commands.RegisterCompany.Handle(ctx, command.RegisterCompany{Actor: a, RegionID: id, USCC: in.USCC, Fields: f})
}

// CompanyReplaceInput is the body of PUT: it replaces the details, so
// every field must be present (a field left out would otherwise be blanked
// without anyone having asked); "" clears an optional one. The USCC is
// linked with its own action, never here.
type CompanyReplaceInput struct {
	USCC          *string `json:"uscc,omitempty"`
	NameZH        *string `json:"name_zh"`
	NameEN        *string `json:"name_en"`
	IndustryCode  *string `json:"industry_code"`
	TechField     *string `json:"tech_field"`
	FoundedOn     *string `json:"founded_on"`
	FounderType   *string `json:"founder_type"`
	FounderGender *string `json:"founder_gender"`
	ContactName   *string `json:"contact_name"`
	ContactPhone  *string `json:"contact_phone"`
	ContactEmail  *string `json:"contact_email"`
}

// complete reports every absent field at once (400: the representation is
// incomplete), else the input with every field.
func (in CompanyReplaceInput) complete() (CompanyInput, error) {
	missing := &apperr.Error{Slug: "incomplete-company", Category: apperr.Malformed}
	val := func(field string, p *string) string {
		if p == nil {
			missing.Fields = append(missing.Fields, apperr.FieldError{Field: field, Code: "required"})
			return ""
		}
		return *p
	}
	out := CompanyInput{NameZH: val("name_zh", in.NameZH), NameEN: val("name_en", in.NameEN), IndustryCode: val("industry_code", in.IndustryCode),
		TechField: val("tech_field", in.TechField), FoundedOn: val("founded_on", in.FoundedOn), FounderType: val("founder_type", in.FounderType),
		FounderGender: val("founder_gender", in.FounderGender), ContactName: val("contact_name", in.ContactName),
		ContactPhone: val("contact_phone", in.ContactPhone), ContactEmail: val("contact_email", in.ContactEmail)}
	if len(missing.Fields) > 0 {
		return out, missing
	}
	if in.USCC != nil && *in.USCC != "" {
		return out, apperr.NewValidation("invalid-company").Add("uscc", "use_link_endpoint").Err()
	}
	return out, nil
}

func (h *HTTP) updateCompany(ctx context.Context, a app.Actor, id string, raw CompanyReplaceInput) (*domain.Company, error) {
	in, err := raw.complete()
	if err != nil {
		return nil, err
	}
	f, err := in.fields()
	if err != nil {
		return nil, err
	}
	return h.cq.Commands.UpdateCompany.Handle(ctx, command.UpdateCompany{Actor: a, CompanyID: id, Fields: f})
}

func (h *HTTP) linkUSCC(ctx context.Context, a app.Actor, id string, in usccInput) (*domain.Company, error) {
	return h.cq.Commands.LinkUSCC.Handle(ctx, command.LinkUSCC{Actor: a, CompanyID: id, USCC: in.USCC})
}

func (h *HTTP) listMembers(c *gin.Context) {
	ms, err := h.cq.Queries.ListMembers.Handle(c.Request.Context(), query.ListMembers{Actor: actor(c), CompanyID: c.Param("id")})
	httpx.RespondAll(c, ms, err, memberDTO)
}

func (h *HTTP) inviteMember(ctx context.Context, a app.Actor, id string, in memberInput) (app.MemberView, error) {
	return h.cq.Commands.InviteMember.Handle(ctx, command.InviteMember{Actor: a, CompanyID: id, Email: in.Email, Role: domain.MemberRole(in.Role)})
}

func (h *HTTP) acceptMembership(c *gin.Context) {
	httpx.NoContent(c, h.cq.Commands.AcceptMembership.Handle(c.Request.Context(), command.AcceptMembership{Actor: actor(c), CompanyID: c.Param("id")}))
}

func (h *HTTP) removeMember(c *gin.Context) {
	httpx.NoContent(c, h.cq.Commands.RemoveMember.Handle(c.Request.Context(), command.RemoveMember{Actor: actor(c), CompanyID: c.Param("id"), UserID: c.Param("user")}))
}

func memberDTO(m app.MemberView) MemberDTO {
	return MemberDTO{UserID: m.UserID, Email: m.Email, DisplayName: m.DisplayName, Role: string(m.Role), Status: string(m.Status), UpdatedAt: m.UpdatedAt}
}
