package httpx_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

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
	keys := httpx.CatalogKeys()
	if len(keys) == 0 {
		t.Fatal("catalog is empty")
	}
	if !sort.StringsAreSorted(keys) {
		t.Fatal("CatalogKeys is not sorted")
	}
	for _, k := range keys {
		m, ok := httpx.Lookup(k)
		if !ok {
			t.Fatalf("CatalogKeys lists %q but Lookup does not find it", k)
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
		if _, ok := httpx.Lookup(k); !ok {
			t.Errorf("catalog lacks %q", k)
		}
	}
}

func TestText(t *testing.T) {
	httpx.RegisterMessages(map[string]httpx.Message{
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
	}
	for _, tt := range tests {
		if got := httpx.Text(tt.lang, tt.key, tt.params); got != tt.want {
			t.Errorf("Text(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	// Later registrations overwrite.
	httpx.RegisterMessages(map[string]httpx.Message{"test.greeting": {ZH: "嗨", EN: "Hi"}})
	if got := httpx.Text(httpx.EN, "test.greeting", nil); got != "Hi" {
		t.Fatalf("after re-registering: %q", got)
	}
}
