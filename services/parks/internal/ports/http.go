package ports

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/adapters"
	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// HTTP serves the parks API.
type HTTP struct {
	app *app.App
}

// Mount registers every parks route on r and returns the OpenAPI document
// built from the same table. Identity comes from the gateway's signed
// header (authn.Middleware must run before).
func Mount(r gin.IRouter, a *app.App) *httpx.OpenAPI {
	h := &HTTP{app: a}
	doc := httpx.MountAPI(r, "Incuchain parks", h.routes()...)
	internal := r.Group("/internal/v1", requireService)
	internal.POST("/credentials/verify", h.verifyCredentials)
	return doc
}

func (h *HTTP) routes() []httpx.Endpoint {
	const (
		tRegions  = "regions 区域"
		tCarriers = "carriers 载体"
		tMembers  = "members 成员与角色"
		tUsers    = "users 用户"
		tAudit    = "audit 审计"
	)
	var routes []httpx.Endpoint
	routes = append(routes,
		httpx.GET("/api/v1/me", h.me).Tag(tUsers).Doc("当前用户及其角色 / The caller and their roles").Returns(meDTO{}),
		httpx.GET("/api/v1/regions", h.listRegions).Tag(tRegions).Doc("可见区域 / Visible regions").Lists(RegionDTO{}),
		httpx.POST("/api/v1/regions", h.createRegion).Tag(tRegions).Doc("新建区域 / Create a region").Takes(regionInput{}).Creates(RegionDTO{}),
		httpx.GET("/api/v1/regions/:id", h.getRegion).Tag(tRegions).Doc("区域详情 / A region").Returns(RegionDTO{}),
		httpx.PATCH("/api/v1/regions/:id", h.updateRegion).Tag(tRegions).Doc("修改区域名称 / Rename a region").Takes(regionPatch{}).Returns(RegionDTO{}),
		httpx.GET("/api/v1/regions/:id/audit", h.listAudit("region")).Tag(tAudit).Doc("区域审计日志 / Audit trail of a region (filters: action, since)").Lists(AuditDTO{}),
		httpx.GET("/api/v1/carriers/:id/audit", h.listAudit("carrier")).Tag(tAudit).Doc("载体审计日志 / Audit trail of a carrier (filters: action, since)").Lists(AuditDTO{}),
		httpx.GET("/api/v1/regions/:id/carriers", h.listCarriers).Tag(tCarriers).Doc("区域内载体 / Carriers of a region (filters: kind, status)").Lists(CarrierDTO{}),
		httpx.POST("/api/v1/regions/:id/carriers", h.createCarrier).Tag(tCarriers).Doc("新建载体 / Create a carrier").Takes(CarrierInput{}).Creates(CarrierDTO{}),
	)
	routes = append(routes, h.staffRoutes("region", tMembers, "区域", "区域", "district")...)
	routes = append(routes,
		httpx.GET("/api/v1/carriers/:id", h.getCarrier).Tag(tCarriers).Doc("载体详情 / A carrier").Returns(CarrierDTO{}),
		httpx.PATCH("/api/v1/carriers/:id", h.updateCarrier).Tag(tCarriers).Doc("修改载体 / Update a carrier").Takes(CarrierInput{}).Returns(CarrierDTO{}),
	)
	routes = append(routes, h.staffRoutes("carrier", tMembers, "载体", "园区", "park")...)
	return append(routes,
		// Accepting an invitation is how a new person gets an account.
		httpx.POST("/api/v1/invitations/:token/accept", h.acceptInvitation).Public().Tag(tMembers).Doc("接受邀请 / Accept an invitation").Takes(acceptInput{}).Creates(UserDTO{}),
		httpx.GET("/api/v1/users", h.listUsers).Tag(tUsers).Doc("全部用户 / All users (platform admins)").Lists(UserDTO{}),
		httpx.POST("/api/v1/users", h.createUser).Tag(tUsers).Doc("新建用户 / Create a user (platform admins)").Takes(userInput{}).Creates(UserDTO{}),
	)
}

