package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// DeclinePromotion is the target carrier's staff declining, with a
// reason, the promotion of the residency the company consented to.
type DeclinePromotion struct {
	Actor       app.Actor
	ResidencyID string
	Reason      string
}

// DeclinePromotionRepository is what DeclinePromotionHandler needs.
type DeclinePromotionRepository interface {
	transactor
	residencyGetter
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
	UnlinkCarrierUnbacked(ctx context.Context, companyID, carrierID, exceptPromotionID string) error
}

// DeclinePromotionHandler declines promotions.
type DeclinePromotionHandler struct {
	handlerWith[DeclinePromotionRepository, PromotionRepository]
}

// NewDeclinePromotionHandler returns the handler over its repositories.
var NewDeclinePromotionHandler = newHandlerWith[DeclinePromotionHandler, DeclinePromotionRepository, PromotionRepository]

// Handle records the decline and its reason on the promotion, which the
// sending carrier and the company then read; the residency stays where it
// is (in residence at the sending carrier), free for a new proposal. The
// sight of the company that consent gave the receiving carrier ends with
// the decline, unless another relationship backs it.
func (h DeclinePromotionHandler) Handle(ctx context.Context, cmd DeclinePromotion) (*domain.Promotion, error) {
	return answerPromotion(ctx, h.repo, h.aggregates, cmd.Actor, func(ctx context.Context) (*domain.Residency, error) {
		r, err := h.repo.GetResidency(ctx, cmd.ResidencyID)
		if err != nil {
			return nil, err
		}
		_, err = targetPromotion(ctx, h.repo, h.authz, cmd.Actor, r)
		return r, err
	}, func(ctx context.Context, p *domain.Promotion) ([]events.Payload, error) {
		if err := p.Decline(cmd.Actor.UserID, cmd.Reason, h.now()); err != nil {
			return nil, err
		}
		if err := h.repo.UnlinkCarrierUnbacked(ctx, p.CompanyID(), p.To().ID, p.ID()); err != nil {
			return nil, err
		}
		return []events.Payload{events.PromotionDeclinedV1{PromotionV1: app.PromotionPayload(p), Reason: p.DeclineReason()}}, nil
	})
}
