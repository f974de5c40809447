package command

import (
	"context"
	"net/url"
	"strings"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// invitation queues the invitation's e-mail to the invitee's address (who
// is no user yet, so there is no inbox row): parks sealed the acceptance
// link for this service alone. A link that does not open — tampered,
// sealed with another key or for another invitation — is refused and
// logged, and nothing is queued: redelivery cannot mend it.
func (h DeliverHandler) invitation(ctx context.Context, tx app.Tx, ev events.Envelope, p events.InvitationCreatedV1) error {
	log := h.log.With("event_id", ev.ID, "invitation_id", p.InvitationID)
	if h.invitationKey == nil || p.SealedLink == "" {
		log.Warn("invitation not mailed: no sealed link or no INCUCHAIN_INVITATION_KEY to open it", "sealed", p.SealedLink != "")
		return nil
	}
	link, err := h.invitationKey.Open(p.SealedLink, events.InvitationLinkPurpose(p.InvitationID))
	if err != nil || !acceptLink(link) {
		log.Error("invitation link refused: it does not open with this service's key for this invitation", "err", err)
		return nil
	}
	var where domain.Name
	kind, id, _ := authz.ParseDomain(p.Domain)
	switch kind {
	case authz.KindCarrier:
		c, _, err := tx.Carrier(ctx, id)
		if err != nil {
			return err
		}
		where = c.Name
	case authz.KindCompany:
		c, _, err := tx.Company(ctx, id)
		if err != nil {
			return err
		}
		where = c.Name
	}
	return tx.QueueMail(ctx, domain.InvitationMail(events.NewID(), p.Email, link, p.Role, where, p.ExpiresAt, h.now()))
}

// acceptLink reports whether link is an http(s) invitation link: even a
// sealed value is mailed only in the shape parks makes.
func acceptLink(link string) bool {
	u, err := url.Parse(link)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && strings.Contains(u.Path, "/invitations/")
}
