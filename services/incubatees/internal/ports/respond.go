package ports

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

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

// idBind is the handler of a use case that takes the caller, the path's
// id and the JSON body: a body that does not bind answers its problem,
// else the result goes out with status through dto, or the error.
func idBind[In, T, D any](status int, use func(ctx context.Context, actor app.Actor, id string, in In) (T, error), dto func(T) D) gin.HandlerFunc {
	return func(c *gin.Context) {
		httpx.BindRespond(c, status, func(in In) (T, error) {
			return use(c.Request.Context(), actor(c), c.Param("id"), in)
		}, dto)
	}
}
