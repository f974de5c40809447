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
	doc := httpx.NewOpenAPI("Incuchain parks", "1.0.0")
	v1 := r.Group("/api/v1")
	for _, rt := range h.routes() {
		v1.Handle(rt.Method, strings.TrimPrefix(rt.Path, "/api/v1"), rt.handler)
		doc.Add(rt.Route)
	}
	internal := r.Group("/internal/v1", requireService)
	internal.POST("/credentials/verify", h.verifyCredentials)
	internal.GET("/authz/assignments", h.snapshot)
	return doc
}

type route struct {
	httpx.Route
	handler gin.HandlerFunc
}

func (h *HTTP) routes() []route {
	const (
		tRegions  = "regions 区域"
		tCarriers = "carriers 载体"
		tMembers  = "members 成员与角色"
		tUsers    = "users 用户"
		tAudit    = "audit 审计"
	)
	rt := func(method, path, summary, tag string, req, resp any, status int, list bool, fn gin.HandlerFunc) route {
		return route{Route: httpx.Route{Method: method, Path: path, Summary: summary, Tag: tag, Request: req, Response: resp, Status: status, List: list}, handler: fn}
	}
	out := []route{
		rt("GET", "/api/v1/me", "当前用户及其角色 / The caller and their roles", tUsers, nil, meDTO{}, 200, false, h.me),
		rt("GET", "/api/v1/regions", "可见区域 / Visible regions", tRegions, nil, RegionDTO{}, 200, true, h.listRegions),
		rt("POST", "/api/v1/regions", "新建区域 / Create a region", tRegions, regionInput{}, RegionDTO{}, 201, false, h.createRegion),
		rt("GET", "/api/v1/regions/:id", "区域详情 / A region", tRegions, nil, RegionDTO{}, 200, false, h.getRegion),
		rt("PATCH", "/api/v1/regions/:id", "修改区域名称 / Rename a region", tRegions, regionPatch{}, RegionDTO{}, 200, false, h.updateRegion),
		rt("GET", "/api/v1/regions/:id/audit", "区域审计日志 / Audit trail of a region (filters: action, since)", tAudit, nil, AuditDTO{}, 200, true, h.listAudit("region")),
		rt("GET", "/api/v1/carriers/:id/audit", "载体审计日志 / Audit trail of a carrier (filters: action, since)", tAudit, nil, AuditDTO{}, 200, true, h.listAudit("carrier")),
		rt("GET", "/api/v1/regions/:id/carriers", "区域内载体 / Carriers of a region (filters: kind, status)", tCarriers, nil, CarrierDTO{}, 200, true, h.listCarriers),
		rt("POST", "/api/v1/regions/:id/carriers", "新建载体 / Create a carrier", tCarriers, CarrierInput{}, CarrierDTO{}, 201, false, h.createCarrier),
		rt("GET", "/api/v1/regions/:id/members", "区域工作人员 / District staff", tMembers, nil, MemberDTO{}, 200, true, h.listMembers("region")),
		rt("POST", "/api/v1/regions/:id/members", "授予区域角色 / Grant a district role", tMembers, roleInput{}, MemberDTO{}, 201, false, h.grant("region")),
		rt("DELETE", "/api/v1/regions/:id/members/:user/roles/:role", "撤销区域角色 / Revoke a district role", tMembers, nil, nil, 204, false, h.revoke("region")),
		rt("GET", "/api/v1/regions/:id/invitations", "区域邀请 / District invitations", tMembers, nil, InvitationDTO{}, 200, true, h.listInvitations("region")),
		rt("POST", "/api/v1/regions/:id/invitations", "邀请区域人员 / Invite district staff", tMembers, roleInput{}, InvitationDTO{}, 201, false, h.invite("region")),
		rt("GET", "/api/v1/carriers/:id", "载体详情 / A carrier", tCarriers, nil, CarrierDTO{}, 200, false, h.getCarrier),
		rt("PATCH", "/api/v1/carriers/:id", "修改载体 / Update a carrier", tCarriers, CarrierInput{}, CarrierDTO{}, 200, false, h.updateCarrier),
		rt("GET", "/api/v1/carriers/:id/members", "载体工作人员 / Park staff", tMembers, nil, MemberDTO{}, 200, true, h.listMembers("carrier")),
		rt("POST", "/api/v1/carriers/:id/members", "授予园区角色 / Grant a park role", tMembers, roleInput{}, MemberDTO{}, 201, false, h.grant("carrier")),
		rt("DELETE", "/api/v1/carriers/:id/members/:user/roles/:role", "撤销园区角色 / Revoke a park role", tMembers, nil, nil, 204, false, h.revoke("carrier")),
		rt("GET", "/api/v1/carriers/:id/invitations", "载体邀请 / Park invitations", tMembers, nil, InvitationDTO{}, 200, true, h.listInvitations("carrier")),
		rt("POST", "/api/v1/carriers/:id/invitations", "邀请园区人员 / Invite park staff", tMembers, roleInput{}, InvitationDTO{}, 201, false, h.invite("carrier")),
		rt("POST", "/api/v1/invitations/:token/accept", "接受邀请 / Accept an invitation", tMembers, acceptInput{}, UserDTO{}, 201, false, h.acceptInvitation),
		rt("GET", "/api/v1/users", "全部用户 / All users (platform admins)", tUsers, nil, UserDTO{}, 200, true, h.listUsers),
		rt("POST", "/api/v1/users", "新建用户 / Create a user (platform admins)", tUsers, userInput{}, UserDTO{}, 201, false, h.createUser),
	}
	for i := range out {
		// Accepting an invitation is how a new person gets an account.
		out[i].Public = out[i].Path == "/api/v1/invitations/:token/accept"
	}
	return out
}

