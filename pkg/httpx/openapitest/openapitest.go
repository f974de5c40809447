// Package openapitest holds a service to its OpenAPI document in tests:
// every answer a test receives is checked against the operation it
// answers (status, media type and JSON body), so the document cannot say
// one thing while the handlers do another.
package openapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/incuchain/incuchain/pkg/httpx"
)

// Checker checks answers against one OpenAPI document.
type Checker struct {
	doc    *openapi3.T
	router routers.Router
}

// Load reads raw (an OpenAPI 3.1 document as JSON), validates it as a
// whole with kin-openapi and prepares to check answers against it.
func Load(raw []byte) (*Checker, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi: load: %w", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableMultiError()); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: router: %w", err)
	}
	return &Checker{doc: doc, router: r}, nil
}

// New is Load for a document built in code.
func New(d *httpx.OpenAPI) (*Checker, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return Load(raw)
}

// Doc is the loaded document.
func (c *Checker) Doc() *openapi3.T { return c.doc }

// Checked reports whether path belongs to the documented API: /api/v1
// except the document itself. Probes, metrics and /internal/v1 (service
// to service) are outside the public contract.
func Checked(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/openapi.json"
}

// Check returns why an answer to req breaks the document, or nil.
func (c *Checker) Check(req *http.Request, status int, header http.Header, body []byte) error {
	return c.check(req, status, header, body, int64(len(body)))
}

// check is Check for an answer of size bytes, of which body holds all
// (JSON) or none (a streamed file).
func (c *Checker) check(req *http.Request, status int, header http.Header, body []byte, size int64) error {
	if !Checked(req.URL.Path) || req.Method == http.MethodHead {
		return nil
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// An undocumented route or method may only be refused, as a
		// problem.
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("undocumented operation answered %d: %w", status, err)
		}
		return c.checkProblem(status, header, body)
	}
	// Status falls back to 4XX/5XX but not to default, so a success
	// the document does not name is an error.
	resp := route.Operation.Responses.Status(status)
	if resp == nil {
		return fmt.Errorf("status %d is not documented (%s)", status, documented(route.Operation))
	}
	if len(resp.Value.Content) == 0 && size > 0 {
		return fmt.Errorf("status %d is documented without a body, but %d bytes came (%s)", status, size, header.Get("Content-Type"))
	}
	if len(resp.Value.Content) > 0 && header.Get("Content-Type") == "" {
		return fmt.Errorf("status %d has no Content-Type", status)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(req.Context(), in)
}

func (c *Checker) checkProblem(status int, header http.Header, body []byte) error {
	if mt, _, _ := mime.ParseMediaType(header.Get("Content-Type")); mt != httpx.ProblemContentType {
		return fmt.Errorf("refusal %d is %q, not %s", status, header.Get("Content-Type"), httpx.ProblemContentType)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("refusal %d: %w", status, err)
	}
	schema := c.doc.Components.Schemas["Problem"]
	if schema == nil {
		return errors.New("the document has no Problem schema")
	}
	return schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
}

func documented(op *openapi3.Operation) string {
	var out []string
	for code := range op.Responses.Map() {
		out = append(out, code)
	}
	return "documented: " + strings.Join(out, " ")
}

// Middleware wraps next so that every answer it gives is checked; a
// mismatch fails t, naming the request and the answer. A JSON answer is
// held back until it is checked, so the report comes before the client
// reads it; any other answer (a file) streams through, as files must not
// be held in memory, and only its status, headers and size are checked.
func (c *Checker) Middleware(t testing.TB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hw := &holdingWriter{w: w}
		next.ServeHTTP(hw, r)
		if !hw.wrote {
			hw.WriteHeader(http.StatusOK)
		}
		if err := c.check(r, hw.status, w.Header(), hw.held.Bytes(), hw.size); err != nil {
			t.Errorf("OpenAPI: %s %s answered %d %s against the document: %v\nbody: %s",
				r.Method, r.URL.RequestURI(), hw.status, w.Header().Get("Content-Type"), err, excerpt(hw.held.Bytes()))
		}
		if !hw.stream {
			w.WriteHeader(hw.status)
			_, _ = w.Write(hw.held.Bytes())
		}
	})
}

// holdingWriter holds a JSON answer and streams anything else.
type holdingWriter struct {
	w      http.ResponseWriter
	wrote  bool
	stream bool
	status int
	size   int64
	held   bytes.Buffer
}

func (h *holdingWriter) Header() http.Header { return h.w.Header() }

func (h *holdingWriter) WriteHeader(code int) {
	if h.wrote {
		return
	}
	h.wrote, h.status = true, code
	mt, _, _ := mime.ParseMediaType(h.w.Header().Get("Content-Type"))
	h.stream = mt != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json")
	if h.stream {
		h.w.WriteHeader(code)
	}
}

func (h *holdingWriter) Write(b []byte) (int, error) {
	if !h.wrote {
		h.WriteHeader(http.StatusOK)
	}
	h.size += int64(len(b))
	if h.stream {
		return h.w.Write(b)
	}
	return h.held.Write(b)
}

// Wrap holds a service's handler to the document it serves at
// /openapi.json: the test-side hook for a service harness. The document
// itself must be valid, or the test stops.
func Wrap(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d %s", rec.Code, rec.Body)
	}
	c, err := Load(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return c.Middleware(t, h)
}

func excerpt(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
