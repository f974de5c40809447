package platform_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
)

func TestSQLiteDSN(t *testing.T) {
	tests := []struct{ dataDir, dsn, want string }{
		{"/var/lib/incuchain", "sqlite://data/parks.db", "sqlite:///var/lib/incuchain/parks.db"},
		{"/var/lib/incuchain", "sqlite://data/sub/gateway.db", "sqlite:///var/lib/incuchain/sub/gateway.db"},
		{"data", "sqlite://data/parks.db", "sqlite://data/parks.db"},
		{"./run", "sqlite://data/parks.db", "sqlite://run/parks.db"},
		{"/var/lib/incuchain", "sqlite:///abs/parks.db", "sqlite:///abs/parks.db"},
		{"/var/lib/incuchain", "sqlite://other/parks.db", "sqlite://other/parks.db"},
		{"/var/lib/incuchain", "sqlite://database/parks.db", "sqlite://database/parks.db"},
		{"/var/lib/incuchain", "postgres://u@h/db?search_path=data/", "postgres://u@h/db?search_path=data/"},
	}
	for _, tt := range tests {
		if got := platform.SQLiteDSN(tt.dataDir, tt.dsn); got != tt.want {
			t.Errorf("SQLiteDSN(%q, %q) = %q, want %q", tt.dataDir, tt.dsn, got, tt.want)
		}
	}
}

func TestSigner(t *testing.T) {
	now := time.Now()
	id := authn.Identity{UserID: "01HUSER", SessionID: "01HSESS", IssuedAt: now}

	t.Run("generated when allowed", func(t *testing.T) {
		a, err := platform.Signer(platform.Config{}, true)
		if err != nil {
			t.Fatalf("Signer: %v", err)
		}
		b, err := platform.Signer(platform.Config{}, true)
		if err != nil {
			t.Fatalf("Signer: %v", err)
		}
		if got, err := a.Verify(a.Sign(id), now); err != nil || got.UserID != id.UserID {
			t.Fatalf("own identity: %+v, %v", got, err)
		}
		if _, err := b.Verify(a.Sign(id), now); err == nil {
			t.Fatal("two generated secrets are equal")
		}
	})
	t.Run("required when not allowed", func(t *testing.T) {
		_, err := platform.Signer(platform.Config{}, false)
		if err == nil || !strings.Contains(err.Error(), "INCUCHAIN_INTERNAL_SECRET") {
			t.Fatalf("Signer = %v, want an error naming the setting", err)
		}
	})
	t.Run("configured secret is shared", func(t *testing.T) {
		cfg := platform.Config{InternalSecret: strings.Repeat("k", 32)}
		gateway, err := platform.Signer(cfg, false)
		if err != nil {
			t.Fatalf("Signer: %v", err)
		}
		parks, err := platform.Signer(cfg, true) // allowGenerated does not replace a configured secret
		if err != nil {
			t.Fatalf("Signer: %v", err)
		}
		got, err := parks.Verify(gateway.Sign(id), now)
		if err != nil || got.UserID != id.UserID || got.SessionID != id.SessionID {
			t.Fatalf("cross-service verify = %+v, %v", got, err)
		}
		other, err := platform.Signer(platform.Config{InternalSecret: strings.Repeat("x", 32)}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Verify(gateway.Sign(id), now); err == nil {
			t.Fatal("a different secret verified the identity")
		}
	})
	t.Run("short secret rejected", func(t *testing.T) {
		if _, err := platform.Signer(platform.Config{InternalSecret: "short"}, true); err == nil {
			t.Fatal("a 5-byte secret was accepted")
		}
	})
}

// addrRecorder is a slog handler that remembers the "addr" attribute.
type addrRecorder struct {
	mu   sync.Mutex
	addr string
}

func (h *addrRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *addrRecorder) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "addr" {
			h.mu.Lock()
			h.addr = a.Value.String()
			h.mu.Unlock()
		}
		return true
	})
	return nil
}
func (h *addrRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *addrRecorder) WithGroup(string) slog.Handler      { return h }
func (h *addrRecorder) Addr() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.addr
}

func TestServe(t *testing.T) {
	inFlight := make(chan struct{})
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "hi") })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(inFlight)
		<-release
		_, _ = io.WriteString(w, "done")
	})
	rec := &addrRecorder{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listening := make(chan string, 2)
	served := make(chan error, 1)
	go func() {
		served <- platform.Serve(ctx, "127.0.0.1:0", mux, slog.New(rec),
			func() { listening <- rec.Addr() }, func() { listening <- "second" })
	}()
	var addr string
	select {
	case addr = <-listening:
	case err := <-served:
		t.Fatalf("Serve returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("onListen never called")
	}
	if second := <-listening; second != "second" {
		t.Fatalf("second onListen = %q", second)
	}
	res, err := http.Get("http://" + addr + "/hello")
	if err != nil {
		t.Fatalf("GET /hello: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "hi" {
		t.Fatalf("body = %q", body)
	}

	// A request in flight when ctx ends still completes.
	slow := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			slow <- "error: " + err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		slow <- string(b)
	}()
	<-inFlight
	cancel()
	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still open after cancel")
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
	close(release)
	if got := <-slow; got != "done" {
		t.Fatalf("in-flight request = %q, want done", got)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v, want nil after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}

func TestServeListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	called := false
	err = platform.Serve(context.Background(), ln.Addr().String(), http.NotFoundHandler(), slog.New(slog.DiscardHandler), func() { called = true })
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("Serve on a taken port = %v", err)
	}
	if called {
		t.Fatal("onListen ran although nothing listens")
	}
}

