// Package ports is the documents service's HTTP API (/api/v1) and its
// event consumers.
package ports

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/documents/internal/app"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// HTTP serves the documents API.
type HTTP struct{ app *app.App }

// Mount registers every route on r and returns the OpenAPI document built
// from the same table.
func Mount(r gin.IRouter, a *app.App) *httpx.OpenAPI {
	h := &HTTP{app: a}
	return httpx.MountAPI(r, "Incuchain documents", h.routes()...)
}

// Uploads send the file itself (RawBody); a download answers with it
// (RawAnswer).
func (h *HTTP) routes() []httpx.Endpoint {
	return httpx.Tagged("documents 资料",
		httpx.GET("/api/v1/regions/:id/document-types", h.listTypes).Doc("资料类型 / Document types of a region").Lists(DocumentTypeDTO{}),
		httpx.PUT("/api/v1/regions/:id/document-types/:code", h.putType).Doc("修改资料类型 / Change a document type").Takes(DocumentTypeInput{}).Returns(DocumentTypeDTO{}),
		httpx.GET("/api/v1/regions/:id/documents", h.listRegion).Doc("区域资料目录 / A region's document metadata (district)").Lists(DocumentDTO{}),
		httpx.GET("/api/v1/carriers/:id/documents", h.listCarrier).Doc("载体收到的资料 / Documents handed to a carrier").Lists(DocumentDTO{}),
		httpx.GET("/api/v1/carriers/:id/document-usage", h.usage).Doc("载体存储用量 / A carrier's storage use").Returns(UsageDTO{}),
		httpx.GET("/api/v1/companies/:id/documents", h.listCompany).Doc("企业资料 / A company's documents").Lists(DocumentDTO{}),
		httpx.POST("/api/v1/companies/:id/documents", h.upload).RawBody().Doc("上传资料（请求体为文件内容）/ Upload a document (raw body; query type, checklist, carrier, filename)").Creates(DocumentDTO{}),
		httpx.GET("/api/v1/companies/:id/documents/reusable", h.reusable).Doc("可沿用的已核验资料 / A company's verified materials it may reuse (query type)").Lists(ReusableDocumentDTO{}),
		httpx.POST("/api/v1/companies/:id/uploads", h.beginUpload).Doc("申请直传链接 / Begin a presigned upload").Takes(UploadInput{}).Creates(UploadDTO{}),
		httpx.POST("/api/v1/uploads/:id/complete", h.completeUpload).Doc("完成直传 / Complete a presigned upload").Creates(DocumentDTO{}),
		httpx.GET("/api/v1/documents/:id", h.getDocument).Doc("资料详情与版本 / A document and its versions").Returns(DocumentDTO{}),
		httpx.DELETE("/api/v1/documents/:id", h.deleteDocument).Doc("删除资料 / Delete a document").NoContent(),
		httpx.POST("/api/v1/documents/:id/versions", h.uploadVersion).RawBody().Doc("上传新版本（请求体为文件内容）/ Upload a new version (raw body; query filename)").Creates(DocumentDTO{}),
		httpx.GET("/api/v1/documents/:id/versions/:version/content", h.content).RawAnswer().Doc("下载 / Download a version (streamed)"),
		httpx.POST("/api/v1/documents/:id/versions/:version/download-url", h.downloadURL).Doc("下载链接 / A presigned download URL (≤15 min)").Returns(URLDTO{}),
		httpx.POST("/api/v1/documents/:id/verify", h.review(true)).Doc("核验资料 / Verify a document").Takes(DocumentReviewInput{}).Returns(DocumentDTO{}),
		httpx.POST("/api/v1/documents/:id/return", h.review(false)).Doc("退回资料 / Return a document with a comment").Takes(DocumentReviewInput{}).Returns(DocumentDTO{}),
		httpx.GET("/api/v1/documents/:id/audit", h.audit).Doc("资料操作记录 / A document's audit trail").Lists(AuditDTO{}),
		httpx.GET("/api/v1/checklists/:id", h.checklist).Doc("材料清单 / A checklist and its slots").Returns(ChecklistDTO{}),
		httpx.POST("/api/v1/checklists/:id/documents/reuse", h.reuse).Doc("沿用已核验的资料 / Reuse a verified material in this checklist (a server-side copy, reviewed again)").Takes(ReuseInput{}).Creates(DocumentDTO{}),
		httpx.POST("/api/v1/documents-maintenance/purge", h.purge).Doc("清理已删除资料 / Purge deleted documents (platform admin)").Returns(app.PurgeReport{}),
		httpx.POST("/api/v1/documents-maintenance/reconcile", h.reconcile).Doc("对账 / Reconcile objects and metadata (platform admin; ?repair=true)").Returns(app.ReconcileReport{}),
	)
}