func actor(c *gin.Context) app.Actor {
	id, _ := authn.FromContext(c.Request.Context())
	if strings.HasPrefix(id.UserID, "svc:") {
		return app.Actor{}
	}
	return app.Actor{UserID: id.UserID}
}

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
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items := make([]RegionDTO, 0, len(rs))
	for _, r := range rs {
		items = append(items, regionDTO(r))
	}
	c.JSON(http.StatusOK, httpx.NewPage(items, len(items), list.First(len(items))))
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
	var in regionInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	r, err := h.app.CreateRegion(c.Request.Context(), actor(c), in.Code, in.NameZH, in.NameEN)
	httpx.Respond(c, http.StatusCreated, r, err, regionDTO)
}

func (h *HTTP) getRegion(c *gin.Context) {
	r, err := h.app.GetRegion(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, r, err, regionDTO)
}

func (h *HTTP) listCarriers(c *gin.Context) {
	p, err := httpx.ParseList(c, adapters.CarrierSortFields()...)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	f := app.CarrierFilter{RegionID: c.Param("id"), Kind: c.Query("kind"), Status: c.Query("status")}
	cs, total, err := h.app.ListCarriers(c.Request.Context(), actor(c), f, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items := make([]CarrierDTO, 0, len(cs))
	for _, x := range cs {
		items = append(items, carrierDTO(x))
	}
	c.JSON(http.StatusOK, httpx.NewPage(items, total, p))
}

func (h *HTTP) createCarrier(c *gin.Context) {
	var in CarrierInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	x, err := h.app.CreateCarrier(c.Request.Context(), actor(c), c.Param("id"), in.fields())
	httpx.Respond(c, http.StatusCreated, x, err, carrierDTO)
}

func (h *HTTP) getCarrier(c *gin.Context) {
	x, err := h.app.GetCarrier(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusOK, x, err, carrierDTO)
}

func (h *HTTP) updateCarrier(c *gin.Context) {
	var in CarrierInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	x, err := h.app.UpdateCarrier(c.Request.Context(), actor(c), c.Param("id"), in.patch())
	httpx.Respond(c, http.StatusOK, x, err, carrierDTO)
}

func (h *HTTP) listMembers(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := httpx.ParseList(c, "email")
		if err != nil {
			httpx.Error(c, err)
			return
		}
		ms, total, err := h.app.ListMembers(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, p)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		items := make([]MemberDTO, 0, len(ms))
		for _, m := range ms {
			items = append(items, memberDTO(m))
		}
		c.JSON(http.StatusOK, httpx.NewPage(items, total, p))
	}
}

type roleInput struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

func (h *HTTP) grant(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in roleInput
		if err := httpx.Bind(c, &in); err != nil {
			httpx.Error(c, err)
			return
		}
		m, err := h.app.GrantRole(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, in.Email, in.Role)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		c.JSON(http.StatusCreated, memberDTO(m))
	}
}

