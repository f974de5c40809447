package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// MoveIn records that an admitted company moved in.
type MoveIn struct {
	Actor       app.Actor
	ResidencyID string
	Facts       domain.MoveInFacts
}

// MoveInRepository is what MoveInHandler needs.
type MoveInRepository interface {
	mover
	Update(ctx context.Context, actor app.Actor, id string, fn UpdateFunc) error
}

// MoveInHandler records move-ins.
type MoveInHandler struct {
	repo  MoveInRepository
	authz *authz.Enforcer
	now   func() time.Time
}

// NewMoveInHandler returns the handler over repo.
func NewMoveInHandler(repo MoveInRepository, e *authz.Enforcer, now func() time.Time) MoveInHandler {
	return MoveInHandler{repo: repo, authz: e, now: now}
}

// Handle moves the residency in, with the term end of its region's pack.
func (h MoveInHandler) Handle(ctx context.Context, cmd MoveIn) (*domain.Residency, error) {
	if err := authz.Authenticated(cmd.Actor.UserID); err != nil {
		return nil, err
	}
	var out *domain.Residency
	err := h.repo.Update(ctx, cmd.Actor, cmd.ResidencyID, func(ctx context.Context, r *domain.Residency) ([]events.Payload, error) {
		if err := authorizeResidency(h.authz, cmd.Actor, r, "update"); err != nil {
			return nil, err
		}
		out = r
		return moveIn(ctx, h.repo, r, cmd.Facts, h.now())
	})
	return out, err
}
