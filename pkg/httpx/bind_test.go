package httpx_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
)

type carrierInput struct {
	Name    string   `json:"name"`
	Count   int      `json:"count"`
	Tags    []string `json:"tags"`
	Address struct {
		City string `json:"city"`
	} `json:"address"`
}

func bindServer(t *testing.T) string {
	t.Helper()
	srv, _ := newServer(t, "bind-test", func(r *gin.Engine) {
		r.POST("/carriers", func(c *gin.Context) {
			var in carrierInput
			if err := httpx.Bind(c, &in); err != nil {
				httpx.Error(c, err)
				return
			}
			c.JSON(http.StatusOK, in)
		})
	})
	return srv.URL + "/carriers"
}

func TestBind(t *testing.T) {
	url := bindServer(t)
	type wantField struct{ field, code string }
	tests := []struct {
		name       string
		body       string
		status     int
		slug       string
		field      *wantField
		detailHas  string
		wantParams map[string]string
	}{
		{name: "valid", body: `{"name":"Park","count":2,"tags":["a"],"address":{"city":"SZ"}}`, status: 200},
		{name: "valid with surrounding space", body: "\n  {\"name\":\"Park\"}  \n", status: 200},
		{name: "truncated", body: `{"name":`, status: 400, slug: "malformed-json", detailHas: "unexpected end"},
		{name: "syntax", body: `{"name" "Park"}`, status: 400, slug: "malformed-json", detailHas: "syntax error at byte"},
		{name: "empty", body: ``, status: 400, slug: "malformed-json", detailHas: "empty body"},
		{name: "whitespace only", body: " \n\t ", status: 400, slug: "malformed-json", detailHas: "empty body"},
		{name: "second value", body: `{"name":"a"} {"name":"b"}`, status: 400, slug: "malformed-json", detailHas: "trailing data"},
		{name: "trailing garbage", body: `{"name":"a"} x`, status: 400, slug: "malformed-json", detailHas: "trailing data"},
		{name: "trailing brace", body: `{"name":"a"}}`, status: 400, slug: "malformed-json", detailHas: "trailing data"},
		{name: "trailing bracket", body: `{"name":"a"}]`, status: 400, slug: "malformed-json", detailHas: "trailing data"},
		{name: "unknown field", body: `{"name":"a","nmae":"b"}`, status: 400, slug: "unknown-field", field: &wantField{"nmae", "unknown"}},
		{name: "wrong type", body: `{"count":"two"}`, status: 400, slug: "malformed-json", field: &wantField{"count", "wrong_type"},
			detailHas: "count", wantParams: map[string]string{"want": "int"}},
		{name: "wrong nested type", body: `{"address":{"city":5}}`, status: 400, slug: "malformed-json", field: &wantField{"address.city", "wrong_type"}},
		{name: "wrong element type", body: `{"tags":[1]}`, status: 400, slug: "malformed-json", field: &wantField{"tags", "wrong_type"}},
		{name: "array instead of object", body: `[1,2]`, status: 400, slug: "malformed-json", field: &wantField{"body", "wrong_type"}},
		{name: "too large", body: `{"name":"` + strings.Repeat("a", httpx.MaxJSONBody) + `"}`, status: 413, slug: "body-too-large",
			detailHas: fmt.Sprint(httpx.MaxJSONBody)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, "POST", url, strings.NewReader(tt.body), map[string]string{"Content-Type": "application/json", "Accept-Language": "en"})
			if res.status != tt.status {
				t.Fatalf("status = %d, want %d (body %.300s)", res.status, tt.status, res.body)
			}
			if tt.status == 200 {
				return
			}
			p := problem(t, res)
			if p.Slug != tt.slug {
				t.Fatalf("slug = %q, want %q", p.Slug, tt.slug)
			}
			if tt.detailHas != "" && !strings.Contains(p.Detail, tt.detailHas) {
				t.Fatalf("detail %q does not contain %q", p.Detail, tt.detailHas)
			}
			if tt.field == nil {
				if len(p.Errors) != 0 {
					t.Fatalf("errors = %+v, want none", p.Errors)
				}
				return
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != tt.field.field || p.Errors[0].Code != tt.field.code {
				t.Fatalf("errors = %+v, want one on %s (%s)", p.Errors, tt.field.field, tt.field.code)
			}
			if p.Errors[0].Message == "" || strings.HasPrefix(p.Errors[0].Message, "field.") {
				t.Fatalf("field message %q is not localized", p.Errors[0].Message)
			}
			for k, v := range tt.wantParams {
				if fmt.Sprint(p.Errors[0].Params[k]) != v {
					t.Fatalf("params = %v, want %s=%s", p.Errors[0].Params, k, v)
				}
			}
		})
	}
}

// A body of exactly MaxJSONBody bytes is accepted; one byte more is not.
func TestBindLimitBoundary(t *testing.T) {
	url := bindServer(t)
	body := func(size int) []byte {
		prefix, suffix := `{"name":"`, `"}`
		return []byte(prefix + strings.Repeat("x", size-len(prefix)-len(suffix)) + suffix)
	}
	jsonCT := map[string]string{"Content-Type": "application/json"}
	if res := do(t, "POST", url, bytes.NewReader(body(httpx.MaxJSONBody)), jsonCT); res.status != 200 {
		t.Fatalf("body at the limit: status %d (%.200s)", res.status, res.body)
	}
	if res := do(t, "POST", url, bytes.NewReader(body(httpx.MaxJSONBody+1)), jsonCT); res.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("body over the limit: status %d", res.status)
	}
}

func TestBindDecodesValues(t *testing.T) {
	url := bindServer(t)
	res := do(t, "POST", url, strings.NewReader(`{"name":"园区","count":3,"tags":["ai","bio"],"address":{"city":"深圳"}}`), map[string]string{"Content-Type": "application/json; charset=utf-8"})
	if res.status != 200 {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	want := `{"name":"园区","count":3,"tags":["ai","bio"],"address":{"city":"深圳"}}`
	if string(res.body) != want {
		t.Fatalf("echo = %s, want %s", res.body, want)
	}
}
