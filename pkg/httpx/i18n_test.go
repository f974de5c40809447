package httpx_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return p
}

// Every registered text exists in both console languages, with the same
// placeholders, so a switch of language never loses a value.
func TestCatalogComplete(t *testing.T) {
	keys := httpx.Shared.Keys()
	if len(keys) == 0 {
		t.Fatal("catalog is empty")
	}
	if !sort.StringsAreSorted(keys) {
		t.Fatal("Keys is not sorted")
	}
	for _, k := range keys {
		m, ok := httpx.Shared.Lookup(k)
		if !ok {
			t.Fatalf("Keys lists %q but Lookup does not find it", k)
		}
		if strings.TrimSpace(m.ZH) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%q: ZH=%q EN=%q, both must be non-empty", k, m.ZH, m.EN)
		}
		if zh, en := placeholders(m.ZH), placeholders(m.EN); strings.Join(zh, ",") != strings.Join(en, ",") {
			t.Errorf("%q: placeholders differ: ZH %v, EN %v", k, zh, en)
		}
	}
}

// The texts httpx itself needs are all registered.
func TestCatalogHasPlumbingKeys(t *testing.T) {
	cats := []apperr.Category{apperr.IncorrectInput, apperr.Malformed, apperr.NotFound, apperr.Forbidden, apperr.Unauthenticated,
		apperr.Conflict, apperr.TooLarge, apperr.Unsupported, apperr.Gone, apperr.TooMany, apperr.Unavailable, apperr.MethodNotAllowed}
	keys := []string{"title.internal", "internal", "malformed-json", "unknown-field", "body-too-large", "invalid-query",
		"route-not-found", "method-not-allowed", "validation-failed",
		"field.unknown", "field.wrong_type", "field.out_of_range", "field.too_long", "field.bad_sort"}
	for _, c := range cats {
		keys = append(keys, "title."+string(c))
	}
	for _, k := range keys {
		if _, ok := httpx.Shared.Lookup(k); !ok {
			t.Errorf("catalog lacks %q", k)
		}
	}
}

func TestText(t *testing.T) {
	texts := httpx.NewCatalog(map[string]httpx.Message{
		"test.greeting": {ZH: "你好，{name}！共 {n} 条", EN: "Hello, {name}! {n} items"},
	})
	tests := []struct {
		lang   httpx.Lang
		key    string
		params map[string]any
		want   string
	}{
		{httpx.ZH, "test.greeting", map[string]any{"name": "王", "n": 3}, "你好，王！共 3 条"},
		{httpx.EN, "test.greeting", map[string]any{"name": "Wang", "n": 3}, "Hello, Wang! 3 items"},
		{httpx.EN, "test.greeting", nil, "Hello, {name}! {n} items"},
		{httpx.EN, "test.no-such-key", nil, "test.no-such-key"},
		{httpx.Lang("fr"), "test.greeting", map[string]any{"name": "X", "n": 1}, "你好，X！共 1 条"},
		// The shared texts come through every catalogue.
		{httpx.EN, "title.not-found", nil, "Not found"},
	}
	for _, tt := range tests {
		if got := texts.Text(tt.lang, tt.key, tt.params); got != tt.want {
			t.Errorf("Text(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	// A service's texts are its own: the shared catalogue does not see them.
	if got := httpx.Shared.Text(httpx.EN, "test.greeting", nil); got != "test.greeting" {
		t.Errorf("shared catalogue answers a service's key: %q", got)
	}
}

// A catalogue holds one text per key: adding the same text again is
// harmless (a file read twice), another text panics whatever the order of
// init functions; only the registry of one service can collide.
func TestCatalogRefusesASecondText(t *testing.T) {
	texts := httpx.NewCatalog(map[string]httpx.Message{"test.k": {ZH: "甲", EN: "A"}})
	texts.Add(map[string]httpx.Message{"test.k": {ZH: "甲", EN: "A"}})
	defer func() {
		if recover() == nil {
			t.Fatal("a second text for test.k was accepted")
		}
		if got := texts.Text(httpx.EN, "test.k", nil); got != "A" {
			t.Fatalf("after the refused text: %q", got)
		}
	}()
	texts.Add(map[string]httpx.Message{"test.k": {ZH: "乙", EN: "B"}})
}

// Two services in one process give one key different texts (parks and
// incubatees both say field.user_not_found): each engine answers its own,
// whichever catalogue was filled last, and the shared texts stay common.
func TestEachEngineAnswersFromItsOwnCatalogue(t *testing.T) {
	parks := httpx.NewCatalog(map[string]httpx.Message{
		"field.user_not_found": {ZH: "没有使用该邮箱的用户，请改用邀请", EN: "no user has this email; send an invitation instead"},
	})
	incubatees := httpx.NewCatalog(map[string]httpx.Message{
		"field.user_not_found": {ZH: "没有使用该邮箱的用户", EN: "no user has this email"},
	})
	serve := func(service string, texts *httpx.Catalog) *httptest.Server {
		r := httpx.NewEngine(service, slog.New(slog.DiscardHandler), httpx.WithTexts(texts))
		r.POST("/members", func(c *gin.Context) {
			httpx.Error(c, apperr.NewValidation("invalid-member").Add("email", "user_not_found").Err())
		})
		srv := httptest.NewServer(r)
		t.Cleanup(srv.Close)
		return srv
	}
	for _, tt := range []struct {
		srv                 *httptest.Server
		lang, want, unknown string
	}{
		{serve("parks", parks), "en", "no user has this email; send an invitation instead", "No such endpoint"},
		{serve("incubatees", incubatees), "en", "no user has this email", "No such endpoint"},
		{serve("parks-zh", parks), "zh-CN", "没有使用该邮箱的用户，请改用邀请", "接口不存在"},
		{serve("incubatees-zh", incubatees), "zh-CN", "没有使用该邮箱的用户", "接口不存在"},
	} {
		var p httpx.Problem
		get := func(method, path string) {
			t.Helper()
			req, _ := http.NewRequest(method, tt.srv.URL+path, nil)
			req.Header.Set("Accept-Language", tt.lang)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			p = httpx.Problem{}
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
		}
		get("POST", "/members")
		if len(p.Errors) != 1 || p.Errors[0].Message != tt.want {
			t.Errorf("%s (%s): errors %+v, want %q", tt.srv.URL, tt.lang, p.Errors, tt.want)
		}
		get("GET", "/nothing-here")
		if p.Detail != tt.unknown {
			t.Errorf("%s (%s): unknown route detail %q, want the shared %q", tt.srv.URL, tt.lang, p.Detail, tt.unknown)
		}
	}
}
