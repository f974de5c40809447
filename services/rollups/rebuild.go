package rollups

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/app/command"
	"github.com/incuchain/incuchain/services/rollups/internal/app/query"
	"github.com/incuchain/incuchain/services/rollups/internal/ports"
)

// Progress is how far a rebuild has come in one source stream.
type Progress = app.RebuildProgress

// rebuildBatch is how many events one transaction of a rebuild applies.
const rebuildBatch = 500

// Rebuild drops the read models and replays every source stream from its
// first event, reporting progress after each batch. The live consumers
// may keep running: an event either applies first is skipped by the
// other (applied_events), and a late older event never overwrites a
// newer one (stamps), so the tables end as a replay leaves them.
func (s *Service) Rebuild(ctx context.Context, progress func(Progress)) error {
	if err := s.store.Write(ctx, func(ctx context.Context, tx app.Tx) error { return tx.Reset(ctx) }); err != nil {
		return err
	}
	for _, src := range ports.Sources {
		if err := s.replay(ctx, src, progress); err != nil {
			return err
		}
	}
	return s.store.Analyze(ctx)
}

// replay applies the events of one source stream up to its last message
// at the start.
func (s *Service) replay(ctx context.Context, src string, progress func(Progress)) error {
	js := s.Bus.JetStream()
	stream, err := js.Stream(ctx, s.Bus.StreamName(src))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil // nothing published yet
	}
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", src, err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", src, err)
	}
	last, total := info.State.LastSeq, int(info.State.Msgs)
	if last == 0 {
		return nil
	}
	filters := make([]string, 0, len(command.EventTypes[src]))
	for _, t := range command.EventTypes[src] {
		filters = append(filters, s.Bus.Subject(t))
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: filters, DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", src, err)
	}
	applied := 0
	for done := false; !done; {
		batch, err := cons.Fetch(rebuildBatch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", src, err)
		}
		var evs []events.Envelope
		n := 0
		for msg := range batch.Messages() {
			n++
			meta, err := msg.Metadata()
			if err != nil {
				return fmt.Errorf("rebuild %s: %w", src, err)
			}
			done = done || meta.Sequence.Stream >= last
			var ev events.Envelope
			if err := json.Unmarshal(msg.Data(), &ev); err != nil || ev.ID == "" || !s.fromItsService(src, msg.Subject(), ev) {
				s.Log.Error("rebuild: skipping a message that is no event of its stream", "stream", src, "subject", msg.Subject(), "err", err)
				continue
			}
			evs = append(evs, ev)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("rebuild %s: %w", src, err)
		}
		if err := s.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
			for _, ev := range evs {
				if err := s.project.Handle(ctx, tx, ev); err != nil && !errors.Is(err, command.ErrUnusable) {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("rebuild %s: %w", src, err)
		}
		applied += len(evs)
		if progress != nil {
			progress(Progress{Stream: src, Applied: applied, Total: total})
		}
		if n == 0 {
			// Nothing more to fetch although the last sequence was not
			// seen: the filter leaves out the stream's last messages.
			done = true
		}
	}
	s.Log.Info("rebuilt read models from a stream", "stream", src, "events", applied)
	return nil
}

// fromItsService is the consumers' origin rule: the subject is the one of
// the event's type and both name the stream's service.
func (s *Service) fromItsService(src, subject string, ev events.Envelope) bool {
	return subject == s.Bus.Subject(ev.Type) && events.Service(ev.Type) == src && (ev.Source == "" || ev.Source == src)
}

// Figures is every figure of a region for a filter.
type Figures = query.All

// FilterInput is a figure request's filters (period, as_of, carrier and
// industry), as the API takes them.
type FilterInput = query.FilterInput

// Figures answers every figure of region for filter, for the service
// itself (no caller): what a snapshot freezes and what a recount checks.
func (s *Service) Figures(ctx context.Context, regionID string, filter FilterInput) (Figures, error) {
	return s.figures.System().All(ctx, query.Request{RegionID: regionID, Filter: filter})
}

// Faults are deliberate mistakes of the projection, for tests that show a
// recount catches each; production never sets them.
type Faults = app.Faults

// Conflict is one company resident at two carriers at once.
type Conflict = query.Conflict
