// Package parks is the parks service: regions, carriers, users, staff
// roles and invitations, and the source of truth for Casbin role
// assignments. New builds it from its Config and shared dependencies; the
// same code runs alone (incuchain -target=parks) or inside the all-in-one process.
package parks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authzsync"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/parks/internal/adapters"
	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/internal/ports"
	"github.com/incuchain/incuchain/services/parks/migrations"
)

// Config is the parks service's own settings.
type Config struct {
	DB     string `cfg:"PARKS_DB" default:"sqlite://data/parks.db" help:"parks database: postgres://… or sqlite:///path"`
	Schema string `cfg:"PARKS_DB_SCHEMA" default:"parks" help:"PostgreSQL schema of the parks tables"`
	Addr   string `cfg:"PARKS_ADDR" default:"127.0.0.1:8081" help:"listen address when parks runs as its own process"`
	// The first platform admin of a fresh installation.
	BootstrapAdminEmail    string `cfg:"BOOTSTRAP_ADMIN_EMAIL" default:"" help:"create this platform admin at start if missing (with BOOTSTRAP_ADMIN_PASSWORD)"`
	BootstrapAdminPassword string `cfg:"BOOTSTRAP_ADMIN_PASSWORD" default:"" help:"password of the bootstrap platform admin (≥10 characters; change it after the first sign-in)"`
}

// Deps are what the parks service needs from the process it runs in.
type Deps struct {
	Bus       *bus.Bus
	Signer    *authn.Signer
	Log       *slog.Logger
	PublicURL string // base URL of the console, for invitation links
}

// Service is a running parks service.
type Service struct {
	db       *bun.DB
	bus      *bus.Bus
	startup  *bus.Startup
	app      *app.App
	relay    *bus.Relay
	enforcer *authz.Enforcer
	handler  http.Handler
	log      *slog.Logger
}

// New opens the database, migrates it and builds the service.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	bdb, err := db.Open(ctx, db.Config{DSN: cfg.DB, Schema: cfg.Schema})
	if err != nil {
		return nil, fmt.Errorf("parks: %w", err)
	}
	if err := db.Migrate(ctx, bdb, bus.Migrations, migrations.Set); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("parks: %w", err)
	}
	e, err := authz.New()
	if err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("parks: %w", err)
	}
	relay := bus.NewRelay(bdb, d.Bus, d.Log.With("component", "parks-relay"))
	startup := bus.NewStartup(d.Bus, "parks events", d.Log)
	a := app.New(adapters.NewStore(bdb, relay.Notify), e, d.Log, d.PublicURL)

	r := httpx.NewEngine("parks", d.Log, httpx.WithTexts(ports.Messages))
	r.Use(authn.Middleware(d.Signer))
	doc := ports.Mount(r, a)
	r.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, doc) })
	httpx.MountOps(r,
		httpx.Check{Name: "database", Fn: func(ctx context.Context) error { return bdb.PingContext(ctx) }},
		httpx.Check{Name: "nats", Fn: startup.Ready})
	s := &Service{db: bdb, bus: d.Bus, startup: startup, app: a, relay: relay, enforcer: e, handler: r, log: d.Log}
	if cfg.BootstrapAdminEmail != "" || cfg.BootstrapAdminPassword != "" {
		if err := s.bootstrapAdmin(ctx, cfg.BootstrapAdminEmail, cfg.BootstrapAdminPassword); err != nil {
			_ = bdb.Close()
			return nil, fmt.Errorf("parks: bootstrap admin: %w", err)
		}
	}
	return s, nil
}

// bootstrapAdmin makes sure a platform admin with this email exists, so a
// fresh distributed installation has someone to sign in; it changes
// nothing when the account and role already exist.
func (s *Service) bootstrapAdmin(ctx context.Context, email, password string) error {
	if email == "" || password == "" {
		return fmt.Errorf("set both INCUCHAIN_BOOTSTRAP_ADMIN_EMAIL and INCUCHAIN_BOOTSTRAP_ADMIN_PASSWORD")
	}
	as, err := s.app.Snapshot(ctx)
	if err != nil {
		return err
	}
	if err := s.enforcer.Replace(as); err != nil {
		return err
	}
	return s.app.Seed(ctx, nil, []app.SeedUser{{Email: email, DisplayName: "平台管理员", Password: password,
		Roles: []app.SeedRole{{Role: authz.RolePlatformAdmin, Domain: "platform"}}}})
}

// Handler serves the parks HTTP API.
func (s *Service) Handler() http.Handler { return s.handler }

// Routes lists the service's routes as "METHOD /path".
func (s *Service) Routes() []string {
	var out []string
	for _, r := range s.handler.(*gin.Engine).Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Run relays the outbox and keeps the enforcer in sync until ctx ends.
// The enforcer holds parks' own assignments at once; the stream, the
// followers and the relay start once NATS answers (until then /readyz
// says why not, and writes wait in the outbox).
func (s *Service) Run(ctx context.Context) error {
	defer s.db.Close()
	sources := authzsync.Own("parks", s.app.Snapshot)
	if err := authzsync.Preload(ctx, s.enforcer, sources); err != nil {
		return fmt.Errorf("parks: %w", err)
	}
	stop, err := s.startup.Run(ctx, func(ctx context.Context) (func(), error) {
		if err := s.bus.EnsureStream(ctx, "parks"); err != nil {
			return nil, err
		}
		return authzsync.Start(ctx, s.bus, s.enforcer, sources, s.log)
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("parks: %w", err)
	}
	defer stop()
	return s.relay.Run(ctx)
}

// Seed creates the demo region, carriers and accounts if missing.
func (s *Service) Seed(ctx context.Context) error {
	// The enforcer must know existing grants before seeding checks them.
	as, err := s.app.Snapshot(ctx)
	if err != nil {
		return err
	}
	if err := s.enforcer.Replace(as); err != nil {
		return err
	}
	regions, users := demo()
	return s.app.Seed(ctx, regions, users)
}
