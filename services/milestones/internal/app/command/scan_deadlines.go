package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/milestones/internal/app"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// ScanDeadlinesHandler sends due-soon reminders and overdue notices. Each
// reminder is a row (milestone, kind, due date) written in the
// transaction of its event, so a scan that stops half-way, a restart or
// a second replica scanning at the same time sends each reminder once:
// whoever inserts the row sends the event, anyone later finds the row.
type ScanDeadlinesHandler struct {
	store    app.Store
	now      app.Clock
	soonDays int
	batch    int
	// sent, when set, is called after each reminder committed (tests stop
	// a scan half-way with it).
	sent func(milestoneID, kind string)
}

// NewScanDeadlinesHandler returns the scan: reminders soonDays ahead,
// batch milestones per query.
func NewScanDeadlinesHandler(s app.Store, now app.Clock, soonDays, batch int) ScanDeadlinesHandler {
	if batch <= 0 {
		batch = 200
	}
	return ScanDeadlinesHandler{store: s, now: now, soonDays: soonDays, batch: batch}
}

// OnSent returns the handler calling fn after each reminder it sends.
func (h ScanDeadlinesHandler) OnSent(fn func(milestoneID, kind string)) ScanDeadlinesHandler {
	h.sent = fn
	return h
}

// Handle sends every reminder due today and answers how many it sent.
func (h ScanDeadlinesHandler) Handle(ctx context.Context) (int, error) {
	today := domain.Day(h.now())
	until := today.AddDate(0, 0, h.soonDays)
	sent := 0
	for {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		var due []app.Due
		if err := h.store.Read(ctx, func(ctx context.Context, tx app.Tx) error {
			var err error
			due, err = tx.DueBy(ctx, today, until, h.batch)
			return err
		}); err != nil {
			return sent, err
		}
		// A batch in which no milestone calls for a reminder would come
		// back unchanged: stop rather than ask again.
		progressed := false
		for _, d := range due {
			if _, _, ok := d.Reminder(today, h.soonDays); !ok {
				continue
			}
			progressed = true
			ok, err := h.remind(ctx, d, today)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(due) < h.batch || !progressed {
			return sent, nil
		}
	}
}

// remind sends d's reminder unless someone already has.
func (h ScanDeadlinesHandler) remind(ctx context.Context, d app.Due, today time.Time) (bool, error) {
	kind, days, ok := d.Reminder(today, h.soonDays)
	if !ok {
		return false, nil
	}
	sent := false
	err := h.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		first, err := tx.MarkReminder(ctx, d.ID(), kind, d.DueOn(), h.now())
		if err != nil || !first {
			return err
		}
		v := app.MilestonePayload(d.CarrierKind, d.Milestone)
		var p events.Payload = events.MilestoneDueSoonV1{MilestoneV1: v, DaysLeft: days}
		if kind == domain.ReminderOverdue {
			p = events.MilestoneOverdueV1{MilestoneV1: v, DaysOverdue: days}
		}
		sent = true
		return app.Publish(ctx, tx, app.System, d.Milestone, p)
	})
	if err == nil && sent && h.sent != nil {
		h.sent(d.ID(), kind)
	}
	return sent && err == nil, err
}
