package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// InviteMember asks an existing user, by email, to join a company as Role
// (a member when empty).
type InviteMember struct {
	Actor     app.Actor
	CompanyID string
	Email     string
	Role      domain.MemberRole
}

// MembershipRepository is what the membership commands need.
type MembershipRepository interface {
	transactor
	membershipSaver
	membershipReader
	app.CompanyLoader
	ListMemberships(ctx context.Context, companyID string) ([]domain.Membership, error)
	UserByEmail(ctx context.Context, email string) (app.User, error)
}

// InviteMemberHandler invites members.
type InviteMemberHandler struct {
	handler[MembershipRepository]
}

// NewInviteMemberHandler returns the handler over the membership repository.
var NewInviteMemberHandler = newHandler[InviteMemberHandler, MembershipRepository]

// Handle invites the user, for a company admin; someone already invited
// or a member is a conflict.
func (h InviteMemberHandler) Handle(ctx context.Context, cmd InviteMember) (app.MemberView, error) {
	return app.Within(ctx, h.repo.Transaction, func(ctx context.Context) (app.MemberView, error) {
		c, err := companyForMember(ctx, h.repo, cmd.Actor, cmd.CompanyID)
		if err != nil {
			return app.MemberView{}, err
		}
		if err := memberAdmin(ctx, h.repo, h.authz, cmd.Actor, c); err != nil {
			return app.MemberView{}, err
		}
		role := cmd.Role
		v := apperr.NewValidation("invalid-member")
		v.Check(app.NormEmail(cmd.Email) == "", "email", "required")
		if role == "" {
			role = domain.CompanyMember
		}
		v.Check(!domain.ValidRole(role), "role", "one_of", "allowed", "company_admin, member")
		if err := v.Err(); err != nil {
			return app.MemberView{}, err
		}
		u, err := h.repo.UserByEmail(ctx, app.NormEmail(cmd.Email))
		if apperr.Is(err, apperr.NotFound) {
			return app.MemberView{}, apperr.NewValidation("invalid-member").Add("email", "user_not_found").Err()
		} else if err != nil {
			return app.MemberView{}, err
		}
		prev, err := h.repo.GetMembership(ctx, c.ID, u.ID)
		if err == nil && prev.Status != domain.Left {
			e := apperr.ConflictErr("already-member")
			e.Fields = []apperr.FieldError{{Field: "email", Code: "duplicate"}}
			return app.MemberView{}, e
		} else if err != nil && !apperr.Is(err, apperr.NotFound) {
			return app.MemberView{}, err
		}
		m := domain.Membership{CompanyID: c.ID, UserID: u.ID, Role: role, Status: domain.Invited, InvitedBy: cmd.Actor.UserID, UpdatedAt: h.now()}
		if err := h.repo.Save(ctx, cmd.Actor, c, m, false, "company.member.invite", map[string]any{"role": string(role)}); err != nil {
			return app.MemberView{}, err
		}
		return app.MemberView{Membership: m, Email: u.Email, DisplayName: u.DisplayName}, nil
	})
}
