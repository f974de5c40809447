package httpx_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/list"
)

// cursorServer serves /numbers: the numbers 1..n, optionally only the
// even ones (?even=1), as a keyset list the way a repository pages one
// (it seeks after the position and leaves the next), and /offset-only: a
// list that never seeks.
func cursorServer(t *testing.T, n int) string {
	t.Helper()
	srv, _ := newServer(t, "test", func(r *gin.Engine) {
		r.GET("/numbers", func(c *gin.Context) {
			httpx.RespondPage(c, nil, func(p list.Params) ([]int, int, error) {
				var all []int
				for i := 1; i <= n; i++ {
					if c.Query("even") == "" || i%2 == 0 {
						all = append(all, i)
					}
				}
				start := p.Offset()
				if after := p.After(); after != nil {
					var k int
					if err := json.Unmarshal(after.Key, &k); err != nil {
						return nil, 0, err
					}
					start, _ = slices.BinarySearch(all, k+1)
					p.Keyset.Seeked = true
				}
				page := all[min(start, len(all)):min(start+p.PageSize, len(all))]
				if start+p.PageSize < len(all) {
					k, _ := json.Marshal(page[len(page)-1])
					p.Keyset.Next = &list.Position{Key: k, ID: k}
				}
				return page, len(all), nil
			}, func(i int) int { return i })
		})
		r.GET("/offset-only", func(c *gin.Context) {
			httpx.RespondPage(c, nil, func(p list.Params) ([]int, int, error) { return []int{1}, 1, nil }, func(i int) int { return i })
		})
	})
	return srv.URL
}

func getPage(t *testing.T, u string) (httpx.Page[int], response) {
	t.Helper()
	res := do(t, "GET", u, nil, nil)
	var p httpx.Page[int]
	if res.status == 200 {
		if err := json.Unmarshal(res.body, &p); err != nil {
			t.Fatalf("decode %s: %v", res.body, err)
		}
	}
	return p, res
}

func TestCursorWalksEveryPageOnce(t *testing.T) {
	base := cursorServer(t, 45)
	first, _ := getPage(t, base+"/numbers?page_size=10&even=1")
	var got []int
	p := first
	for pages := 1; ; pages++ {
		got = append(got, p.Items...)
		if p.NextCursor == "" {
			if pages != 3 {
				t.Fatalf("walked %d pages of 10 over 22 numbers, want 3", pages)
			}
			break
		}
		var res response
		p, res = getPage(t, base+"/numbers?page_size=10&even=1&cursor="+url.QueryEscape(p.NextCursor))
		if res.status != 200 {
			t.Fatalf("page %d: %d %s", pages+1, res.status, res.body)
		}
		if p.Page != 0 || p.Total != 22 {
			t.Fatalf("a page by cursor says page %d, total %d; want 0 (unknown) and 22", p.Page, p.Total)
		}
	}
	var want []int
	for i := 2; i <= 45; i += 2 {
		want = append(want, i)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("walk = %v, want %v", got, want)
	}
	if first.Page != 1 {
		t.Fatalf("first page says page %d", first.Page)
	}
}

func TestBadCursorIs422(t *testing.T) {
	base := cursorServer(t, 45)
	first, _ := getPage(t, base+"/numbers?page_size=10")
	if first.NextCursor == "" {
		t.Fatal("no next cursor on a full first page")
	}
	raw, err := base64.RawURLEncoding.DecodeString(first.NextCursor)
	if err != nil {
		t.Fatalf("cursor is not base64url: %v", err)
	}
	flipped := slices.Clone(raw)
	flipped[len(flipped)/3] ^= 0x01
	// A position edited by hand ("k":10 → "k":30) with its check left.
	edited := []byte(string(raw))
	copy(edited, []byte(`{"k":30`))
	tests := map[string]string{
		"garbage":          "/numbers?cursor=%21%21not-a-cursor",
		"not base64":       "/numbers?cursor=" + url.QueryEscape("a b c"),
		"too short":        "/numbers?cursor=" + base64.RawURLEncoding.EncodeToString(raw[:6]),
		"cut":              "/numbers?cursor=" + first.NextCursor[:len(first.NextCursor)-3],
		"one bit changed":  "/numbers?cursor=" + base64.RawURLEncoding.EncodeToString(flipped),
		"position edited":  "/numbers?cursor=" + base64.RawURLEncoding.EncodeToString(edited),
		"other filter":     "/numbers?even=1&cursor=" + first.NextCursor,
		"list never seeks": "/offset-only?cursor=" + first.NextCursor,
	}
	for name, path := range tests {
		t.Run(name, func(t *testing.T) {
			for lang, want := range map[string]string{
				"zh-CN": "翻页位置无效，或不属于当前的筛选、搜索与排序；请从第一页重新开始",
				"en":    "is not a position in this list with these filters, search and sort; start again from the first page",
			} {
				res := do(t, "GET", base+path, nil, map[string]string{"Accept-Language": lang})
				if res.status != 422 {
					t.Fatalf("%s: status %d %s, want 422", lang, res.status, res.body)
				}
				pr := problem(t, res)
				if len(pr.Errors) != 1 || pr.Errors[0].Field != "cursor" || pr.Errors[0].Code != "bad_cursor" || pr.Errors[0].Message != want {
					t.Fatalf("%s: errors = %+v, want cursor/bad_cursor %q", lang, pr.Errors, want)
				}
			}
		})
	}
	t.Run("with page", func(t *testing.T) {
		res := do(t, "GET", base+"/numbers?page=2&cursor="+first.NextCursor, nil, map[string]string{"Accept-Language": "en"})
		pr := problem(t, res)
		if res.status != 422 || len(pr.Errors) != 1 || pr.Errors[0].Field != "page" || pr.Errors[0].Code != "with_cursor" {
			t.Fatalf("status %d errors %+v, want 422 page/with_cursor", res.status, pr.Errors)
		}
	})
	t.Run("page size may change", func(t *testing.T) {
		p, res := getPage(t, base+"/numbers?page_size=5&cursor="+first.NextCursor)
		if res.status != 200 || !slices.Equal(p.Items, []int{11, 12, 13, 14, 15}) {
			t.Fatalf("status %d items %v, want 11..15", res.status, p.Items)
		}
	})
}
