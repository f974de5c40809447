package command

import (
	"context"

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
	residencyUpdater
}

// MoveInHandler records move-ins.
type MoveInHandler struct {
	handler[MoveInRepository]
}

// NewMoveInHandler returns the handler over repo.
var NewMoveInHandler = newHandler[MoveInHandler, MoveInRepository]

// Handle moves the residency in, with the term end of its region's pack.
func (h MoveInHandler) Handle(ctx context.Context, cmd MoveIn) (*domain.Residency, error) {
	return updateResidency(ctx, h.repo, h.authz, cmd.Actor, cmd.ResidencyID, func(ctx context.Context, r *domain.Residency) ([]events.Payload, error) {
		return moveIn(ctx, h.repo, r, cmd.Facts, h.now())
	})
}
