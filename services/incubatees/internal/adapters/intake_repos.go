package adapters

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// changed is the load → change → save → outbox → audit of an aggregate
// whose changes carry their own events and audit line (app.Change), in
// one transaction (the context's, when it carries one); the intake
// repositories embed it, so its Add and Update are theirs.
type changed[A any] struct {
	s      *Store
	load   func(tx app.Tx, ctx context.Context, id string) (A, error)
	insert func(tx app.Tx, ctx context.Context, a A, by string) error
	update func(tx app.Tx, ctx context.Context, a A) error
	// ids are the aggregate's id and the company its audit line is on.
	ids func(a A) (id, companyID string)
}

// Add stores a new aggregate, created by actor, with its change.
func (g changed[A]) Add(ctx context.Context, actor app.Actor, a A, ch app.Change) error {
	return write(ctx, g.s, func(ctx context.Context, tx app.Tx) error {
		if err := g.insert(tx, ctx, a, actor.UserID); err != nil {
			return err
		}
		return g.record(ctx, tx, actor, a, ch)
	})
}

// Update loads aggregate id, lets fn change it, and saves it with the
// change fn returned. fn's context joins the transaction.
func (g changed[A]) Update(ctx context.Context, actor app.Actor, id string, fn func(ctx context.Context, a A) (app.Change, error)) error {
	return write(ctx, g.s, func(ctx context.Context, tx app.Tx) error {
		return loadChangeSave(ctx, tx, g.load, id, fn, g.update, func(a A, ch app.Change) error {
			return g.record(ctx, tx, actor, a, ch)
		})
	})
}

func (g changed[A]) record(ctx context.Context, tx app.Tx, actor app.Actor, a A, ch app.Change) error {
	id, companyID := g.ids(a)
	return recordChange(ctx, tx, actor, id, id, companyID, ch)
}

// IntakeCalls is the intake call repository: Add and Update store a call
// with its event and audit line in one transaction (the context's, when
// it carries one); the reads the intake commands need join it.
type IntakeCalls struct {
	repo
	changed[*domain.IntakeCall]
}

// NewIntakeCalls returns the intake call repository on s.
func NewIntakeCalls(s *Store) *IntakeCalls {
	return &IntakeCalls{repo{Reads{s: s}}, changed[*domain.IntakeCall]{s: s,
		load: app.Tx.GetIntakeCall, insert: app.Tx.InsertIntakeCall, update: app.Tx.UpdateIntakeCall,
		ids: func(c *domain.IntakeCall) (string, string) { return c.ID, "" }}}
}

// Applications is the application repository: Add and Update store an
// application with its event and audit line in one transaction (the
// context's, when it carries one); Update holds the row (LockApplication),
// so a documents event cannot change its materials under a use case.
type Applications struct {
	repo
	changed[*domain.Application]
}

// NewApplications returns the application repository on s.
func NewApplications(s *Store) *Applications {
	return &Applications{repo{Reads{s: s}}, changed[*domain.Application]{s: s,
		load: app.Tx.LockApplication, update: app.Tx.UpdateApplication,
		insert: func(tx app.Tx, ctx context.Context, x *domain.Application, _ string) error {
			return tx.InsertApplication(ctx, x)
		},
		ids: func(x *domain.Application) (string, string) { return x.ID, x.CompanyID }}}
}

// PutReview stores a reviewer's scores of an application.
func (r *Applications) PutReview(ctx context.Context, rv domain.ApplicationReview) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error { return tx.PutReview(ctx, rv) })
}

// LinkCarrier lets the carrier's staff see the company from since on.
func (r *Applications) LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error { return tx.LinkCarrier(ctx, companyID, carrierID, since) })
}

// GetIntakeCall reads a call.
func (q Reads) GetIntakeCall(ctx context.Context, id string) (*domain.IntakeCall, error) {
	return via(ctx, q.s, app.Tx.GetIntakeCall, id)
}

// ListIntakeCalls lists calls.
func (q Reads) ListIntakeCalls(ctx context.Context, f app.CallFilter, p list.Params) ([]*domain.IntakeCall, int, error) {
	return viaPage(ctx, q.s, app.Tx.ListIntakeCalls, f, p)
}

// GetApplication reads an application.
func (q Reads) GetApplication(ctx context.Context, id string) (*domain.Application, error) {
	return via(ctx, q.s, app.Tx.GetApplication, id)
}

// ListApplications lists applications.
func (q Reads) ListApplications(ctx context.Context, f app.ApplicationFilter, p list.Params) ([]app.ApplicationItem, int, error) {
	return viaPage(ctx, q.s, app.Tx.ListApplications, f, p)
}

// ListReviews lists an application's reviews.
func (q Reads) ListReviews(ctx context.Context, applicationID string) ([]domain.ApplicationReview, error) {
	return via(ctx, q.s, app.Tx.ListReviews, applicationID)
}

// CountApplications counts a call's applications in status.
func (q Reads) CountApplications(ctx context.Context, callID string, status domain.AppStatus) (int, error) {
	return via2(ctx, q.s, app.Tx.CountApplications, callID, status)
}

// LiveApplication reports whether the company has a non-final application
// to the call.
func (q Reads) LiveApplication(ctx context.Context, callID, companyID string) (bool, error) {
	return via2(ctx, q.s, app.Tx.LiveApplication, callID, companyID)
}
