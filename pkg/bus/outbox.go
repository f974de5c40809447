package bus

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the outbox and processed_events tables; every service
// that publishes or consumes events applies it next to its own.
var Migrations = db.Migrations{Component: "bus", FS: mustSub(migrationFiles, "migrations")}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		// Only reachable if the embed directive above names another
		// directory: a build-time mistake, not a runtime condition.
		panic(fmt.Sprintf("bus migrations: %v", err))
	}
	return sub
}

// Enqueue writes evs to the outbox inside the caller's transaction, so
// they are published if and only if the change they describe commits.
// Call Relay.Notify after the commit to publish them at once.
func Enqueue(ctx context.Context, tx bun.IDB, evs ...events.Envelope) error {
	if len(evs) == 0 {
		return nil
	}
	now := time.Now().UTC()
	args := make([]any, 0, len(evs)*6)
	rows := make([]string, 0, len(evs))
	for _, ev := range evs {
		if ev.ID == "" || ev.Type == "" {
			return fmt.Errorf("enqueue event: id and type are required (id %q, type %q)", ev.ID, ev.Type)
		}
		// The publisher is the service owning the type; the relay sends
		// the row only on that service's own NATS connection.
		service := events.Service(ev.Type)
		if ev.Source == "" {
			ev.Source = service
		} else if ev.Source != service {
			return fmt.Errorf("enqueue event %s: source %q does not own type %s", ev.ID, ev.Source, ev.Type)
		}
		envelope, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("enqueue event %s: encode envelope: %w", ev.ID, err)
		}
		headers, err := json.Marshal(eventHeaders(ev))
		if err != nil {
			return fmt.Errorf("enqueue event %s: encode headers: %w", ev.ID, err)
		}
		rows = append(rows, "(?, ?, ?, ?, ?, ?)")
		args = append(args, ev.ID, ev.Subject(), ev.AggregateID, string(headers), string(envelope), now)
	}
	q := "INSERT INTO outbox (event_id, subject, aggregate_id, headers, envelope, created_at) VALUES " +
		strings.Join(rows, ", ")
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("enqueue %d event(s) starting with %s: %w", len(evs), evs[0].ID, err)
	}
	return nil
}

// eventHeaders are the headers published with ev besides Nats-Msg-Id,
// which the relay sets from the row's event id.
func eventHeaders(ev events.Envelope) map[string]string {
	h := map[string]string{
		events.HeaderType:    ev.Type,
		events.HeaderVersion: strconv.Itoa(ev.Version),
		events.HeaderSource:  ev.Source,
	}
	if ev.RegionID != "" {
		h[events.HeaderRegion] = ev.RegionID
	}
	if ev.CarrierID != "" {
		h[events.HeaderCarrier] = ev.CarrierID
	}
	return h
}
