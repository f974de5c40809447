package httpx_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/oklog/ulid/v2"

	"github.com/incuchain/incuchain/pkg/httpx"
)

func TestRequestID(t *testing.T) {
	var seen string
	srv, logs := newServer(t, "rid-test", func(r *gin.Engine) {
		r.GET("/ping", func(c *gin.Context) {
			seen = httpx.RequestID(c)
			c.String(http.StatusOK, "pong")
		})
	})
	t.Run("generated", func(t *testing.T) {
		res := do(t, "GET", srv.URL+"/ping", nil, nil)
		id := res.header.Get(httpx.HeaderRequestID)
		if _, err := ulid.ParseStrict(id); err != nil {
			t.Fatalf("generated request id %q is not a ULID: %v", id, err)
		}
		if seen != id {
			t.Fatalf("handler saw %q, header says %q", seen, id)
		}
		other := do(t, "GET", srv.URL+"/ping", nil, nil).header.Get(httpx.HeaderRequestID)
		if other == id {
			t.Fatal("two requests got the same generated id")
		}
	})
	t.Run("given", func(t *testing.T) {
		res := do(t, "GET", srv.URL+"/ping", nil, map[string]string{httpx.HeaderRequestID: "client-id-123"})
		if got := res.header.Get(httpx.HeaderRequestID); got != "client-id-123" || seen != "client-id-123" {
			t.Fatalf("echoed %q, handler saw %q, want client-id-123", got, seen)
		}
		if !strings.Contains(logs.String(), `"request_id":"client-id-123"`) {
			t.Fatalf("access log lacks the request id: %s", logs.String())
		}
	})
	t.Run("too long replaced", func(t *testing.T) {
		long := strings.Repeat("a", 65)
		got := do(t, "GET", srv.URL+"/ping", nil, map[string]string{httpx.HeaderRequestID: long}).header.Get(httpx.HeaderRequestID)
		if got == long || got == "" {
			t.Fatalf("a 65-character id was kept or dropped: %q", got)
		}
	})
}

func TestUnknownRouteIs404Problem(t *testing.T) {
	srv, _ := newServer(t, "route-test", func(r *gin.Engine) {
		r.GET("/carriers", func(c *gin.Context) { c.Status(http.StatusOK) })
	})
	res := do(t, "GET", srv.URL+"/nope", nil, map[string]string{"Accept-Language": "en"})
	if res.status != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", res.status)
	}
	p := problem(t, res)
	if p.Slug != "route-not-found" || p.Detail != "No such endpoint" || p.Instance != "/nope" {
		t.Fatalf("problem = %+v", p)
	}
}

func TestWrongMethodIs405ProblemWithAllow(t *testing.T) {
	srv, _ := newServer(t, "method-test", func(r *gin.Engine) {
		r.GET("/carriers", func(c *gin.Context) { c.Status(http.StatusOK) })
		r.POST("/carriers", func(c *gin.Context) { c.Status(http.StatusCreated) })
	})
	res := do(t, "DELETE", srv.URL+"/carriers", nil, map[string]string{"Accept-Language": "en"})
	if res.status != http.StatusMethodNotAllowed {
		t.Fatalf("status = %d, want 405", res.status)
	}
	p := problem(t, res)
	if p.Slug != "method-not-allowed" || p.Code != "method-not-allowed" || p.Title != "Method not allowed" {
		t.Fatalf("problem = %+v", p)
	}
	allow := res.header.Get("Allow")
	if !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Fatalf("Allow = %q, want GET and POST", allow)
	}
}

func TestPanicBecomes500AndServerSurvives(t *testing.T) {
	srv, logs := newServer(t, "panic-test", func(r *gin.Engine) {
		r.GET("/boom", func(c *gin.Context) { panic("secret-token-xyz in a bad state") })
		r.GET("/ok", func(c *gin.Context) { c.String(http.StatusOK, "fine") })
	})
	res := do(t, "GET", srv.URL+"/boom", nil, map[string]string{httpx.HeaderRequestID: "panic-req"})
	if res.status != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", res.status)
	}
	p := problem(t, res)
	if p.Slug != "internal" || p.RequestID != "panic-req" {
		t.Fatalf("problem = %+v", p)
	}
	if strings.Contains(string(res.body), "secret-token-xyz") {
		t.Fatalf("panic value leaked: %s", res.body)
	}
	if !strings.Contains(logs.String(), "panic in handler") || !strings.Contains(logs.String(), "secret-token-xyz") {
		t.Fatalf("panic not logged: %s", logs.String())
	}
	for range 3 {
		if res := do(t, "GET", srv.URL+"/ok", nil, nil); res.status != http.StatusOK || string(res.body) != "fine" {
			t.Fatalf("after a panic: status %d body %q", res.status, res.body)
		}
	}
}

