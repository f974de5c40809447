package adapters

import (
	"context"
	"fmt"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// aggregate is the load → change → save → outbox → audit of one aggregate
// type, in one transaction (the context's, when it carries one); the
// aggregates' repositories embed it, so its Add and Update are theirs.
type aggregate[A any] struct {
	s      *Store
	what   string // names the aggregate in errors ("promotion")
	load   func(tx app.Tx, ctx context.Context, key string) (A, error)
	insert func(tx app.Tx, ctx context.Context, a A) error
	update func(tx app.Tx, ctx context.Context, a A) error
	id     func(a A) string
	scope  func(a A) events.Scope
	audit  func(actor app.Actor, a A, ev events.Payload) (app.AuditEntry, bool)
}

// Add stores a new aggregate with its events and audit lines.
func (g aggregate[A]) Add(ctx context.Context, actor app.Actor, a A, evs ...events.Payload) error {
	return write(ctx, g.s, func(ctx context.Context, tx app.Tx) error {
		if err := g.insert(tx, ctx, a); err != nil {
			return err
		}
		return g.record(ctx, tx, actor, a, evs)
	})
}

// Update loads the aggregate key names, lets fn change it, and saves it
// with the events fn returned and their audit lines. fn's context joins
// the transaction.
func (g aggregate[A]) Update(ctx context.Context, actor app.Actor, key string, fn func(ctx context.Context, a A) ([]events.Payload, error)) error {
	return write(ctx, g.s, func(ctx context.Context, tx app.Tx) error {
		return loadChangeSave(ctx, tx, g.load, key, fn, g.update, func(a A, evs []events.Payload) error {
			return g.record(ctx, tx, actor, a, evs)
		})
	})
}

// loadChangeSave is the step every repository's Update takes in its
// transaction: load the aggregate key names, let fn change it, update
// it, and record what fn returned (events, or a change).
func loadChangeSave[A, C any](ctx context.Context, tx app.Tx, load func(tx app.Tx, ctx context.Context, key string) (A, error), key string,
	fn func(ctx context.Context, a A) (C, error), update func(tx app.Tx, ctx context.Context, a A) error, record func(a A, c C) error) error {
	a, err := load(tx, ctx, key)
	if err != nil {
		return err
	}
	c, err := fn(ctx, a)
	if err != nil {
		return err
	}
	if err := update(tx, ctx, a); err != nil {
		return err
	}
	return record(a, c)
}

// record writes evs to the outbox, each with its audit line; an event
// without one is a programming error.
func (g aggregate[A]) record(ctx context.Context, tx app.Tx, actor app.Actor, a A, evs []events.Payload) error {
	for _, ev := range evs {
		if err := publish(ctx, tx, g.scope(a), actor, g.id(a), ev); err != nil {
			return err
		}
		e, ok := g.audit(actor, a, ev)
		if !ok {
			return fmt.Errorf("%s %s: no audit line for %s", g.what, g.id(a), ev.EventType())
		}
		if err := tx.Audit(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// EnrolmentOffers is the enrolment offer aggregate's repository: Add and
// Update own load → change → save → outbox → audit in one transaction
// (the context's, when it carries one). Update locks the offer until the
// transaction ends, so two answers to one offer serialize.
type EnrolmentOffers struct {
	aggregate[*domain.EnrolmentOffer]
}

// NewEnrolmentOffers returns the offer repository on s.
func NewEnrolmentOffers(s *Store) *EnrolmentOffers {
	return &EnrolmentOffers{aggregate[*domain.EnrolmentOffer]{s: s, what: "enrolment offer",
		load: app.Tx.LockEnrolmentOffer, insert: app.Tx.InsertEnrolmentOffer, update: app.Tx.UpdateEnrolmentOffer,
		id: (*domain.EnrolmentOffer).ID, scope: app.EnrolmentScope, audit: app.EnrolmentAudit}}
}

// Promotions is the promotion aggregate's repository: Add and UpdateLatest
// own load → change → save → outbox → audit in one transaction (the
// context's, when it carries one).
type Promotions struct{ aggregate[*domain.Promotion] }

// NewPromotions returns the promotion repository on s.
func NewPromotions(s *Store) *Promotions {
	return &Promotions{aggregate[*domain.Promotion]{s: s, what: "promotion",
		// Promotions are addressed through their residency.
		load: app.Tx.LatestPromotion, insert: app.Tx.InsertPromotion, update: app.Tx.UpdatePromotion,
		id: (*domain.Promotion).ID, scope: app.PromotionScope, audit: app.PromotionAudit}}
}

// UpdateLatest loads the residency's newest promotion (promotions are
// addressed through their residency), lets fn change it, and saves it
// with the events fn returned and their audit lines.
func (r *Promotions) UpdateLatest(ctx context.Context, actor app.Actor, residencyID string, fn func(ctx context.Context, p *domain.Promotion) ([]events.Payload, error)) error {
	return r.Update(ctx, actor, residencyID, fn)
}
