package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// Target is the domain whose staff a membership use case manages: a
// region (district staff) or a carrier (park staff).
type Target struct {
	Kind string // "region" or "carrier"
	ID   string
}

type resolved struct {
	scope  authz.Scope
	domain string
	slug   string
}

// resolve loads the target; a missing one answers 404 like a foreign one.
func (a *App) resolve(ctx context.Context, tx Tx, t Target) (resolved, error) {
	switch t.Kind {
	case "carrier":
		c, err := tx.GetCarrier(ctx, t.ID)
		if err != nil {
			return resolved{}, err
		}
		return resolved{scope: carrierScope(c), domain: authz.CarrierDomain(c.ID()), slug: "carrier-not-found"}, nil
	case "region":
		r, err := tx.GetRegion(ctx, t.ID)
		if err != nil {
			return resolved{}, err
		}
		return resolved{scope: authz.Scope{RegionID: r.ID}, domain: authz.RegionDomain(r.ID), slug: "region-not-found"}, nil
	}
	return resolved{}, apperr.NotFoundErr("route-not-found")
}

// authorizeTarget authorizes act on obj within the target. A caller who
// can see the target but may not act gets 403; one who cannot see it gets
// 404, as if it did not exist; an anonymous caller gets 401.
func (a *App) authorizeTarget(ctx context.Context, tx Tx, actor Actor, t Target, obj, act string) (resolved, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return resolved{}, err
	}
	r, err := a.resolve(ctx, tx, t)
	if err != nil {
		return r, err
	}
	return r, a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{r.scope}, Object: obj, Action: act,
		CanSee: a.canSee(ctx, tx, actor, t, r), NotFound: r.slug})
}

// canSee is the visibility rule of a target: a carrier to those who may
// read it, a region to those who may read it or one of its carriers.
func (a *App) canSee(ctx context.Context, tx Tx, actor Actor, t Target, r resolved) func() (bool, error) {
	if t.Kind == "carrier" {
		return a.authz.MayRead(actor.UserID, "carrier", r.scope)
	}
	return func() (bool, error) {
		if a.authz.Can(actor.UserID, r.scope, "region", "read") {
			return true, nil
		}
		_, err := a.visibleCarriers(ctx, tx, actor, t.ID)
		return err == nil, nil
	}
}

// readTargetPage reads a page of the target's list of obj (page, given
// the resolved target) once the actor may read obj there.
func readTargetPage[T any](ctx context.Context, a *App, actor Actor, t Target, obj string,
	page func(ctx context.Context, tx Tx, r resolved) ([]T, int, error)) ([]T, int, error) {
	return readPage(ctx, a.store, func(ctx context.Context, tx Tx) ([]T, int, error) {
		r, err := a.authorizeTarget(ctx, tx, actor, t, obj, "read")
		if err != nil {
			return nil, 0, err
		}
		return page(ctx, tx, r)
	})
}

// authorizeInvitee authorizes act on obj in the target (inviting someone,
// granting someone a role), then checks the person's email, returned
// normalized, and the role; invalid names the refusal of either.
func (a *App) authorizeInvitee(ctx context.Context, tx Tx, actor Actor, t Target, obj, act, invalid, email, role string) (resolved, string, error) {
	r, err := a.authorizeTarget(ctx, tx, actor, t, obj, act)
	if err != nil {
		return r, email, err
	}
	v := apperr.NewValidation(invalid)
	email = domain.CheckEmail(v, "email", email)
	domain.CheckRole(v, "role", role, t.Kind)
	return r, email, v.Err()
}

// ListMembers lists the staff of a region or carrier with their roles.
func (a *App) ListMembers(ctx context.Context, actor Actor, t Target, p list.Params) ([]Member, int, error) {
	return readTargetPage(ctx, a, actor, t, "member", func(ctx context.Context, tx Tx, r resolved) ([]Member, int, error) {
		return tx.ListMembers(ctx, r.domain, p)
	})
}

