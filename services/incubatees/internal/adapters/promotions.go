package adapters

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Promotions is the promotion aggregate's repository: Add and UpdateLatest
// own load → change → save → outbox → audit in one transaction (the
// context's, when it carries one).
type Promotions struct{ g aggregate[*domain.Promotion] }

// NewPromotions returns the promotion repository on s.
func NewPromotions(s *Store) *Promotions {
	return &Promotions{aggregate[*domain.Promotion]{s: s, what: "promotion",
		// Promotions are addressed through their residency.
		load: app.Tx.LatestPromotion, insert: app.Tx.InsertPromotion, update: app.Tx.UpdatePromotion,
		id: (*domain.Promotion).ID, scope: app.PromotionScope, audit: app.PromotionAudit}}
}

// Add stores a new promotion with its events and audit lines.
func (r *Promotions) Add(ctx context.Context, actor app.Actor, p *domain.Promotion, evs ...events.Payload) error {
	return r.g.add(ctx, actor, p, evs)
}

// UpdateLatest loads the residency's newest promotion (promotions are
// addressed through their residency), lets fn change it, and saves it
// with the events fn returned and their audit lines.
func (r *Promotions) UpdateLatest(ctx context.Context, actor app.Actor, residencyID string, fn func(ctx context.Context, p *domain.Promotion) ([]events.Payload, error)) error {
	return r.g.change(ctx, actor, residencyID, fn)
}
