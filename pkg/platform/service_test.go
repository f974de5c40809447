package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
)

type gadget struct {
	Name string `json:"name"`
}

// The skeleton a new service copies: it migrates, serves the mounted API
// with ops routes and its document, loads the service's own roles before
// NATS, starts consumers and jobs once the stream is declared, and stops
// cleanly.
func TestServiceSkeleton(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	signer, err := authn.NewSigner([]byte("test-secret-test-secret-test-secret!"))
	if err != nil {
		t.Fatal(err)
	}
	// "incubatees" is a service with a stream and a user on the test bus.
	s, err := platform.NewService(ctx, platform.ServiceSpec{Name: "incubatees", DB: dbtest.Config(t, "sqlite"),
		Migrations: db.Migrations{Component: "gadgets", FS: fstest.MapFS{"0001_gadgets.sql": {Data: []byte("CREATE TABLE gadgets (name TEXT PRIMARY KEY)")}}},
		Deps:       platform.Deps{Bus: bustest.Start(t), Signer: signer, Log: bustest.Logger(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.ExecContext(ctx, "INSERT INTO gadgets (name) VALUES (?)", "spanner"); err != nil {
		t.Fatalf("migrations not applied: %v", err)
	}
	s.Mount(func(r gin.IRouter) *httpx.OpenAPI {
		doc := httpx.NewOpenAPI("gadgets", "1")
		httpx.Mount(r, doc, httpx.GET("/api/v1/gadgets", func(c *gin.Context) {
			httpx.RespondAll(c, []string{"spanner"}, nil, func(n string) gadget { return gadget{n} })
		}).Doc("gadgets").Lists(gadget{}))
		return doc
	}, httpx.Check{Name: "gadget-store", Fn: func(context.Context) error { return errors.New("warming up") }})
	owner := authz.Assignment{UserID: "01HZZZZZZZZZZZZZZZZZZZZZZZ", Role: authz.RoleStartupMember, Domain: "company:c1"}
	s.FollowRoles(func(context.Context) ([]authz.Assignment, error) { return []authz.Assignment{owner}, nil })
	consumed, jobRan := make(chan struct{}), make(chan struct{})
	s.Consume(func(context.Context) (func(), error) { close(consumed); return func() {}, nil })
	s.AfterStart(func(ctx context.Context) { close(jobRan); <-ctx.Done() })
	// A scheduled job runs at start; one without a period only when asked.
	scheduled, asked := make(chan struct{}), 0
	s.Schedule(platform.Job{Lock: "gadget-count", Every: time.Hour, AtStart: true, Done: "gadgets counted", Failed: "gadget count",
		Do: func(context.Context) (int, error) { close(scheduled); return 1, nil }})
	recount := s.Schedule(platform.Job{Lock: "gadget-recount", Do: func(context.Context) (int, error) { asked++; return 2, nil }})

	if got := s.Routes(); !slices.Contains(got, "GET /api/v1/gadgets") || !slices.Contains(got, "GET /readyz") || !slices.Contains(got, "GET /openapi.json") {
		t.Errorf("routes: %v", got)
	}
	get := func(path string, header ...string) (int, map[string]any) {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		if len(header) == 2 {
			req.Header.Set(header[0], header[1])
		}
		s.Handler().ServeHTTP(w, req)
		var out map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	if code, doc := get("/openapi.json"); code != 200 || doc["paths"].(map[string]any)["/api/v1/gadgets"] == nil {
		t.Errorf("openapi.json: %d %v", code, doc)
	}
	if code, _ := get("/api/v1/gadgets"); code != http.StatusOK {
		t.Errorf("API: %d", code)
	}
	if code, _ := get("/api/v1/gadgets", authn.HeaderIdentity, "forged"); code != http.StatusUnauthorized {
		t.Errorf("forged identity: %d, want 401 (identity middleware installed)", code)
	}

	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for _, ch := range []chan struct{}{consumed, jobRan, scheduled} {
		select {
		case <-ch:
		case <-time.After(20 * time.Second):
			t.Fatal("consumer or job not started")
		}
	}
	if asked != 0 {
		t.Errorf("a job without a period ran %d times unasked", asked)
	}
	if n, err := recount(ctx); n != 2 || err != nil || asked != 1 {
		t.Errorf("asked job: %d, %v after %d runs; want 2 after 1", n, err, asked)
	}
	if as := s.Enforcer.Assignments(owner.UserID); len(as) != 1 || as[0] != owner {
		t.Errorf("own roles not preloaded: %v", as)
	}
	code, ready := get("/readyz")
	checks, _ := ready["checks"].(map[string]any)
	if code != http.StatusServiceUnavailable || checks["database"] != "ok" || checks["nats"] != "ok" || checks["gadget-store"] != "warming up" {
		t.Errorf("readyz: %d %v", code, ready)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop")
	}
}
