package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ReviewApplication records a reviewer's rubric scores.
type ReviewApplication struct {
	Actor         app.Actor
	ApplicationID string
	Scores        map[string]int
	Comment       string
}

// ReviewApplicationHandler records reviews.
type ReviewApplicationHandler struct{ handler[ApplicationRepository] }

// NewReviewApplicationHandler returns the handler over the application repository.
var NewReviewApplicationHandler = newHandler[ReviewApplicationHandler, ApplicationRepository]

// Handle records the actor's review; the first review moves a submitted
// application to reviewing.
func (h ReviewApplicationHandler) Handle(ctx context.Context, cmd ReviewApplication) (*domain.Application, error) {
	return updateApplication(ctx, h.repo, h.authz, cmd.Actor, cmd.ApplicationID, "review", func(ctx context.Context, x *domain.Application) (app.Change, error) {
		call, err := h.repo.GetIntakeCall(ctx, x.CallID)
		if err != nil {
			return app.Change{}, err
		}
		if err := x.Move(domain.AppActReview, h.now()); err != nil {
			return app.Change{}, err
		}
		r, err := domain.NewReview(call, x.ID, cmd.Actor.UserID, cmd.Scores, cmd.Comment, h.now())
		if err != nil {
			return app.Change{}, err
		}
		if err := h.repo.PutReview(ctx, r); err != nil {
			return app.Change{}, err
		}
		return app.ApplicationChange(x, "application.review",
			events.ApplicationReviewedV1{ApplicationV1: app.ApplicationPayload(x), ReviewerID: cmd.Actor.UserID, Scores: r.Scores},
			map[string]any{"scores": r.Scores}), nil
	})
}
