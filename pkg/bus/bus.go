package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/events"
)

// Config says which NATS server to use and who connects.
type Config struct {
	// URL of the NATS server; "" starts an embedded nats-server with
	// JetStream storing in EmbeddedDir.
	URL string
	// EmbeddedDir is the JetStream store directory of the embedded server
	// (it also keeps the generated credentials).
	EmbeddedDir string
	// EmbeddedListen opens a TCP listener for the embedded server on
	// 127.0.0.1:EmbeddedPort (0 = a free port); without it the server has
	// no listener and the connection is in-process.
	EmbeddedListen bool
	EmbeddedPort   int
	// EmbeddedUsers are the services that get a user on the embedded
	// server; empty means Service alone, or every one of Services for an
	// unrestricted connection.
	EmbeddedUsers []string
	// Namespace prefixes every subject and stream name so that tests can
	// share one real server; "" in production.
	Namespace string
	// Name is the connection name shown by the server.
	Name string
	// Service is the service this connection publishes for: its relay
	// refuses to publish another service's events, and with the embedded
	// server it connects as that service's user. "" is an unrestricted
	// connection (tests, tools).
	Service string

	// Credentials for URL; at most one of CredsFile, NKeySeedFile and
	// User/Password.
	User         string
	Password     string
	CredsFile    string // a .creds file (user JWT and nkey seed)
	NKeySeedFile string // an nkey seed file
	// TLS: the CA to verify the server with, a client certificate and
	// key, and whether to refuse a connection without TLS.
	TLSCA       string
	TLSCert     string
	TLSKey      string
	TLSRequired bool
}

// DuplicateWindow is how long JetStream remembers a Nats-Msg-Id; a
// republished outbox row within it is stored only once.
const DuplicateWindow = 2 * time.Minute

// asyncPublishTimeout ends an asynchronous publish whose ack has not come.
const asyncPublishTimeout = 10 * time.Second

// Bus is a connection to NATS JetStream, plus the embedded server when it
// started one.
type Bus struct {
	log       *slog.Logger
	namespace string
	service   string
	url       string
	embedded  *EmbeddedServer // owned: shut down by Close
	nc        *nats.Conn
	js        jetstream.JetStream
	closed    chan struct{}
	closeOnce sync.Once
	// failedAttempts counts connection attempts failed in a row.
	failedAttempts atomic.Int64
	// lag tracks whether followers and consumers have caught up.
	lag lagTrackers
}

// Connect connects to cfg.URL, or starts an embedded server when it is
// empty and connects to it in-process as cfg.Service. It does not wait
// for the server: while NATS is unreachable the connection keeps retrying
// with back-off (logged), Ready reports why it is not ready, and a
// Startup runs the work that needs NATS once it answers. It fails only
// for settings that can never work.
func Connect(ctx context.Context, cfg Config, log *slog.Logger) (*Bus, error) {
	if log == nil {
		log = slog.Default()
	}
	if cfg.URL != "" {
		return dial(ctx, cfg, nil, log)
	}
	ecfg := EmbeddedConfig{Dir: cfg.EmbeddedDir, Listen: cfg.EmbeddedListen, Port: cfg.EmbeddedPort, Namespace: cfg.Namespace}
	switch {
	case len(cfg.EmbeddedUsers) > 0:
		ecfg.Services = cfg.EmbeddedUsers
	case cfg.Service != "":
		ecfg.Services = []string{cfg.Service}
	}
	srv, err := StartEmbedded(ecfg, log)
	if err != nil {
		return nil, err
	}
	b, err := srv.Connect(ctx, cfg.Service, cfg.Name, log)
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	b.embedded = srv
	return b, nil
}

