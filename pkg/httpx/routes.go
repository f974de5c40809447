package httpx

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/list"
)

// Endpoint is one operation of a service: how the OpenAPI document
// describes it and the handler that serves it. A service's route table is
// a list of endpoints, each built from its method and path with named
// options, so that a row says what it means:
//
//	httpx.GET("/api/v1/regions", h.listRegions).Doc("可见区域 / Visible regions").Lists(RegionDTO{}),
//	httpx.POST("/api/v1/regions", h.createRegion).Doc("新建区域 / Create a region").Takes(regionInput{}).Creates(RegionDTO{}),
//
// Mount serves and documents the whole table at once, so the router and
// the document cannot drift apart. The options return a changed copy.
type Endpoint struct {
	Route   Route
	Handler gin.HandlerFunc
}

func endpoint(method, path string, h gin.HandlerFunc) Endpoint {
	return Endpoint{Route: Route{Method: method, Path: path, Status: http.StatusOK}, Handler: h}
}

// GET is a GET endpoint at path (gin syntax, :id) served by h.
func GET(path string, h gin.HandlerFunc) Endpoint { return endpoint(http.MethodGet, path, h) }

// POST is a POST endpoint at path served by h.
func POST(path string, h gin.HandlerFunc) Endpoint { return endpoint(http.MethodPost, path, h) }

// PUT is a PUT endpoint at path served by h.
func PUT(path string, h gin.HandlerFunc) Endpoint { return endpoint(http.MethodPut, path, h) }

// PATCH is a PATCH endpoint at path served by h.
func PATCH(path string, h gin.HandlerFunc) Endpoint { return endpoint(http.MethodPatch, path, h) }

// DELETE is a DELETE endpoint at path served by h.
func DELETE(path string, h gin.HandlerFunc) Endpoint { return endpoint(http.MethodDelete, path, h) }

// Doc is the operation's summary ("中文 / English").
func (e Endpoint) Doc(summary string) Endpoint { e.Route.Summary = summary; return e }

// Tag groups the operation in the document.
func (e Endpoint) Tag(tag string) Endpoint { e.Route.Tag = tag; return e }

// Takes is the JSON request body, a value of its Go type.
func (e Endpoint) Takes(body any) Endpoint { e.Route.Request = body; return e }

// Returns is the 200 answer, a value of its Go type.
func (e Endpoint) Returns(body any) Endpoint {
	e.Route.Response, e.Route.Status = body, http.StatusOK
	return e
}

// Creates is the 201 answer (nil: 201 without a body).
func (e Endpoint) Creates(body any) Endpoint {
	e.Route.Response, e.Route.Status = body, http.StatusCreated
	return e
}

// Lists is a 200 list answer: a Page of item (or item itself when it
// already embeds a Page), with the page, page_size, q and sort parameters.
func (e Endpoint) Lists(item any) Endpoint {
	e.Route.Response, e.Route.Status, e.Route.List = item, http.StatusOK, true
	return e
}

// NoContent is a 204 answer.
func (e Endpoint) NoContent() Endpoint {
	e.Route.Response, e.Route.Status = nil, http.StatusNoContent
	return e
}

// Public needs no sign-in.
func (e Endpoint) Public() Endpoint { e.Route.Public = true; return e }

// RawBody takes a file of any media type as the body, not JSON.
func (e Endpoint) RawBody() Endpoint { e.Route.RawRequest = true; return e }

// RawAnswer answers with a file in its own media type, not JSON.
func (e Endpoint) RawAnswer() Endpoint { e.Route.RawResponse = true; return e }

// Tagged sets tag on every endpoint of eps (an area's table, say).
func Tagged(tag string, eps ...Endpoint) []Endpoint {
	out := make([]Endpoint, len(eps))
	for i, e := range eps {
		out[i] = e.Tag(tag)
	}
	return out
}

// Mount registers every endpoint on r and documents it in doc, in order.
func Mount(r gin.IRouter, doc *OpenAPI, eps ...Endpoint) {
	for _, e := range eps {
		r.Handle(e.Route.Method, e.Route.Path, e.Handler)
		doc.Add(e.Route)
	}
}

// MountAPI mounts eps on r (Mount) and answers their OpenAPI document,
// titled title: what a service's ports give the skeleton to serve.
func MountAPI(r gin.IRouter, title string, eps ...Endpoint) *OpenAPI {
	doc := NewOpenAPI(title, "1.0.0")
	Mount(r, doc, eps...)
	return doc
}

// RespondPage answers a list request: it reads the page parameters
// (sorts are the sortable fields, the first the default; see ParseList),
// asks fetch for that page, and writes the items, each through dto, with
// the total as a Page. A bad parameter or fetch's error is the problem.
func RespondPage[T, D any](c *gin.Context, sorts []string, fetch func(p list.Params) ([]T, int, error), dto func(T) D) {
	p, err := ParseList(c, sorts...)
	if err != nil {
		Error(c, err)
		return
	}
	items, total, err := fetch(p)
	if err != nil {
		Error(c, err)
		return
	}
	page := NewPage(convert(items, dto), total, p)
	if err := withCursor(c, &page, p); err != nil {
		Error(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// withCursor completes a page read with p: next_cursor from the position
// the repository left, and page 0 on a page reached by cursor (its number
// is not known). A cursor the list did not seek by (a list that pages by
// offset only, or a sort over a column that may be NULL) is refused,
// rather than answered with the first page.
func withCursor[T any](c *gin.Context, page *Page[T], p list.Params) error {
	if p.Keyset == nil {
		return nil
	}
	if p.Keyset.After != nil {
		if !p.Keyset.Seeked {
			return apperr.NewValidation("invalid-query").Add("cursor", "bad_cursor").Err()
		}
		page.Page = 0
	}
	if p.Keyset.Next != nil {
		s, err := encodeCursor(p.Keyset.Next, c.Request.URL.Query())
		if err != nil {
			return fmt.Errorf("encode next cursor: %w", err)
		}
		page.NextCursor = s
	}
	return nil
}

// RespondAll answers a list that is not paged: every item, each through
// dto, as one Page; or err as a problem.
func RespondAll[T, D any](c *gin.Context, items []T, err error, dto func(T) D) {
	if err != nil {
		Error(c, err)
		return
	}
	out := convert(items, dto)
	c.JSON(http.StatusOK, NewPage(out, len(out), list.First(len(out))))
}

func convert[T, D any](items []T, dto func(T) D) []D {
	out := make([]D, 0, len(items))
	for _, x := range items {
		out = append(out, dto(x))
	}
	return out
}
