// Package app holds the notifications service's use cases: command (the
// delivery of events into inboxes, marking read) and query (a user's
// inbox), and the store interfaces they share.
package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// Actor is who asks: a signed-in user, or nobody.
type Actor struct{ UserID string }

// Clock tells the time; tests set it.
type Clock func() time.Time

// UTCNow is the real clock.
func UTCNow() time.Time { return time.Now().UTC() }

// Named is a carrier or company as the read models know it.
type Named struct {
	ID, RegionID string
	Name         domain.Name
}

// Directory is the read models the service keeps from parks' and
// incubatees' events: names and role assignments.
type Directory interface {
	UpsertCarrier(ctx context.Context, c Named) error
	UpsertCompany(ctx context.Context, c Named) error
	UpsertUser(ctx context.Context, id, email, displayName string) error
	Grant(ctx context.Context, userID, role, domain string) error
	Revoke(ctx context.Context, userID, role, domain string) error
	Carrier(ctx context.Context, id string) (Named, bool, error)
	Company(ctx context.Context, id string) (Named, bool, error)
	// Holders are the users holding any of roles in domain.
	Holders(ctx context.Context, domain string, roles ...string) ([]string, error)
}

// Inbox is every user's notifications.
type Inbox interface {
	// Add stores n unless its user has one from the same source event
	// already; added tells which.
	Add(ctx context.Context, n domain.Notification) (added bool, err error)
	// MarkRead marks the user's notification id read at; not found when it
	// is not theirs.
	MarkRead(ctx context.Context, userID, id string, at time.Time) (domain.Notification, error)
	// MarkAllRead marks every unread notification of the user read.
	MarkAllRead(ctx context.Context, userID string, at time.Time) (int, error)
}

// InboxReader reads inboxes; it has no method that writes.
type InboxReader interface {
	List(ctx context.Context, userID string, f Filter, p list.Params) ([]domain.Notification, int, error)
	Unread(ctx context.Context, userID string) (int, error)
}

// Filter narrows a user's list.
type Filter struct {
	UnreadOnly bool
	Kind       string
}

// Mailbox is the e-mail of notifications: queued with the notification,
// sent once by the sender, or kept as the dev mailbox.
type Mailbox interface {
	// Email is the user's address ("" when unknown).
	Email(ctx context.Context, userID string) (string, error)
	QueueMail(ctx context.Context, m domain.Mail) error
	// Unsent are up to n mails not sent yet, oldest first.
	Unsent(ctx context.Context, n int) ([]domain.Mail, error)
	MarkSent(ctx context.Context, id string, at time.Time) error
	MarkFailed(ctx context.Context, id, reason string) error
	// Mails are a page of every mail, newest first (the dev mailbox).
	Mails(ctx context.Context, p list.Params) ([]domain.Mail, int, error)
}

// Tx is one transaction with this service's queries and its outbox.
type Tx interface {
	Directory
	Inbox
	InboxReader
	Mailbox
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// Store runs use cases in transactions.
type Store interface {
	Read(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	Write(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}
