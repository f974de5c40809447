// Package platform is the process plumbing every Incuchain binary shares:
// its settings, logger, tracing, the internal identity signer, the NATS
// connection, blob storage and an HTTP server that shuts down cleanly.
// A service's cmd/ and the all-in-one launcher both wire through it.
package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// Config holds the settings shared by every service of a process.
type Config struct {
	DataDir        string `cfg:"DATA_DIR" default:"data" help:"where embedded defaults keep files (SQLite, JetStream, blobs)"`
	LogFormat      string `cfg:"LOG_FORMAT" default:"json" help:"log format: json (production) or text"`
	LogLevel       string `cfg:"LOG_LEVEL" default:"info" help:"log level: debug, info, warn, error"`
	PublicURL      string `cfg:"PUBLIC_URL" default:"" help:"the console's public base URL (invitation links, the start-up banner); empty: the address the gateway really listens on"`
	InvitationKey  string `cfg:"INVITATION_KEY" default:"" help:"key (64 hex digits) with which parks seals invitation links for notifications, the only other holder; generated into DATA_DIR/invitation-link.key when empty in all-in-one mode"`
	InternalSecret string `cfg:"INTERNAL_SECRET" default:"" help:"shared secret (≥32 bytes) signing identities between gateway and services; generated per process when empty in all-in-one mode"`
	NATSURL        string `cfg:"NATS_URL" default:"" help:"NATS server URL; empty starts an embedded nats-server with JetStream under DATA_DIR"`
	NATSNamespace  string `cfg:"NATS_NAMESPACE" default:"" help:"prefix for subjects and stream names, to share one NATS between environments"`
	NATSPort       int    `cfg:"NATS_EMBEDDED_PORT" default:"0" help:"TCP port of the embedded nats-server on 127.0.0.1; 0: no listener, services connect in-process. A listener admits only the per-service users whose passwords are generated into DATA_DIR/jetstream/nats-credentials.json"`
	NATSUser       string `cfg:"NATS_USER" default:"" help:"NATS user of this service (distributed mode; the chart and compose name it after the service)"`
	NATSPassword   string `cfg:"NATS_PASSWORD" default:"" help:"password of NATS_USER"`
	NATSCredsFile  string `cfg:"NATS_CREDS_FILE" default:"" help:"NATS .creds file (user JWT and nkey seed) instead of NATS_USER"`
	NATSNKeyFile   string `cfg:"NATS_NKEY_SEED_FILE" default:"" help:"NATS nkey seed file instead of NATS_USER"`
	NATSTLSCA      string `cfg:"NATS_TLS_CA" default:"" help:"CA certificate file verifying the NATS server"`
	NATSTLSCert    string `cfg:"NATS_TLS_CERT" default:"" help:"client certificate file for NATS (with NATS_TLS_KEY)"`
	NATSTLSKey     string `cfg:"NATS_TLS_KEY" default:"" help:"client key file for NATS"`
	NATSTLSRequire bool   `cfg:"NATS_TLS_REQUIRED" default:"false" help:"refuse to talk to NATS without TLS"`
	S3Endpoint     string `cfg:"S3_ENDPOINT" default:"" help:"S3/MinIO endpoint host:port; empty starts an in-process S3-compatible store under DATA_DIR"`
	S3AccessKey    string `cfg:"S3_ACCESS_KEY" default:"" help:"S3 access key; required with S3_ENDPOINT. Empty with the in-process store: generated at first start and kept in DATA_DIR/s3-credentials.env (mode 0600)"`
	S3SecretKey    string `cfg:"S3_SECRET_KEY" default:"" help:"S3 secret key; required with S3_ENDPOINT, generated like S3_ACCESS_KEY for the in-process store"`
	S3Bucket       string `cfg:"S3_BUCKET" default:"incuchain" help:"bucket holding materials"`
	S3UseSSL       bool   `cfg:"S3_USE_SSL" default:"false" help:"use HTTPS to reach S3"`
	S3EmbeddedAddr string `cfg:"S3_EMBEDDED_ADDR" default:"127.0.0.1:9300" help:"address of the in-process S3 store"`
	S3PublicURL    string `cfg:"S3_PUBLIC_URL" default:"" help:"where browsers reach the object store (http(s)://host[:port]); presigned URLs are signed for it. Empty: the endpoint itself"`
	// DevInsecureDefaults lets a development machine keep keys anyone can
	// sign with; see insecureS3Keys.
	DevInsecureDefaults bool   `cfg:"DEV_INSECURE_DEFAULTS" default:"false" help:"development only: accept the S3 keys that were once defaults or are placeholders (incuchain / incuchain-secret, minioadmin, change-me), which are otherwise refused at start"`
	TrustedProxies      string `cfg:"TRUSTED_PROXIES" default:"" help:"networks (CIDR or address, comma-separated) of the reverse proxies / ingress in front of the process; only their X-Forwarded-For and X-Forwarded-Proto are believed. Empty: none, the TCP peer is the client"`
	MetricsAddr         string `cfg:"METRICS_ADDR" default:"127.0.0.1:9464" help:"address of the Prometheus /metrics listener, apart from the public port (empty: no metrics listener)"`
}

