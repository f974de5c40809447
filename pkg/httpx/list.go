package httpx

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/list"
)

// Page is the response shape of every list endpoint.
// NextCursor, on the lists that page by cursor, is where the following
// page starts (pass it as cursor); it is absent on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	Page       int    `json:"page"`
	PageSize   int    `json:"page_size"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// NewPage wraps items; a nil slice becomes [] so clients never see null.
func NewPage[T any](items []T, total int, p list.Params) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: total, Page: p.Page, PageSize: p.PageSize}
}

// ParseList reads list parameters; sorts lists the sortable fields, the
// first being the default. A cursor (from a previous page's next_cursor)
// asks for the page after the row it names, in place of page; it must
// come back with the same list parameters it was issued for.
func ParseList(c *gin.Context, sorts ...string) (list.Params, error) {
	v := apperr.NewValidation("invalid-query")
	p := list.Params{Page: 1, PageSize: 20, Q: strings.TrimSpace(c.Query("q")), Keyset: &list.Keyset{}}
	if s := c.Query("cursor"); s != "" {
		v.Check(c.Query("page") != "", "page", "with_cursor")
		pos, ok := decodeCursor(s, c.Request.URL.Query())
		v.Check(!ok, "cursor", "bad_cursor")
		p.Keyset.After = pos
	}
	if s := c.Query("page"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err != nil || n < 1 || n > 100000, "page", "out_of_range", "min", 1, "max", 100000)
		p.Page = n
	}
	if s := c.Query("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err != nil || n < 1 || n > 200, "page_size", "out_of_range", "min", 1, "max", 200)
		p.PageSize = n
	}
	v.Check(len([]rune(p.Q)) > 100, "q", "too_long", "max", 100)
	if len(sorts) > 0 {
		p.Sort = sorts[0]
	}
	if s := c.Query("sort"); s != "" {
		field, desc := strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-")
		ok := false
		for _, allowed := range sorts {
			ok = ok || allowed == field
		}
		v.Check(!ok, "sort", "bad_sort", "allowed", strings.Join(sorts, ", "))
		p.Sort, p.Desc = field, desc
	}
	return p, v.Err()
}

// A cursor is opaque to clients: base64url of the position (list.Position
// as JSON) followed by a check of 8 bytes, the start of a SHA-256 over the
// position and the list parameters it was issued with (the query string
// without page, page_size and cursor). The check turns a cursor that was
// cut, edited or brought to another list, sort, search or filter into a
// 422 instead of a page from a wrong place. It is not a secret MAC: a
// client that forges a cursor gains nothing, for the position only seeks
// inside the list the request may read anyway.
const cursorCheck = 8

func cursorSum(pos []byte, query url.Values) []byte {
	q := url.Values{}
	for k, vs := range query {
		if k != "cursor" && k != "page" && k != "page_size" {
			q[k] = vs
		}
	}
	h := sha256.New()
	h.Write(pos)
	h.Write([]byte{0})
	h.Write([]byte(q.Encode()))
	return h.Sum(nil)[:cursorCheck]
}

// encodeCursor is the cursor of pos for the list query asks for.
func encodeCursor(pos *list.Position, query url.Values) (string, error) {
	b, err := json.Marshal(pos)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append(b, cursorSum(b, query)...)), nil
}

// decodeCursor is the position s names, or false when s is not a cursor
// this list issued for query.
func decodeCursor(s string, query url.Values) (*list.Position, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) <= cursorCheck {
		return nil, false
	}
	b, sum := raw[:len(raw)-cursorCheck], raw[len(raw)-cursorCheck:]
	if !bytes.Equal(sum, cursorSum(b, query)) {
		return nil, false
	}
	var pos list.Position
	if json.Unmarshal(b, &pos) != nil || len(pos.Key) == 0 || len(pos.ID) == 0 {
		return nil, false
	}
	return &pos, true
}
