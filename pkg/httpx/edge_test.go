package httpx_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// noteInput has fields of every text mode and shape the walker meets.
type noteInput struct {
	Title    string                     `json:"title"`
	Body     string                     `json:"body" text:"multiline"`
	Password string                     `json:"password" text:"raw"`
	Tags     []string                   `json:"tags"`
	Answers  map[string]json.RawMessage `json:"answers" text:"multiline"`
	Labels   map[string]string          `json:"labels"`
	Extra    any                        `json:"extra"`
	Author   *struct {
		Name string `json:"name"`
	} `json:"author"`
	Embedded
}

// Embedded is promoted into noteInput as encoding/json does.
type Embedded struct {
	Note string `json:"note"`
}

func noteServer(t *testing.T) string {
	t.Helper()
	srv, _ := newServer(t, "edge-test", func(r *gin.Engine) {
		r.POST("/notes", func(c *gin.Context) {
			var in noteInput
			if err := httpx.Bind(c, &in); err != nil {
				httpx.Error(c, err)
				return
			}
			c.JSON(http.StatusOK, in)
		})
	})
	return srv.URL + "/notes"
}

func TestBindContentType(t *testing.T) {
	u := noteServer(t)
	body := `{"title":"ok"}`
	tests := []struct {
		ct     string
		status int
	}{
		{"application/json", 200},
		{"application/json; charset=utf-8", 200},
		{"Application/JSON; charset=UTF-8", 200},
		{"application/merge-patch+json", 200},
		{"application/problem+json", 200},
		{"", 415},
		{"text/plain", 415},
		{"text/plain;charset=UTF-8", 415},
		{"application/x-www-form-urlencoded", 415},
		{"multipart/form-data; boundary=x", 415},
		{"text/json", 415},
		{"application/jsonx", 415},
		{"application/json; charset=latin1", 415},
		{"application/json; charset=", 415},
		{"application/octet-stream", 415},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			res := do(t, "POST", u, strings.NewReader(body), map[string]string{"Content-Type": tt.ct, "Accept-Language": "en"})
			if res.status != tt.status {
				t.Fatalf("Content-Type %q: status %d, want %d (%s)", tt.ct, res.status, tt.status, res.body)
			}
			if tt.status == 200 {
				return
			}
			p := problem(t, res)
			if p.Slug != "unsupported-content-type" || p.Detail != "The request body must be sent as JSON" {
				t.Fatalf("problem = %+v", p)
			}
		})
	}
	// A form posted cross-site is refused however JSON-like its body is.
	res := do(t, "POST", u, strings.NewReader(`{"title":"x","a":"=b"}`), map[string]string{"Content-Type": "text/plain"})
	if res.status != http.StatusUnsupportedMediaType {
		t.Fatalf("JSON in text/plain: %d", res.status)
	}
}

