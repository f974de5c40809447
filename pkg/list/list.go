// Package list holds what a list use case is asked for — which page, how
// many rows, a search text and a sort — apart from HTTP, so use cases and
// repositories take it without importing the web layer (httpx.ParseList
// reads it from a query string).
package list

import "encoding/json"

// Params are the common list parameters: page (from 1), page size, search
// text and sort field (validated against the allowed list by whoever
// parses them).
type Params struct {
	Page     int
	PageSize int
	Q        string
	Sort     string // field name
	Desc     bool
	// Keyset, when set, asks for keyset paging: the page starts after
	// Keyset.After (when that is set) instead of at Offset, and the
	// repository leaves in Keyset.Next where the following page starts.
	// Nil (list.First, use cases reading everything) pages by offset only.
	Keyset *Keyset
}

// Keyset is the keyset half of a list request: where the page starts and,
// once the repository has read it, where the next one does. It is a
// pointer in Params so that the position the repository finds travels
// back through the use case, which passes Params on by value.
type Keyset struct {
	After *Position // nil: the first page, or the page at Params.Offset
	Next  *Position // set by the repository when rows follow the page
	// Seeked is set by the repository that started the page at After; a
	// cursor nobody seeked by is refused, not answered with page one.
	Seeked bool
}

// Position is a row's place in a list order: the values of its sort
// column and of the tiebreak column (the id), each as JSON so that the
// repository decodes them into the column's own type.
type Position struct {
	Key json.RawMessage `json:"k"`
	ID  json.RawMessage `json:"i"`
}

// Offset is the row offset of the page; a page after a position starts
// at the position, not at an offset.
func (p Params) Offset() int {
	if p.After() != nil {
		return 0
	}
	return (p.Page - 1) * p.PageSize
}

// After is the position the page starts after, or nil.
func (p Params) After() *Position {
	if p.Keyset == nil {
		return nil
	}
	return p.Keyset.After
}

// First is the first page of n rows, unsorted and unfiltered: what a use
// case asks for when it wants (up to) everything.
func First(n int) Params { return Params{Page: 1, PageSize: n} }
