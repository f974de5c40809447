package platform

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/incuchain/incuchain/pkg/config"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// Process is what a binary's run function gets from Main: the shared
// settings, already loaded with its own, and the process logger.
type Process struct {
	Config Config
	Log    *slog.Logger
}

// Main is the body of every Incuchain binary: it reads -config, loads the
// shared settings and the binary's own (settings are pointers to Config
// structs), installs logging and tracing, cancels the context on SIGINT or
// SIGTERM, installs the trusted proxies for every HTTP engine, runs run,
// and exits 1 with the error if it fails. Metrics are served by what run
// starts (WithMetrics, or the launcher's metrics module), so that
// -print-config and other early exits open no listener.
func Main(name string, run func(ctx context.Context, p Process) error, settings ...any) {
	if err := mainErr(name, run, settings...); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func mainErr(name string, run func(ctx context.Context, p Process) error, settings ...any) error {
	file := flag.String("config", "", "KEY=value settings file (the environment overrides it)")
	flag.Parse()
	var p Process
	if err := config.Load(*file, append([]any{&p.Config}, settings...)...); err != nil {
		return err
	}
	proxies, err := httpx.ParseTrustedProxies(p.Config.TrustedProxies)
	if err != nil {
		return fmt.Errorf("INCUCHAIN_TRUSTED_PROXIES: %w", err)
	}
	// Before run builds any engine: each reads the setting when built.
	httpx.SetTrustedProxies(proxies)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p.Log = Logger(p.Config).With("service", name)
	shutdown, err := Tracing(ctx, name)
	if err != nil {
		return err
	}
	defer shutdown(context.Background())
	return run(ctx, p)
}

// WithMetrics runs fn while serving metrics on addr (ServeMetrics; empty:
// none). A metrics listener that cannot start stops fn, like a taken public
// port would: a process nobody can scrape is not silently accepted.
func WithMetrics(ctx context.Context, addr string, log *slog.Logger, fn func(ctx context.Context) error) error {
	if addr == "" {
		return fn(ctx)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	metricsDone := make(chan error, 1)
	go func() {
		err := ServeMetrics(ctx, addr, log)
		if err != nil {
			cancel(err)
		}
		metricsDone <- err
	}()
	err := fn(ctx)
	cancel(nil)
	if merr := <-metricsDone; err == nil && merr != nil {
		err = merr
	}
	return err
}

// Runner is a service that works in the background and serves HTTP.
type Runner interface {
	Run(ctx context.Context) error
	Handler() http.Handler
}

// ServeService runs svc's background work and serves its HTTP API on addr
// until ctx ends; onListen run once the listener is up.
func ServeService(ctx context.Context, addr string, svc Runner, log *slog.Logger, onListen ...func()) error {
	errc := make(chan error, 1)
	go func() { errc <- svc.Run(ctx) }()
	if err := Serve(ctx, addr, svc.Handler(), log, onListen...); err != nil {
		return err
	}
	return <-errc
}
