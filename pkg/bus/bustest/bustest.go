// Package bustest gives tests a working bus: the real nats-server named by
// NATS_URL when it is set (each test in its own namespace, so tests can
// share it), else an embedded server in a temporary directory.
package bustest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
)

// EnvURL names the variable holding the URL of a real NATS server for tests.
const EnvURL = "NATS_URL"

var announce sync.Once

// Start returns a bus private to t, closed when t ends. With NATS_URL set
// it connects to that server under a random namespace and deletes the
// namespace's streams at the end; otherwise it starts an embedded server
// in t.TempDir().
func Start(t testing.TB) *bus.Bus {
	t.Helper()
	url := os.Getenv(EnvURL)
	namespace := "t" + strings.ToLower(events.NewID())
	if url == "" {
		announce.Do(func() {
			fmt.Fprintf(os.Stderr, "bustest: using an embedded nats-server (set %s=nats://… to use a real one)\n", EnvURL)
		})
		return start(t, bus.Config{EmbeddedDir: t.TempDir(), Namespace: namespace, Name: t.Name()})
	}
	b := start(t, bus.Config{URL: url, Namespace: namespace, Name: t.Name()})
	version := b.Conn().ConnectedServerVersion()
	announce.Do(func() {
		fmt.Fprintf(os.Stderr, "bustest: using nats-server %s at %s (from %s)\n", version, url, EnvURL)
	})
	if !atLeast(version, 2, 10) {
		t.Fatalf("bustest: nats-server at %s is v%s; need v2.10 or later (start one with scripts/nats-server.sh)", url, version)
	}
	t.Cleanup(func() { deleteNamespaceStreams(t, b) })
	return b
}

// Service is the service name tests publish their own events as; the
// embedded servers of StartEmbeddedAt have a user for it besides those of
// bus.Services.
const Service = "bustest"

// StartEmbeddedAt starts an embedded server storing in dir and listening on
// 127.0.0.1:port (0 = a free port), without a namespace, and returns its
// unrestricted in-process connection; Client gives the settings to reach
// it over TCP as a service. Closing the bus stops the server; starting
// again with the same dir and port brings the same streams (and
// credentials) back, which is how tests simulate a NATS outage. It is
// closed when t ends (Close may be called earlier).
func StartEmbeddedAt(t testing.TB, dir string, port int) *bus.Bus {
	t.Helper()
	return start(t, bus.Config{EmbeddedDir: dir, EmbeddedListen: true, EmbeddedPort: port, Name: t.Name(),
		EmbeddedUsers: append(slices.Clone(bus.Services), Service)})
}

// Client is the configuration connecting over TCP, as service's user, to
// the listening embedded server that srv (from StartEmbeddedAt) started.
func Client(t testing.TB, srv *bus.Bus, service string) bus.Config {
	t.Helper()
	e := srv.Embedded()
	if e == nil || e.ClientURL() == "" {
		t.Fatal("bustest.Client: the bus has no listening embedded server (use StartEmbeddedAt)")
	}
	password, ok := e.Password(service)
	if !ok {
		t.Fatalf("bustest.Client: the embedded server has no user %q", service)
	}
	return bus.Config{URL: e.ClientURL(), Name: t.Name() + "-" + service, Service: service, User: service, Password: password}
}

func start(t testing.TB, cfg bus.Config) *bus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, cfg, Logger(t))
	if err != nil {
		t.Fatalf("bustest: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

func deleteNamespaceStreams(t testing.TB, b *bus.Bus) {
	t.Helper()
	// The namespace's part of every stream name: what precedes the
	// service part of a stream name.
	prefix := strings.TrimSuffix(b.StreamName("probe"), "INCUCHAIN_PROBE")
	if prefix == "" {
		return // never delete un-namespaced streams of a shared server
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	names := b.JetStream().StreamNames(ctx)
	var doomed []string
	for name := range names.Name() {
		if strings.HasPrefix(name, prefix) {
			doomed = append(doomed, name)
		}
	}
	for _, name := range doomed {
		if err := b.JetStream().DeleteStream(ctx, name); err != nil {
			t.Logf("bustest: delete stream %s: %v", name, err)
		}
	}
}

func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	maj, err1 := strconv.Atoi(parts[0])
	mnr, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return maj > major || (maj == major && mnr >= minor)
}

// Logger returns a logger writing to t's log (shown for failed tests and
// with -v). Records arriving after t ended, from goroutines still winding
// down, are dropped instead of panicking.
func Logger(t testing.TB) *slog.Logger {
	t.Helper()
	w := &testWriter{t: t}
	t.Cleanup(w.finish) // registered first, so it runs after every later cleanup
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) finish() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
}
