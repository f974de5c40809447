// Package list holds what a list use case is asked for — which page, how
// many rows, a search text and a sort — apart from HTTP, so use cases and
// repositories take it without importing the web layer (httpx.ParseList
// reads it from a query string).
package list

// Params are the common list parameters: page (from 1), page size, search
// text and sort field (validated against the allowed list by whoever
// parses them).
type Params struct {
	Page     int
	PageSize int
	Q        string
	Sort     string // field name
	Desc     bool
}

// Offset is the row offset of the page.
func (p Params) Offset() int { return (p.Page - 1) * p.PageSize }

// First is the first page of n rows, unsorted and unfiltered: what a use
// case asks for when it wants (up to) everything.
func First(n int) Params { return Params{Page: 1, PageSize: n} }