func (h *HTTP) revoke(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := h.app.RevokeRole(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, c.Param("user"), c.Param("role"))
		if err != nil {
			httpx.Error(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func (h *HTTP) listInvitations(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := httpx.ParseList(c, "created_at")
		if err != nil {
			httpx.Error(c, err)
			return
		}
		is, total, err := h.app.ListInvitations(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, p)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		items := make([]InvitationDTO, 0, len(is))
		for _, i := range is {
			items = append(items, invitationDTO(i))
		}
		c.JSON(http.StatusOK, httpx.NewPage(items, total, p))
	}
}

func (h *HTTP) invite(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in roleInput
		if err := httpx.Bind(c, &in); err != nil {
			httpx.Error(c, err)
			return
		}
		inv, err := h.app.Invite(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, in.Email, in.Role)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		dto := invitationDTO(inv.Invitation)
		dto.AcceptURL = inv.AcceptURL
		c.JSON(http.StatusCreated, dto)
	}
}

type acceptInput struct {
	DisplayName string `json:"display_name"`
	Password    string `json:"password" text:"raw"` // hashed, never shown: any character
}

func (h *HTTP) acceptInvitation(c *gin.Context) {
	var in acceptInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	u, err := h.app.AcceptInvitation(c.Request.Context(), c.Param("token"), in.DisplayName, in.Password)
	httpx.Respond(c, http.StatusCreated, u, err, userDTO)
}

func (h *HTTP) listUsers(c *gin.Context) {
	p, err := httpx.ParseList(c, "email")
	if err != nil {
		httpx.Error(c, err)
		return
	}
	us, total, err := h.app.ListUsers(c.Request.Context(), actor(c), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	items := make([]UserDTO, 0, len(us))
	for _, u := range us {
		items = append(items, userDTO(u))
	}
	c.JSON(http.StatusOK, httpx.NewPage(items, total, p))
}

type userInput struct {
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password" text:"raw"` // hashed, never shown: any character
}

func (h *HTTP) createUser(c *gin.Context) {
	var in userInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	u, err := h.app.CreateUser(c.Request.Context(), actor(c), in.Email, in.DisplayName, in.Password)
	httpx.Respond(c, http.StatusCreated, u, err, userDTO)
}

type credentialsInput struct {
	Email    string `json:"email"`
	Password string `json:"password" text:"raw"` // hashed, never shown: any character
}

func (h *HTTP) verifyCredentials(c *gin.Context) {
	var in credentialsInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	u, err := h.app.VerifyCredentials(c.Request.Context(), in.Email, in.Password)
	httpx.Respond(c, http.StatusOK, u, err, userDTO)
}

func (h *HTTP) snapshot(c *gin.Context) {
	as, err := h.app.Snapshot(c.Request.Context())
	if err != nil {
		httpx.Error(c, err)
		return
	}
	type row struct {
		UserID string `json:"user_id"`
		Role   string `json:"role"`
		Domain string `json:"domain"`
	}
	out := make([]row, 0, len(as))
	for _, a := range as {
		out = append(out, row{a.UserID, a.Role, a.Domain})
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

type regionPatch struct {
	NameZH *string `json:"name_zh"`
	NameEN *string `json:"name_en"`
}

func (h *HTTP) updateRegion(c *gin.Context) {
	var in regionPatch
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	r, err := h.app.UpdateRegion(c.Request.Context(), actor(c), c.Param("id"), in.NameZH, in.NameEN)
	httpx.Respond(c, http.StatusOK, r, err, regionDTO)
}

func (h *HTTP) listAudit(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := httpx.ParseList(c, "at")
		if err != nil {
			httpx.Error(c, err)
			return
		}
		f := app.AuditFilter{Action: c.Query("action")}
		if s := c.Query("since"); s != "" {
			if f.Since, err = time.Parse(time.RFC3339, s); err != nil {
				httpx.Error(c, apperr.NewValidation("invalid-query").Add("since", "invalid").Err())
				return
			}
		}
		rs, total, err := h.app.ListAudit(c.Request.Context(), actor(c), app.Target{Kind: kind, ID: c.Param("id")}, f, p)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		items := make([]AuditDTO, 0, len(rs))
		for _, r := range rs {
			items = append(items, AuditDTO{ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action, ObjectID: r.ObjectID,
				RegionID: r.RegionID, CarrierID: r.CarrierID, Detail: r.Detail})
		}
		c.JSON(http.StatusOK, httpx.NewPage(items, total, p))
	}
}