func actor(c *gin.Context) app.Actor { return app.Actor{UserID: authn.UserID(c)} }

// reply writes v with status, or err as a problem.
func reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		httpx.Error(c, err)
		return
	}
	if v == nil {
		c.Status(status)
		return
	}
	c.JSON(status, v)
}

// DocumentTypeDTO is a document type on the wire.
type DocumentTypeDTO struct {
	Code         string   `json:"code"`
	NameZH       string   `json:"name_zh"`
	NameEN       string   `json:"name_en"`
	ContentTypes []string `json:"content_types"`
	MaxBytes     int64    `json:"max_bytes"`
}

// DocumentTypeInput changes a type.
type DocumentTypeInput struct {
	NameZH       string   `json:"name_zh"`
	NameEN       string   `json:"name_en"`
	ContentTypes []string `json:"content_types"`
	MaxBytes     int64    `json:"max_bytes"`
}

func typeDTO(t domain.DocumentType) DocumentTypeDTO {
	return DocumentTypeDTO{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN, ContentTypes: t.ContentTypes, MaxBytes: t.MaxBytes}
}

func (h *HTTP) listTypes(c *gin.Context) {
	ts, err := h.app.DocumentTypes(c.Request.Context(), actor(c), c.Param("id"))
	httpx.RespondAll(c, ts, err, typeDTO)
}

func (h *HTTP) putType(c *gin.Context) {
	httpx.BindRespond(c, http.StatusOK, func(in DocumentTypeInput) (domain.DocumentType, error) {
		return h.app.UpdateDocumentType(c.Request.Context(), actor(c), c.Param("id"), domain.DocumentType{Code: c.Param("code"),
			NameZH: in.NameZH, NameEN: in.NameEN, ContentTypes: in.ContentTypes, MaxBytes: in.MaxBytes})
	}, typeDTO)
}

