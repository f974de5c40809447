package httpx_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// errorServer answers GET /fail with whatever error the test put in errc.
func errorServer(t *testing.T, errFor func(c *gin.Context) error) string {
	t.Helper()
	srv, _ := newServer(t, "problem-test", func(r *gin.Engine) {
		r.GET("/fail", func(c *gin.Context) { httpx.Error(c, errFor(c)) })
	})
	return srv.URL + "/fail"
}

func TestEveryCategoryMapsToItsStatus(t *testing.T) {
	tests := []struct {
		cat    apperr.Category
		status int
	}{
		{apperr.IncorrectInput, http.StatusUnprocessableEntity},
		{apperr.Malformed, http.StatusBadRequest},
		{apperr.NotFound, http.StatusNotFound},
		{apperr.Forbidden, http.StatusForbidden},
		{apperr.Unauthenticated, http.StatusUnauthorized},
		{apperr.Conflict, http.StatusConflict},
		{apperr.TooLarge, http.StatusRequestEntityTooLarge},
		{apperr.Unsupported, http.StatusUnsupportedMediaType},
		{apperr.Gone, http.StatusGone},
		{apperr.TooMany, http.StatusTooManyRequests},
		{apperr.Unavailable, http.StatusServiceUnavailable},
		{apperr.MethodNotAllowed, http.StatusMethodNotAllowed},
		{apperr.Category("no-such-category"), http.StatusInternalServerError},
	}
	var current apperr.Category
	url := errorServer(t, func(*gin.Context) error {
		// Wrapped, as use cases return them.
		return fmt.Errorf("use case: %w", apperr.New(current, "some-slug"))
	})
	for _, tt := range tests {
		t.Run(string(tt.cat), func(t *testing.T) {
			if got := httpx.Status(tt.cat); got != tt.status {
				t.Fatalf("Status(%s) = %d, want %d", tt.cat, got, tt.status)
			}
			current = tt.cat
			res := do(t, "GET", url, nil, map[string]string{"Accept-Language": "en"})
			if res.status != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", res.status, tt.status, res.body)
			}
			p := problem(t, res)
			if p.Code != string(tt.cat) || p.Slug != "some-slug" {
				t.Fatalf("code/slug = %s/%s", p.Code, p.Slug)
			}
			if p.Type != "https://incuchain.dev/problems/some-slug" {
				t.Fatalf("type = %q", p.Type)
			}
			if p.Instance != "/fail" {
				t.Fatalf("instance = %q, want /fail", p.Instance)
			}
			if p.RequestID == "" || p.RequestID != res.header.Get(httpx.HeaderRequestID) {
				t.Fatalf("request_id %q does not match header %q", p.RequestID, res.header.Get(httpx.HeaderRequestID))
			}
			if tt.status != http.StatusInternalServerError && (p.Title == "" || strings.HasPrefix(p.Title, "title.")) {
				t.Fatalf("title %q is not a localized text", p.Title)
			}
		})
	}
}

func TestNonAppErrorIs500WithoutCause(t *testing.T) {
	secret := "password=hunter2 host=db.internal"
	url := errorServer(t, func(*gin.Context) error { return fmt.Errorf("query carriers: %w", errors.New(secret)) })
	for _, lang := range []string{"zh-CN", "en"} {
		res := do(t, "GET", url, nil, map[string]string{"Accept-Language": lang, httpx.HeaderRequestID: "req-500-" + lang})
		if res.status != http.StatusInternalServerError {
			t.Fatalf("status = %d, want 500", res.status)
		}
		p := problem(t, res)
		if strings.Contains(string(res.body), "hunter2") || strings.Contains(string(res.body), "db.internal") {
			t.Fatalf("the cause leaked to the client: %s", res.body)
		}
		if p.Code != "internal" || p.Slug != "internal" || p.Type != "about:blank" {
			t.Fatalf("code/slug/type = %s/%s/%s", p.Code, p.Slug, p.Type)
		}
		if p.RequestID != "req-500-"+lang || !strings.Contains(p.Detail, "req-500-"+lang) {
			t.Fatalf("request id missing: request_id=%q detail=%q", p.RequestID, p.Detail)
		}
		// The cause goes to the log instead, findable by request id.
		if !logHas(defaultLog.String(), `"request_id":"req-500-`+lang+`"`, "hunter2") {
			t.Fatalf("the cause of a 500 was not logged with its request id: %s", defaultLog.String())
		}
	}
}

