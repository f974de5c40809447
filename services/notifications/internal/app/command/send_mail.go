package command

import (
	"context"
	"fmt"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// Mailer delivers one e-mail (SMTP in production).
type Mailer interface {
	Send(ctx context.Context, m domain.Mail) error
}

// SendMailHandler sends queued e-mail: each mail is stamped sent in its own
// transaction right after the server took it, so a crash in between sends
// that one mail at most twice, never none. A refused mail keeps its error
// and is tried again on the next run, up to domain.MaxMailAttempts.
type SendMailHandler struct {
	store  app.Store
	mailer Mailer
	now    app.Clock
}

// NewSendMailHandler returns the sender.
func NewSendMailHandler(store app.Store, mailer Mailer, now app.Clock) SendMailHandler {
	return SendMailHandler{store: store, mailer: mailer, now: now}
}

// Handle sends up to batch unsent mails and answers how many went out.
func (h SendMailHandler) Handle(ctx context.Context, batch int) (int, error) {
	pending, err := bus.Fetch(ctx, h.store.Read, func(ctx context.Context, tx app.Tx) ([]domain.Mail, error) {
		return tx.Unsent(ctx, batch)
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range pending {
		sendErr := h.mailer.Send(ctx, m)
		err := h.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
			if sendErr != nil {
				return tx.MarkFailed(ctx, m.ID, sendErr.Error())
			}
			return tx.MarkSent(ctx, m.ID, h.now())
		})
		if err != nil {
			return sent, fmt.Errorf("mark mail %s: %w", m.ID, err)
		}
		if sendErr == nil {
			sent++
		}
	}
	return sent, nil
}
