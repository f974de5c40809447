package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// ScanDeadlinesHandler sends due-soon reminders and overdue notices. Each
// reminder is a row (milestone, kind, due date) written in the
// transaction of its event, so a scan that stops half-way, a restart or
// a second replica scanning at the same time sends each reminder once:
// whoever inserts the row sends the event, anyone later finds the row.
// Several reminders share a transaction (perTx): a commit makes all of
// them sent, a rollback none, and no row is ever without its event.
type ScanDeadlinesHandler struct {
	store    app.Store
	now      app.Clock
	soonDays int
	batch    int
	perTx    int
	// sent, when set, is called after each reminder committed (tests stop
	// a scan half-way with it).
	sent func(milestoneID, kind string)
}

// DefaultRemindersPerTx is how many reminders one transaction writes: on
// PostgreSQL a commit costs far more than a reminder's two inserts.
const DefaultRemindersPerTx = 100

// NewScanDeadlinesHandler returns the scan: reminders soonDays ahead,
// batch milestones per query, DefaultRemindersPerTx per transaction.
func NewScanDeadlinesHandler(s app.Store, now app.Clock, soonDays, batch int) ScanDeadlinesHandler {
	if batch <= 0 {
		batch = 200
	}
	return ScanDeadlinesHandler{store: s, now: now, soonDays: soonDays, batch: batch, perTx: DefaultRemindersPerTx}
}

// OnSent returns the handler calling fn after each reminder it sends.
func (h ScanDeadlinesHandler) OnSent(fn func(milestoneID, kind string)) ScanDeadlinesHandler {
	h.sent = fn
	return h
}

// PerTransaction returns the handler writing up to n reminders (at least
// one) per transaction.
func (h ScanDeadlinesHandler) PerTransaction(n int) ScanDeadlinesHandler {
	h.perTx = max(n, 1)
	return h
}

// Handle sends every reminder due today and answers how many it sent.
func (h ScanDeadlinesHandler) Handle(ctx context.Context) (int, error) {
	today := calendar.Today(h.now())
	until := today.AddDate(0, 0, h.soonDays)
	sent := 0
	for {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		due, err := bus.Fetch(ctx, h.store.Read, func(ctx context.Context, tx app.Tx) ([]app.Due, error) {
			return tx.DueBy(ctx, today, until, h.batch)
		})
		if err != nil {
			return sent, err
		}
		// A batch in which no milestone calls for a reminder would come
		// back unchanged: stop rather than ask again.
		var calls []app.Due
		for _, d := range due {
			if _, _, ok := d.Reminder(today, h.soonDays); ok {
				calls = append(calls, d)
			}
		}
		progressed := len(calls) > 0
		for len(calls) > 0 {
			if err := ctx.Err(); err != nil {
				return sent, err
			}
			chunk := calls[:min(h.perTx, len(calls))]
			calls = calls[len(chunk):]
			n, err := h.remind(ctx, chunk, today)
			sent += n
			if err != nil {
				return sent, err
			}
		}
		if len(due) < h.batch || !progressed {
			return sent, nil
		}
	}
}

// remind sends, in one transaction, the reminders of due that nobody has
// sent yet, and answers how many it sent.
func (h ScanDeadlinesHandler) remind(ctx context.Context, due []app.Due, today time.Time) (int, error) {
	type reminder struct{ id, kind string }
	var sent []reminder
	err := h.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		sent = sent[:0]
		for _, d := range due {
			kind, days, ok := d.Reminder(today, h.soonDays)
			if !ok {
				continue
			}
			first, err := tx.MarkReminder(ctx, d.ID(), kind, d.DueOn(), h.now())
			if err != nil {
				return err
			}
			if !first {
				continue
			}
			v := app.MilestonePayload(d.CarrierKind, d.Milestone)
			var p events.Payload = events.MilestoneDueSoonV1{MilestoneV1: v, DaysLeft: days}
			if kind == domain.ReminderOverdue {
				p = events.MilestoneOverdueV1{MilestoneV1: v, DaysOverdue: days}
			}
			if err := app.Publish(ctx, tx, app.System, d.Milestone, p); err != nil {
				return err
			}
			sent = append(sent, reminder{d.ID(), kind})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if h.sent != nil {
		for _, r := range sent {
			h.sent(r.id, r.kind)
		}
	}
	return len(sent), nil
}