// captureStderr runs fn with os.Stderr pointing at a file and returns what
// was written. Logger binds its handler to os.Stderr when called.
func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stderr
	os.Stderr = f
	func() {
		defer func() { os.Stderr = old }()
		fn()
	}()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLogger(t *testing.T) {
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })

	t.Run("json", func(t *testing.T) {
		out := captureStderr(t, func() {
			l := platform.Logger(platform.Config{LogFormat: "json", LogLevel: "info"})
			l.Debug("hidden")
			l.Info("carrier created", "carrier_id", "01HC")
			slog.Warn("via default") // Logger becomes the default
		})
		lines := nonEmptyLines(out)
		if len(lines) != 2 {
			t.Fatalf("got %d lines, want 2:\n%s", len(lines), out)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
			t.Fatalf("not JSON: %q: %v", lines[0], err)
		}
		if rec["msg"] != "carrier created" || rec["carrier_id"] != "01HC" || rec["level"] != "INFO" {
			t.Fatalf("record = %v", rec)
		}
		if !strings.Contains(lines[1], `"msg":"via default"`) {
			t.Fatalf("default logger not replaced: %q", lines[1])
		}
	})
	t.Run("text", func(t *testing.T) {
		out := captureStderr(t, func() {
			platform.Logger(platform.Config{LogFormat: "text", LogLevel: "debug"}).Debug("carrier created", "carrier_id", "01HC")
		})
		if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, `msg="carrier created"`) || !strings.Contains(out, "carrier_id=01HC") {
			t.Fatalf("text output = %q", out)
		}
		if strings.HasPrefix(strings.TrimSpace(out), "{") {
			t.Fatalf("text format wrote JSON: %q", out)
		}
	})
	t.Run("levels", func(t *testing.T) {
		tests := []struct {
			level string
			want  []string // messages that appear
		}{
			{"debug", []string{"d", "i", "w", "e"}},
			{"INFO", []string{"i", "w", "e"}},
			{"warn", []string{"w", "e"}},
			{"error", []string{"e"}},
			{"", []string{"i", "w", "e"}},
			{"nonsense", []string{"i", "w", "e"}},
		}
		for _, tt := range tests {
			out := captureStderr(t, func() {
				l := platform.Logger(platform.Config{LogFormat: "json", LogLevel: tt.level})
				l.Debug("d")
				l.Info("i")
				l.Warn("w")
				l.Error("e")
			})
			var got []string
			for _, line := range nonEmptyLines(out) {
				var rec struct{ Msg string }
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("not JSON: %q", line)
				}
				got = append(got, rec.Msg)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("level %q logged %v, want %v", tt.level, got, tt.want)
			}
		}
	})
}

func nonEmptyLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			out = append(out, sc.Text())
		}
	}
	return out
}

func TestTracingWithoutExporter(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	shutdown, err := platform.Tracing(context.Background(), "test")
	if err != nil {
		t.Fatalf("Tracing: %v", err)
	}
	if err := shutdown(context.Background()); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("shutdown: %v", err)
	}
}

// Metrics live on a listener of their own: a service's public port answers
// /metrics with 404, the metrics listener serves every engine's series.
func TestServeMetricsApartFromThePublicPort(t *testing.T) {
	public := httpx.NewEngine("metrics-apart", slog.New(slog.DiscardHandler))
	httpx.MountOps(public)
	pub := httptest.NewServer(public)
	defer pub.Close()
	res, err := http.Get(pub.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("/metrics on the public port = %d, want 404", res.StatusCode)
	}

	rec := &addrRecorder{}
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- platform.ServeMetrics(ctx, "127.0.0.1:0", slog.New(rec), func() { listening <- rec.Addr() })
	}()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("ServeMetrics = %v after cancel", err)
		}
	}()
	var addr string
	select {
	case addr = <-listening:
	case err := <-served:
		t.Fatalf("ServeMetrics returned early: %v", err)
	}
	res, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want := regexp.MustCompile(`(?m)^incuchain_http_requests_total\{[^}]*route="unmatched"[^}]*service="metrics-apart"[^}]*status="404"[^}]*\} 1$`)
	if res.StatusCode != http.StatusOK || !want.Match(body) {
		t.Fatalf("metrics listener = %d, lacks the public engine's 404:\n%s", res.StatusCode, body)
	}
	if res, err = http.Get("http://" + addr + "/healthz"); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("metrics listener serves /healthz: %d", res.StatusCode)
	}
}

// A metrics listener that cannot start stops what runs beside it and is
// the error returned; without an address nothing listens and fn's result
// comes back as it is.
func TestWithMetrics(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	err = platform.WithMetrics(context.Background(), taken.Addr().String(), slog.New(slog.DiscardHandler), func(ctx context.Context) error {
		<-ctx.Done() // the public server, stopped by the failed listener
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("WithMetrics on a taken port = %v, want the listen error", err)
	}
	want := errors.New("service failed")
	if got := platform.WithMetrics(context.Background(), "", slog.New(slog.DiscardHandler), func(context.Context) error { return want }); got != want {
		t.Fatalf("WithMetrics without an address = %v, want %v", got, want)
	}
}