// dial connects to cfg.URL, or in-process to srv when it is set.
func dial(ctx context.Context, cfg Config, srv nats.InProcessConnProvider, log *slog.Logger) (*Bus, error) {
	b := &Bus{log: log, namespace: normalizeNamespace(cfg.Namespace), service: cfg.Service, url: cfg.URL, closed: make(chan struct{})}
	if srv != nil {
		b.url = inProcessURL
	}
	opts, err := b.options(cfg, srv)
	if err != nil {
		return nil, fmt.Errorf("connect nats %s: %w", redactURL(b.url), err)
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect nats %s: %w", redactURL(b.url), err)
	}
	b.nc = nc
	if !nc.IsConnected() {
		log.Warn("nats not reachable yet; serving without it and retrying in the background", "url", redactURL(b.url))
	}
	// The relay publishes asynchronously: an ack that never comes (a
	// message lost with a connection) must end its future, or it would
	// hold a place among the pending publishes for ever.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(asyncPublishTimeout))
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("jetstream context: %w", err)
	}
	b.js = js
	_ = ctx // connecting does not block; kept for the signature's sake
	return b, nil
}

// connectedURL names the server c is connected to; an in-process
// connection reports the client's default URL, which it never dials.
func (b *Bus) connectedURL(c *nats.Conn) string {
	if b.url == inProcessURL {
		return inProcessURL
	}
	return c.ConnectedUrlRedacted()
}

// inProcessURL stands for the URL of an in-process connection.
const inProcessURL = "in-process"

// reconnectDelay backs off from 250ms to 8s between connection attempts
// (the client adds jitter).
func reconnectDelay(attempts int) time.Duration {
	return min(250*time.Millisecond<<min(max(attempts-1, 0), 5), 8*time.Second)
}

func (b *Bus) options(cfg Config, srv nats.InProcessConnProvider) ([]nats.Option, error) {
	log := b.log
	opts := []nats.Option{
		nats.Name(cfg.Name),
		nats.MaxReconnects(-1),
		nats.RetryOnFailedConnect(true),
		nats.CustomReconnectDelay(reconnectDelay),
		nats.ReconnectJitter(100*time.Millisecond, time.Second),
		// Fail publishes at once while disconnected instead of buffering
		// them: the outbox is the buffer, and a hidden second one could
		// flush old messages behind newer ones after a reconnect.
		nats.ReconnectBufSize(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "url", redactURL(b.url), "err", err)
			}
		}),
		nats.ReconnectErrHandler(func(_ *nats.Conn, err error) {
			// Log attempts 1, 2, 4, 8, …: an outage is visible at once
			// and does not flood the log.
			n := b.failedAttempts.Add(1)
			if n&(n-1) == 0 {
				log.Warn("nats connection attempt failed; retrying", "url", redactURL(b.url), "err", err,
					"attempts", n, "retry_in", reconnectDelay(int(n)))
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) {
			b.failedAttempts.Store(0)
			log.Info("nats connected", "url", b.connectedURL(c))
		}),
		nats.ConnectHandler(func(c *nats.Conn) {
			b.failedAttempts.Store(0)
			log.Info("nats connected", "url", b.connectedURL(c))
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("nats async error", "subject", subject, "err", err)
		}),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
	}
	if cfg.Service != "" {
		opts = append(opts, nats.CustomInboxPrefix(inboxPrefix(b.namespace, cfg.Service)))
	}
	if srv != nil {
		opts = append(opts, nats.InProcessServer(srv))
	}
	n := 0
	for _, set := range []bool{cfg.CredsFile != "", cfg.NKeySeedFile != "", cfg.User != "" || cfg.Password != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("give one of a creds file, an nkey seed file or a user and password")
	}
	switch {
	case cfg.CredsFile != "":
		opts = append(opts, nats.UserCredentials(cfg.CredsFile))
	case cfg.NKeySeedFile != "":
		o, err := nats.NkeyOptionFromSeed(cfg.NKeySeedFile)
		if err != nil {
			return nil, fmt.Errorf("nkey seed: %w", err)
		}
		opts = append(opts, o)
	case cfg.User != "" || cfg.Password != "":
		opts = append(opts, nats.UserInfo(cfg.User, cfg.Password))
	}
	if cfg.TLSCA != "" {
		opts = append(opts, nats.RootCAs(cfg.TLSCA))
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return nil, errors.New("a TLS client certificate needs its key and the key its certificate")
	}
	if cfg.TLSCert != "" {
		opts = append(opts, nats.ClientCert(cfg.TLSCert, cfg.TLSKey))
	}
	if cfg.TLSRequired {
		opts = append(opts, nats.Secure())
	}
	return opts, nil
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
		if b.embedded != nil {
			b.embedded.Shutdown()
		}
	})
}