func TestBindRefusesText(t *testing.T) {
	u := noteServer(t)
	type want struct{ field, code string }
	tests := []struct {
		name   string
		body   string
		status int
		slug   string
		errs   []want
	}{
		{name: "null", body: `null`, status: 400, slug: "malformed-json"},
		{name: "null with space", body: " null\n", status: 400, slug: "malformed-json"},
		{name: "empty", body: ``, status: 400, slug: "malformed-json"},
		{name: "trailing value", body: `{"title":"a"}{}`, status: 400, slug: "malformed-json"},
		{name: "invalid UTF-8", body: "{\"title\":\"a\xffb\"}", status: 400, slug: "malformed-json"},
		{name: "duplicate key", body: `{"title":"a","title":"b"}`, status: 400, slug: "duplicate-key", errs: []want{{"title", "duplicate_key"}}},
		{name: "duplicate key differing in case", body: `{"title":"a","Title":"b"}`, status: 400, slug: "duplicate-key", errs: []want{{"Title", "duplicate_key"}}},
		{name: "duplicate map key", body: `{"labels":{"k":"a","k":"b"}}`, status: 400, slug: "duplicate-key", errs: []want{{"labels.k", "duplicate_key"}}},
		{name: "NUL", body: `{"title":"a\u0000b"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "control_char"}}},
		{name: "NUL in multiline", body: `{"body":"a\u0000b"}`, status: 422, slug: "invalid-text", errs: []want{{"body", "control_char"}}},
		{name: "C0", body: `{"title":"a\u001bb"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "control_char"}}},
		{name: "DEL", body: "{\"title\":\"a\x7fb\"}", status: 422, slug: "invalid-text", errs: []want{{"title", "control_char"}}},
		{name: "C1", body: `{"title":"a\u0085b"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "control_char"}}},
		{name: "bidi override", body: `{"title":"invoice\u202efdp.exe"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "control_char"}}},
		{name: "tab in single line", body: `{"title":"a\tb"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "control_char"}}},
		{name: "newline in single line", body: `{"title":"a\nb"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "line_break"}}},
		{name: "line separator in single line", body: `{"title":"a\u2028b"}`, status: 422, slug: "invalid-text", errs: []want{{"title", "line_break"}}},
		{name: "NUL in a slice", body: `{"tags":["ok","a\u0000"]}`, status: 422, slug: "invalid-text", errs: []want{{"tags[1]", "control_char"}}},
		{name: "NUL in raw JSON", body: `{"answers":{"q":{"deep":["a\u0000"]}}}`, status: 422, slug: "invalid-text", errs: []want{{"answers.q.deep[0]", "control_char"}}},
		{name: "NUL in a map key", body: `{"labels":{"a\u0000":"x"}}`, status: 422, slug: "invalid-text", errs: []want{{"labels.a\u0000", "control_char"}}},
		{name: "newline in a map value", body: `{"labels":{"k":"a\nb"}}`, status: 422, slug: "invalid-text", errs: []want{{"labels.k", "line_break"}}},
		{name: "NUL in an interface", body: `{"extra":{"x":"\u0000"}}`, status: 422, slug: "invalid-text", errs: []want{{"extra.x", "control_char"}}},
		{name: "NUL in a nested struct", body: `{"author":{"name":"\u0000"}}`, status: 422, slug: "invalid-text", errs: []want{{"author.name", "control_char"}}},
		{name: "NUL in an embedded field", body: `{"note":"\u0000"}`, status: 422, slug: "invalid-text", errs: []want{{"note", "control_char"}}},
		{name: "every bad field is named", body: `{"title":"\u0000","tags":["\u0001"],"note":"a\nb"}`, status: 422, slug: "invalid-text",
			errs: []want{{"title", "control_char"}, {"tags[0]", "control_char"}, {"note", "line_break"}}},
		{name: "multiline text", body: `{"body":"line 1\r\nline 2\n\tindented\u2029","answers":{"q":"a\nb"}}`, status: 200},
		{name: "raw password", body: `{"password":"p\u0000\u001b\u202e"}`, status: 200},
		{name: "Chinese, emoji and joiners", body: `{"title":"园区 👩\u200d💻 \u200eA\u200dB \ufeff"}`, status: 200},
		{name: "null fields stay allowed", body: `{"title":"a","author":null,"tags":null}`, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, "POST", u, strings.NewReader(tt.body), map[string]string{"Content-Type": "application/json", "Accept-Language": "en"})
			if res.status != tt.status {
				t.Fatalf("status %d, want %d (%s)", res.status, tt.status, res.body)
			}
			if tt.status == 200 {
				return
			}
			p := problem(t, res)
			if p.Slug != tt.slug {
				t.Fatalf("slug %q, want %q", p.Slug, tt.slug)
			}
			if len(p.Errors) != len(tt.errs) {
				t.Fatalf("errors %+v, want %v", p.Errors, tt.errs)
			}
			for i, w := range tt.errs {
				if p.Errors[i].Field != w.field || p.Errors[i].Code != w.code {
					t.Fatalf("error %d = %+v, want %v", i, p.Errors[i], w)
				}
				if p.Errors[i].Message == "" || strings.HasPrefix(p.Errors[i].Message, "field.") {
					t.Fatalf("message of %s is not localized: %q", w.code, p.Errors[i].Message)
				}
			}
		})
	}
}

