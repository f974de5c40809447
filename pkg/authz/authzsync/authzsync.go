// Package authzsync keeps a service's Casbin enforcer in step with the role
// assignments other services publish: it loads a snapshot, then follows the
// role events with an ordered consumer from a little before the snapshot,
// so no change committed around the snapshot is missed. Replaying a grant
// or revoke that the snapshot already holds changes nothing.
package authzsync

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
)

// Margin is how far before the snapshot the event replay starts; it covers
// clock skew between this process and the NATS server.
const Margin = time.Minute

// Source is one publisher of role events: its stream and event types.
type Source struct {
	Service string   // stream owner, e.g. "parks"
	Types   []string // e.g. "parks.member.>"
}

// DefaultSources are the services that publish role assignments.
var DefaultSources = []Source{{Service: "parks", Types: []string{"parks.member.>"}}}

// Start loads snapshot into e and follows sources until ctx ends. It returns
// once the snapshot is loaded and the followers run.
func Start(ctx context.Context, b *bus.Bus, e *authz.Enforcer, snapshot func(ctx context.Context) ([]authz.Assignment, error), sources []Source, log *slog.Logger) (stop func(), err error) {
	since := time.Now().Add(-Margin)
	as, err := snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("load authorization snapshot: %w", err)
	}
	if err := e.Replace(as); err != nil {
		return nil, fmt.Errorf("apply authorization snapshot: %w", err)
	}
	var stops []func()
	stopAll := func() {
		for _, s := range stops {
			s()
		}
	}
	for _, src := range sources {
		if err := b.EnsureStream(ctx, src.Service); err != nil {
			stopAll()
			return nil, err
		}
		s, err := b.Follow(ctx, src.Service, src.Types, since, func(ctx context.Context, ev events.Envelope) error {
			if err := e.Apply(ev); err != nil {
				log.Error("apply role event", "event_id", ev.ID, "type", ev.Type, "err", err)
			}
			return nil
		})
		if err != nil {
			stopAll()
			return nil, fmt.Errorf("follow %s role events: %w", src.Service, err)
		}
		stops = append(stops, s)
	}
	return stopAll, nil
}
