package incubatees

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/httpx"
)

type companyPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	Total      int    `json:"total"`
	Page       int    `json:"page"`
	NextCursor string `json:"next_cursor"`
}

func (o officerRegion) companies(t *testing.T, query string) companyPage {
	t.Helper()
	w := httptest.NewRecorder()
	o.svc.Handler().ServeHTTP(w, o.get("/api/v1/regions/"+o.region+"/companies?"+query))
	if w.Code != http.StatusOK {
		t.Fatalf("GET companies?%s: %d %s", query, w.Code, w.Body)
	}
	var p companyPage
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
	return p
}

// walkCompanies reads every page of the region's companies in sort, by
// cursor or by page number, running between after each page.
func (o officerRegion) walkCompanies(t *testing.T, sort string, byCursor bool, between func(page int)) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for page := 1; page < 100; page++ {
		q := "page_size=7&sort=" + url.QueryEscape(sort)
		switch {
		case byCursor && cursor != "":
			q += "&cursor=" + url.QueryEscape(cursor)
		case !byCursor:
			q += fmt.Sprintf("&page=%d", page)
		}
		p := o.companies(t, q)
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if byCursor && p.NextCursor == "" || !byCursor && len(p.Items) == 0 {
			return ids
		}
		cursor = p.NextCursor
		if between != nil {
			between(page)
		}
	}
	t.Fatal("the walk did not end")
	return nil
}

// GET /regions/:id/companies by cursor: every page walked by next_cursor
// is the offset walk, in every sort, both ways (the seeded companies share
// their creation time and industry, so the id breaks those ties); rows
// registered during the walk neither make it skip nor repeat one.
func TestCompaniesPageByCursor(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			o := startOfficerRegion(t, d, 61)
			for _, sort := range []string{"name", "-name", "created_at", "-created_at", "industry", "-industry"} {
				byOffset, byCursor := o.walkCompanies(t, sort, false, nil), o.walkCompanies(t, sort, true, nil)
				if len(byOffset) != 61 || !slices.Equal(byCursor, byOffset) {
					t.Fatalf("sort %s: cursor walk (%d rows) != offset walk (%d rows)\n%v\n%v", sort, len(byCursor), len(byOffset), byCursor, byOffset)
				}
			}

			before := o.walkCompanies(t, "name", true, nil)
			pages := 0
			during := o.walkCompanies(t, "name", true, func(page int) {
				pages++
				// "A…" sorts before every seeded name (behind the walk),
				// "龥…" after all of them (ahead of it).
				seedCompanies(t, o.svc.DB, o.region, 1, fmt.Sprintf("A%d", page))
				seedCompanies(t, o.svc.DB, o.region, 1, fmt.Sprintf("龥%d", page))
			})
			dbtest.CheckWalkUnderInserts(t, before, during, pages)
		})
	}
}

// A cursor that is garbage, edited, or brought to another sort or search
// is 422 problem+json naming the field cursor, in Chinese and English.
func TestCompaniesBadCursor(t *testing.T) {
	o := startOfficerRegion(t, "sqlite", 30)
	next := o.companies(t, "page_size=5&sort=name").NextCursor
	if next == "" {
		t.Fatal("a full first page has no next_cursor")
	}
	edited := []byte(next)
	edited[3] ^= 0x01
	for name, q := range map[string]string{
		"garbage":      "cursor=garbage",
		"edited":       "sort=name&cursor=" + string(edited),
		"other sort":   "sort=created_at&cursor=" + next,
		"other search": "sort=name&q=" + url.QueryEscape("企业") + "&cursor=" + next,
		"with page":    "sort=name&page=2&cursor=" + next,
	} {
		for lang, want := range map[string]string{"zh-CN": "翻页位置无效", "en": "is not a position in this list"} {
			w := httptest.NewRecorder()
			r := o.get("/api/v1/regions/" + o.region + "/companies?" + q)
			r.Header.Set("Accept-Language", lang)
			o.svc.Handler().ServeHTTP(w, r)
			var p httpx.Problem
			_ = json.Unmarshal(w.Body.Bytes(), &p)
			if w.Code != http.StatusUnprocessableEntity || w.Header().Get("Content-Type") != httpx.ProblemContentType || len(p.Errors) != 1 {
				t.Fatalf("%s (%s): %d %s %s, want 422 problem+json with one field error", name, lang, w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			fe := p.Errors[0]
			if name == "with page" {
				if fe.Field != "page" || fe.Code != "with_cursor" {
					t.Fatalf("%s: %+v, want page/with_cursor", name, fe)
				}
				continue
			}
			if fe.Field != "cursor" || fe.Code != "bad_cursor" || len(fe.Message) < len(want) || fe.Message[:len(want)] != want {
				t.Fatalf("%s (%s): %+v, want cursor/bad_cursor %q…", name, lang, fe, want)
			}
		}
	}
}
