package command

import (
	"context"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
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
	began := app.LocalChangeTime()
	err := h.repo.Transaction(ctx, func(ctx context.Context) error {
		c, err := companyForMember(ctx, h.repo, cmd.Actor, cmd.CompanyID)
		if err != nil {
			return err
		}
		m, err := h.repo.GetMembership(ctx, c.ID, cmd.Actor.UserID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.NotFoundErr("company-not-found")
		} else if err != nil {
			return err
		}
		if err := m.Accept(h.now()); err != nil {
			return err
		}
		return h.repo.Save(ctx, cmd.Actor, c, m, false, "company.member.accept", nil)
	})
	if err != nil {
		return err
	}
	app.ApplyLocally(h.authz, h.log, authz.Assignment{UserID: cmd.Actor.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(cmd.CompanyID)}, true, began)
	return nil
}