// staffRoutes are the routes of a region's or a carrier's staff (scope):
// its members, their roles and its invitations. The docs name the scope
// (zhScope), the role (zhRole) and, in English, the staff (en).
func (h *HTTP) staffRoutes(scope, tag, zhScope, zhRole, en string) []httpx.Endpoint {
	base, title := "/api/v1/"+scope+"s/:id", strings.ToUpper(en[:1])+en[1:]
	return []httpx.Endpoint{
		httpx.GET(base+"/members", h.listMembers(scope)).Tag(tag).Doc(zhScope + "工作人员 / " + title + " staff").Lists(MemberDTO{}),
		httpx.POST(base+"/members", h.grant(scope)).Tag(tag).Doc("授予" + zhRole + "角色 / Grant a " + en + " role").Takes(roleInput{}).Creates(MemberDTO{}),
		httpx.DELETE(base+"/members/:user/roles/:role", h.revoke(scope)).Tag(tag).Doc("撤销" + zhRole + "角色 / Revoke a " + en + " role").NoContent(),
		httpx.GET(base+"/invitations", h.listInvitations(scope)).Tag(tag).Doc(zhScope + "邀请 / " + title + " invitations").Lists(InvitationDTO{}),
		httpx.POST(base+"/invitations", h.invite(scope)).Tag(tag).Doc("邀请" + zhRole + "人员 / Invite " + en + " staff").Takes(roleInput{}).Creates(InvitationDTO{}),
	}
}

func actor(c *gin.Context) app.Actor { return app.Actor{UserID: authn.UserID(c)} }

// requireService admits only other services (identity "svc:<name>").
func requireService(c *gin.Context) {
	id, ok := authn.FromContext(c.Request.Context())
	if !ok || !strings.HasPrefix(id.UserID, "svc:") {
		httpx.Error(c, apperr.NotFoundErr("route-not-found"))
		return
	}
	c.Next()
}

func (h *HTTP) me(c *gin.Context) {
	u, as, err := h.app.Me(c.Request.Context(), actor(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	out := make([]AssignmentDTO, 0, len(as))
	for _, a := range as {
		out = append(out, AssignmentDTO{Role: a.Role, Domain: a.Domain, DomainKind: a.DomainKind, DomainID: a.DomainID, NameZH: a.NameZH, NameEN: a.NameEN, RegionID: a.RegionID})
	}
	c.JSON(http.StatusOK, meDTO{User: userDTO(u), Assignments: out})
}

func (h *HTTP) listRegions(c *gin.Context) {
	rs, err := h.app.ListRegions(c.Request.Context(), actor(c))
	httpx.RespondAll(c, rs, err, regionDTO)
}

type meDTO struct {
	User        UserDTO         `json:"user"`
	Assignments []AssignmentDTO `json:"assignments"`
}

type regionInput struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

func (h *HTTP) createRegion(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in regionInput) (*domain.Region, error) {
		return h.app.CreateRegion(c.Request.Context(), actor(c), in.Code, in.NameZH, in.NameEN)
	}, regionDTO)
}

func (h *HTTP) getRegion(c *gin.Context) {
	r, err := h.app.GetRegion(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, r, err, regionDTO)
}

func (h *HTTP) listCarriers(c *gin.Context) {
	f := app.CarrierFilter{RegionID: c.Param("id"), Kind: c.Query("kind"), Status: c.Query("status")}
	httpx.RespondPage(c, adapters.CarrierSortFields(), func(p list.Params) ([]*domain.Carrier, int, error) {
		return h.app.ListCarriers(c.Request.Context(), actor(c), f, p)
	}, carrierDTO)
}

func (h *HTTP) createCarrier(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in CarrierInput) (*domain.Carrier, error) {
		return h.app.CreateCarrier(c.Request.Context(), actor(c), c.Param("id"), in.fields())
	}, carrierDTO)
}

func (h *HTTP) getCarrier(c *gin.Context) {
	x, err := h.app.GetCarrier(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, x, err, carrierDTO)
}

