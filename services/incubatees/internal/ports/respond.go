package ports

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// bound is the request body bound into an In; false when it does not
// bind, and then the problem is answered already.
func bound[In any](c *gin.Context) (in In, ok bool) {
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return in, false
	}
	return in, true
}

// bindRespond is the shape of every handler that takes a body: it binds
// the body into an In, runs use with it (where the input is checked
// further and the use case called), and answers use's result through dto
// with status, or the first error on the way as a problem.
func bindRespond[In, T, D any](c *gin.Context, status int, use func(in In) (T, error), dto func(T) D) {
	in, ok := bound[In](c)
	if !ok {
		return
	}
	x, err := use(in)
	httpx.Respond(c, status, x, err, dto)
}

// idRespond is the handler of a use case that takes only the caller and
// the path's id: it answers the result through dto, or the error.
func idRespond[T, D any](use func(ctx context.Context, actor app.Actor, id string) (T, error), dto func(T) D) gin.HandlerFunc {
	return func(c *gin.Context) {
		x, err := use(c.Request.Context(), actor(c), c.Param("id"))
		httpx.Respond(c, http.StatusOK, x, err, dto)
	}
}

// convert is each of xs through dto, in order.
func convert[T, D any](xs []T, dto func(T) D) []D {
	out := make([]D, 0, len(xs))
	for _, x := range xs {
		out = append(out, dto(x))
	}
	return out
}

// noContent answers 204, or the error.
func noContent(c *gin.Context, err error) {
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
