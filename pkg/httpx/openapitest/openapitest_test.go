package openapitest_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/httpx/openapitest"
)

type state string

func (state) Enum() []string { return []string{"open", "closed"} }

type thingDTO struct {
	ID     string  `json:"id"`
	State  state   `json:"state"`
	Note   *string `json:"note"`
	Detail string  `json:"detail,omitempty"`
}

// service answers each path the way its name says, right or wrong.
func service(t *testing.T) (*httpx.OpenAPI, http.Handler) {
	t.Helper()
	// Things are named by slugs (the edge checks an :id as a ULID).
	r := httpx.NewEngine("things", slog.New(slog.DiscardHandler))
	doc := httpx.NewOpenAPI("things", "1")
	add := func(rt httpx.Route, fn gin.HandlerFunc) {
		r.Handle(rt.Method, rt.Path, fn)
		doc.Add(rt)
	}
	add(httpx.Route{Method: "GET", Path: "/api/v1/things/:name", Response: thingDTO{}}, func(c *gin.Context) {
		switch c.Param("name") {
		case "good":
			c.JSON(200, thingDTO{ID: "good", State: "open"})
		case "bad-enum":
			c.JSON(200, thingDTO{ID: "x", State: "ajar"})
		case "missing":
			c.JSON(200, map[string]any{"id": "x", "note": nil})
		case "extra":
			c.JSON(200, map[string]any{"id": "x", "state": "open", "note": nil, "secret": 1})
		case "created":
			c.JSON(201, thingDTO{ID: "x", State: "open"})
		case "text":
			c.String(200, "hello")
		case "gone":
			httpx.Error(c, apperr.NotFoundErr("thing-not-found"))
		case "bad-problem":
			c.JSON(404, gin.H{"error": "nope"})
		}
	})
	add(httpx.Route{Method: "DELETE", Path: "/api/v1/things/:name", Status: 204}, func(c *gin.Context) {
		if c.Param("name") == "chatty" {
			c.JSON(200, gin.H{"ok": true})
			return
		}
		c.Status(204)
	})
	add(httpx.Route{Method: "GET", Path: "/api/v1/things/:name/file", RawResponse: true}, func(c *gin.Context) {
		c.Data(200, "application/pdf", []byte("%PDF-1.7"))
	})
	add(httpx.Route{Method: "GET", Path: "/api/v1/ping"}, func(c *gin.Context) { c.JSON(200, gin.H{"pong": true}) })
	r.GET("/openapi.json", func(c *gin.Context) { c.JSON(200, doc) })
	r.GET("/api/v1/undocumented", func(c *gin.Context) { c.JSON(200, gin.H{}) })
	return doc, r
}

func TestCheck(t *testing.T) {
	doc, h := service(t)
	c, err := openapitest.New(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, path string
		wantErr      string // "" for an answer that matches the document
	}{
		{"GET", "/api/v1/things/good", ""},
		{"GET", "/api/v1/things/bad-enum", "ajar"},
		{"GET", "/api/v1/things/missing", `missing property 'state'`},
		{"GET", "/api/v1/things/extra", "secret"},
		{"GET", "/api/v1/things/created", "status 201 is not documented"},
		{"GET", "/api/v1/things/text", "text/plain"},
		{"GET", "/api/v1/things/gone", ""},
		{"GET", "/api/v1/things/bad-problem", "application/json"},
		{"DELETE", "/api/v1/things/x", ""},
		{"DELETE", "/api/v1/things/chatty", "status 200 is not documented"},
		{"GET", "/api/v1/ping", "documented without a body"},
		{"GET", "/api/v1/things/x/file", ""},
		{"GET", "/api/v1/nothing", ""},                  // 404 route-not-found problem
		{"PUT", "/api/v1/things/x", ""},                 // 405 problem
		{"GET", "/api/v1/undocumented", "undocumented"}, // a route the document forgot
		{"GET", "/healthz", ""},                         // outside the API
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			err := c.Check(req, rec.Code, rec.Header(), rec.Body.Bytes())
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("%d %s: error %v, want one mentioning %q", rec.Code, rec.Body, err, tc.wantErr)
			}
		})
	}
}

// spy records what the middleware reports instead of failing the test.
type spy struct {
	testing.TB
	errs []string
}

func (s *spy) Errorf(format string, args ...any) {
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
}

func TestWrapReportsEveryMismatch(t *testing.T) {
	_, h := service(t)
	s := &spy{TB: t}
	srv := httptest.NewServer(openapitest.Wrap(s, h))
	defer srv.Close()
	for _, p := range []string{"/api/v1/things/good", "/api/v1/things/bad-enum", "/api/v1/things/gone", "/api/v1/things/x/file"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if len(s.errs) != 1 || !strings.Contains(s.errs[0], "GET /api/v1/things/bad-enum answered 200") {
		t.Fatalf("reports = %q", s.errs)
	}
}

func TestLoadRefusesAnInvalidDocument(t *testing.T) {
	if _, err := openapitest.Load([]byte(`{"openapi":"3.1.0","info":{"title":"x"},"paths":{"/a":{"get":{"responses":{"200":{"description":"OK","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}`)); err == nil {
		t.Fatal("a document with a dangling $ref and no version loaded")
	}
}