func (h *HTTP) updateCarrier(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in CarrierInput) (*domain.Carrier, error) {
		return h.app.UpdateCarrier(c.Request.Context(), actor(c), c.Param("id"), in.patch())
	}, carrierDTO)
}

func (h *HTTP) listMembers(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.RespondPage(c, []string{"email"}, func(p list.Params) ([]app.Member, int, error) {
			return h.app.ListMembers(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, p)
		}, memberDTO)
	}
}

type roleInput struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

func (h *HTTP) grant(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.BindRespond(c, http.StatusCreated, func(in roleInput) (app.Member, error) {
			return h.app.GrantRole(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, in.Email, in.Role)
		}, memberDTO)
	}
}

func (h *HTTP) revoke(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.NoContent(c, h.app.RevokeRole(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, c.Param("user"), c.Param("role")))
	}
}

func (h *HTTP) listInvitations(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.RespondPage(c, []string{"created_at"}, func(p list.Params) ([]*domain.Invitation, int, error) {
			return h.app.ListInvitations(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, p)
		}, invitationDTO)
	}
}

func (h *HTTP) invite(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.BindRespond(c, http.StatusCreated, func(in roleInput) (app.IssuedInvitation, error) {
			return h.app.Invite(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, in.Email, in.Role)
		}, func(inv app.IssuedInvitation) InvitationDTO {
			dto := invitationDTO(inv.Invitation)
			dto.AcceptURL = inv.AcceptURL
			return dto
		})
	}
}

type acceptInput struct {
	DisplayName string `json:"display_name"`
	Password    string `json:"password" text:"raw"` // hashed, never shown: any character
}

func (h *HTTP) acceptInvitation(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in acceptInput) (*domain.User, error) {
		return h.app.AcceptInvitation(c.Request.Context(), c.Param("token"), in.DisplayName, in.Password)
	}, userDTO)
}

func (h *HTTP) listUsers(c *gin.Context) {
	httpx.RespondPage(c, []string{"email"}, func(p list.Params) ([]*domain.User, int, error) {
		return h.app.ListUsers(c.Request.Context(), actor(c), p)
	}, userDTO)
}

type userInput struct {
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password" text:"raw"` // hashed, never shown: any character
}

func (h *HTTP) createUser(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in userInput) (*domain.User, error) {
		return h.app.CreateUser(c.Request.Context(), actor(c), in.Email, in.DisplayName, in.Password)
	}, userDTO)
}

type credentialsInput struct {
	Email    string `json:"email"`
	Password string `json:"password" text:"raw"` // hashed, never shown: any character
}

func (h *HTTP) verifyCredentials(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in credentialsInput) (*domain.User, error) {
		return h.app.VerifyCredentials(c.Request.Context(), in.Email, in.Password)
	}, userDTO)
}

type regionPatch struct {
	NameZH *string `json:"name_zh"`
	NameEN *string `json:"name_en"`
}

func (h *HTTP) updateRegion(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in regionPatch) (*domain.Region, error) {
		return h.app.UpdateRegion(c.Request.Context(), actor(c), c.Param("id"), in.NameZH, in.NameEN)
	}, regionDTO)
}

func (h *HTTP) listAudit(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.RespondPage(c, []string{"at"}, func(p list.Params) ([]app.AuditRecord, int, error) {
			f := app.AuditFilter{Action: c.Query("action")}
			if s := c.Query("since"); s != "" {
				var err error
				if f.Since, err = time.Parse(time.RFC3339, s); err != nil {
					return nil, 0, apperr.NewValidation("invalid-query").Add("since", "invalid").Err()
				}
			}
			return h.app.ListAudit(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, f, p)
		}, auditDTO)
	}
}

func auditDTO(r app.AuditRecord) AuditDTO {
	return AuditDTO{ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action, ObjectID: r.ObjectID,
		RegionID: r.RegionID, CarrierID: r.CarrierID, Detail: r.Detail}
}
