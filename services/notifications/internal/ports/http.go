// Package ports is the notifications service's HTTP API (/api/v1): the
// caller's own inbox; and its event consumers.
package ports

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/app/command"
	"github.com/incuchain/incuchain/services/notifications/internal/app/query"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// HTTP serves the notifications API.
type HTTP struct {
	inbox    query.Inbox
	markRead command.MarkReadHandler
	mailbox  query.DevMailbox
}

// Mount registers every route on r and returns the OpenAPI document built
// from the same table.
func Mount(r gin.IRouter, inbox query.Inbox, markRead command.MarkReadHandler, mailbox query.DevMailbox) *httpx.OpenAPI {
	h := &HTTP{inbox: inbox, markRead: markRead, mailbox: mailbox}
	return httpx.MountAPI(r, "Incuchain notifications", h.routes()...)
}

func (h *HTTP) routes() []httpx.Endpoint {
	return httpx.Tagged("notifications 通知",
		httpx.GET("/api/v1/me/notifications", h.list).Doc("我的通知，最新在前（?unread=true 仅未读；?kind= 按类别）/ My notifications, newest first (?unread=true, ?kind=)").Lists(NotificationDTO{}),
		httpx.GET("/api/v1/me/notifications/unread-count", h.unread).Doc("我的未读通知数 / How many of my notifications are unread").Returns(UnreadDTO{}),
		httpx.POST("/api/v1/me/notifications/read-all", h.readAll).Doc("全部标为已读 / Mark all my notifications read").Returns(ReadAllDTO{}),
		httpx.POST("/api/v1/me/notifications/:id/read", h.read).Doc("标为已读 / Mark one of my notifications read").Returns(NotificationDTO{}),
		httpx.GET("/api/v1/dev/mailbox", h.devMailbox).Doc("开发邮箱：未配置 SMTP 时保存的通知邮件（平台管理员）/ Dev mailbox: notification e-mail kept when no SMTP server is configured (platform admins)").Lists(MailDTO{}),
	)
}

func actor(c *gin.Context) app.Actor { return app.Actor{UserID: authn.UserID(c)} }

// NotificationDTO is one notification. Link is the console path it leads
// to; ReadAt is null while unread.
type NotificationDTO struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind" enum:"document_returned,document_verified,application_decided,promotion_proposed,promotion_consented,promotion_declined,report_returned,milestone_due_soon,milestone_overdue,role_granted,residency_dual_flagged"`
	TitleZH   string     `json:"title_zh"`
	TitleEN   string     `json:"title_en"`
	BodyZH    string     `json:"body_zh"`
	BodyEN    string     `json:"body_en"`
	Link      string     `json:"link"`
	RegionID  string     `json:"region_id"`
	CarrierID string     `json:"carrier_id"`
	CompanyID string     `json:"company_id"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func notificationDTO(n domain.Notification) NotificationDTO {
	return NotificationDTO{ID: n.ID, Kind: n.Kind, TitleZH: n.TitleZH, TitleEN: n.TitleEN, BodyZH: n.BodyZH, BodyEN: n.BodyEN, Link: n.Link,
		RegionID: n.RegionID, CarrierID: n.CarrierID, CompanyID: n.CompanyID, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

// UnreadDTO is the unread count the console's bell shows.
type UnreadDTO struct {
	Unread int `json:"unread"`
}

// ReadAllDTO is how many notifications a mark-all-read marked.
type ReadAllDTO struct {
	Marked int `json:"marked"`
}

func (h *HTTP) list(c *gin.Context) {
	httpx.RespondPage(c, nil, func(p list.Params) ([]domain.Notification, int, error) {
		f := app.Filter{Kind: c.Query("kind")}
		switch u := c.Query("unread"); u {
		case "", "false":
		case "true":
			f.UnreadOnly = true
		default:
			return nil, 0, apperr.NewValidation("invalid-query").Add("unread", "one_of", "allowed", "true, false").Err()
		}
		return h.inbox.List(c.Request.Context(), actor(c), f, p)
	}, notificationDTO)
}

func (h *HTTP) unread(c *gin.Context) {
	n, err := h.inbox.Unread(c.Request.Context(), actor(c))
	httpx.Respond(c, http.StatusOK, n, err, func(n int) UnreadDTO { return UnreadDTO{Unread: n} })
}

func (h *HTTP) read(c *gin.Context) {
	n, err := h.markRead.Handle(c.Request.Context(), command.MarkRead{Actor: actor(c), NotificationID: c.Param("id")})
	httpx.Respond(c, http.StatusOK, n, err, notificationDTO)
}

func (h *HTTP) readAll(c *gin.Context) {
	n, err := h.markRead.All(c.Request.Context(), actor(c))
	httpx.Respond(c, http.StatusOK, n, err, func(n int) ReadAllDTO { return ReadAllDTO{Marked: n} })
}

// MailDTO is one notification e-mail kept in the dev mailbox.
type MailDTO struct {
	ID             string    `json:"id"`
	NotificationID string    `json:"notification_id"`
	To             string    `json:"to"`
	Subject        string    `json:"subject"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
}

func mailDTO(m domain.Mail) MailDTO {
	return MailDTO{ID: m.ID, NotificationID: m.NotificationID, To: m.To, Subject: m.Subject, Body: m.Body, CreatedAt: m.CreatedAt}
}

func (h *HTTP) devMailbox(c *gin.Context) {
	httpx.RespondPage(c, nil, func(p list.Params) ([]domain.Mail, int, error) {
		return h.mailbox.List(c.Request.Context(), actor(c), p)
	}, mailDTO)
}
