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
	_, err := PreloadKept(ctx, e, sources, nil)
	return err
}

// PreloadKept is Preload plus, with keep, the assignments kept of the
// other sources; it returns the sequence each source is kept up to (0 for
// a snapshot source or one with nothing kept).
func PreloadKept(ctx context.Context, e *authz.Enforcer, sources []Source, keep *Keep) ([]uint64, error) {
	var all []authz.Assignment
	after := make([]uint64, len(sources))
	for i, src := range sources {
		if src.Snapshot == nil {
			if keep == nil {
				continue
			}
			as, seq, err := keep.Load(ctx, src.Service)
			if err != nil {
				return nil, err
			}
			all, after[i] = append(all, as...), seq
			continue
		}
		as, err := src.Snapshot(ctx)
		if err != nil {
			return nil, fmt.Errorf("load %s authorization snapshot: %w", src.Service, err)
		}
		all = append(all, as...)
	}
	if err := e.Replace(all); err != nil {
		return nil, fmt.Errorf("apply authorization snapshot: %w", err)
	}
	return after, nil
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
	return StartKept(ctx, b, e, sources, nil, log)
}

// StartKept is Start keeping, with keep, what it follows of the sources
// without a snapshot: they start from what is kept and the stream's tail
// after it, not the stream's first event. A kept sequence past the end of
// its stream (a stream created anew) is forgotten and the stream replayed.
func StartKept(ctx context.Context, b *bus.Bus, e *authz.Enforcer, sources []Source, keep *Keep, log *slog.Logger) (stop func(), err error) {
	if keep != nil {
		for _, src := range sources {
			if src.Snapshot != nil {
				continue
			}
			seq, err := keep.Position(ctx, src.Service)
			if err != nil {
				return nil, err
			}
			last, err := b.LastSeq(ctx, src.Service)
			if err != nil {
				return nil, fmt.Errorf("follow %s role events: %w", src.Service, err)
			}
			if seq > last {
				log.Warn("kept role events run past their stream; replaying it", "stream", src.Service, "kept_seq", seq, "last_seq", last)
				if err := keep.Forget(ctx, src.Service); err != nil {
					return nil, err
				}
			}
		}
	}
	since := make([]time.Time, len(sources))
	for i, src := range sources {
		if src.Snapshot != nil {
			since[i] = time.Now().Add(-Margin) // zero since: replay the whole stream
		}
	}
	after, err := PreloadKept(ctx, e, sources, keep)
	if err != nil {
		return nil, err
	}
	var stops []func()
	stopAll := func() {
		for _, s := range stops {
			s()
		}
	}
	if keep != nil {
		kctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() { defer close(done); keep.run(kctx, log) }()
		stops = append(stops, func() { cancel(); <-done })
	}
	apply := func(ev events.Envelope) bool {
		if err := CheckOwner(ev); err != nil {
			log.Error("refusing role event", "event_id", ev.ID, "type", ev.Type, "source", ev.Source, "err", err)
			return false
		}
		if err := e.Apply(ev); err != nil {
			log.Error("apply role event", "event_id", ev.ID, "type", ev.Type, "err", err)
			return false
		}
		return true
	}
	for i, src := range sources {
		var s func()
		if keep != nil && src.Snapshot == nil {
			s, err = b.FollowAfter(ctx, src.Service, src.Types, after[i], func(ctx context.Context, seq uint64, ev events.Envelope) error {
				return keep.note(ctx, src.Service, seq, ev, apply(ev))
			})
		} else {
			s, err = b.Follow(ctx, src.Service, src.Types, since[i], func(ctx context.Context, ev events.Envelope) error {
				apply(ev)
				return nil
			})
		}
		if err != nil {
			stopAll()
			return nil, fmt.Errorf("follow %s role events: %w", src.Service, err)
		}
		// Followers stop before the keep writes its last batch.
		stops = append([]func(){s}, stops...)
	}
	return stopAll, nil
}
