package httpx_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
)

func parseList(t *testing.T, query string, sorts ...string) (list.Params, error) {
	t.Helper()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/items?"+query, nil)
	return httpx.ParseList(c, sorts...)
}

func TestParseListValid(t *testing.T) {
	tests := []struct {
		query  string
		sorts  []string
		want   list.Params
		offset int
	}{
		{"", []string{"name", "created_at"}, list.Params{Page: 1, PageSize: 20, Sort: "name"}, 0},
		{"", nil, list.Params{Page: 1, PageSize: 20}, 0},
		{"page=3&page_size=50", []string{"name"}, list.Params{Page: 3, PageSize: 50, Sort: "name"}, 100},
		{"page=1&page_size=1", nil, list.Params{Page: 1, PageSize: 1}, 0},
		{"page=100000&page_size=200", nil, list.Params{Page: 100000, PageSize: 200}, 99999 * 200},
		{"sort=created_at", []string{"name", "created_at"}, list.Params{Page: 1, PageSize: 20, Sort: "created_at"}, 0},
		{"sort=-created_at", []string{"name", "created_at"}, list.Params{Page: 1, PageSize: 20, Sort: "created_at", Desc: true}, 0},
		{"q=+%E5%9B%AD%E5%8C%BA+", nil, list.Params{Page: 1, PageSize: 20, Q: "园区"}, 0},
		{"q=" + strings.Repeat("%E5%9B%AD", 100), nil, list.Params{Page: 1, PageSize: 20, Q: strings.Repeat("园", 100)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := parseList(t, tt.query, tt.sorts...)
			if err != nil {
				t.Fatalf("ParseList: %v", err)
			}
			if got.Keyset == nil || got.Keyset.After != nil {
				t.Fatalf("Keyset = %+v, want one without a position (every parsed list may answer a next cursor)", got.Keyset)
			}
			if got.Keyset = nil; got != tt.want {
				t.Fatalf("ParseList = %+v, want %+v", got, tt.want)
			}
			if got.Offset() != tt.offset {
				t.Fatalf("Offset = %d, want %d", got.Offset(), tt.offset)
			}
		})
	}
}

func TestParseListInvalid(t *testing.T) {
	type fe struct{ field, code string }
	tests := []struct {
		query  string
		sorts  []string
		want   []fe
		params map[string]string // of the first field error
	}{
		{"page=0", nil, []fe{{"page", "out_of_range"}}, map[string]string{"min": "1", "max": "100000"}},
		{"page=-1", nil, []fe{{"page", "out_of_range"}}, nil},
		{"page=100001", nil, []fe{{"page", "out_of_range"}}, nil},
		{"page=abc", nil, []fe{{"page", "out_of_range"}}, nil},
		{"page_size=0", nil, []fe{{"page_size", "out_of_range"}}, map[string]string{"min": "1", "max": "200"}},
		{"page_size=201", nil, []fe{{"page_size", "out_of_range"}}, nil},
		{"page_size=1.5", nil, []fe{{"page_size", "out_of_range"}}, nil},
		{"q=" + strings.Repeat("a", 101), nil, []fe{{"q", "too_long"}}, map[string]string{"max": "100"}},
		{"sort=password", []string{"name", "created_at"}, []fe{{"sort", "bad_sort"}}, map[string]string{"allowed": "name, created_at"}},
		{"sort=-password", []string{"name"}, []fe{{"sort", "bad_sort"}}, nil},
		{"sort=-", []string{"name"}, []fe{{"sort", "bad_sort"}}, nil},
		{"sort=name", nil, []fe{{"sort", "bad_sort"}}, nil},
		{"page=0&page_size=999&sort=x", []string{"name"}, []fe{{"page", "out_of_range"}, {"page_size", "out_of_range"}, {"sort", "bad_sort"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			_, err := parseList(t, tt.query, tt.sorts...)
			ae, ok := apperr.As(err)
			if !ok {
				t.Fatalf("ParseList error = %v, want an *apperr.Error", err)
			}
			if ae.Category != apperr.IncorrectInput || ae.Slug != "invalid-query" {
				t.Fatalf("category/slug = %s/%s", ae.Category, ae.Slug)
			}
			if len(ae.Fields) != len(tt.want) {
				t.Fatalf("fields = %+v, want %+v", ae.Fields, tt.want)
			}
			for i, w := range tt.want {
				if ae.Fields[i].Field != w.field || ae.Fields[i].Code != w.code {
					t.Fatalf("fields[%d] = %+v, want %+v", i, ae.Fields[i], w)
				}
			}
			for k, v := range tt.params {
				if got := ae.Fields[0].Params[k]; toString(got) != v {
					t.Fatalf("params[%s] = %v, want %s", k, got, v)
				}
			}
			// The allowed sort fields appear in the localized message.
			if tt.want[0].code == "bad_sort" && len(tt.sorts) > 0 {
				p := httpx.ProblemFor(err, httpx.EN, "r")
				if !strings.Contains(p.Errors[0].Message, strings.Join(tt.sorts, ", ")) {
					t.Fatalf("message %q does not list the allowed fields", p.Errors[0].Message)
				}
			}
		})
	}
}

func toString(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func TestNewPage(t *testing.T) {
	p := httpx.NewPage[string](nil, 0, list.Params{Page: 2, PageSize: 10})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"items":[],"total":0,"page":2,"page_size":10}` {
		t.Fatalf("empty page = %s; items must be [] not null", b)
	}
	b, _ = json.Marshal(httpx.NewPage([]int{1, 2}, 12, list.Params{Page: 1, PageSize: 2}))
	if string(b) != `{"items":[1,2],"total":12,"page":1,"page_size":2}` {
		t.Fatalf("page = %s", b)
	}
}
