package app

import (
	"context"
	"slices"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// Objects of the authorization policy this service asks about.
const (
	ObjMilestone = "milestone"          // read, plan, verify (carrier), progress (company)
	ObjTemplate  = "milestone_template" // read, update
)

// PlanScope is the tenancy of a plan and its milestones: its region, its
// carrier and its company, so district roles, the carrier's staff and the
// company's members each reach it through their own domain.
func PlanScope(p *domain.Plan) authz.Scope {
	return authz.Scope{RegionID: p.RegionID(), CarrierID: p.CarrierID(), CompanyID: p.CompanyID()}
}

// PlanRef names a plan: by its residency, or by one of its milestones.
type PlanRef struct {
	ResidencyID string
	MilestoneID string
}

// LoadPlan reads the plan ref names and lets act on it through
// (AuthorizePlan); lock first holds the plan's row, for a change.
func LoadPlan(ctx context.Context, tx Tx, e *authz.Enforcer, actor Actor, ref PlanRef, act string, lock bool) (*domain.Plan, error) {
	id := ref.ResidencyID
	if ref.MilestoneID != "" {
		var err error
		if id, err = tx.PlanOfMilestone(ctx, ref.MilestoneID); err != nil {
			return nil, err
		}
	}
	if lock {
		if err := tx.LockPlan(ctx, id); err != nil {
			return nil, err
		}
	}
	p, err := tx.GetPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, AuthorizePlan(e, actor, p, act, ref)
}

// AuthorizePlan lets act on a plan through: 401 anonymous, 403 to who may
// read the plan, 404 to everyone else (residency-not-found, or
// milestone-not-found when ref names the plan by a milestone).
func AuthorizePlan(e *authz.Enforcer, actor Actor, p *domain.Plan, act string, ref PlanRef) error {
	slug := "residency-not-found"
	if ref.MilestoneID != "" {
		slug = "milestone-not-found"
	}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{PlanScope(p)}, Object: ObjMilestone, Action: act, NotFound: slug})
}

// AuthorizeCarrier lets act on obj in a carrier through: 403 to who may
// read the carrier's milestones, 404 (carrier-not-found) to everyone else.
func AuthorizeCarrier(ctx context.Context, e *authz.Enforcer, tx ReadModels, actor Actor, carrierID, obj, act string) (Carrier, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return Carrier{}, err
	}
	c, err := tx.GetCarrier(ctx, carrierID)
	if err != nil {
		return Carrier{}, err
	}
	return c, e.DecideInCarrier(actor.UserID, c.RegionID, c.ID, obj, act, ObjMilestone)
}

// AuthorizeRegion lets act on obj across a region through: 403 to who
// works in the region (a district role, or staff of one of its carriers),
// 404 (region-not-found) to everyone else.
func AuthorizeRegion(ctx context.Context, e *authz.Enforcer, tx ReadModels, actor Actor, regionID, obj, act string) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	ok, err := tx.RegionExists(ctx, regionID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NotFoundErr("region-not-found")
	}
	s := authz.Scope{RegionID: regionID}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{s}, Object: obj, Action: act, NotFound: "region-not-found",
		CanSee: func() (bool, error) {
			if e.Can(actor.UserID, s, ObjMilestone, "read") {
				return true, nil
			}
			cs, err := tx.RegionCarriers(ctx, regionID)
			if err != nil {
				return false, err
			}
			for _, c := range cs {
				if e.Can(actor.UserID, authz.Scope{RegionID: regionID, CarrierID: c.ID}, ObjMilestone, "read") {
					return true, nil
				}
			}
			return false, nil
		}})
}

// AuthorizeCompany lets a caller read a company's milestones across the
// chain: its members, the district, and the staff of every carrier the
// company has had a residency at (the history travels with a promotion).
func AuthorizeCompany(ctx context.Context, e *authz.Enforcer, tx Tx, actor Actor, companyID string) (Company, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return Company{}, err
	}
	co, err := tx.GetCompany(ctx, companyID)
	if err != nil {
		return Company{}, err
	}
	carriers, err := tx.CompanyCarriers(ctx, companyID)
	if err != nil {
		return Company{}, err
	}
	err = e.Decide(authz.Request{UserID: actor.UserID, Scopes: authz.CompanyScopes(co.RegionID, co.ID, carriers), Object: ObjMilestone, Action: "read",
		NotFound: "company-not-found"})
	return co, err
}

// StaffedCarriers are the carriers where actor is staff (park_admin or
// park_operator), sorted.
func StaffedCarriers(e *authz.Enforcer, actor Actor) []string {
	var out []string
	for _, a := range e.Assignments(actor.UserID) {
		kind, id, ok := authz.ParseDomain(a.Domain)
		if ok && kind == authz.KindCarrier && (a.Role == authz.RoleParkAdmin || a.Role == authz.RoleParkOperator) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
