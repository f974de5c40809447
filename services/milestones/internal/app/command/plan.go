// Package command holds the milestones use cases that change state, one
// per file: a Handler with a Handle(ctx, cmd) method over the store,
// which runs it in one transaction (the plan's change, its events in the
// outbox and their audit lines commit together, or nothing does).
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

// planRef names the plan a command changes: by its residency, or by one
// of its milestones.
type planRef struct {
	ResidencyID string
	MilestoneID string
}

// changePlan loads the plan in a write transaction, lets a caller who may
// do act on it run change, and saves the plan; change publishes its
// events through app.Publish in the same transaction.
func (b base) changePlan(ctx context.Context, actor app.Actor, ref planRef, act string,
	change func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	return b.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		id := ref.ResidencyID
		if ref.MilestoneID != "" {
			var err error
			if id, err = tx.PlanOfMilestone(ctx, ref.MilestoneID); err != nil {
				return err
			}
		}
		if err := tx.LockPlan(ctx, id); err != nil {
			return err
		}
		p, err := tx.GetPlan(ctx, id)
		if err != nil {
			return err
		}
		if err := b.authorize(actor, p, act, ref); err != nil {
			return err
		}
		if err := change(ctx, tx, p, b.now()); err != nil {
			return err
		}
		return tx.SavePlan(ctx, p)
	})
}

func (b base) authorize(actor app.Actor, p *domain.Plan, act string, ref planRef) error {
	slug := "residency-not-found"
	if ref.MilestoneID != "" {
		slug = "milestone-not-found"
	}
	return b.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{app.PlanScope(p)}, Object: app.ObjMilestone, Action: act, NotFound: slug})
}

// one is a milestone's event and the milestone it is about.
func one(ctx context.Context, tx app.Tx, actor app.Actor, p *domain.Plan, m *domain.Milestone, ev func(events.MilestoneV1) events.Payload) error {
	return app.Publish(ctx, tx, actor, m, ev(app.MilestonePayload(p.CarrierKind(), m)))
}