// Every message the edge can answer with exists in both languages.
func TestEdgeMessagesInBothLanguages(t *testing.T) {
	for _, key := range []string{"resource-not-found", "unsupported-content-type", "invalid-text", "duplicate-key",
		"field.control_char", "field.line_break", "field.duplicate_key"} {
		m, ok := httpx.Shared.Lookup(key)
		if !ok || m.ZH == "" || m.EN == "" || m.ZH == m.EN {
			t.Errorf("%s: %+v", key, m)
		}
	}
}

func TestDecodeJSONLeavesDestinationOnRefusal(t *testing.T) {
	in := noteInput{Title: "before"}
	if err := httpx.DecodeJSON([]byte(`{"title":"a\u0000"}`), &in); !apperr.Is(err, apperr.IncorrectInput) {
		t.Fatalf("err = %v", err)
	}
	if in.Title != "before" {
		t.Fatalf("refused body changed dst: %+v", in)
	}
	in = noteInput{Title: "default", Body: "kept"}
	if err := httpx.DecodeJSON([]byte(`{"title":"new"}`), &in); err != nil || in.Title != "new" || in.Body != "kept" {
		t.Fatalf("accepted body: %v %+v", err, in)
	}
	if err := httpx.DecodeJSON([]byte(`{}`), nil); err == nil {
		t.Fatal("nil destination accepted")
	}
}

func TestTextProblem(t *testing.T) {
	tests := []struct {
		s         string
		multiline bool
		want      string
	}{
		{"园区 A-1 (北)", false, ""},
		{"", false, ""},
		{"a\x00", true, httpx.CodeControlChar},
		{"a\x1f", true, httpx.CodeControlChar},
		{"a\x7f", true, httpx.CodeControlChar},
		{"a\u009f", true, httpx.CodeControlChar},
		{"a\u2066b", true, httpx.CodeControlChar},
		{"a\xc3", true, httpx.CodeControlChar},
		{"a\nb", false, httpx.CodeLineBreak},
		{"a\rb", false, httpx.CodeLineBreak},
		{"a\u2029b", false, httpx.CodeLineBreak},
		{"a\nb\x00", false, httpx.CodeControlChar},
		{"a\tb", false, httpx.CodeControlChar},
		{"a\tb\r\nc\u2028", true, ""},
		{"\uFFFD replacement typed on purpose", false, ""},
	}
	for _, tt := range tests {
		if got := httpx.TextProblem(tt.s, tt.multiline); got != tt.want {
			t.Errorf("TextProblem(%q, %v) = %q, want %q", tt.s, tt.multiline, got, tt.want)
		}
	}
}

const anID = "01JDQ7Z5X8K2M3N4P5Q6R7S8T9"

