// Package query holds the milestones use cases that only read: plans,
// milestones with their updates and history, the lists (a residency's
// plan, a company's timeline across carriers, a carrier's board) and the
// district's counts. They run in read transactions and never write.
package query

import (
	"context"
	"slices"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Reader runs a read transaction; its Tx is read here only.
type Reader interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx app.Tx) error) error
}

// Handlers are every query of the service.
type Handlers struct {
	rm    Reader
	authz *authz.Enforcer
	now   app.Clock
}

// New returns the queries over rm.
func New(rm Reader, e *authz.Enforcer, now app.Clock) Handlers {
	return Handlers{rm: rm, authz: e, now: now}
}

// read runs fn for a signed-in caller in one read transaction.
func read[T any](ctx context.Context, h Handlers, actor app.Actor, fn func(ctx context.Context, tx app.Tx) (T, error)) (T, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		var zero T
		return zero, err
	}
	return bus.Fetch(ctx, h.rm.Read, fn)
}

// RegionTemplates are a region's templates of every seeded kind (the
// defaults where the region has none stored).
func (h Handlers) RegionTemplates(ctx context.Context, actor app.Actor, regionID string) ([]*domain.Template, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) ([]*domain.Template, error) {
		if err := app.AuthorizeRegion(ctx, h.authz, tx, actor, regionID, app.ObjTemplate, "read"); err != nil {
			return nil, err
		}
		out := []*domain.Template{}
		for _, k := range domain.TemplateKinds {
			t, err := app.EffectiveTemplate(ctx, tx, regionID, "", k, h.now())
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		return out, nil
	})
}

// CarrierTemplate is the template a carrier plans with.
func (h Handlers) CarrierTemplate(ctx context.Context, actor app.Actor, carrierID string) (*domain.Template, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (*domain.Template, error) {
		c, err := app.AuthorizeCarrier(ctx, h.authz, tx, actor, carrierID, app.ObjTemplate, "read")
		if err != nil {
			return nil, err
		}
		return app.EffectiveTemplate(ctx, tx, c.RegionID, c.ID, c.Kind, h.now())
	})
}

// Plan is a residency's plan with its milestones.
func (h Handlers) Plan(ctx context.Context, actor app.Actor, residencyID string) (*domain.Plan, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (*domain.Plan, error) {
		return app.LoadPlan(ctx, tx, h.authz, actor, app.PlanRef{ResidencyID: residencyID}, "read", false)
	})
}

// MilestoneDetail is a milestone with its plan, updates and history.
type MilestoneDetail struct {
	Plan      *domain.Plan
	Milestone *domain.Milestone
	Updates   []domain.Update
	History   []domain.Change
	// Names are the names of the updates' authors and the history's
	// actors the users read model knows, by user id.
	Names map[string]string
}

// Milestone reads one milestone.
func (h Handlers) Milestone(ctx context.Context, actor app.Actor, id string) (MilestoneDetail, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (MilestoneDetail, error) {
		p, err := app.LoadPlan(ctx, tx, h.authz, actor, app.PlanRef{MilestoneID: id}, "read", false)
		if err != nil {
			return MilestoneDetail{}, err
		}
		m, err := p.Milestone(id)
		if err != nil {
			return MilestoneDetail{}, err
		}
		out := MilestoneDetail{Plan: p, Milestone: m}
		if out.Updates, err = tx.Updates(ctx, id); err != nil {
			return out, err
		}
		if out.History, err = tx.History(ctx, id); err != nil {
			return out, err
		}
		ids := make([]string, 0, len(out.Updates)+len(out.History))
		for _, u := range out.Updates {
			ids = append(ids, u.AuthorID)
		}
		for _, ch := range out.History {
			ids = append(ids, ch.Actor)
		}
		slices.Sort(ids)
		out.Names, err = tx.UserNames(ctx, slices.Compact(ids))
		return out, err
	})
}

// UserNames maps the known ids of ids to their users' names (display
// name, else email), for a signed-in caller.
func (h Handlers) UserNames(ctx context.Context, actor app.Actor, ids ...string) (map[string]string, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (map[string]string, error) {
		return tx.UserNames(ctx, ids)
	})
}

