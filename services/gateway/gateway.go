// Package gateway is the front door: it signs people in, serves the web
// console, merges the services' OpenAPI documents and forwards /api/v1
// requests to the owning service with a signed identity.
package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/gateway/internal/app"
	"github.com/incuchain/incuchain/services/gateway/internal/ports"
)

// Config is the gateway's own settings.
type Config struct {
	Addr             string        `cfg:"GATEWAY_ADDR" default:"127.0.0.1:8080" help:"address the console and API listen on"`
	DB               string        `cfg:"GATEWAY_DB" default:"sqlite://data/gateway.db" help:"gateway database (sessions): postgres://… or sqlite:///path"`
	Schema           string        `cfg:"GATEWAY_DB_SCHEMA" default:"gateway" help:"PostgreSQL schema of the gateway tables"`
	WebDir           string        `cfg:"WEB_DIR" default:"web/dist" help:"directory of the built console"`
	ParksURL         string        `cfg:"GATEWAY_PARKS_URL" default:"" help:"parks service URL when it runs apart (empty: in-process)"`
	IncubateesURL    string        `cfg:"GATEWAY_INCUBATEES_URL" default:"" help:"incubatees service URL when it runs apart (empty: in-process)"`
	DocumentsURL     string        `cfg:"GATEWAY_DOCUMENTS_URL" default:"" help:"documents service URL when it runs apart (empty: in-process)"`
	MilestonesURL    string        `cfg:"GATEWAY_MILESTONES_URL" default:"" help:"milestones service URL when it runs apart (empty: in-process)"`
	RollupsURL       string        `cfg:"GATEWAY_ROLLUPS_URL" default:"" help:"rollups service URL when it runs apart (empty: in-process)"`
	NotificationsURL string        `cfg:"GATEWAY_NOTIFICATIONS_URL" default:"" help:"notifications service URL when it runs apart (empty: in-process)"`
	SessionTTL       time.Duration `cfg:"SESSION_TTL" default:"12h" help:"how long a sign-in lasts"`
	SecureCookies    bool          `cfg:"SECURE_COOKIES" default:"false" help:"mark cookies Secure (always on when the request came over TLS)"`
	LoginPerUser     int           `cfg:"LOGIN_MAX_FAILURES_PER_ACCOUNT" default:"5" help:"failed sign-ins per account per window before throttling"`
	LoginPerIP       int           `cfg:"LOGIN_MAX_FAILURES_PER_IP" default:"30" help:"failed sign-ins per client IP per window before throttling"`
	LoginWindow      time.Duration `cfg:"LOGIN_WINDOW" default:"15m" help:"window of the sign-in throttle"`
}

// Deps are what the gateway needs from its process. Services maps a
// service name to its in-process handler, and Routes to its routes
// ("METHOD /path", as the service's Routes lists them): the gateway
// forwards exactly those. Services given by URL in Config are reached
// through a reverse proxy instead and asked for their routes.
type Deps struct {
	Signer   *authn.Signer
	Log      *slog.Logger
	Services map[string]http.Handler
	Routes   map[string][]string
	// PublicURL is the console's public base URL (INCUCHAIN_PUBLIC_URL):
	// writes from its origin are same-site.
	PublicURL string
	// Checks join the gateway's own on /readyz: the launcher's, one per
	// module of the process, so the all-in-one is ready when all of it is.
	Checks []httpx.Check
}

// Gateway is a running gateway.
type Gateway struct {
	db        *bun.DB
	handler   http.Handler
	upstreams *app.Upstreams
}

// New builds the gateway.
func New(ctx context.Context, cfg Config, d Deps) (*Gateway, error) {
	services, routes := map[string]http.Handler{}, map[string][]string{}
	for k, v := range d.Services {
		services[k] = v
		if rs, ok := d.Routes[k]; ok {
			routes[k] = rs
		}
	}
	for name, raw := range map[string]string{"parks": cfg.ParksURL, "incubatees": cfg.IncubateesURL, "documents": cfg.DocumentsURL,
		"milestones": cfg.MilestonesURL, "rollups": cfg.RollupsURL,
		"notifications": cfg.NotificationsURL} {
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("gateway: %s URL: %w", name, err)
		}
		services[name] = app.Proxy(u)
		delete(routes, name) // the service's own answer, not what this process built
	}
	bdb, err := db.Open(ctx, db.Config{DSN: cfg.DB, Schema: cfg.Schema})
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	if err := db.Migrate(ctx, bdb, authn.Migrations); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("gateway: %w", err)
	}
	// A service reached by URL lists its routes in its OpenAPI document
	// (its operations are its /api/v1 routes: each service's test checks
	// that). h is set below; the first request that needs it comes later.
	var h *ports.HTTP
	ups, err := app.NewUpstreams(services, routes, func(ctx context.Context, svc string) ([]string, error) {
		doc, err := h.ServiceDoc(ctx, svc)
		if err != nil {
			return nil, err
		}
		return doc.Operations(), nil
	})
	if err != nil {
		_ = bdb.Close()
		return nil, err
	}
	auth := &app.Auth{
		// Cached briefly: most requests then need no read of the sessions
		// table; a logout here is honoured at once, on another replica
		// within the 5 s.
		Sessions:  authn.NewSessions(bdb, cfg.SessionTTL).Cached(5*time.Second, 10000),
		Limiter:   authn.NewLimiter(cfg.LoginPerUser, cfg.LoginPerIP, cfg.LoginWindow),
		Signer:    d.Signer,
		Upstreams: ups,
		Now:       func() time.Time { return time.Now().UTC() },
	}
	r := httpx.NewEngine("gateway", d.Log, httpx.WithTexts(ports.Messages))
	h = &ports.HTTP{Auth: auth, Upstreams: ups, WebDir: cfg.WebDir, SecureCookies: cfg.SecureCookies, PublicOrigin: ports.PublicOrigin(d.PublicURL)}
	// Mount first: its browser middleware then covers the probes too.
	own := h.Mount(r)
	httpx.MountOps(r, append([]httpx.Check{{Name: "database", Fn: func(ctx context.Context) error { return bdb.PingContext(ctx) }}}, d.Checks...)...)
	if cfg.ParksURL == "" && cfg.IncubateesURL == "" && cfg.DocumentsURL == "" && cfg.MilestonesURL == "" && cfg.RollupsURL == "" && cfg.NotificationsURL == "" {
		// Every service runs in this process: a merged document that
		// contradicts itself stops the start, not the first reader.
		// (Services reached by URL may start later; their conflicts
		// answer /api/v1/openapi.json with a 500 problem.)
		if _, err := h.MergedOpenAPI(ctx, own); err != nil {
			_ = bdb.Close()
			return nil, fmt.Errorf("gateway: %w", err)
		}
	}
	return &Gateway{db: bdb, handler: r, upstreams: ups}, nil
}

// Owner names the service the gateway forwards method and path to.
func (g *Gateway) Owner(ctx context.Context, method, path string) (string, bool) {
	svc, _, ok := g.upstreams.Lookup(ctx, method, path)
	return svc, ok
}

// Routes lists the gateway's own routes as "METHOD /path".
func (g *Gateway) Routes() []string {
	var out []string
	for _, r := range g.handler.(*gin.Engine).Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Handler serves the gateway.
func (g *Gateway) Handler() http.Handler { return g.handler }

// Close releases the database.
func (g *Gateway) Close() error { return g.db.Close() }
