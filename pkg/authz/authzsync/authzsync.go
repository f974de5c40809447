// Package authzsync keeps a service's Casbin enforcer in step with the role
// assignments that services publish. The assignments a service owns come
// from its own tables (a snapshot) and are then followed from a little
// before the snapshot; those another service owns are replayed from the
// start of that service's stream, so no service waits on another at start.
// Replaying a grant or revoke the state already holds changes nothing.
//
// A role event is applied only when it comes from the service that owns
// the relationship (ARCHITECTURE, "Authorization"): parks for the platform,
// region and carrier domains, incubatees for company domains. The bus has
// already refused events whose subject, source and type disagree; this
// refuses, say, a platform_admin grant published by incubatees on its own
// (permitted) subject.
package authzsync

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
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

// Preload loads the snapshots of the sources that have one into e, so a
// service authorizes from its own tables while NATS is still away; Start
// loads them again when it follows.
func Preload(ctx context.Context, e *authz.Enforcer, sources []Source) error {
	var all []authz.Assignment
	for _, src := range sources {
		if src.Snapshot == nil {
			continue
		}
		as, err := src.Snapshot(ctx)
		if err != nil {
			return fmt.Errorf("load %s authorization snapshot: %w", src.Service, err)
		}
		all = append(all, as...)
	}
	if err := e.Replace(all); err != nil {
		return fmt.Errorf("apply authorization snapshot: %w", err)
	}
	return nil
}

// Owner is the service that publishes the role assignments of domain:
// parks for the platform, regions and carriers, incubatees for companies;
// "" for a domain nobody owns.
func Owner(domain string) string {
	kind, _, ok := authz.ParseDomain(domain)
	if !ok {
		return ""
	}
	switch kind {
	case authz.KindPlatform, authz.KindRegion, authz.KindCarrier:
		return "parks"
	case authz.KindCompany:
		return "incubatees"
	}
	return ""
}

// CheckOwner refuses a role event published by a service that does not
// own its domain. Other events pass.
func CheckOwner(ev events.Envelope) error {
	if !strings.Contains(ev.Type, ".member.role_") {
		return nil
	}
	var p events.RoleAssignmentV1
	if err := ev.Decode(&p); err != nil {
		return err
	}
	publisher := events.Service(ev.Type)
	if ev.Source != "" && ev.Source != publisher {
		return fmt.Errorf("event %s of type %s claims source %q", ev.ID, ev.Type, ev.Source)
	}
	owner := Owner(p.Domain)
	if owner == "" {
		return fmt.Errorf("event %s: domain %q has no owning service", ev.ID, p.Domain)
	}
	if owner != publisher {
		return fmt.Errorf("event %s: %s published a %s role in %s, whose roles only %s publishes", ev.ID, publisher, p.Role, p.Domain, owner)
	}
	return nil
}

// Start loads the snapshots into e and follows every source until ctx
// ends. It returns once the snapshots are loaded and the followers run.
func Start(ctx context.Context, b *bus.Bus, e *authz.Enforcer, sources []Source, log *slog.Logger) (stop func(), err error) {
	since := make([]time.Time, len(sources))
	for i, src := range sources {
		if src.Snapshot != nil {
			since[i] = time.Now().Add(-Margin) // zero since: replay the whole stream
		}
	}
	if err := Preload(ctx, e, sources); err != nil {
		return nil, err
	}
	var stops []func()
	stopAll := func() {
		for _, s := range stops {
			s()
		}
	}
	for i, src := range sources {
		s, err := b.Follow(ctx, src.Service, src.Types, since[i], func(ctx context.Context, ev events.Envelope) error {
			if err := CheckOwner(ev); err != nil {
				log.Error("refusing role event", "event_id", ev.ID, "type", ev.Type, "source", ev.Source, "err", err)
				return nil
			}
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
