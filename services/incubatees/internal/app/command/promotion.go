package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// PromotionFunc changes a loaded promotion and returns the events to publish.
type PromotionFunc = ChangeFunc[*domain.Promotion, []events.Payload]

// PromotionRepository is the promotion aggregate's repository. Promotions
// are addressed through their residency: UpdateLatest loads its newest.
type PromotionRepository interface {
	adder[*domain.Promotion]
	UpdateLatest(ctx context.Context, actor app.Actor, residencyID string, fn PromotionFunc) error
}

// ProposePromotion is the current carrier proposing the company to a
// carrier higher in the chain of the same region, with the items
// (besides its profile) the handoff packet would carry.
type ProposePromotion struct {
	Actor       app.Actor
	ResidencyID string
	ToCarrierID string
	Note        string
	Shared      []string
}

// ProposePromotionRepository is what ProposePromotionHandler reads.
type ProposePromotionRepository interface {
	transactor
	residencyGetter
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
}

// ProposePromotionHandler proposes promotions.
type ProposePromotionHandler struct {
	handlerWith[ProposePromotionRepository, PromotionRepository]
}

// NewProposePromotionHandler returns the handler over its repositories.
var NewProposePromotionHandler = newHandlerWith[ProposePromotionHandler, ProposePromotionRepository, PromotionRepository]

// Handle proposes, for who may update the residency, while no other
// promotion of it is open.
func (h ProposePromotionHandler) Handle(ctx context.Context, cmd ProposePromotion) (*domain.Promotion, error) {
	return app.SignedInWithin(ctx, cmd.Actor, h.repo.Transaction, func(ctx context.Context) (*domain.Promotion, error) {
		r, err := residencyFor(ctx, h.repo, h.authz, cmd.Actor, cmd.ResidencyID, "update")
		if err != nil {
			return nil, err
		}
		from, err := h.repo.GetCarrier(ctx, r.CarrierID())
		if err != nil {
			return nil, err
		}
		to, err := h.repo.GetCarrier(ctx, cmd.ToCarrierID)
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.NewValidation("invalid-promotion").Add("to_carrier_id", "carrier_not_found").Err()
		} else if err != nil {
			return nil, err
		}
		latest, err := h.repo.LatestPromotion(ctx, r.ID())
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if err := domain.ProposeAfter(latest); err != nil {
			return nil, err
		}
		p, err := domain.NewPromotion(events.NewID(), r, app.ChainCarrier(from), app.ChainCarrier(to), cmd.Note, cmd.Shared, cmd.Actor.UserID, h.now())
		if err != nil {
			return nil, err
		}
		return p, h.aggregates.Add(ctx, cmd.Actor, p, events.PromotionProposedV1{PromotionV1: app.PromotionPayload(p)})
	})
}

// ConsentPromotion is the company's admin consenting to the promotion
// proposed for its residency.
type ConsentPromotion struct {
	Actor       app.Actor
	ResidencyID string
}

// ConsentPromotionRepository is what ConsentPromotionHandler reads, and
// the carrier link it writes.
type ConsentPromotionRepository interface {
	app.HandoffReader
	membershipReader
	transactor
	residencyGetter
	LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error
}

// ConsentPromotionHandler records consents.
type ConsentPromotionHandler struct {
	handlerWith[ConsentPromotionRepository, PromotionRepository]
}

// NewConsentPromotionHandler returns the handler over its repositories.
var NewConsentPromotionHandler = newHandlerWith[ConsentPromotionHandler, ConsentPromotionRepository, PromotionRepository]

// Handle seals the handoff packet (profile snapshot and the shared items)
// into the promotion; the target carrier's staff may now see the company.
func (h ConsentPromotionHandler) Handle(ctx context.Context, cmd ConsentPromotion) (*domain.Promotion, error) {
	return answerPromotion(ctx, h.repo, h.aggregates, cmd.Actor, func(ctx context.Context) (*domain.Residency, error) {
		r, err := residencyFor(ctx, h.repo, h.authz, cmd.Actor, cmd.ResidencyID, "read")
		if err != nil {
			return nil, err
		}
		return r, companyAdmin(ctx, h.repo, cmd.Actor, r.CompanyID(), true, "residency-not-found")
	}, func(ctx context.Context, p *domain.Promotion) ([]events.Payload, error) {
		if err := p.CanConsent(); err != nil {
			return nil, err
		}
		now := h.now()
		packet, err := app.HandoffPacket(ctx, h.repo, p, now)
		if err != nil {
			return nil, err
		}
		if err := p.Consent(cmd.Actor.UserID, packet, now); err != nil {
			return nil, err
		}
		if err := h.repo.LinkCarrier(ctx, p.CompanyID(), p.To().ID, now); err != nil {
			return nil, err
		}
		return []events.Payload{events.PromotionConsentedV1{PromotionV1: app.PromotionPayload(p)}}, nil
	})
}

// answerPromotion is the shape of an answer to a residency's latest
// promotion (consent, decline): in one transaction, for a signed-in
// actor, authorize loads the residency once the actor may answer, and
// change changes its promotion; the answer is the promotion as changed.
func answerPromotion(ctx context.Context, repo transactor, promotions PromotionRepository, actor app.Actor,
	authorize func(ctx context.Context) (*domain.Residency, error), change PromotionFunc) (*domain.Promotion, error) {
	return app.SignedInWithin(ctx, actor, repo.Transaction, func(ctx context.Context) (*domain.Promotion, error) {
		r, err := authorize(ctx)
		if err != nil {
			return nil, err
		}
		return updateLoaded(ctx, actor, promotions.UpdateLatest, r.ID(), authorized[*domain.Promotion], change)
	})
}
