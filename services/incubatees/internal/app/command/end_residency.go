package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// EndResidency graduates a company (Action graduate) or records its exit
// (Action exit) on date On.
type EndResidency struct {
	Actor       app.Actor
	ResidencyID string
	Action      domain.ResidencyAction
	Reason      string
	On          time.Time
}

// EndResidencyRepository is what EndResidencyHandler needs.
type EndResidencyRepository interface {
	residencyReads
	residencyUpdater
}

// EndResidencyHandler graduates companies and records exits.
type EndResidencyHandler struct {
	handler[EndResidencyRepository]
}

// NewEndResidencyHandler returns the handler over repo.
var NewEndResidencyHandler = newHandler[EndResidencyHandler, EndResidencyRepository]

// Handle ends the residency; promotion has its own use case.
func (h EndResidencyHandler) Handle(ctx context.Context, cmd EndResidency) (*domain.Residency, error) {
	if cmd.Action != domain.ActGraduate && cmd.Action != domain.ActExit {
		return nil, apperr.New(apperr.IncorrectInput, "invalid-residency")
	}
	return updateResidency(ctx, h.repo, h.authz, cmd.Actor, cmd.ResidencyID, func(ctx context.Context, r *domain.Residency) ([]events.Payload, error) {
		if err := r.End(cmd.Action, cmd.Reason, cmd.On, h.now()); err != nil {
			return nil, err
		}
		p, err := payload(ctx, h.repo, r)
		if err != nil {
			return nil, err
		}
		if cmd.Action == domain.ActGraduate {
			return []events.Payload{events.ResidencyGraduatedV1{ResidencyV1: p}}, nil
		}
		return []events.Payload{events.ResidencyExitedV1{ResidencyV1: p}}, nil
	})
}
