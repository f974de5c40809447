package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// AcceptPromotion is the target carrier's staff accepting the promotion
// of the residency the company consented to.
type AcceptPromotion struct {
	Actor       app.Actor
	ResidencyID string
}

// AcceptPromotionRepository is what AcceptPromotionHandler needs.
type AcceptPromotionRepository interface {
	opener
	transactor
	residencyUpdater
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
}

// AcceptPromotionHandler accepts promotions.
type AcceptPromotionHandler struct {
	handlerWith[AcceptPromotionRepository, PromotionRepository]
}

// NewAcceptPromotionHandler returns the handler over its repositories.
var NewAcceptPromotionHandler = newHandlerWith[AcceptPromotionHandler, AcceptPromotionRepository, PromotionRepository]

// Handle closes the old residency as promoted and opens one (admitted) at
// the target, or lets the one its own intake already opened continue the
// chain; it answers the promotion and the target's residency.
func (h AcceptPromotionHandler) Handle(ctx context.Context, cmd AcceptPromotion) (*domain.Promotion, *domain.Residency, error) {
	var p *domain.Promotion
	next, err := app.SignedInWithin(ctx, cmd.Actor, h.repo.Transaction, func(ctx context.Context) (*domain.Residency, error) {
		var next *domain.Residency
		now := h.now()
		err := h.repo.Update(ctx, cmd.Actor, cmd.ResidencyID, func(ctx context.Context, r *domain.Residency) ([]events.Payload, error) {
			p, err := h.promotion(ctx, cmd.Actor, r)
			if err != nil {
				return nil, err
			}
			today := calendar.Today(now)
			if err := r.End(domain.ActPromote, "promoted", today, now); err != nil {
				return nil, err
			}
			to, err := h.repo.GetCarrier(ctx, p.To().ID)
			if err != nil {
				return nil, err
			}
			next, err = h.repo.OpenResidencyAt(ctx, p.CompanyID(), to.ID)
			switch {
			case err == nil:
				err = h.repo.Update(ctx, cmd.Actor, next.ID(), func(_ context.Context, n *domain.Residency) ([]events.Payload, error) {
					next = n
					return nil, n.ContinueChain(r.ID(), now)
				})
			case apperr.Is(err, apperr.NotFound):
				next, err = openResidency(ctx, h.repo, cmd.Actor, p.CompanyID(), to, domain.ResidencySource{PromotedFromID: r.ID()}, today, now)
			}
			if err != nil {
				return nil, err
			}
			rp, err := payload(ctx, h.repo, r)
			if err != nil {
				return nil, err
			}
			return []events.Payload{events.ResidencyPromotedV1{ResidencyV1: rp, PromotionID: p.ID(), ToCarrierID: to.ID, ToResidencyID: next.ID()}}, nil
		})
		if err != nil {
			return nil, err
		}
		// The promotion's event follows the residency's, as it always did.
		return next, h.aggregates.UpdateLatest(ctx, cmd.Actor, cmd.ResidencyID, func(_ context.Context, x *domain.Promotion) ([]events.Payload, error) {
			p = x
			if err := x.Accept(cmd.Actor.UserID, next.ID(), now); err != nil {
				return nil, err
			}
			return []events.Payload{events.PromotionAcceptedV1{PromotionV1: app.PromotionPayload(x)}}, nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return p, next, nil
}

// promotion is r's consented promotion, for the target carrier's staff:
// 404 to who may see neither the residency nor (once consented) the
// promotion, 403 to other readers, 409 before the company consents.
func (h AcceptPromotionHandler) promotion(ctx context.Context, actor app.Actor, r *domain.Residency) (*domain.Promotion, error) {
	p, err := targetPromotion(ctx, h.repo, h.authz, actor, r)
	if err != nil {
		return nil, err
	}
	return p, p.CanAccept()
}

// targetPromotion is r's latest promotion, for the target carrier's staff
// only: 404 to who may see neither the residency nor (once consented) the
// promotion, 403 to its other readers.
func targetPromotion(ctx context.Context, repo interface {
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
}, e *authz.Enforcer, actor app.Actor, r *domain.Residency) (*domain.Promotion, error) {
	p, err := repo.LatestPromotion(ctx, r.ID())
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err := app.AuthorizePromotion(e, actor, r, p); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, apperr.NotFoundErr("promotion-not-found")
	}
	if !e.Can(actor.UserID, app.PromotionTarget(p), "residency", "update") {
		return nil, apperr.ForbiddenErr("not-target-carrier")
	}
	return p, nil
}
