package command

import (
	"context"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// AcceptMembership is the invited user joining the company.
type AcceptMembership struct {
	Actor     app.Actor
	CompanyID string
}

// AcceptMembershipHandler lets invited users join.
type AcceptMembershipHandler struct {
	handler[MembershipRepository]
	log *slog.Logger
}

// NewAcceptMembershipHandler returns the handler over the membership repository.
func NewAcceptMembershipHandler(repo MembershipRepository, e *authz.Enforcer, log *slog.Logger, now func() time.Time) AcceptMembershipHandler {
	return AcceptMembershipHandler{handler: handler[MembershipRepository]{repo, e, now}, log: log}
}

// Handle accepts the actor's invitation; without one the company is not
// found.
func (h AcceptMembershipHandler) Handle(ctx context.Context, cmd AcceptMembership) error {
	return h.changeMembership(ctx, cmd.Actor, cmd.CompanyID, cmd.Actor.UserID, true, func(ctx context.Context, c *domain.Company) error {
		m, err := memberOf(ctx, h.repo, c.ID, cmd.Actor.UserID, "company-not-found")
		if err != nil {
			return err
		}
		if err := m.Accept(h.now()); err != nil {
			return err
		}
		return h.repo.Save(ctx, cmd.Actor, c, m, false, "company.member.accept", nil)
	})
}

// changeMembership runs change in the repository's transaction on the
// company companyID names, for a signed-in actor; once committed, the
// member role of userID applies to this replica's enforcer at once
// (granted: given, else taken).
func (h AcceptMembershipHandler) changeMembership(ctx context.Context, actor app.Actor, companyID, userID string, granted bool,
	change func(ctx context.Context, c *domain.Company) error) error {
	began := app.LocalChangeTime()
	err := h.repo.Transaction(ctx, func(ctx context.Context) error {
		c, err := companyForMember(ctx, h.repo, actor, companyID)
		if err != nil {
			return err
		}
		return change(ctx, c)
	})
	if err != nil {
		return err
	}
	app.ApplyLocally(h.authz, h.log, authz.Assignment{UserID: userID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(companyID)}, granted, began)
	return nil
}