func TestAppErrorCauseNotShown(t *testing.T) {
	url := errorServer(t, func(*gin.Context) error {
		return apperr.New(apperr.Unavailable, "bus-down").Wrap(errors.New("nats: dial tcp 10.0.0.7:4222"))
	})
	res := do(t, "GET", url, nil, nil)
	problem(t, res)
	if strings.Contains(string(res.body), "10.0.0.7") {
		t.Fatalf("cause leaked: %s", res.body)
	}
}

func TestLocalization(t *testing.T) {
	err := apperr.NewValidation("invalid-carrier").
		Add("name", "too_long", "max", 50).
		Add("area_m2", "out_of_range", "min", 0, "max", 100000).
		Add("kind", "no_such_code").
		Err()
	url := errorServer(t, func(*gin.Context) error { return err })
	zh := struct{ title, detail, name, area string }{"输入有误", "有 3 个字段需要修改", "不能超过 50 个字符", "必须在 0 到 100000 之间"}
	en := struct{ title, detail, name, area string }{"Invalid input", "3 field(s) need attention", "must be at most 50 characters", "must be between 0 and 100000"}
	tests := []struct {
		accept string
		want   struct{ title, detail, name, area string }
	}{
		{"", zh},
		{"zh-CN,zh;q=0.9", zh},
		{"zh-TW", zh},
		{"en", en},
		{"EN-gb", en},
		{"en-US,en;q=0.9", en},
		{"fr", zh},
		{"fr-FR, en;q=0.8", en},
		{"*", zh},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			res := do(t, "GET", url, nil, map[string]string{"Accept-Language": tt.accept})
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d", res.status)
			}
			p := problem(t, res)
			if p.Title != tt.want.title || p.Detail != tt.want.detail {
				t.Fatalf("title/detail = %q/%q, want %q/%q", p.Title, p.Detail, tt.want.title, tt.want.detail)
			}
			if len(p.Errors) != 3 {
				t.Fatalf("errors = %+v, want 3", p.Errors)
			}
			if p.Errors[0].Field != "name" || p.Errors[0].Code != "too_long" || p.Errors[0].Message != tt.want.name {
				t.Fatalf("errors[0] = %+v, want message %q", p.Errors[0], tt.want.name)
			}
			if fmt.Sprint(p.Errors[0].Params["max"]) != "50" {
				t.Fatalf("errors[0].params = %v, want max 50 for clients that render themselves", p.Errors[0].Params)
			}
			if p.Errors[1].Message != tt.want.area {
				t.Fatalf("errors[1].message = %q, want %q", p.Errors[1].Message, tt.want.area)
			}
			// An unregistered code is visible, not blank.
			if p.Errors[2].Message != "field.no_such_code" {
				t.Fatalf("errors[2].message = %q", p.Errors[2].Message)
			}
		})
	}
}