// GrantRole gives an existing user, found by email, a role in the target.
func (a *App) GrantRole(ctx context.Context, actor Actor, t Target, email, role string) (Member, error) {
	var m Member
	var assignment authz.Assignment
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, email, err := a.authorizeInvitee(ctx, tx, actor, t, "member", "grant", "invalid-grant", email, role)
		if err != nil {
			return err
		}
		u, err := tx.GetUserByEmail(ctx, email)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NewValidation("invalid-grant").Add("email", "user_not_found").Err()
		}
		if err != nil {
			return err
		}
		assignment = authz.Assignment{UserID: u.ID, Role: role, Domain: r.domain}
		if err := a.grant(ctx, tx, actor, r, assignment); err != nil {
			return err
		}
		m = Member{UserID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Roles: []string{role}}
		return nil
	})
	if err != nil {
		return Member{}, err
	}
	// Read-your-writes for this replica; other replicas follow the event.
	if err := a.authz.Grant(assignment); err != nil {
		a.log.Error("apply grant locally", "err", err)
	}
	return m, nil
}

// grant stores a role assignment and its event; it is idempotent.
func (a *App) grant(ctx context.Context, tx Tx, actor Actor, r resolved, as authz.Assignment) error {
	created, err := tx.InsertGrant(ctx, Grant{UserID: as.UserID, Role: as.Role, Domain: as.Domain,
		RegionID: r.scope.RegionID, CarrierID: r.scope.CarrierID, GrantedBy: actor.UserID, GrantedAt: a.now()})
	if err != nil || !created {
		return err
	}
	if err := a.publish(ctx, tx, events.Scope{RegionID: r.scope.RegionID, CarrierID: r.scope.CarrierID}, actor, as.UserID,
		events.RoleGrantedV1{RoleAssignmentV1: events.RoleAssignmentV1{UserID: as.UserID, Role: as.Role, Domain: as.Domain}}); err != nil {
		return err
	}
	return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "member.grant", ObjectID: as.UserID, RegionID: r.scope.RegionID,
		CarrierID: r.scope.CarrierID, Detail: map[string]any{"role": as.Role, "domain": as.Domain}})
}

// RevokeRole removes a role from a member of the target.
func (a *App) RevokeRole(ctx context.Context, actor Actor, t Target, userID, role string) error {
	var assignment authz.Assignment
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, err := a.authorizeTarget(ctx, tx, actor, t, "member", "revoke")
		if err != nil {
			return err
		}
		deleted, err := tx.DeleteGrant(ctx, userID, role, r.domain)
		if err != nil {
			return err
		}
		if !deleted {
			return apperr.NotFoundErr("role-not-found")
		}
		assignment = authz.Assignment{UserID: userID, Role: role, Domain: r.domain}
		if err := a.publish(ctx, tx, events.Scope{RegionID: r.scope.RegionID, CarrierID: r.scope.CarrierID}, actor, userID,
			events.RoleRevokedV1{RoleAssignmentV1: events.RoleAssignmentV1{UserID: userID, Role: role, Domain: r.domain}}); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "member.revoke", ObjectID: userID, RegionID: r.scope.RegionID,
			CarrierID: r.scope.CarrierID, Detail: map[string]any{"role": role, "domain": r.domain}})
	})
	if err != nil {
		return err
	}
	if err := a.authz.Revoke(assignment); err != nil {
		a.log.Error("apply revoke locally", "err", err)
	}
	return nil
}

// Snapshot returns every role assignment, for enforcers starting up.
func (a *App) Snapshot(ctx context.Context) ([]authz.Assignment, error) {
	var out []authz.Assignment
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		gs, err := tx.AllGrants(ctx)
		for _, g := range gs {
			out = append(out, authz.Assignment{UserID: g.UserID, Role: g.Role, Domain: g.Domain})
		}
		return err
	})
	return out, err
}