// Page is one page of milestones and the total.
type Page struct {
	Items []app.MilestoneView
	Total int
}

// ResidencyMilestones lists a residency's milestones (f's state and
// category narrow it).
func (h Handlers) ResidencyMilestones(ctx context.Context, actor app.Actor, residencyID string, f app.MilestoneFilter, p list.Params) (Page, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (Page, error) {
		if _, err := app.LoadPlan(ctx, tx, h.authz, actor, app.PlanRef{ResidencyID: residencyID}, "read", false); err != nil {
			return Page{}, err
		}
		f.ResidencyID, f.CarrierID, f.CompanyID = residencyID, "", ""
		return h.page(ctx, tx, f, p)
	})
}

// CompanyTimeline lists a company's milestones at every carrier of its
// chain, oldest residency first.
func (h Handlers) CompanyTimeline(ctx context.Context, actor app.Actor, companyID string, f app.MilestoneFilter, p list.Params) (Page, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (Page, error) {
		if _, err := app.AuthorizeCompany(ctx, h.authz, tx, actor, companyID); err != nil {
			return Page{}, err
		}
		f.CompanyID, f.ResidencyID = companyID, ""
		return h.page(ctx, tx, f, p)
	})
}

// CarrierMilestones is a carrier's board: its open plans' milestones,
// narrowed by state, category, company, or to those overdue today (the
// overdue board; state=submitted is the verification queue).
func (h Handlers) CarrierMilestones(ctx context.Context, actor app.Actor, carrierID string, overdue bool, f app.MilestoneFilter, p list.Params) (Page, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (Page, error) {
		if _, err := app.AuthorizeCarrier(ctx, h.authz, tx, actor, carrierID, app.ObjMilestone, "read"); err != nil {
			return Page{}, err
		}
		f.CarrierID, f.ResidencyID, f.OpenPlans = carrierID, "", true
		if overdue {
			f.OverdueOn = calendar.Today(h.now())
		}
		return h.page(ctx, tx, f, p)
	})
}

// StaffOverdue is an operator's overdue board across every carrier they
// staff (park_admin or park_operator there): one list of the milestones
// overdue today in those carriers' open plans, narrowed to one of them by
// carrierID (404 carrier-not-found for a carrier they do not staff) and by
// state, category and company.
func (h Handlers) StaffOverdue(ctx context.Context, actor app.Actor, carrierID string, f app.MilestoneFilter, p list.Params) (Page, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) (Page, error) {
		if err := authz.Authenticated(actor.UserID); err != nil {
			return Page{}, err
		}
		staffed := app.StaffedCarriers(h.authz, actor)
		if carrierID != "" {
			if !slices.Contains(staffed, carrierID) {
				return Page{}, apperr.NotFoundErr("carrier-not-found")
			}
			staffed = []string{carrierID}
		}
		f.CarrierID, f.ResidencyID, f.OpenPlans = "", "", true
		f.CarrierIn, f.OnlyCarriers, f.OverdueOn = staffed, true, calendar.Today(h.now())
		return h.page(ctx, tx, f, p)
	})
}

func (h Handlers) page(ctx context.Context, tx app.Tx, f app.MilestoneFilter, p list.Params) (Page, error) {
	items, total, err := tx.ListMilestones(ctx, f, p)
	return Page{Items: items, Total: total}, err
}

// RegionCounts are the district's figures: per carrier of the region,
// how many milestones are in each state and overdue; never a row.
func (h Handlers) RegionCounts(ctx context.Context, actor app.Actor, regionID string) ([]app.CarrierCounts, error) {
	return read(ctx, h, actor, func(ctx context.Context, tx app.Tx) ([]app.CarrierCounts, error) {
		if err := app.AuthorizeRegion(ctx, h.authz, tx, actor, regionID, app.ObjMilestone, "read"); err != nil {
			return nil, err
		}
		return tx.CountByCarrier(ctx, regionID, calendar.Today(h.now()))
	})
}

// Today is the query side's day (tests move it).
func (h Handlers) Today() time.Time { return calendar.Today(h.now()) }
