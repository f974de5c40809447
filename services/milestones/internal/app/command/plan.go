// Package command holds the milestones use cases that change state: a
// Handler with a Handle(ctx, cmd) method over the store, which runs it in
// one transaction (the plan's change, its events in the outbox and their
// audit lines commit together, or nothing does). The use cases that change
// a residency's plan (apply a template; add, edit or remove a milestone;
// post progress; move a milestone) share changePlan and live in this file;
// templates and the deadline scan have their own.
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

// one is a milestone's event and the milestone it is about.
func one(ctx context.Context, tx app.Tx, actor app.Actor, p *domain.Plan, m *domain.Milestone, ev func(events.MilestoneV1) events.Payload) error {
	return app.Publish(ctx, tx, actor, m, ev(app.MilestonePayload(p.CarrierKind(), m)))
}

// ApplyTemplate plans a residency's milestones from its carrier's
// template (the carrier's own, else the region's for its kind, else the
// defaults).
type ApplyTemplate struct {
	Actor       app.Actor
	ResidencyID string
}

// ApplyTemplateHandler applies templates.
type ApplyTemplateHandler struct{ base }

// NewApplyTemplateHandler returns the handler.
func NewApplyTemplateHandler(s app.Store, e *authz.Enforcer, now app.Clock) ApplyTemplateHandler {
	return ApplyTemplateHandler{base{s, e, now}}
}

// Handle plans the milestones; a plan takes one template.
func (h ApplyTemplateHandler) Handle(ctx context.Context, cmd ApplyTemplate) (*domain.Plan, error) {
	var out *domain.Plan
	err := h.changePlan(ctx, cmd.Actor, app.PlanRef{ResidencyID: cmd.ResidencyID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		kind := p.CarrierKind()
		if kind == "" { // an event without the kind: the carrier's copy has it
			c, err := tx.GetCarrier(ctx, p.CarrierID())
			if err != nil {
				return err
			}
			kind = c.Kind
		}
		t, err := app.EffectiveTemplate(ctx, tx, p.RegionID(), p.CarrierID(), kind, now)
		if err != nil {
			return err
		}
		ms, err := p.ApplyTemplate(t, events.NewID, cmd.Actor.UserID, now)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload { return events.MilestonePlannedV1{MilestoneV1: v} }); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	return out, err
}

// AddMilestone plans one more milestone in a residency's plan.
type AddMilestone struct {
	Actor       app.Actor
	ResidencyID string
	Input       domain.MilestoneInput
}

// EditMilestone changes what an operator sets on a milestone (not its
// due date: that is RescheduleMilestone, with a reason).
type EditMilestone struct {
	Actor       app.Actor
	MilestoneID string
	Input       domain.MilestoneInput
}

// RemoveMilestone takes a milestone nobody has worked on off its plan.
type RemoveMilestone struct {
	Actor       app.Actor
	MilestoneID string
}

// AdjustPlanHandler adds, edits and removes milestones: the carrier's
// adjustments of a plan.
type AdjustPlanHandler struct{ base }

// NewAdjustPlanHandler returns the handler.
func NewAdjustPlanHandler(s app.Store, e *authz.Enforcer, now app.Clock) AdjustPlanHandler {
	return AdjustPlanHandler{base{s, e, now}}
}

// Add plans the milestone and announces it.
func (h AdjustPlanHandler) Add(ctx context.Context, cmd AddMilestone) (*domain.Milestone, error) {
	var out *domain.Milestone
	err := h.changePlan(ctx, cmd.Actor, app.PlanRef{ResidencyID: cmd.ResidencyID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		m, err := p.AddMilestone(events.NewID(), cmd.Input, cmd.Actor.UserID, now)
		if err != nil {
			return err
		}
		out = m
		return one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload { return events.MilestonePlannedV1{MilestoneV1: v} })
	})
	return out, err
}

// Edit changes the milestone; its history says who and when (no event:
// nothing another service counts has changed).
func (h AdjustPlanHandler) Edit(ctx context.Context, cmd EditMilestone) (*domain.Milestone, error) {
	var out *domain.Milestone
	err := h.changePlan(ctx, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		m, err := p.EditMilestone(cmd.MilestoneID, cmd.Input, cmd.Actor.UserID, now)
		if err != nil {
			return err
		}
		out = m
		return tx.Audit(ctx, app.AuditEntry{At: now, Actor: cmd.Actor.UserID, Action: "milestone.edit", ObjectID: m.ID(), RegionID: m.RegionID(),
			CarrierID: m.CarrierID(), CompanyID: m.CompanyID(), Detail: map[string]any{"title_zh": m.TitleZH(), "evidence_types": m.EvidenceTypes()}})
	})
	return out, err
}

