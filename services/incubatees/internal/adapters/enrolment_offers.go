package adapters

import (
	"context"
	"fmt"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// EnrolmentOffers is the enrolment offer aggregate's repository: Add and
// Update own load → change → save → outbox → audit in one transaction
// (the context's, when it carries one).
type EnrolmentOffers struct{ s *Store }

// NewEnrolmentOffers returns the offer repository on s.
func NewEnrolmentOffers(s *Store) *EnrolmentOffers { return &EnrolmentOffers{s: s} }

// Add stores a new offer with its events and audit lines.
func (r *EnrolmentOffers) Add(ctx context.Context, actor app.Actor, o *domain.EnrolmentOffer, evs ...events.Payload) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertEnrolmentOffer(ctx, o); err != nil {
			return err
		}
		return recordEnrolment(ctx, tx, actor, o, evs)
	})
}

// Update locks offer id until the transaction ends (two answers to one
// offer serialize), lets fn change it, and saves it with the events fn
// returned and their audit lines. fn's context joins the transaction.
func (r *EnrolmentOffers) Update(ctx context.Context, actor app.Actor, id string, fn func(ctx context.Context, o *domain.EnrolmentOffer) ([]events.Payload, error)) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		o, err := tx.LockEnrolmentOffer(ctx, id)
		if err != nil {
			return err
		}
		evs, err := fn(ctx, o)
		if err != nil {
			return err
		}
		if err := tx.UpdateEnrolmentOffer(ctx, o); err != nil {
			return err
		}
		return recordEnrolment(ctx, tx, actor, o, evs)
	})
}

func recordEnrolment(ctx context.Context, tx app.Tx, actor app.Actor, o *domain.EnrolmentOffer, evs []events.Payload) error {
	for _, ev := range evs {
		if err := publish(ctx, tx, app.EnrolmentScope(o), actor, o.ID(), ev); err != nil {
			return err
		}
		a, ok := app.EnrolmentAudit(actor, o, ev)
		if !ok {
			return fmt.Errorf("enrolment offer %s: no audit line for %s", o.ID(), ev.EventType())
		}
		if err := tx.Audit(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