func TestAccessLog(t *testing.T) {
	srv, logs := newServer(t, "log-test", func(r *gin.Engine) {
		httpx.MountOps(r)
		r.GET("/carriers/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	})
	do(t, "GET", srv.URL+"/carriers/01JDQ7Z5X8K2M3N4P5Q6R7S8T9", nil, map[string]string{httpx.HeaderRequestID: "log-req"})
	do(t, "GET", srv.URL+"/healthz", nil, map[string]string{httpx.HeaderRequestID: "health-req"})
	out := logs.String()
	for _, want := range []string{`"route":"/carriers/:id"`, `"status":204`, `"service":"log-test"`, `"request_id":"log-req"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("access log lacks %s: %s", want, out)
		}
	}
	if strings.Contains(out, "health-req") {
		t.Fatalf("health probes should not be logged: %s", out)
	}
}

func TestMountOps(t *testing.T) {
	var dbErr error
	var sawDeadline bool
	srv, _ := newServer(t, "ops-test", func(r *gin.Engine) {
		httpx.MountOps(r,
			httpx.Check{Name: "database", Fn: func(ctx context.Context) error {
				_, sawDeadline = ctx.Deadline()
				return dbErr
			}},
			httpx.Check{Name: "bus", Fn: func(context.Context) error { return nil }},
		)
		r.GET("/ping", func(c *gin.Context) { c.String(http.StatusOK, "pong") })
	})

	res := do(t, "GET", srv.URL+"/healthz", nil, nil)
	if res.status != 200 || string(res.body) != `{"status":"ok"}` {
		t.Fatalf("/healthz = %d %s", res.status, res.body)
	}

	res = do(t, "GET", srv.URL+"/readyz", nil, nil)
	if res.status != 200 || string(res.body) != `{"checks":{"bus":"ok","database":"ok"},"ready":true}` {
		t.Fatalf("/readyz = %d %s", res.status, res.body)
	}
	if !sawDeadline {
		t.Fatal("readiness checks run without a deadline")
	}

	dbErr = errors.New("connection refused")
	res = do(t, "GET", srv.URL+"/readyz", nil, nil)
	if res.status != http.StatusServiceUnavailable ||
		string(res.body) != `{"checks":{"bus":"ok","database":"connection refused"},"ready":false}` {
		t.Fatalf("/readyz with a failing check = %d %s", res.status, res.body)
	}

	do(t, "GET", srv.URL+"/ping", nil, nil)
	do(t, "GET", srv.URL+"/no-such-route", nil, nil)
	// Metrics are not on the service's own port, only on the metrics handler.
	if res = do(t, "GET", srv.URL+"/metrics", nil, nil); res.status != http.StatusNotFound {
		t.Fatalf("/metrics on the service port = %d, want 404", res.status)
	}
	metricsSrv := httptest.NewServer(httpx.MetricsHandler())
	defer metricsSrv.Close()
	res = do(t, "GET", metricsSrv.URL, nil, nil)
	if res.status != 200 {
		t.Fatalf("metrics handler = %d", res.status)
	}
	metrics := string(res.body)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^incuchain_http_requests_total\{[^}]*route="/ping"[^}]*service="ops-test"[^}]*status="200"[^}]*\} 1$`),
		// Unmatched paths share one label value, so scanners cannot blow up the series count.
		regexp.MustCompile(`(?m)^incuchain_http_requests_total\{[^}]*route="unmatched"[^}]*service="ops-test"[^}]*status="404"[^}]*\} 2$`),
		regexp.MustCompile(`(?m)^incuchain_http_request_duration_seconds_count\{[^}]*route="/ping"[^}]*service="ops-test"[^}]*\} 1$`),
	} {
		if !want.MatchString(metrics) {
			t.Fatalf("/metrics lacks %s:\n%s", want, grepLines(metrics, "incuchain_http_requests_total"))
		}
	}
	if strings.Contains(metrics, "no-such-route") {
		t.Fatal("an unmatched path became a metric label")
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Two engines in one process (all-in-one mode) must not collide on metric
// registration.
func TestTwoEnginesInOneProcess(t *testing.T) {
	a, _ := newServer(t, "svc-a", func(r *gin.Engine) { httpx.MountOps(r) })
	b, _ := newServer(t, "svc-b", func(r *gin.Engine) { httpx.MountOps(r) })
	for _, u := range []string{a.URL, b.URL} {
		if res := do(t, "GET", u+"/healthz", nil, nil); res.status != 200 {
			t.Fatalf("%s/healthz = %d", u, res.status)
		}
	}
}

// The request context handed to handlers is the client's: it ends when
// the client goes away.
func TestHandlerContextEndsWithClient(t *testing.T) {
	started := make(chan struct{})
	done := make(chan error, 1)
	srv, _ := newServer(t, "ctx-test", func(r *gin.Engine) {
		r.GET("/wait", func(c *gin.Context) {
			close(started)
			select {
			case <-c.Request.Context().Done():
				done <- c.Request.Context().Err()
			case <-time.After(10 * time.Second):
				done <- errors.New("context never ended")
			}
		})
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/wait", nil)
	if err != nil {
		t.Fatal(err)
	}
	clientDone := make(chan struct{})
	go func() {
		defer close(clientDone)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("handler never started")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("handler context ended with %v", err)
	}
	<-clientDone
}
