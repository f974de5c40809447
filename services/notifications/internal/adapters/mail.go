package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

type mailRow struct {
	bun.BaseModel  `bun:"table:outgoing_mail"`
	ID             string     `bun:"id,pk"`
	NotificationID string     `bun:"notification_id"`
	UserID         string     `bun:"user_id"`
	To             string     `bun:"to_addr"`
	Subject        string     `bun:"subject"`
	Body           string     `bun:"body"`
	CreatedAt      time.Time  `bun:"created_at"`
	SentAt         *time.Time `bun:"sent_at"`
	Attempts       int        `bun:"attempts"`
	LastError      string     `bun:"last_error"`
}

func mailOf(r mailRow) domain.Mail {
	return domain.Mail{ID: r.ID, NotificationID: r.NotificationID, UserID: r.UserID, To: r.To, Subject: r.Subject, Body: r.Body,
		CreatedAt: r.CreatedAt.UTC(), SentAt: r.SentAt, Attempts: r.Attempts, LastError: r.LastError}
}

func (t *txStore) Email(ctx context.Context, userID string) (string, error) {
	emails, err := db.Values[[]string](ctx, t.NewSelect().Model((*userRow)(nil)).Column("email").Where("id = ?", userID), "user's e-mail")
	if len(emails) == 0 {
		return "", err
	}
	return emails[0], nil
}

func (t *txStore) QueueMail(ctx context.Context, m domain.Mail) error {
	r := mailRow{ID: m.ID, NotificationID: m.NotificationID, UserID: m.UserID, To: m.To, Subject: m.Subject, Body: m.Body,
		CreatedAt: m.CreatedAt.UTC().Truncate(time.Microsecond)}
	if _, err := t.NewInsert().Model(&r).Exec(ctx); err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

func (t *txStore) Unsent(ctx context.Context, n int) ([]domain.Mail, error) {
	var rows []mailRow
	q := t.NewSelect().Model(&rows).Where("sent_at IS NULL AND attempts < ?", domain.MaxMailAttempts).OrderExpr("created_at, id").Limit(int64(n))
	return db.MapAll(ctx, q, &rows, "unsent mail", mailOf)
}

func (t *txStore) MarkSent(ctx context.Context, id string, at time.Time) error {
	_, err := t.NewUpdate().Model((*mailRow)(nil)).Set("sent_at = ?", at.UTC()).Set("attempts = attempts + 1").Set("last_error = ''").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark mail sent: %w", err)
	}
	return nil
}

func (t *txStore) MarkFailed(ctx context.Context, id, reason string) error {
	if r := []rune(reason); len(r) > 500 {
		reason = string(r[:500])
	}
	_, err := t.NewUpdate().Model((*mailRow)(nil)).Set("attempts = attempts + 1").Set("last_error = ?", reason).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark mail failed: %w", err)
	}
	return nil
}

func (t *txStore) Mails(ctx context.Context, p list.Params) ([]domain.Mail, int, error) {
	var rows []mailRow
	return db.MapPage(ctx, t.NewSelect().Model(&rows).OrderExpr("created_at DESC, id DESC"), p, &rows, "dev mailbox", mailOf)
}