func TestPickLang(t *testing.T) {
	tests := map[string]httpx.Lang{
		"": httpx.ZH, "zh": httpx.ZH, "en": httpx.EN, "en-US,en;q=0.9": httpx.EN, "fr": httpx.ZH,
		"de, fr;q=0.5": httpx.ZH, "ja, en-GB;q=0.7, zh;q=0.5": httpx.EN, " En-us ": httpx.EN, "zh-Hans-CN": httpx.ZH,
	}
	for in, want := range tests {
		if got := httpx.PickLang(in); got != want {
			t.Errorf("PickLang(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestKnownSlugDetailUsesParams(t *testing.T) {
	url := errorServer(t, func(*gin.Context) error {
		return apperr.New(apperr.TooLarge, "body-too-large").With("max", 1024)
	})
	p := problem(t, do(t, "GET", url, nil, map[string]string{"Accept-Language": "en"}))
	if p.Detail != "The request body exceeds the 1024-byte limit" {
		t.Fatalf("detail = %q", p.Detail)
	}
	p = problem(t, do(t, "GET", url, nil, nil))
	if p.Detail != "请求体超过 1024 字节上限" {
		t.Fatalf("detail = %q", p.Detail)
	}
}

func TestUnknownSlugWithoutFieldsHasNoDetail(t *testing.T) {
	url := errorServer(t, func(*gin.Context) error { return apperr.ConflictErr("some-unregistered-slug") })
	p := problem(t, do(t, "GET", url, nil, nil))
	if p.Detail != "" || p.Title != "与现有数据冲突" {
		t.Fatalf("title/detail = %q/%q", p.Title, p.Detail)
	}
}

func TestRetryAfterOn429(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"int", apperr.New(apperr.TooMany, "login-throttled").With("retry_after_seconds", 30), "30"},
		{"int64", apperr.New(apperr.TooMany, "login-throttled").With("retry_after_seconds", int64(7)), "7"},
		{"float64", apperr.New(apperr.TooMany, "login-throttled").With("retry_after_seconds", 12.0), "12"},
		{"absent", apperr.New(apperr.TooMany, "login-throttled"), ""},
		{"not 429", apperr.New(apperr.Unavailable, "x").With("retry_after_seconds", 30), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := errorServer(t, func(*gin.Context) error { return tt.err })
			res := do(t, "GET", url, nil, nil)
			problem(t, res)
			if got := res.header.Get("Retry-After"); got != tt.want {
				t.Fatalf("Retry-After = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProblemForDirect(t *testing.T) {
	p := httpx.ProblemFor(apperr.NotFoundErr("route-not-found"), httpx.EN, "rid-1")
	want := httpx.Problem{Type: "https://incuchain.dev/problems/route-not-found", Title: "Not found", Status: 404,
		Detail: "No such endpoint", Code: "not-found", Slug: "route-not-found", RequestID: "rid-1"}
	if fmt.Sprintf("%+v", p) != fmt.Sprintf("%+v", want) {
		t.Fatalf("ProblemFor = %+v\nwant %+v", p, want)
	}
}

// logHas reports whether one log line contains every part.
func logHas(log string, parts ...string) bool {
	for _, line := range strings.Split(log, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

func TestClientErrorsAreNotLoggedAsFailures(t *testing.T) {
	url := errorServer(t, func(*gin.Context) error { return apperr.NotFoundErr("carrier-not-found") })
	do(t, "GET", url, nil, map[string]string{httpx.HeaderRequestID: "req-404-quiet"})
	if strings.Contains(defaultLog.String(), "req-404-quiet") {
		t.Fatalf("a 404 was logged as a failure: %s", defaultLog.String())
	}
}

// Respond writes the DTO with the status, or the error as a problem (and
// never calls the DTO function on a failed result).
func TestRespond(t *testing.T) {
	type thing struct{ N int }
	dto := func(x *thing) map[string]int { return map[string]int{"n": x.N} }
	srv, _ := newServer(t, "respond-test", func(r *gin.Engine) {
		r.GET("/ok", func(c *gin.Context) { httpx.Respond(c, http.StatusCreated, &thing{N: 7}, nil, dto) })
		r.GET("/fail", func(c *gin.Context) {
			var none *thing // dto(none) would panic
			httpx.Respond(c, http.StatusOK, none, apperr.NotFoundErr("thing-not-found"), dto)
		})
	})
	res, err := http.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || strings.TrimSpace(string(body)) != `{"n":7}` {
		t.Fatalf("ok: %d %s", res.StatusCode, body)
	}
	res, err = http.Get(srv.URL + "/fail")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != httpx.ProblemContentType {
		t.Fatalf("fail: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
