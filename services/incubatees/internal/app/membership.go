package app

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// putMembership stores m and publishes the role change it implies:
// becoming active grants startup_member in the company's domain, leaving
// revokes it. This service owns company membership, so it is the one that
// publishes these assignments.
func (a *App) putMembership(ctx context.Context, tx Tx, actor Actor, c *domain.Company, m domain.Membership, wasActive bool) error {
	if err := tx.PutMembership(ctx, m); err != nil {
		return err
	}
	as := events.RoleAssignmentV1{UserID: m.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(c.ID)}
	scope := events.Scope{RegionID: c.RegionID}
	switch {
	case m.Status == domain.Active && (!wasActive || m.Role == domain.CompanyAdmin):
		return a.publish(ctx, tx, scope, actor, m.UserID, events.CompanyRoleGrantedV1{RoleAssignmentV1: as})
	case m.Status == domain.Left && wasActive:
		return a.publish(ctx, tx, scope, actor, m.UserID, events.CompanyRoleRevokedV1{RoleAssignmentV1: as})
	}
	return nil
}

// companyAdmin checks that actor administers the company.
func (a *App) companyAdmin(ctx context.Context, tx Tx, actor Actor, c *domain.Company) error {
	if err := a.authorizeCompany(ctx, tx, actor, c.ID, c.RegionID, "company", "read"); err != nil {
		return err
	}
	m, err := tx.GetMembership(ctx, c.ID, actor.UserID)
	if err != nil || m.Status != domain.Active || m.Role != domain.CompanyAdmin {
		return apperr.ForbiddenErr("not-company-admin")
	}
	return nil
}

// MemberView is a membership with the person's name.
type MemberView struct {
	domain.Membership
	Email, DisplayName string
}

// ListMembers lists a company's members.
func (a *App) ListMembers(ctx context.Context, actor Actor, companyID string) ([]MemberView, error) {
	var out []MemberView
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		c, _, err := a.companyAt(ctx, tx, actor, companyID, "company", "read")
		if err != nil {
			return err
		}
		ms, err := tx.ListMemberships(ctx, c.ID)
		if err != nil {
			return err
		}
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.UserID
		}
		users, err := tx.UsersByIDs(ctx, ids)
		if err != nil {
			return err
		}
		for _, m := range ms {
			u := users[m.UserID]
			out = append(out, MemberView{Membership: m, Email: u.Email, DisplayName: u.DisplayName})
		}
		return nil
	})
	return out, err
}

func (a *App) loadCompany(ctx context.Context, tx Tx, actor Actor, id string) (*domain.Company, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	return tx.GetCompany(ctx, id)
}

// InviteMember asks an existing user, by email, to join the company.
func (a *App) InviteMember(ctx context.Context, actor Actor, companyID, email string, role domain.MemberRole) (MemberView, error) {
	var out MemberView
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		c, err := a.loadCompany(ctx, tx, actor, companyID)
		if err != nil {
			return err
		}
		if err := a.companyAdmin(ctx, tx, actor, c); err != nil {
			return err
		}
		v := apperr.NewValidation("invalid-member")
		v.Check(normEmail(email) == "", "email", "required")
		if role == "" {
			role = domain.CompanyMember
		}
		v.Check(!domain.ValidRole(role), "role", "one_of", "allowed", "company_admin, member")
		if err := v.Err(); err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, normEmail(email))
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NewValidation("invalid-member").Add("email", "user_not_found").Err()
		} else if err != nil {
			return err
		}
		prev, err := tx.GetMembership(ctx, c.ID, u.ID)
		if err == nil && prev.Status != domain.Left {
			e := apperr.ConflictErr("already-member")
			e.Fields = []apperr.FieldError{{Field: "email", Code: "duplicate"}}
			return e
		} else if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		m := domain.Membership{CompanyID: c.ID, UserID: u.ID, Role: role, Status: domain.Invited, InvitedBy: actor.UserID, UpdatedAt: a.now()}
		if err := a.putMembership(ctx, tx, actor, c, m, false); err != nil {
			return err
		}
		out = MemberView{Membership: m, Email: u.Email, DisplayName: u.DisplayName}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "company.member.invite", ObjectID: u.ID, RegionID: c.RegionID, CompanyID: c.ID,
			Detail: map[string]any{"role": string(role)}})
	})
	return out, err
}

// AcceptMembership is the invited user joining the company.
func (a *App) AcceptMembership(ctx context.Context, actor Actor, companyID string) error {
	var c *domain.Company
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if c, err = a.loadCompany(ctx, tx, actor, companyID); err != nil {
			return err
		}
		m, err := tx.GetMembership(ctx, c.ID, actor.UserID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NotFoundErr("company-not-found")
		} else if err != nil {
			return err
		}
		if err := m.Accept(a.now()); err != nil {
			return err
		}
		if err := a.putMembership(ctx, tx, actor, c, m, false); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "company.member.accept", ObjectID: actor.UserID, RegionID: c.RegionID, CompanyID: c.ID})
	})
	if err != nil {
		return err
	}
	a.applyLocally(authz.Assignment{UserID: actor.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(companyID)}, true)
	return nil
}

// RemoveMember ends a membership: members may leave, company admins may
// remove anyone; the last admin stays.
func (a *App) RemoveMember(ctx context.Context, actor Actor, companyID, userID string) error {
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		c, err := a.loadCompany(ctx, tx, actor, companyID)
		if err != nil {
			return err
		}
		if userID != actor.UserID {
			if err := a.companyAdmin(ctx, tx, actor, c); err != nil {
				return err
			}
		} else if err := a.authorizeCompany(ctx, tx, actor, c.ID, c.RegionID, "company", "read"); err != nil {
			return err
		}
		m, err := tx.GetMembership(ctx, c.ID, userID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NotFoundErr("member-not-found")
		} else if err != nil {
			return err
		}
		all, err := tx.ListMemberships(ctx, c.ID)
		if err != nil {
			return err
		}
		admins := 0
		for _, x := range all {
			if x.Status == domain.Active && x.Role == domain.CompanyAdmin {
				admins++
			}
		}
		wasActive := m.Status == domain.Active
		if err := m.Leave(admins, a.now()); err != nil {
			return err
		}
		if err := a.putMembership(ctx, tx, actor, c, m, wasActive); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "company.member.remove", ObjectID: userID, RegionID: c.RegionID, CompanyID: c.ID})
	})
	if err != nil {
		return err
	}
	a.applyLocally(authz.Assignment{UserID: userID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(companyID)}, false)
	return nil
}

// Snapshot returns every active company membership as role assignments,
// for enforcers starting up.
func (a *App) Snapshot(ctx context.Context) ([]authz.Assignment, error) {
	var out []authz.Assignment
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		ms, err := tx.ActiveMemberships(ctx)
		for _, m := range ms {
			out = append(out, authz.Assignment{UserID: m.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(m.CompanyID)})
		}
		return err
	})
	return out, err
}
