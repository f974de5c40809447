package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// ProblemContentType is the RFC 9457 media type.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem document with Incuchain's extensions.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	Code      string         `json:"code"`
	Slug      string         `json:"slug"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem is one field's error, with its localized message.
type FieldProblem struct {
	Field   string         `json:"field"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params,omitempty"`
}

// Status maps an error category to its HTTP status. It is the only place
// that does so.
func Status(c apperr.Category) int {
	switch c {
	case apperr.IncorrectInput:
		return http.StatusUnprocessableEntity
	case apperr.Malformed:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unsupported:
		return http.StatusUnsupportedMediaType
	case apperr.Gone:
		return http.StatusGone
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	case apperr.MethodNotAllowed:
		return http.StatusMethodNotAllowed
	default:
		return http.StatusInternalServerError
	}
}

// ProblemFor renders err as a problem in lang with the shared texts only.
func ProblemFor(err error, lang Lang, requestID string) Problem {
	return Shared.Problem(err, lang, requestID)
}

// Problem renders err as a problem in lang from the catalogue's texts.
// Errors that are not *apperr.Error become a 500 whose cause is logged,
// never shown.
func (texts *Catalog) Problem(err error, lang Lang, requestID string) Problem {
	ae, ok := apperr.As(err)
	if !ok {
		return Problem{
			Type: "about:blank", Title: texts.Text(lang, "title.internal", nil), Status: http.StatusInternalServerError,
			Detail: texts.Text(lang, "internal", map[string]any{"request_id": requestID}),
			Code:   "internal", Slug: "internal", RequestID: requestID,
		}
	}
	p := Problem{
		Type:      "https://incuchain.dev/problems/" + ae.Slug,
		Title:     texts.Text(lang, "title."+string(ae.Category), nil),
		Status:    Status(ae.Category),
		Code:      string(ae.Category),
		Slug:      ae.Slug,
		RequestID: requestID,
	}
	params := map[string]any{"request_id": requestID, "count": len(ae.Fields)}
	for k, v := range ae.Params {
		params[k] = v
	}
	if _, known := texts.Lookup(ae.Slug); known {
		p.Detail = texts.Text(lang, ae.Slug, params)
	} else if len(ae.Fields) > 0 {
		p.Detail = texts.Text(lang, "validation-failed", params)
	}
	for _, f := range ae.Fields {
		p.Errors = append(p.Errors, FieldProblem{
			Field: f.Field, Code: f.Code, Params: f.Params,
			Message: texts.Text(lang, "field."+f.Code, f.Params),
		})
	}
	return p
}

// Error writes err as problem+json and aborts the request, in the texts
// of the engine that serves it (WithTexts).
func Error(c *gin.Context, err error) {
	rid := RequestID(c)
	p := textsOf(c).Problem(err, PickLang(c.GetHeader("Accept-Language")), rid)
	p.Instance = c.Request.URL.Path
	if p.Status >= 500 && !errors.Is(err, errSilent) {
		slog.ErrorContext(c.Request.Context(), "request failed", "err", err, "request_id", rid, "path", c.Request.URL.Path)
	}
	if p.Status == http.StatusTooManyRequests {
		if ae, ok := apperr.As(err); ok {
			if ra, ok := ae.Params["retry_after_seconds"]; ok {
				c.Header("Retry-After", strconv.Itoa(toInt(ra)))
			}
		}
	}
	_ = c.Error(err)
	c.Header("Content-Type", ProblemContentType)
	c.AbortWithStatusJSON(p.Status, p)
}

var errSilent = errors.New("silent")

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 1
}

// Respond writes dto(v) as JSON with status, or err as a problem when it
// is not nil: the tail every handler that calls a use case shares.
func Respond[T, D any](c *gin.Context, status int, v T, err error, dto func(T) D) {
	if err != nil {
		Error(c, err)
		return
	}
	c.JSON(status, dto(v))
}

// Bound is the request body bound into an In; false when it does not
// bind, and then the problem is answered already.
func Bound[In any](c *gin.Context) (in In, ok bool) {
	if err := Bind(c, &in); err != nil {
		Error(c, err)
		return in, false
	}
	return in, true
}

// BindRespond is the shape of every handler that takes a body: it binds
// the body into an In, runs use with it (where the input is checked
// further and the use case called), and answers use's result through dto
// with status, or the first error on the way as a problem.
func BindRespond[In, T, D any](c *gin.Context, status int, use func(in In) (T, error), dto func(T) D) {
	in, ok := Bound[In](c)
	if !ok {
		return
	}
	x, err := use(in)
	Respond(c, status, x, err, dto)
}

// NoContent answers 204, or err as a problem.
func NoContent(c *gin.Context, err error) {
	if err != nil {
		Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
