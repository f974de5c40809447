package query

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// DevMailbox shows the e-mail the service would have sent, when no SMTP
// server is configured (the embedded default). Only platform admins read
// it: it holds every user's mail.
type DevMailbox struct {
	store   Reader
	authz   *authz.Enforcer
	enabled bool
}

// NewDevMailbox returns the query; enabled is false when mail goes out
// over SMTP, and then the mailbox is not found.
func NewDevMailbox(store Reader, e *authz.Enforcer, enabled bool) DevMailbox {
	return DevMailbox{store: store, authz: e, enabled: enabled}
}

// List is a page of the kept mail, newest first.
func (q DevMailbox) List(ctx context.Context, actor app.Actor, p list.Params) ([]domain.Mail, int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, 0, err
	}
	if !q.authz.Can(actor.UserID, authz.Scope{}, "mailbox", "read") {
		return nil, 0, apperr.ForbiddenErr("not-platform-admin")
	}
	if !q.enabled {
		return nil, 0, apperr.NotFoundErr("mailbox-off")
	}
	return bus.FetchPage(ctx, q.store.Read, func(ctx context.Context, tx app.Tx) ([]domain.Mail, int, error) {
		return tx.Mails(ctx, p)
	})
}
