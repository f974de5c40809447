package adapters

import (
	"context"
	"fmt"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Promotions is the promotion aggregate's repository: Add and UpdateLatest
// own load → change → save → outbox → audit in one transaction (the
// context's, when it carries one).
type Promotions struct{ s *Store }

// NewPromotions returns the promotion repository on s.
func NewPromotions(s *Store) *Promotions { return &Promotions{s: s} }

// Add stores a new promotion with its events and audit lines.
func (r *Promotions) Add(ctx context.Context, actor app.Actor, p *domain.Promotion, evs ...events.Payload) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertPromotion(ctx, p); err != nil {
			return err
		}
		return recordPromotion(ctx, tx, actor, p, evs)
	})
}

// UpdateLatest loads the residency's newest promotion (promotions are
// addressed through their residency), lets fn change it, and saves it
// with the events fn returned and their audit lines.
func (r *Promotions) UpdateLatest(ctx context.Context, actor app.Actor, residencyID string, fn func(ctx context.Context, p *domain.Promotion) ([]events.Payload, error)) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		p, err := tx.LatestPromotion(ctx, residencyID)
		if err != nil {
			return err
		}
		evs, err := fn(ctx, p)
		if err != nil {
			return err
		}
		if err := tx.UpdatePromotion(ctx, p); err != nil {
			return err
		}
		return recordPromotion(ctx, tx, actor, p, evs)
	})
}

func recordPromotion(ctx context.Context, tx app.Tx, actor app.Actor, p *domain.Promotion, evs []events.Payload) error {
	for _, ev := range evs {
		if err := publish(ctx, tx, app.PromotionScope(p), actor, p.ID(), ev); err != nil {
			return err
		}
		a, ok := app.PromotionAudit(actor, p, ev)
		if !ok {
			return fmt.Errorf("promotion %s: no audit line for %s", p.ID(), ev.EventType())
		}
		if err := tx.Audit(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