// Remove deletes a planned milestone with an audit line.
func (h AdjustPlanHandler) Remove(ctx context.Context, cmd RemoveMilestone) error {
	return h.changePlan(ctx, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, "plan", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		m, err := p.RemoveMilestone(cmd.MilestoneID)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, app.AuditEntry{At: now, Actor: cmd.Actor.UserID, Action: "milestone.remove", ObjectID: m.ID(), RegionID: m.RegionID(),
			CarrierID: m.CarrierID(), CompanyID: m.CompanyID(), Detail: map[string]any{"title_zh": m.TitleZH(), "due_on": domain.FormatDate(m.DueOn())}})
	})
}

// PostProgress is a startup's progress update on a milestone.
type PostProgress struct {
	Actor       app.Actor
	MilestoneID string
	Input       domain.ProgressInput
}

// PostProgressHandler records progress updates.
type PostProgressHandler struct{ base }

// NewPostProgressHandler returns the handler.
func NewPostProgressHandler(s app.Store, e *authz.Enforcer, now app.Clock) PostProgressHandler {
	return PostProgressHandler{base{s, e, now}}
}

// Handle checks the evidence against the company's documents (as the
// documents service's events described them) and records the update.
func (h PostProgressHandler) Handle(ctx context.Context, cmd PostProgress) (*domain.Milestone, domain.Update, error) {
	var out *domain.Milestone
	var upd domain.Update
	err := h.changePlan(ctx, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, "progress", func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		docs, err := tx.Documents(ctx, cmd.Input.Evidence)
		if err != nil {
			return err
		}
		m, u, err := p.Progress(cmd.MilestoneID, events.NewID(), cmd.Input, docs, cmd.Actor.UserID, now)
		if err != nil {
			return err
		}
		out, upd = m, u
		return one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload {
			v.Evidence = u.Evidence
			return events.MilestoneProgressedV1{MilestoneV1: v, UpdateID: u.ID, Text: u.Text}
		})
	})
	return out, upd, err
}

// Transition is one move of a milestone through its state machine by
// Actor: submit (the startup), verify, return, waive or reschedule (the
// carrier). Reason is the comment of a return or verification and the
// why of a waiver or reschedule; DueOn the new date of a reschedule.
type Transition struct {
	Actor       app.Actor
	MilestoneID string
	Action      domain.Action
	Reason      string
	DueOn       time.Time
}

// TransitionHandler moves milestones.
type TransitionHandler struct{ base }

// NewTransitionHandler returns the handler.
func NewTransitionHandler(s app.Store, e *authz.Enforcer, now app.Clock) TransitionHandler {
	return TransitionHandler{base{s, e, now}}
}

// permission is the policy action each transition needs.
var permission = map[domain.Action]string{
	domain.ActSubmit: "progress", domain.ActVerify: "verify", domain.ActReturn: "verify", domain.ActWaive: "plan", domain.ActReschedule: "plan",
}

// Handle moves the milestone and publishes what happened.
func (h TransitionHandler) Handle(ctx context.Context, cmd Transition) (*domain.Milestone, error) {
	perm, ok := permission[cmd.Action]
	if !ok {
		return nil, domainRefusal(cmd.Action)
	}
	var out *domain.Milestone
	err := h.changePlan(ctx, cmd.Actor, app.PlanRef{MilestoneID: cmd.MilestoneID}, perm, func(ctx context.Context, tx app.Tx, p *domain.Plan, now time.Time) error {
		by := cmd.Actor.UserID
		var m *domain.Milestone
		var err error
		var prev time.Time
		switch cmd.Action {
		case domain.ActSubmit:
			m, err = p.Submit(cmd.MilestoneID, by, now)
		case domain.ActVerify:
			m, err = p.Verify(cmd.MilestoneID, by, cmd.Reason, now)
		case domain.ActReturn:
			m, err = p.Return(cmd.MilestoneID, by, cmd.Reason, now)
		case domain.ActWaive:
			m, err = p.Waive(cmd.MilestoneID, by, cmd.Reason, now)
		case domain.ActReschedule:
			m, prev, err = p.Reschedule(cmd.MilestoneID, cmd.DueOn, by, cmd.Reason, now)
		}
		if err != nil {
			return err
		}
		out = m
		return one(ctx, tx, cmd.Actor, p, m, func(v events.MilestoneV1) events.Payload {
			v.Reason = cmd.Reason
			switch cmd.Action {
			case domain.ActSubmit:
				return events.MilestoneSubmittedV1{MilestoneV1: v}
			case domain.ActVerify:
				return events.MilestoneVerifiedV1{MilestoneV1: v}
			case domain.ActReturn:
				return events.MilestoneReturnedV1{MilestoneV1: v}
			case domain.ActWaive:
				return events.MilestoneWaivedV1{MilestoneV1: v}
			}
			v.PreviousDueOn = domain.FormatDate(prev)
			return events.MilestoneRescheduledV1{MilestoneV1: v}
		})
	})
	return out, err
}
