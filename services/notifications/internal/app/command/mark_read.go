package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// MarkRead marks one of the caller's notifications read.
type MarkRead struct {
	Actor          app.Actor
	NotificationID string
}

// MarkReadHandler marks notifications read. A user reaches only their own
// inbox: another user's notification is not found, like one that does not
// exist, so ids leak nothing.
type MarkReadHandler struct {
	store app.Store
	now   app.Clock
}

// NewMarkReadHandler returns the handler.
func NewMarkReadHandler(store app.Store, now app.Clock) MarkReadHandler {
	return MarkReadHandler{store: store, now: now}
}

// Handle marks cmd's notification read (a read one keeps its first
// reading time) and answers it.
func (h MarkReadHandler) Handle(ctx context.Context, cmd MarkRead) (domain.Notification, error) {
	if err := authz.Authenticated(cmd.Actor.UserID); err != nil {
		return domain.Notification{}, err
	}
	return bus.Fetch(ctx, h.store.Write, func(ctx context.Context, tx app.Tx) (domain.Notification, error) {
		return tx.MarkRead(ctx, cmd.Actor.UserID, cmd.NotificationID, h.now())
	})
}

// All marks every unread notification of the caller read and answers how
// many it marked.
func (h MarkReadHandler) All(ctx context.Context, actor app.Actor) (int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return 0, err
	}
	return bus.Fetch(ctx, h.store.Write, func(ctx context.Context, tx app.Tx) (int, error) {
		return tx.MarkAllRead(ctx, actor.UserID, h.now())
	})
}
