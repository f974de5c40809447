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
	PublicURL      string `cfg:"PUBLIC_URL" default:"http://127.0.0.1:8080" help:"the console's public base URL (invitation links)"`
	InternalSecret string `cfg:"INTERNAL_SECRET" default:"" help:"shared secret (≥32 bytes) signing identities between gateway and services; generated per process when empty in all-in-one mode"`
	NATSURL        string `cfg:"NATS_URL" default:"" help:"NATS server URL; empty starts an embedded nats-server with JetStream under DATA_DIR"`
	NATSNamespace  string `cfg:"NATS_NAMESPACE" default:"" help:"prefix for subjects and stream names, to share one NATS between environments"`
	NATSPort       int    `cfg:"NATS_EMBEDDED_PORT" default:"4250" help:"port of the embedded nats-server (0: any free port)"`
	S3Endpoint     string `cfg:"S3_ENDPOINT" default:"" help:"S3/MinIO endpoint host:port; empty starts an in-process S3-compatible store under DATA_DIR"`
	S3AccessKey    string `cfg:"S3_ACCESS_KEY" default:"incuchain" help:"S3 access key"`
	S3SecretKey    string `cfg:"S3_SECRET_KEY" default:"incuchain-secret" help:"S3 secret key"`
	S3Bucket       string `cfg:"S3_BUCKET" default:"incuchain" help:"bucket holding materials"`
	S3UseSSL       bool   `cfg:"S3_USE_SSL" default:"false" help:"use HTTPS to reach S3"`
	S3EmbeddedAddr string `cfg:"S3_EMBEDDED_ADDR" default:"127.0.0.1:9300" help:"address of the in-process S3 store"`
	S3PublicURL    string `cfg:"S3_PUBLIC_URL" default:"" help:"where browsers reach the object store (http(s)://host[:port]); presigned URLs are signed for it. Empty: the endpoint itself"`
	TrustedProxies string `cfg:"TRUSTED_PROXIES" default:"" help:"networks (CIDR or address, comma-separated) of the reverse proxies / ingress in front of the process; only their X-Forwarded-For and X-Forwarded-Proto are believed. Empty: none, the TCP peer is the client"`
	MetricsAddr    string `cfg:"METRICS_ADDR" default:"127.0.0.1:9464" help:"address of the Prometheus /metrics listener, apart from the public port (empty: no metrics listener)"`
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

// ConnectBus connects to NATS, or starts the embedded server.
func ConnectBus(ctx context.Context, cfg Config, name string, log *slog.Logger) (*bus.Bus, error) {
	return bus.Connect(ctx, bus.Config{URL: cfg.NATSURL, EmbeddedDir: filepath.Join(cfg.DataDir, "jetstream"),
		EmbeddedPort: cfg.NATSPort, Namespace: cfg.NATSNamespace, Name: name}, log)
}

// OpenBlob connects to S3/MinIO, or starts the in-process S3 store first;
// stop releases what was started.
func OpenBlob(ctx context.Context, cfg Config) (store *blob.Store, stop func(), err error) {
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
