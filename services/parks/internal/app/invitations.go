package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// IssuedInvitation is an invitation with its one-time link; the token is
// returned only here and stored only as a hash.
type IssuedInvitation struct {
	*domain.Invitation
	AcceptURL string
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Invite invites a person by email to join the target with a role.
func (a *App) Invite(ctx context.Context, actor Actor, t Target, email, role string) (IssuedInvitation, error) {
	var out IssuedInvitation
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, email, err := a.authorizeInvitee(ctx, tx, actor, t, "invitation", "create", "invalid-invitation", email, role)
		if err != nil {
			return err
		}
		raw := make([]byte, 24)
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		token := base64.RawURLEncoding.EncodeToString(raw)
		now := a.now()
		inv := &domain.Invitation{ID: events.NewID(), TokenHash: hashToken(token), Email: email, Role: role, Domain: r.domain,
			InvitedBy: actor.UserID, ExpiresAt: now.Add(domain.InvitationTTL), CreatedAt: now}
		if err := tx.InsertInvitation(ctx, inv); err != nil {
			return err
		}
		link := a.acceptURL(token)
		created := events.InvitationCreatedV1{InvitationID: inv.ID, Email: email, Role: role, Domain: r.domain, ExpiresAt: inv.ExpiresAt}
		if a.linkKey != nil {
			// Every service may read the stream: the token travels
			// only sealed for notifications, which mails it.
			if created.SealedLink, err = a.linkKey.Seal(link, events.InvitationLinkPurpose(inv.ID)); err != nil {
				return fmt.Errorf("seal invitation link: %w", err)
			}
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: r.scope.RegionID, CarrierID: r.scope.CarrierID}, actor, inv.ID, created); err != nil {
			return err
		}
		out = IssuedInvitation{Invitation: inv, AcceptURL: link}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "invitation.create", ObjectID: inv.ID, RegionID: r.scope.RegionID,
			CarrierID: r.scope.CarrierID, Detail: map[string]any{"email": email, "role": role}})
	})
	return out, err
}

// ListInvitations lists a target's invitations.
func (a *App) ListInvitations(ctx context.Context, actor Actor, t Target, p list.Params) ([]*domain.Invitation, int, error) {
	return readTargetPage(ctx, a, actor, t, "invitation", func(ctx context.Context, tx Tx, r resolved) ([]*domain.Invitation, int, error) {
		return tx.ListInvitations(ctx, r.domain, p)
	})
}

// AcceptInvitation turns an invitation into a role: it creates the user
// (with the chosen password) or, for an existing account, checks its
// password, then grants the role.
func (a *App) AcceptInvitation(ctx context.Context, token, displayName, password string) (*domain.User, error) {
	var user *domain.User
	var assignment authz.Assignment
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		inv, err := tx.InvitationByTokenHash(ctx, hashToken(token))
		if err != nil {
			return err
		}
		now := a.now()
		if !inv.Acceptable(now) {
			return apperr.NotFoundErr("invitation-not-found")
		}
		if user, err = a.invitedUser(ctx, tx, inv.Email, displayName, password); err != nil {
			return err
		}
		if err := tx.MarkInvitationAccepted(ctx, inv.ID, now); err != nil {
			return err
		}
		r, err := a.resolveDomain(ctx, tx, inv.Domain)
		if err != nil {
			return err
		}
		assignment = authz.Assignment{UserID: user.ID, Role: inv.Role, Domain: inv.Domain}
		if err := a.grant(ctx, tx, Actor{UserID: inv.InvitedBy}, r, assignment); err != nil {
			return err
		}
		return a.publish(ctx, tx, events.Scope{RegionID: r.scope.RegionID, CarrierID: r.scope.CarrierID}, Actor{UserID: user.ID}, inv.ID,
			events.InvitationAcceptedV1{InvitationID: inv.ID, UserID: user.ID})
	})
	if err != nil {
		return nil, err
	}
	if err := a.authz.Grant(assignment); err != nil {
		a.log.Error("apply grant locally", "err", err)
	}
	return user, nil
}

func (a *App) resolveDomain(ctx context.Context, tx Tx, d string) (resolved, error) {
	kind, id, _ := strings.Cut(d, ":")
	return a.resolve(ctx, tx, Target{Kind: kind, ID: id})
}
