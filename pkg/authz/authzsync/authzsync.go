// Package authzsync keeps a service's Casbin enforcer in step with the role
// assignments that services publish. The assignments a service owns come
// from its own tables (a snapshot) and are then followed from a little
// before the snapshot; those another service owns are replayed from the
// start of that service's stream, so no service waits on another at start.
// Replaying a grant or revoke the state already holds changes nothing.
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

// Source is one publisher of role events.
type Source struct {
	Service string   // stream owner, e.g. "parks"
	Types   []string // e.g. "parks.member.>"
	// Snapshot loads the assignments this source holds now; only the
	// service owning them sets it. Without it, the source's role events
	// are replayed from the start of its stream.
	Snapshot func(ctx context.Context) ([]authz.Assignment, error)
}

// Parks and Incubatees are the services that publish role assignments:
// staff of regions and carriers, and members of companies.
var (
	Parks      = Source{Service: "parks", Types: []string{"parks.member.>"}}
	Incubatees = Source{Service: "incubatees", Types: []string{"incubatees.member.>"}}
)

// DefaultSources lists every publisher, none with a snapshot.
func DefaultSources() []Source { return []Source{Parks, Incubatees} }

// Own returns the sources with snapshot set on the one named service.
func Own(service string, snapshot func(ctx context.Context) ([]authz.Assignment, error)) []Source {
	out := DefaultSources()
	for i := range out {
		if out[i].Service == service {
			out[i].Snapshot = snapshot
		}
	}
	return out
}

// Start loads the snapshots into e and follows every source until ctx
// ends. It returns once the snapshots are loaded and the followers run.
func Start(ctx context.Context, b *bus.Bus, e *authz.Enforcer, sources []Source, log *slog.Logger) (stop func(), err error) {
	since := make([]time.Time, len(sources))
	var all []authz.Assignment
	for i, src := range sources {
		if src.Snapshot == nil {
			continue // zero since: replay the whole stream
		}
		since[i] = time.Now().Add(-Margin)
		as, err := src.Snapshot(ctx)
		if err != nil {
			return nil, fmt.Errorf("load %s authorization snapshot: %w", src.Service, err)
		}
		all = append(all, as...)
	}
	if err := e.Replace(all); err != nil {
		return nil, fmt.Errorf("apply authorization snapshot: %w", err)
	}
	var stops []func()
	stopAll := func() {
		for _, s := range stops {
			s()
		}
	}
	for i, src := range sources {
		if err := b.EnsureStream(ctx, src.Service); err != nil {
			stopAll()
			return nil, err
		}
		s, err := b.Follow(ctx, src.Service, src.Types, since[i], func(ctx context.Context, ev events.Envelope) error {
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
