package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Startup starts what a service does on the bus — declaring its stream,
// following and consuming other services' events, relaying its outbox —
// once NATS answers, so that a service started during a broker outage
// still serves HTTP (its writes wait in the outbox). Its Ready backs the
// service's readiness probe and says what it is waiting for.
type Startup struct {
	bus  *Bus
	what string
	log  *slog.Logger

	mu      sync.Mutex
	started bool
	lastErr error
}

// NewStartup returns the start-up of what (e.g. "parks events") on b.
func NewStartup(b *Bus, what string, log *slog.Logger) *Startup {
	if log == nil {
		log = slog.Default()
	}
	return &Startup{bus: b, what: what, log: log.With("component", "bus-startup"),
		lastErr: errors.New("not started yet")}
}

// Startup back-off between attempts.
const (
	startupFirstDelay = 250 * time.Millisecond
	startupMaxDelay   = 10 * time.Second
)

// Run calls start until it succeeds — only while NATS is connected —
// backing off from 250ms to 10s between attempts and logging each wait,
// and returns start's stop function; it returns ctx's error when ctx ends
// first. start must undo what it did when it fails.
func (s *Startup) Run(ctx context.Context, start func(ctx context.Context) (stop func(), err error)) (func(), error) {
	delay := startupFirstDelay
	began := time.Now()
	for attempt := 1; ; attempt++ {
		var err error
		if !s.bus.nc.IsConnected() {
			err = s.bus.Ready(ctx)
			if err == nil {
				err = errNotConnected
			}
		} else {
			var stop func()
			stop, err = start(ctx)
			if err == nil {
				s.mu.Lock()
				s.started, s.lastErr = true, nil
				s.mu.Unlock()
				if attempt > 1 {
					s.log.Info("started after waiting for NATS", "what", s.what, "attempts", attempt,
						"waited", time.Since(began).Round(time.Millisecond))
				}
				return stop, nil
			}
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("start %s: %w", s.what, ctx.Err())
		}
		s.mu.Lock()
		s.lastErr = err
		s.mu.Unlock()
		// A stream another service declares may take a moment at a
		// joint start: the first two waits are routine.
		level := slog.LevelWarn
		if attempt <= 2 {
			level = slog.LevelInfo
		}
		s.log.Log(ctx, level, "waiting for NATS to start", "what", s.what, "attempt", attempt, "err", err, "retry_in", delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("start %s: %w", s.what, ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, startupMaxDelay)
	}
}

// Ready reports whether NATS answers, the start-up has succeeded and
// every follower and consumer has caught up with what the stream held
// when it started (Bus.CaughtUp); the error names what is missing (e.g.
// "nats: not connected …", "follow parks: catching up, 812 event(s)
// behind").
func (s *Startup) Ready(ctx context.Context) error {
	if err := s.bus.Ready(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	started, lastErr := s.started, s.lastErr
	s.mu.Unlock()
	if !started {
		return fmt.Errorf("%s not started: %w", s.what, lastErr)
	}
	return s.bus.CaughtUp(ctx)
}

// StartAll runs each start in turn and returns one stop for all of them;
// when one fails, those already started are stopped again, so a Startup
// can retry the whole.
func StartAll(ctx context.Context, starts ...func(ctx context.Context) (stop func(), err error)) (func(), error) {
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	for _, start := range starts {
		stop, err := start(ctx)
		if err != nil {
			stopAll()
			return nil, err
		}
		stops = append(stops, stop)
	}
	return stopAll, nil
}

// whenDeclared runs start at once when service's stream exists (or this
// connection may declare it). When it is another service's stream that is
// not declared yet, it returns at once and starts in the background as
// soon as the owner has declared it, checking with back-off; the returned
// stop ends the wait or stops what started.
func (b *Bus) whenDeclared(ctx context.Context, service, what string, start func(ctx context.Context) (func(), error)) (func(), error) {
	err := b.requireStream(ctx, service)
	if err == nil {
		return start(ctx)
	}
	if !errors.Is(err, ErrStreamNotDeclared) {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	log := b.log.With("component", "bus-startup", "what", what, "stream", b.StreamName(service))
	log.Info("stream not declared yet; starting once its owner declares it", "owner", service)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var mu sync.Mutex
	var stopInner func()
	go func() {
		defer close(done)
		delay := startupFirstDelay
		for attempt := 1; ; attempt++ {
			t := time.NewTimer(delay)
			select {
			case <-cctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			err := b.requireStream(cctx, service)
			if err == nil {
				var s func()
				if s, err = start(cctx); err == nil {
					mu.Lock()
					stopInner = s
					mu.Unlock()
					log.Info("started: the stream has been declared", "attempts", attempt)
					return
				}
			}
			if cctx.Err() != nil {
				return
			}
			level := slog.LevelDebug
			if !errors.Is(err, ErrStreamNotDeclared) || attempt%8 == 0 {
				level = slog.LevelWarn
			}
			log.Log(cctx, level, "still waiting to start", "attempts", attempt, "err", err, "retry_in", delay)
			delay = min(2*delay, startupMaxDelay)
		}
	}()
	return sync.OnceFunc(func() {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if stopInner != nil {
			stopInner()
		}
	}), nil
}
