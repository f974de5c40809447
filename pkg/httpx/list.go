package httpx

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/list"
)

// Page is the response shape of every list endpoint.
type Page[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// NewPage wraps items; a nil slice becomes [] so clients never see null.
func NewPage[T any](items []T, total int, p list.Params) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: total, Page: p.Page, PageSize: p.PageSize}
}

// ParseList reads list parameters; sorts lists the sortable fields, the
// first being the default.
func ParseList(c *gin.Context, sorts ...string) (list.Params, error) {
	v := apperr.NewValidation("invalid-query")
	p := list.Params{Page: 1, PageSize: 20, Q: strings.TrimSpace(c.Query("q"))}
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