// DocumentDTO is a document on the wire; Versions only on GET /documents/:id.
type DocumentDTO struct {
	ID          string        `json:"id"`
	RegionID    string        `json:"region_id"`
	CarrierID   string        `json:"carrier_id"`
	CompanyID   string        `json:"company_id"`
	Type        string        `json:"type"`
	ChecklistID string        `json:"checklist_id"`
	Status      domain.Status `json:"status"`
	Comment     string        `json:"comment"`
	ReviewedBy  string        `json:"reviewed_by"`
	ReviewedAt  *time.Time    `json:"reviewed_at"`
	Version     int           `json:"version"`
	Filename    string        `json:"filename"`
	Size        int64         `json:"size"`
	SHA256      string        `json:"sha256"`
	ContentType string        `json:"content_type"`
	UploadedBy  string        `json:"uploaded_by"`
	UploadedAt  *time.Time    `json:"uploaded_at"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	ReusedFrom  *ReuseDTO     `json:"reused_from"`
	Versions    []VersionDTO  `json:"versions,omitempty"`
}

// ReuseDTO says where a reused version came from: the verified document
// it was copied from, when and by which carrier that was verified.
type ReuseDTO struct {
	DocumentID  string    `json:"document_id"`
	VerifiedAt  time.Time `json:"verified_at"`
	CarrierID   string    `json:"carrier_id"`
	CarrierName string    `json:"carrier_name"`
}

func reuseDTO(v *domain.Version) *ReuseDTO {
	if v == nil || v.ReusedFrom() == nil {
		return nil
	}
	f := v.ReusedFrom()
	return &ReuseDTO{DocumentID: f.SourceDocumentID, VerifiedAt: f.VerifiedAt, CarrierID: f.VerifiedByCarrierID, CarrierName: f.VerifiedByCarrier}
}

// VersionDTO is one version on the wire.
type VersionDTO struct {
	Version     int           `json:"version"`
	ID          string        `json:"id"`
	Filename    string        `json:"filename"`
	Size        int64         `json:"size"`
	SHA256      string        `json:"sha256"`
	ContentType string        `json:"content_type"`
	UploadedBy  string        `json:"uploaded_by"`
	UploadedAt  time.Time     `json:"uploaded_at"`
	Status      domain.Status `json:"status"`
	Comment     string        `json:"comment"`
	Available   bool          `json:"available"`
	ReusedFrom  *ReuseDTO     `json:"reused_from"`
}

func documentDTO(d *domain.Document) DocumentDTO {
	out := DocumentDTO{ID: d.ID(), RegionID: d.RegionID(), CarrierID: d.CarrierID(), CompanyID: d.CompanyID(), Type: d.Type(), ChecklistID: d.ChecklistID(),
		Status: d.Status(), Comment: d.Comment(), ReviewedBy: d.ReviewedBy(), ReviewedAt: d.ReviewedAt(), Version: d.LatestVersion(),
		CreatedAt: d.CreatedAt(), UpdatedAt: d.UpdatedAt()}
	if v := d.Latest(); v != nil {
		at := v.UploadedAt()
		out.Filename, out.Size, out.SHA256, out.ContentType, out.UploadedBy, out.UploadedAt = v.Filename(), v.Size(), v.SHA256(), v.ContentType(), v.UploadedBy(), &at
		out.ReusedFrom = reuseDTO(v)
	}
	return out
}

func versionDTO(v *domain.Version) VersionDTO {
	return VersionDTO{Version: v.Number(), ID: v.ID(), Filename: v.Filename(), Size: v.Size(), SHA256: v.SHA256(), ContentType: v.ContentType(),
		UploadedBy: v.UploadedBy(), UploadedAt: v.UploadedAt(), Status: v.Status(), Comment: v.Comment(), Available: v.Available(), ReusedFrom: reuseDTO(v)}
}

func documentPage(c *gin.Context, fetch func(f app.DocumentFilter, p list.Params) ([]*domain.Document, int, error)) {
	httpx.RespondPage(c, []string{"updated_at", "created_at", "type", "status"}, func(p list.Params) ([]*domain.Document, int, error) {
		f := app.DocumentFilter{Type: c.Query("type"), Status: c.Query("status"), Query: p.Q, ChecklistID: c.Query("checklist")}
		v := apperr.NewValidation("invalid-query")
		v.Check(f.Status != "" && !slices.Contains(domain.Statuses, f.Status), "status", "one_of", "allowed", strings.Join(domain.Statuses, ", "))
		if err := v.Err(); err != nil {
			return nil, 0, err
		}
		if cid := c.Query("carrier"); cid != "" {
			f.CarrierID = cid
		}
		if cid := c.Query("company"); cid != "" {
			f.CompanyID = cid
		}
		return fetch(f, p)
	}, documentDTO)
}

func (h *HTTP) listCompany(c *gin.Context) {
	documentPage(c, func(f app.DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
		return h.app.CompanyDocuments(c.Request.Context(), actor(c), c.Param("id"), f, p)
	})
}

func (h *HTTP) listCarrier(c *gin.Context) {
	documentPage(c, func(f app.DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
		return h.app.CarrierDocuments(c.Request.Context(), actor(c), c.Param("id"), f, p)
	})
}

func (h *HTTP) listRegion(c *gin.Context) {
	documentPage(c, func(f app.DocumentFilter, p list.Params) ([]*domain.Document, int, error) {
		return h.app.RegionDocuments(c.Request.Context(), actor(c), c.Param("id"), f, p)
	})
}

func (h *HTTP) getDocument(c *gin.Context) {
	d, vs, err := h.app.GetDocument(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	out := documentDTO(d)
	out.Versions = make([]VersionDTO, 0, len(vs))
	for _, v := range vs {
		out.Versions = append(out.Versions, versionDTO(v))
	}
	c.JSON(http.StatusOK, out)
}

func (h *HTTP) deleteDocument(c *gin.Context) {
	httpx.NoContent(c, h.app.Delete(c.Request.Context(), actor(c), c.Param("id")))
}

// DocumentReviewInput is the body of verify and return.
type DocumentReviewInput struct {
	Comment string `json:"comment" text:"multiline"`
}

func (h *HTTP) review(verify bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.BindRespond(c, http.StatusOK, func(in DocumentReviewInput) (*domain.Document, error) {
			return h.app.Review(c.Request.Context(), actor(c), c.Param("id"), verify, in.Comment)
		}, documentDTO)
	}
}

// versionParam is the version number the path names; one that is not a
// number from 1 is answered 404 (version-not-found), and ok is false.
func versionParam(c *gin.Context) (n int, ok bool) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		httpx.Error(c, apperr.NotFoundErr("version-not-found"))
		return 0, false
	}
	return n, true
}

// content streams a version as an attachment: the browser must never
// render what a startup uploaded as a page of this origin.
func (h *HTTP) content(c *gin.Context) {
	n, ok := versionParam(c)
	if !ok {
		return
	}
	rc, v, err := h.app.OpenContent(c.Request.Context(), actor(c), c.Param("id"), n)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	defer rc.Close()
	hd := c.Writer.Header()
	hd.Set("Content-Type", v.ContentType())
	hd.Set("Content-Length", strconv.FormatInt(v.Size(), 10))
	hd.Set("Content-Disposition", blob.AttachmentDisposition(v.Filename()))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("ETag", `"`+v.SHA256()+`"`)
	c.Status(http.StatusOK)
	// Past this point the status is sent; a digest mismatch or a broken
	// store can only cut the body short, which the client sees as an
	// incomplete download (Content-Length) rather than bad bytes.
	buf := make([]byte, 64<<10)
	for {
		k, rerr := rc.Read(buf)
		if k > 0 {
			if _, werr := c.Writer.Write(buf[:k]); werr != nil {
				return
			}
		}
		if rerr != nil {
			if !errors.Is(rerr, io.EOF) {
				slog.ErrorContext(c.Request.Context(), "download cut short", "document", c.Param("id"), "version", n, "err", rerr)
			}
			return
		}
	}
}

// URLDTO is a presigned URL.
type URLDTO struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *HTTP) downloadURL(c *gin.Context) {
	n, ok := versionParam(c)
	if !ok {
		return
	}
	u, exp, err := h.app.DownloadURL(c.Request.Context(), actor(c), c.Param("id"), n)
	reply(c, http.StatusOK, URLDTO{URL: u, ExpiresAt: exp}, err)
}

// AuditDTO is one audit line.
type AuditDTO struct {
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	Action string         `json:"action"`
	Detail map[string]any `json:"detail"`
}

func (h *HTTP) audit(c *gin.Context) {
	httpx.RespondPage(c, nil, func(p list.Params) ([]app.AuditEntry, int, error) {
		return h.app.DocumentAudit(c.Request.Context(), actor(c), c.Param("id"), p)
	}, func(e app.AuditEntry) AuditDTO {
		return AuditDTO{At: e.At, Actor: e.Actor, Action: e.Action, Detail: e.Detail}
	})
}

// UsageDTO is a carrier's storage use.
type UsageDTO struct {
	UsedBytes  int64 `json:"used_bytes"`
	QuotaBytes int64 `json:"quota_bytes"`
}

func (h *HTTP) usage(c *gin.Context) {
	u, err := h.app.CarrierUsage(c.Request.Context(), actor(c), c.Param("id"))
	reply(c, http.StatusOK, UsageDTO{UsedBytes: u.Used, QuotaBytes: u.Quota}, err)
}

// ChecklistDTO is a checklist with its slots.
type ChecklistDTO struct {
	ID        string    `json:"id"`
	OwnerKind string    `json:"owner_kind"`
	OwnerID   string    `json:"owner_id"`
	RegionID  string    `json:"region_id"`
	CarrierID string    `json:"carrier_id"`
	CompanyID string    `json:"company_id"`
	Open      bool      `json:"open"`
	Complete  bool      `json:"complete"`
	Slots     []SlotDTO `json:"slots"`
}

// SlotDTO is one required type and the document filling it (or null).
type SlotDTO struct {
	Type     string       `json:"type"`
	Required bool         `json:"required"`
	Document *DocumentDTO `json:"document"`
}

func (h *HTTP) checklist(c *gin.Context) {
	v, err := h.app.Checklist(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	out := ChecklistDTO{ID: v.ID(), OwnerKind: v.OwnerKind(), OwnerID: v.OwnerID(), RegionID: v.RegionID(), CarrierID: v.CarrierID(), CompanyID: v.CompanyID(),
		Open: v.Open(), Complete: v.Complete, Slots: []SlotDTO{}}
	for _, s := range v.Slots {
		sd := SlotDTO{Type: s.Type, Required: true}
		if s.Document != nil {
			d := documentDTO(s.Document)
			sd.Document = &d
		}
		out.Slots = append(out.Slots, sd)
	}
	c.JSON(http.StatusOK, out)
}

// ReuseInput names the verified document to reuse and the slot (its type)
// it fills.
type ReuseInput struct {
	SourceDocumentID string `json:"source_document_id"`
	Type             string `json:"type"`
}

func (h *HTTP) reuse(c *gin.Context) {
	httpx.BindRespond(c, http.StatusCreated, func(in ReuseInput) (*domain.Document, error) {
		return h.app.Reuse(c.Request.Context(), actor(c), c.Param("id"), in.SourceDocumentID, in.Type)
	}, documentDTO)
}

// ReusableDocumentDTO is a verified material a company may reuse: what it
// is, and when and by which carrier it was verified.
type ReusableDocumentDTO struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	ChecklistID string    `json:"checklist_id"`
	Filename    string    `json:"filename"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	VerifiedAt  time.Time `json:"verified_at"`
	CarrierID   string    `json:"carrier_id"`
	CarrierName string    `json:"carrier_name"`
}

func (h *HTTP) reusable(c *gin.Context) {
	ds, err := h.app.ReusableDocuments(c.Request.Context(), actor(c), c.Param("id"), c.Query("type"))
	httpx.RespondAll(c, ds, err, func(d app.ReusableDocument) ReusableDocumentDTO {
		out := ReusableDocumentDTO{ID: d.ID(), Type: d.Type(), ChecklistID: d.ChecklistID(), CarrierID: d.CarrierID(), CarrierName: d.VerifiedByCarrier}
		if at := d.ReviewedAt(); at != nil {
			out.VerifiedAt = *at
		}
		if v := d.Latest(); v != nil {
			out.Filename, out.Size, out.ContentType = v.Filename(), v.Size(), v.ContentType()
		}
		return out
	})
}

func (h *HTTP) purge(c *gin.Context) {
	if err := h.app.AuthorizeMaintenance(actor(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	rep, err := h.app.Purge(c.Request.Context())
	reply(c, http.StatusOK, rep, err)
}

func (h *HTTP) reconcile(c *gin.Context) {
	if err := h.app.AuthorizeMaintenance(actor(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	rep, err := h.app.Reconcile(c.Request.Context(), c.Query("repair") == "true")
	reply(c, http.StatusOK, rep, err)
}