func TestPathParams(t *testing.T) {
	srv, _ := newServer(t, "params-test", func(r *gin.Engine) {
		ok := func(c *gin.Context) { c.String(http.StatusOK, "reached") }
		r.GET("/carriers/:id", ok)
		r.DELETE("/carriers/:id/members/:user/roles/:role", ok)
		r.GET("/documents/:id/versions/:version", ok)
		r.GET("/reports/:period", ok)
		r.POST("/invitations/:token/accept", ok)
	})
	tests := []struct {
		path   string
		status int
	}{
		{"/carriers/" + anID, 200},
		{"/carriers/application:" + anID, 200},
		{"/carriers/%00", 404},
		{"/carriers/" + anID[:25] + "%00", 404},
		{"/carriers/a%01b", 404},
		{"/carriers/" + anID + "0", 404},
		{"/carriers/" + strings.Repeat("0", 4000), 404},
		{"/carriers/" + strings.ToLower(anID), 404},
		{"/carriers/81JDQ7Z5X8K2M3N4P5Q6R7S8T9", 404},
		{"/carriers/01JDQ7Z5X8K2M3N4P5Q6R7S8TU", 404},
		{"/carriers/%E5%9B%AD", 404},
		{"/carriers/%FF", 404},
		{"/carriers/'%20OR%201=1--", 404},
		{"/carriers/Application:" + anID, 404},
		{"/carriers/" + anID + "/members/" + anID + "/roles/park_admin", 200},
		{"/carriers/" + anID + "/members/u1/roles/park_admin", 404},
		{"/carriers/" + anID + "/members/" + anID + "/roles/park%00admin", 404},
		{"/carriers/" + anID + "/members/" + anID + "/roles/" + strings.Repeat("a", 129), 404},
		{"/documents/" + anID + "/versions/1", 200},
		{"/documents/" + anID + "/versions/0", 404},
		{"/documents/" + anID + "/versions/1%00", 404},
		{"/documents/" + anID + "/versions/9999999999", 404},
		{"/reports/2026-Q3", 200},
		{"/reports/2026-07", 200},
		{"/reports/2026%0A", 404},
		{"/invitations/-Ab_9xYz0123456789abcdefghijABCDEF/accept", 200},
		{"/invitations/not-a-token/accept", 200},
		{"/invitations/tok%7F/accept", 404},
	}
	for _, tt := range tests {
		method := "GET"
		switch {
		case strings.Contains(tt.path, "/roles/"):
			method = "DELETE"
		case strings.HasPrefix(tt.path, "/invitations/"):
			method = "POST"
		}
		res := do(t, method, srv.URL+tt.path, nil, map[string]string{"Accept-Language": "en"})
		if res.status != tt.status {
			t.Errorf("%s %s: %d, want %d (%s)", method, tt.path, res.status, tt.status, res.body)
			continue
		}
		if tt.status == 404 {
			if p := problem(t, res); p.Slug != "resource-not-found" || len(p.Errors) != 0 {
				t.Errorf("%s: problem %+v", tt.path, p)
			}
		}
	}
}

func TestQueryStrings(t *testing.T) {
	srv, _ := newServer(t, "query-test", func(r *gin.Engine) {
		r.GET("/carriers", func(c *gin.Context) {
			p, err := httpx.ParseList(c, "name")
			if err != nil {
				httpx.Error(c, err)
				return
			}
			c.String(http.StatusOK, p.Q)
		})
	})
	tests := []struct {
		query  string
		status int
		field  string
		code   string
	}{
		{"q=" + url.QueryEscape("园区 A"), 200, "", ""},
		{"q=a%00b", 422, "q", "control_char"},
		{"q=a%0Ab", 422, "q", "line_break"},
		{"status=%1B", 422, "status", "control_char"},
		{"q=%FF", 422, "q", "control_char"},
		{"q=ok&kind=%E2%80%AE", 422, "kind", "control_char"},
		{"a%00=1", 422, "query", "control_char"},
		{"q=ok&q=%7F", 422, "q", "control_char"},
	}
	for _, tt := range tests {
		res := do(t, "GET", srv.URL+"/carriers?"+tt.query, nil, map[string]string{"Accept-Language": "en"})
		if res.status != tt.status {
			t.Errorf("?%s: %d, want %d (%s)", tt.query, res.status, tt.status, res.body)
			continue
		}
		if tt.status != 200 {
			p := problem(t, res)
			if p.Slug != "invalid-query" || len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Code != tt.code {
				t.Errorf("?%s: problem %+v", tt.query, p)
			}
		}
	}
	// Unknown routes are checked too: the gateway forwards from NoRoute.
	if res := do(t, "GET", srv.URL+"/nowhere?q=%00", nil, nil); res.status != 422 {
		t.Errorf("unknown route with NUL query: %d", res.status)
	}
}
