package command

import (
	"context"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// RemoveMember ends a membership: UserID leaves, or is removed by a
// company admin.
type RemoveMember struct {
	Actor     app.Actor
	CompanyID string
	UserID    string
}

// RemoveMemberHandler ends memberships.
type RemoveMemberHandler struct{ AcceptMembershipHandler }

// NewRemoveMemberHandler returns the handler over the membership repository.
func NewRemoveMemberHandler(repo MembershipRepository, e *authz.Enforcer, log *slog.Logger, now func() time.Time) RemoveMemberHandler {
	return RemoveMemberHandler{NewAcceptMembershipHandler(repo, e, log, now)}
}

// Handle ends the membership: members may leave, company admins may
// remove anyone; the last admin stays.
func (h RemoveMemberHandler) Handle(ctx context.Context, cmd RemoveMember) error {
	return h.changeMembership(ctx, cmd.Actor, cmd.CompanyID, cmd.UserID, false, func(ctx context.Context, c *domain.Company) error {
		if cmd.UserID != cmd.Actor.UserID {
			if err := memberAdmin(ctx, h.repo, h.authz, cmd.Actor, c); err != nil {
				return err
			}
		} else if err := app.AuthorizeCompany(ctx, h.repo, h.authz, cmd.Actor, c, "company", "read"); err != nil {
			return err
		}
		m, err := memberOf(ctx, h.repo, c.ID, cmd.UserID, "member-not-found")
		if err != nil {
			return err
		}
		all, err := h.repo.ListMemberships(ctx, c.ID)
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
		if err := m.Leave(admins, h.now()); err != nil {
			return err
		}
		return h.repo.Save(ctx, cmd.Actor, c, m, wasActive, "company.member.remove", nil)
	})
}