// URL is the client URL of the server in use: "in-process" for a
// connection to the embedded server, which has a TCP URL only when it
// listens (Embedded().ClientURL()).
func (b *Bus) URL() string { return b.url }

// Embedded is the embedded server this bus started, nil when it connected
// to a URL or to a server started by someone else.
func (b *Bus) Embedded() *EmbeddedServer { return b.embedded }

// Service is the service this connection publishes for ("" unrestricted).
func (b *Bus) Service() string { return b.service }

// Conn is the underlying NATS connection.
func (b *Bus) Conn() *nats.Conn { return b.nc }

// JetStream is the JetStream API on the connection.
func (b *Bus) JetStream() jetstream.JetStream { return b.js }

// Ready reports whether the connection is up and JetStream answers; it
// backs /readyz.
func (b *Bus) Ready(ctx context.Context) error {
	if s := b.nc.Status(); s != nats.CONNECTED {
		reason := "not connected"
		if err := b.nc.LastError(); err != nil {
			reason += ": " + err.Error()
		}
		return fmt.Errorf("nats: %s (%s, %s)", reason, strings.ToLower(s.String()), redactURL(b.url))
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

// eventSubject strips the namespace from a delivered message's subject.
func (b *Bus) eventSubject(subject string) string {
	return strings.TrimPrefix(subject, b.namespace)
}

// StreamName is the name of the stream owned by service, e.g.
// "INCUCHAIN_PARKS".
func (b *Bus) StreamName(service string) string {
	return streamNameFor(b.namespace, service)
}

func streamNameFor(ns, service string) string {
	return streamToken(ns) + "INCUCHAIN_" + streamToken(service)
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
	if b.service != "" && service != b.service {
		// NATS permissions would refuse it too, but only after a timeout.
		return fmt.Errorf("ensure stream: %s's connection may declare only its own stream, not %s's", b.service, service)
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

// ErrStreamNotDeclared is returned when following or consuming the stream
// of a service that has not declared it yet.
var ErrStreamNotDeclared = errors.New("stream not declared yet")

// requireStream makes sure service's stream exists before a consumer is
// created on it: declared when this connection may (its own stream, or an
// unrestricted connection), else only looked up, since another service's
// stream is declared by its owner alone.
func (b *Bus) requireStream(ctx context.Context, service string) error {
	if b.service == "" || b.service == service {
		return b.EnsureStream(ctx, service)
	}
	_, err := b.js.Stream(ctx, b.StreamName(service))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("stream %s: %w (%s declares it when it starts)", b.StreamName(service), ErrStreamNotDeclared, service)
	}
	if err != nil {
		return fmt.Errorf("look up stream %s: %w", b.StreamName(service), err)
	}
	return nil
}

// checkOrigin refuses an event delivered from stream's stream on subject
// unless the subject, the envelope's source and its type all name that
// service (events.CheckOrigin).
func (b *Bus) checkOrigin(stream, subject string, ev events.Envelope) error {
	if svc := events.Service(ev.Type); svc != stream {
		return fmt.Errorf("event %s of type %s read from %s's stream", ev.ID, ev.Type, stream)
	}
	if !strings.HasPrefix(subject, b.namespace) {
		return fmt.Errorf("event %s on subject %s outside namespace %q", ev.ID, subject, b.namespace)
	}
	return events.CheckOrigin(b.eventSubject(subject), ev)
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
