package httpx_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
)

type widget struct {
	Name string `json:"name"`
}

type widgetInput struct {
	Name string `json:"name"`
}

func noop(*gin.Context) {}

// Each option sets the fields the positional route helpers used to.
func TestEndpointOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  httpx.Endpoint
		want httpx.Route
	}{
		{"get", httpx.GET("/w/:id", noop).Doc("one").Returns(widget{}),
			httpx.Route{Method: "GET", Path: "/w/:id", Summary: "one", Response: widget{}, Status: 200}},
		{"list", httpx.GET("/w", noop).Lists(widget{}),
			httpx.Route{Method: "GET", Path: "/w", Response: widget{}, Status: 200, List: true}},
		{"create", httpx.POST("/w", noop).Takes(widgetInput{}).Creates(widget{}),
			httpx.Route{Method: "POST", Path: "/w", Request: widgetInput{}, Response: widget{}, Status: 201}},
		{"create without body", httpx.POST("/w/:id/accept", noop).Creates(nil).Public(),
			httpx.Route{Method: "POST", Path: "/w/:id/accept", Status: 201, Public: true}},
		{"delete", httpx.DELETE("/w/:id", noop).NoContent(),
			httpx.Route{Method: "DELETE", Path: "/w/:id", Status: 204}},
		{"raw", httpx.PUT("/w/:id/file", noop).RawBody().RawAnswer().Tag("t"),
			httpx.Route{Method: "PUT", Path: "/w/:id/file", Status: 200, RawRequest: true, RawResponse: true, Tag: "t"}},
		{"patch", httpx.PATCH("/w/:id", noop).Takes(widgetInput{}).Returns(widget{}),
			httpx.Route{Method: "PATCH", Path: "/w/:id", Request: widgetInput{}, Response: widget{}, Status: 200}},
	} {
		if !reflect.DeepEqual(tc.got.Route, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, tc.got.Route, tc.want)
		}
	}
	tagged := httpx.Tagged("widgets", httpx.GET("/a", noop), httpx.GET("/b", noop).Tag("other"))
	if tagged[0].Route.Tag != "widgets" || tagged[1].Route.Tag != "widgets" {
		t.Errorf("Tagged: %q, %q", tagged[0].Route.Tag, tagged[1].Route.Tag)
	}
}

// Mount serves and documents the same table.
func TestMountServesAndDocuments(t *testing.T) {
	r := gin.New()
	doc := httpx.NewOpenAPI("test", "1")
	httpx.Mount(r, doc,
		httpx.GET("/api/v1/widgets", func(c *gin.Context) { c.Status(http.StatusTeapot) }).Lists(widget{}),
		httpx.DELETE("/api/v1/widgets/:id", noop).NoContent())
	if got, want := doc.Operations(), []string{"DELETE /api/v1/widgets/:id", "GET /api/v1/widgets"}; !reflect.DeepEqual(got, want) {
		t.Errorf("documented %v, want %v", got, want)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/widgets", nil))
	if w.Code != http.StatusTeapot {
		t.Errorf("GET /api/v1/widgets: %d, want the handler's 418", w.Code)
	}
	if _, ok := doc.Paths["/api/v1/widgets/{id}"]["delete"].Responses["204"]; !ok {
		t.Errorf("DELETE documents no 204: %v", doc.Paths["/api/v1/widgets/{id}"]["delete"].Responses)
	}
}

func serveList(t *testing.T, query string, h gin.HandlerFunc) (int, map[string]any) {
	t.Helper()
	r := gin.New()
	r.GET("/w", h)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/w?"+query, nil))
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%d %s: %v", w.Code, w.Body, err)
	}
	return w.Code, out
}

func TestRespondPage(t *testing.T) {
	var asked list.Params
	h := func(c *gin.Context) {
		httpx.RespondPage(c, []string{"name", "created_at"}, func(p list.Params) ([]string, int, error) {
			asked = p
			if p.Q == "fail" {
				return nil, 0, apperr.NotFoundErr("widget-not-found")
			}
			return []string{"a", "b"}, 7, nil
		}, func(s string) widget { return widget{Name: s} })
	}
	status, body := serveList(t, "page=2&page_size=2&sort=-created_at", h)
	if status != 200 || body["total"] != 7.0 || body["page"] != 2.0 || body["page_size"] != 2.0 {
		t.Fatalf("page: %d %v", status, body)
	}
	if items := body["items"].([]any); len(items) != 2 || items[1].(map[string]any)["name"] != "b" {
		t.Errorf("items: %v", body["items"])
	}
	if want := (list.Params{Page: 2, PageSize: 2, Sort: "created_at", Desc: true, Keyset: asked.Keyset}); asked != want || asked.Keyset == nil {
		t.Errorf("fetch asked for %+v, want %+v", asked, want)
	}
	asked = list.Params{}
	if status, body := serveList(t, "sort=colour", h); status != 422 || body["slug"] != "invalid-query" || asked != (list.Params{}) {
		t.Errorf("bad sort: %d %v (fetch asked for %+v)", status, body, asked)
	}
	if status, body := serveList(t, "q=fail", h); status != 404 || body["slug"] != "widget-not-found" {
		t.Errorf("fetch's error: %d %v", status, body)
	}
}

func TestRespondAll(t *testing.T) {
	var items []string
	var err error
	h := func(c *gin.Context) {
		httpx.RespondAll(c, items, err, func(s string) widget { return widget{Name: s} })
	}
	status, body := serveList(t, "", h)
	if status != 200 || body["total"] != 0.0 || body["page"] != 1.0 || len(body["items"].([]any)) != 0 {
		t.Errorf("no items: %d %v", status, body)
	}
	items = []string{"a", "b", "c"}
	if status, body = serveList(t, "", h); status != 200 || body["total"] != 3.0 || body["page_size"] != 3.0 {
		t.Errorf("three items: %d %v", status, body)
	}
	err = apperr.NotFoundErr("company-not-found")
	if status, body = serveList(t, "", h); status != 404 {
		t.Errorf("error: %d %v", status, body)
	}
}
