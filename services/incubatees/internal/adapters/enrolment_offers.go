package adapters

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// EnrolmentOffers is the enrolment offer aggregate's repository: Add and
// Update own load → change → save → outbox → audit in one transaction
// (the context's, when it carries one).
type EnrolmentOffers struct {
	g aggregate[*domain.EnrolmentOffer]
}

// NewEnrolmentOffers returns the offer repository on s.
func NewEnrolmentOffers(s *Store) *EnrolmentOffers {
	return &EnrolmentOffers{aggregate[*domain.EnrolmentOffer]{s: s, what: "enrolment offer",
		load: app.Tx.LockEnrolmentOffer, insert: app.Tx.InsertEnrolmentOffer, update: app.Tx.UpdateEnrolmentOffer,
		id: (*domain.EnrolmentOffer).ID, scope: app.EnrolmentScope, audit: app.EnrolmentAudit}}
}

// Add stores a new offer with its events and audit lines.
func (r *EnrolmentOffers) Add(ctx context.Context, actor app.Actor, o *domain.EnrolmentOffer, evs ...events.Payload) error {
	return r.g.add(ctx, actor, o, evs)
}

// Update locks offer id until the transaction ends (two answers to one
// offer serialize), lets fn change it, and saves it with the events fn
// returned and their audit lines. fn's context joins the transaction.
func (r *EnrolmentOffers) Update(ctx context.Context, actor app.Actor, id string, fn func(ctx context.Context, o *domain.EnrolmentOffer) ([]events.Payload, error)) error {
	return r.g.change(ctx, actor, id, fn)
}
