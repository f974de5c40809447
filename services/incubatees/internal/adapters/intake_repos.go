package adapters

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// IntakeCalls is the intake call repository: Add and Update store a call
// with its event and audit line in one transaction (the context's, when
// it carries one); the reads the intake commands need join it.
type IntakeCalls struct{ repo }

// NewIntakeCalls returns the intake call repository on s.
func NewIntakeCalls(s *Store) *IntakeCalls { return &IntakeCalls{repo{Reads{s: s}}} }

// Add stores a new call, created by actor, with its change.
func (r *IntakeCalls) Add(ctx context.Context, actor app.Actor, c *domain.IntakeCall, ch app.Change) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertIntakeCall(ctx, c, actor.UserID); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, c.ID, c.ID, "", ch)
	})
}

// Update loads call id, lets fn change it, and saves it with the change
// fn returned. fn's context joins the transaction.
func (r *IntakeCalls) Update(ctx context.Context, actor app.Actor, id string, fn func(ctx context.Context, c *domain.IntakeCall) (app.Change, error)) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		c, err := tx.GetIntakeCall(ctx, id)
		if err != nil {
			return err
		}
		ch, err := fn(ctx, c)
		if err != nil {
			return err
		}
		if err := tx.UpdateIntakeCall(ctx, c); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, c.ID, c.ID, "", ch)
	})
}

// Applications is the application repository: Add and Update store an
// application with its event and audit line in one transaction (the
// context's, when it carries one); Update holds the row, so a documents
// event cannot change its materials under a use case.
type Applications struct{ repo }

// NewApplications returns the application repository on s.
func NewApplications(s *Store) *Applications { return &Applications{repo{Reads{s: s}}} }

// Add stores a new application with its change.
func (r *Applications) Add(ctx context.Context, actor app.Actor, x *domain.Application, ch app.Change) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertApplication(ctx, x); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, x.ID, x.ID, x.CompanyID, ch)
	})
}

// Update loads application id under a row lock, lets fn change it, and
// saves it with the change fn returned. fn's context joins the
// transaction.
func (r *Applications) Update(ctx context.Context, actor app.Actor, id string, fn func(ctx context.Context, x *domain.Application) (app.Change, error)) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		x, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		ch, err := fn(ctx, x)
		if err != nil {
			return err
		}
		if err := tx.UpdateApplication(ctx, x); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, x.ID, x.ID, x.CompanyID, ch)
	})
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
