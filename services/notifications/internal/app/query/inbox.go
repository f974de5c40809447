// Package query holds the notifications service's reads: a user's own
// inbox and its unread count.
package query

import (
	"context"
	"slices"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// Reader runs read-only transactions.
type Reader interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx app.Tx) error) error
}

// Inbox reads the caller's own notifications; nobody reads another's.
type Inbox struct{ store Reader }

// NewInbox returns the query.
func NewInbox(store Reader) Inbox { return Inbox{store: store} }

// List is a page of the caller's notifications, newest first.
func (q Inbox) List(ctx context.Context, actor app.Actor, f app.Filter, p list.Params) ([]domain.Notification, int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, 0, err
	}
	if f.Kind != "" && !slices.Contains(domain.Kinds, f.Kind) {
		return nil, 0, apperr.NewValidation("invalid-query").Add("kind", "one_of", "allowed", strings.Join(domain.Kinds, ", ")).Err()
	}
	return bus.FetchPage(ctx, q.store.Read, func(ctx context.Context, tx app.Tx) ([]domain.Notification, int, error) {
		return tx.List(ctx, actor.UserID, f, p)
	})
}

// Unread is how many of the caller's notifications are unread.
func (q Inbox) Unread(ctx context.Context, actor app.Actor) (int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return 0, err
	}
	return bus.Fetch(ctx, q.store.Read, func(ctx context.Context, tx app.Tx) (int, error) {
		return tx.Unread(ctx, actor.UserID)
	})
}