// Logger returns the process logger: JSON in production, text for people.
func Logger(cfg Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(os.Stderr, opts)
	if cfg.LogFormat == "text" {
		h = slog.NewTextHandler(os.Stderr, opts)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}

// Tracing installs an OpenTelemetry tracer provider. Spans are exported by
// OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces variant) is
// set, and are otherwise only propagated.
func Tracing(ctx context.Context, service string) (shutdown func(context.Context) error, err error) {
	opts := []sdktrace.TracerProviderOption{}
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" {
		exp, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("otlp exporter: %w", err)
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp.Shutdown, nil
}

// Signer returns the identity signer. Services running apart must share a
// configured secret; a process that runs everything may generate one.
func Signer(cfg Config, allowGenerated bool) (*authn.Signer, error) {
	secret := []byte(cfg.InternalSecret)
	if len(secret) == 0 {
		if !allowGenerated {
			return nil, errors.New("INCUCHAIN_INTERNAL_SECRET is required when services run apart")
		}
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		secret = []byte(hex.EncodeToString(raw))
	}
	return authn.NewSigner(secret)
}

// BusConfig is the bus configuration of service: NATS_URL with its
// credentials and TLS settings, or the embedded server under DATA_DIR.
func BusConfig(cfg Config, service string) bus.Config {
	return bus.Config{
		URL:            cfg.NATSURL,
		EmbeddedDir:    EmbeddedNATSDir(cfg),
		EmbeddedListen: cfg.NATSPort > 0,
		EmbeddedPort:   cfg.NATSPort,
		Namespace:      cfg.NATSNamespace,
		Name:           service,
		Service:        service,
		User:           cfg.NATSUser,
		Password:       cfg.NATSPassword,
		CredsFile:      cfg.NATSCredsFile,
		NKeySeedFile:   cfg.NATSNKeyFile,
		TLSCA:          cfg.NATSTLSCA,
		TLSCert:        cfg.NATSTLSCert,
		TLSKey:         cfg.NATSTLSKey,
		TLSRequired:    cfg.NATSTLSRequire,
	}
}

// EmbeddedNATSDir is where the embedded nats-server keeps JetStream and its
// generated credentials.
func EmbeddedNATSDir(cfg Config) string { return filepath.Join(cfg.DataDir, "jetstream") }

// ConnectBus connects service to NATS_URL as its own user, or, without a
// URL, starts an embedded server with that service's user and connects
// in-process. It does not wait for NATS (see bus.Connect).
func ConnectBus(ctx context.Context, cfg Config, service string, log *slog.Logger) (*bus.Bus, error) {
	bc := BusConfig(cfg, service)
	if bc.URL != "" && bc.User == "" && bc.Password == "" && bc.CredsFile == "" && bc.NKeySeedFile == "" {
		log.Warn("connecting to NATS without credentials: the bus is guarded only when the server gives each service its own user",
			"service", service)
	}
	b, err := bus.Connect(ctx, bc, log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", service, err)
	}
	return b, nil
}

// StartEmbeddedNATS starts the all-in-one's embedded nats-server with a
// user for every service (bus.Services); each then connects in-process
// with ConnectEmbedded.
func StartEmbeddedNATS(cfg Config, log *slog.Logger) (*bus.EmbeddedServer, error) {
	bc := BusConfig(cfg, "")
	return bus.StartEmbedded(bus.EmbeddedConfig{Dir: bc.EmbeddedDir, Listen: bc.EmbeddedListen, Port: bc.EmbeddedPort,
		Namespace: bc.Namespace}, log)
}

// ConnectEmbedded connects service in-process to srv as its own user.
func ConnectEmbedded(ctx context.Context, srv *bus.EmbeddedServer, service string, log *slog.Logger) (*bus.Bus, error) {
	b, err := srv.Connect(ctx, service, service, log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", service, err)
	}
	return b, nil
}

// OpenBlob connects to S3/MinIO, or starts the in-process S3 store first;
// stop releases what was started. Keys anyone could sign with are refused
// (see s3Keys); the in-process store's keys are generated when not set.
func OpenBlob(ctx context.Context, cfg Config) (store *blob.Store, stop func(), err error) {
	if cfg.S3AccessKey, cfg.S3SecretKey, err = s3Keys(cfg); err != nil {
		return nil, nil, err
	}
	endpoint, stop := cfg.S3Endpoint, func() {}
	if endpoint == "" {
		srv, err := blob.StartServer(filepath.Join(cfg.DataDir, "objects"), cfg.S3EmbeddedAddr,
			blob.WithCredentials(cfg.S3AccessKey, cfg.S3SecretKey))
		if err != nil {
			return nil, nil, fmt.Errorf("start in-process S3 store: %w", err)
		}
		endpoint, stop = srv.Endpoint(), func() { _ = srv.Close() }
	}
	store, err = blob.Open(ctx, blob.Config{Endpoint: endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		Bucket: cfg.S3Bucket, UseSSL: cfg.S3UseSSL, PublicURL: cfg.S3PublicURL})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return store, stop, nil
}

// Serve runs an HTTP server on addr until ctx ends, then drains it.
// onListen functions run once the listener accepts connections.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, onListen ...func()) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return ServeListener(ctx, ln, h, log, onListen...)
}

// ServeListener is Serve on a listener the caller opened, for a caller
// that must know the address really bound (port 0) before it serves.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, onListen ...func()) error {
	addr := ln.Addr().String()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())
	for _, f := range onListen {
		f()
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down %s: %w", addr, err)
	}
	return nil
}

// ServeMetrics serves the process's Prometheus metrics at /metrics on addr
// until ctx ends; onListen functions run once it accepts connections. It
// is a listener of its own so that the public port never exposes them.
func ServeMetrics(ctx context.Context, addr string, log *slog.Logger, onListen ...func()) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", httpx.MetricsHandler())
	return Serve(ctx, addr, mux, log.With("listener", "metrics"), onListen...)
}

// SQLiteDSN is the default DSN of a service's SQLite file under the data
// directory, used when the configured DSN is relative to it.
func SQLiteDSN(dataDir, dsn string) string {
	if rest, ok := strings.CutPrefix(dsn, "sqlite://data/"); ok {
		return "sqlite://" + filepath.Join(dataDir, rest)
	}
	return dsn
}
