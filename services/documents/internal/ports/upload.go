package ports

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

// upload streams the raw request body into a new document (or a new
// version of a checklist slot's document). The body is the file; what it
// is comes from sniffing, and its name from ?filename=, kept as metadata.
func (h *HTTP) upload(c *gin.Context) {
	h.uploadTo(c, app.Target{CompanyID: c.Param("id"), Type: c.Query("type"), ChecklistID: c.Query("checklist"), CarrierID: c.Query("carrier"), Filename: c.Query("filename")})
}

// uploadVersion streams the raw request body into a new version of
// document :id.
func (h *HTTP) uploadVersion(c *gin.Context) {
	h.uploadTo(c, app.Target{DocumentID: c.Param("id"), Filename: c.Query("filename")})
}

// uploadTo streams the raw request body to t and answers the document.
func (h *HTTP) uploadTo(c *gin.Context, t app.Target) {
	d, err := h.app.Upload(c.Request.Context(), actor(c), t, c.Request.ContentLength, c.Request.Body)
	if err != nil {
		closeUnread(c)
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusCreated, documentDTO(d))
}

// closeUnread asks for the connection to close after an early refusal, so
// the server does not read a large body nobody wants.
func closeUnread(c *gin.Context) { c.Header("Connection", "close") }

// UploadInput asks for a presigned upload.
type UploadInput struct {
	Type        string `json:"type"`
	ChecklistID string `json:"checklist_id"`
	CarrierID   string `json:"carrier_id"`
	DocumentID  string `json:"document_id"`
	Filename    string `json:"filename"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// UploadDTO is an issued presigned upload: PUT the bytes to URL with
// Headers before ExpiresAt, then POST /api/v1/uploads/{id}/complete.
// Headers are signed: Content-Type must be sent as given, and
// Content-Length is what a browser sends on its own for a body of the
// declared size; a body of another length or type is refused by the store.
type UploadDTO struct {
	ID        string            `json:"id"`
	URL       string            `json:"url"`
	Method    string            `json:"method"`
	Headers   map[string]string `json:"headers"`
	ExpiresAt time.Time         `json:"expires_at"`
}

func (h *HTTP) beginUpload(c *gin.Context) {
	in, ok := httpx.Bound[UploadInput](c)
	if !ok {
		return
	}
	t := app.Target{CompanyID: c.Param("id"), Type: in.Type, ChecklistID: in.ChecklistID, CarrierID: in.CarrierID, DocumentID: in.DocumentID, Filename: in.Filename}
	p, err := h.app.BeginUpload(c.Request.Context(), actor(c), t, in.Size, in.SHA256)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	headers := make(map[string]string, len(p.Header))
	for k := range p.Header {
		headers[k] = p.Header.Get(k)
	}
	c.JSON(http.StatusCreated, UploadDTO{ID: p.Upload.ID, URL: p.URL, Method: http.MethodPut, Headers: headers, ExpiresAt: p.Upload.ExpiresAt})
}

func (h *HTTP) completeUpload(c *gin.Context) {
	d, err := h.app.CompleteUpload(c.Request.Context(), actor(c), c.Param("id"))
	httpx.Respond(c, http.StatusCreated, d, err, documentDTO)
}
