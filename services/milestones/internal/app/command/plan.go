// Package command holds the milestones use cases that change state: a
// Handler with a Handle(ctx, cmd) method over the store, which runs it in
// one transaction (the plan's change, its events in the outbox and their
// audit lines commit together, or nothing does). One use case a file; the
// ones that change a residency's plan (apply_template.go, adjust_plan.go,
// post_progress.go, transitions.go) share changePlan, in this file.
package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// base is what every handler holds: the store, the enforcer and the clock.
type base struct {
	store app.Store
	authz *authz.Enforcer
	now   app.Clock
}

// newHandler is the constructor of every handler H that holds nothing but
// base: NewXHandler(store, enforcer, clock).
func newHandler[H ~struct{ base }](s app.Store, e *authz.Enforcer, now app.Clock) H {
	return H{base{s, e, now}}
}

// changePlan loads the plan in a write transaction, lets a caller who may
// do act on it run change, and saves the plan; change publishes its
// events through app.Publish in the same transaction.
func (b base) changePlan(ctx context.Context, actor app.Actor, ref app.PlanRef, act string,
	change func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	return b.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		p, err := app.LoadPlan(ctx, tx, b.authz, actor, ref, act, true)
		if err != nil {
			return err
		}
		if err := change(ctx, tx, p, b.now()); err != nil {
			return err
		}
		return tx.SavePlan(ctx, p)
	})
}

// changed is changePlan for a use case that answers with what it
// changed: change's result, as it stood when the transaction ended.
func changed[T any](ctx context.Context, b base, actor app.Actor, ref app.PlanRef, act string,
	change func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) (T, error)) (T, error) {
	var out T
	err := b.changePlan(ctx, actor, ref, act, func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		var err error
		out, err = change(ctx, tx, p, now)
		return err
	})
	return out, err
}

// one is a milestone's event and the milestone it is about.
func one(ctx context.Context, tx app.Tx, actor app.Actor, p *domain.Plan, m *domain.Milestone, ev func(events.MilestoneV1) events.Payload) error {
	return app.Publish(ctx, tx, actor, m, ev(app.MilestonePayload(p.CarrierKind(), m)))
}
