package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/events"
)

// Config says which NATS server to use.
type Config struct {
	// URL of the NATS server; "" starts an embedded nats-server with
	// JetStream storing in EmbeddedDir.
	URL string
	// EmbeddedDir is the JetStream store directory of the embedded server.
	EmbeddedDir string
	// EmbeddedPort is the embedded server's client port on 127.0.0.1;
	// 0 picks a free port.
	EmbeddedPort int
	// Namespace prefixes every subject and stream name so that tests can
	// share one real server; "" in production.
	Namespace string
	// Name is the connection name shown by the server.
	Name string
}

// DuplicateWindow is how long JetStream remembers a Nats-Msg-Id; a
// republished outbox row within it is stored only once.
const DuplicateWindow = 2 * time.Minute

// Bus is a connection to NATS JetStream, plus the embedded server when it
// started one.
type Bus struct {
	log       *slog.Logger
	namespace string
	url       string
	srv       *server.Server
	nc        *nats.Conn
	js        jetstream.JetStream
	closed    chan struct{}
	closeOnce sync.Once
}

// Connect connects to cfg.URL, or starts an embedded server when it is
// empty, and waits until the connection is up or ctx is done. Once
// connected, the client reconnects forever on its own.
func Connect(ctx context.Context, cfg Config, log *slog.Logger) (*Bus, error) {
	if log == nil {
		log = slog.Default()
	}
	b := &Bus{log: log, namespace: normalizeNamespace(cfg.Namespace), url: cfg.URL, closed: make(chan struct{})}
	if cfg.URL == "" {
		srv, err := startEmbedded(cfg.EmbeddedDir, cfg.EmbeddedPort, log)
		if err != nil {
			return nil, err
		}
		b.srv, b.url = srv, srv.ClientURL()
	}
	nc, err := nats.Connect(b.url,
		nats.Name(cfg.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond),
		nats.RetryOnFailedConnect(true),
		// Fail publishes at once while disconnected instead of buffering
		// them: the outbox is the buffer, and a hidden second one could
		// flush old messages behind newer ones after a reconnect.
		nats.ReconnectBufSize(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "url", b.url, "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", "url", c.ConnectedUrlRedacted()) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("nats async error", "subject", subject, "err", err)
		}),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
	)
	if err != nil {
		b.shutdownServer()
		return nil, fmt.Errorf("connect nats %s: %w", redactURL(b.url), err)
	}
	b.nc = nc
	if err := waitConnected(ctx, nc); err != nil {
		nc.Close()
		b.shutdownServer()
		return nil, fmt.Errorf("connect nats %s: %w", redactURL(b.url), err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("jetstream context: %w", err)
	}
	b.js = js
	return b, nil
}

func waitConnected(ctx context.Context, nc *nats.Conn) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !nc.IsConnected() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("not connected: %w", ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// Close drains the connection (finishing in-flight acks) and shuts the
// embedded server down. It is safe to call more than once.
func (b *Bus) Close() {
	b.closeOnce.Do(func() {
		if b.nc != nil {
			if err := b.nc.Drain(); err != nil {
				b.nc.Close()
			}
			select {
			case <-b.closed:
			case <-time.After(5 * time.Second):
				b.nc.Close()
			}
		}
		b.shutdownServer()
	})
}

func (b *Bus) shutdownServer() {
	if b.srv != nil {
		b.srv.Shutdown()
		b.srv.WaitForShutdown()
	}
}

// URL is the client URL of the server in use.
func (b *Bus) URL() string { return b.url }

// Conn is the underlying NATS connection.
func (b *Bus) Conn() *nats.Conn { return b.nc }

// JetStream is the JetStream API on the connection.
func (b *Bus) JetStream() jetstream.JetStream { return b.js }

// Ready reports whether the connection is up and JetStream answers; it
// backs /readyz.
func (b *Bus) Ready(ctx context.Context) error {
	if s := b.nc.Status(); s != nats.CONNECTED {
		return fmt.Errorf("nats %s: %s", redactURL(b.url), s)
	}
	if _, ok := ctx.Deadline(); !ok {
		// A probe must answer quickly; JetStream's own default is 5s.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
	}
	if _, err := b.js.AccountInfo(ctx); err != nil {
		return fmt.Errorf("jetstream account info: %w", err)
	}
	return nil
}

// Subject is the subject events of eventType are published on, e.g.
// "incuchain.parks.carrier.created"; a wildcard type such as
// "parks.member.>" gives the matching filter.
func (b *Bus) Subject(eventType string) string {
	return b.namespace + events.SubjectPrefix + "." + eventType
}

// StreamName is the name of the stream owned by service, e.g.
// "INCUCHAIN_PARKS".
func (b *Bus) StreamName(service string) string {
	return streamToken(b.namespace) + "INCUCHAIN_" + streamToken(service)
}

// EnsureStream makes sure the stream holding every event of service
// (subjects incuchain.<service>.>) exists: on disk, keeping every event (a
// read model can be rebuilt by replay), deduplicating by Nats-Msg-Id within
// DuplicateWindow. An existing stream keeps the settings operators may
// have changed (replicas, limits); only its subjects and duplicate window
// are corrected.
func (b *Bus) EnsureStream(ctx context.Context, service string) error {
	if service == "" || strings.ContainsAny(service, ".*> \t") {
		return fmt.Errorf("ensure stream: invalid service name %q", service)
	}
	name := b.StreamName(service)
	subjects := []string{b.Subject(service + ".>")}
	s, err := b.js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = b.js.CreateStream(ctx, jetstream.StreamConfig{
			Name:        name,
			Description: "Incuchain events of " + service,
			Subjects:    subjects,
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Duplicates:  DuplicateWindow,
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return nil // another process created it first
		}
	} else if err == nil {
		cfg := s.CachedInfo().Config
		if !slices.Equal(cfg.Subjects, subjects) || cfg.Duplicates != DuplicateWindow {
			cfg.Subjects, cfg.Duplicates = subjects, DuplicateWindow
			_, err = b.js.UpdateStream(ctx, cfg)
		}
	}
	if err != nil {
		return fmt.Errorf("ensure stream %s: %w", name, err)
	}
	return nil
}

// normalizeNamespace makes a namespace end in "." so that it forms its own
// subject token.
func normalizeNamespace(ns string) string {
	if ns == "" || strings.HasSuffix(ns, ".") {
		return ns
	}
	return ns + "."
}

// streamToken upper-cases s and replaces every character a stream name may
// not hold.
func streamToken(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '_' || r == '-' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

func redactURL(u string) string {
	if i := strings.Index(u, "@"); i >= 0 {
		if j := strings.Index(u, "://"); j >= 0 && j < i {
			return u[:j+3] + "***" + u[i:]
		}
	}
	return u
}

var errNotConnected = errors.New("nats not connected")
