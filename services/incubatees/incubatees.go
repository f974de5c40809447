// Package incubatees is the incubatees service: companies and their
// members, intake calls and applications, residencies and the chain, rule
// packs, the cultivation ladder and periodic metric reports. It keeps
// copies of parks' regions, carriers and users from their events, follows
// the documents service's events into applications' material slots, and
// owns company membership, which it publishes as role assignments.
package incubatees

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authzsync"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
	"github.com/incuchain/incuchain/services/incubatees/internal/ports"
	"github.com/incuchain/incuchain/services/incubatees/internal/service"
	"github.com/incuchain/incuchain/services/incubatees/migrations"
)

// Config is the incubatees service's own settings.
type Config struct {
	DB     string `cfg:"INCUBATEES_DB" default:"sqlite://data/incubatees.db" help:"incubatees database: postgres://… or sqlite:///path"`
	Schema string `cfg:"INCUBATEES_DB_SCHEMA" default:"incubatees" help:"PostgreSQL schema of the incubatees tables"`
	Addr   string `cfg:"INCUBATEES_ADDR" default:"127.0.0.1:8082" help:"listen address when incubatees runs as its own process"`
}

// Deps are what the service needs from the process it runs in.
type Deps struct {
	Bus    *bus.Bus
	Signer *authn.Signer
	Log    *slog.Logger
}

// Service is a running incubatees service.
type Service struct {
	db       *bun.DB
	bus      *bus.Bus
	startup  *bus.Startup
	app      *app.App
	cq       service.Application
	relay    *bus.Relay
	enforcer *authz.Enforcer
	handler  http.Handler
	log      *slog.Logger
}

// New opens the database, migrates it and builds the service.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	bdb, err := db.Open(ctx, db.Config{DSN: cfg.DB, Schema: cfg.Schema})
	if err != nil {
		return nil, fmt.Errorf("incubatees: %w", err)
	}
	fail := func(err error) (*Service, error) {
		_ = bdb.Close()
		return nil, fmt.Errorf("incubatees: %w", err)
	}
	if err := db.Migrate(ctx, bdb, bus.Migrations, migrations.Set); err != nil {
		return fail(err)
	}
	e, err := authz.New()
	if err != nil {
		return fail(err)
	}
	relay := bus.NewRelay(bdb, d.Bus, d.Log.With("component", "incubatees-relay"))
	startup := bus.NewStartup(d.Bus, "incubatees events", d.Log)
	store := adapters.NewStore(bdb, relay.Notify)
	a := app.New(store, e, d.Log)
	cq := service.NewApplication(store, e, a)
	r := httpx.NewEngine("incubatees", d.Log, httpx.WithTexts(ports.Messages))
	r.Use(authn.Middleware(d.Signer))
	doc := ports.Mount(r, a, cq)
	r.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, doc) })
	httpx.MountOps(r,
		httpx.Check{Name: "database", Fn: func(ctx context.Context) error { return bdb.PingContext(ctx) }},
		httpx.Check{Name: "nats", Fn: startup.Ready})
	return &Service{db: bdb, bus: d.Bus, startup: startup, app: a, cq: cq, relay: relay, enforcer: e, handler: r, log: d.Log}, nil
}

// Handler serves the incubatees HTTP API.
func (s *Service) Handler() http.Handler { return s.handler }

// Routes lists the service's routes as "METHOD /path".
func (s *Service) Routes() []string {
	var out []string
	for _, r := range s.handler.(*gin.Engine).Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Run relays the outbox, consumes parks' and documents' events and keeps
// the enforcer in sync until ctx ends. Its own assignments are in the
// enforcer at once; the rest starts once NATS answers and the streams of
// parks and documents are declared (their owners declare them), retried
// with back-off meanwhile.
func (s *Service) Run(ctx context.Context) error {
	defer s.db.Close()
	sources := authzsync.Own("incubatees", s.app.Snapshot)
	if err := authzsync.Preload(ctx, s.enforcer, sources); err != nil {
		return fmt.Errorf("incubatees: %w", err)
	}
	stop, err := s.startup.Run(ctx, func(ctx context.Context) (func(), error) {
		if err := s.bus.EnsureStream(ctx, "incubatees"); err != nil {
			return nil, err
		}
		return bus.StartAll(ctx,
			func(ctx context.Context) (func(), error) {
				return authzsync.Start(ctx, s.bus, s.enforcer, sources, s.log)
			},
			func(ctx context.Context) (func(), error) { return ports.ConsumeParks(ctx, s.bus, s.db, s.app, s.log) },
			func(ctx context.Context) (func(), error) {
				return ports.ConsumeDocuments(ctx, s.bus, s.db, s.app, s.log)
			})
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("incubatees: %w", err)
	}
	defer stop()
	return s.relay.Run(ctx)
}

// DemoUSCC is the demo startup's 统一社会信用代码 (valid check character).
const DemoUSCC = "91370102MA3C5T2R03"

// SeedDemo registers the demo startup of 历下区 for the demo founder, and
// opens an intake call at 历下创客空间 that asks for two materials, so the
// founder can apply (and upload) right away.
func (s *Service) SeedDemo(ctx context.Context) error {
	founded := time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)
	err := s.app.SeedCompany(ctx, "lixia", "founder@lixia.demo", DemoUSCC, domain.CompanyFields{
		NameZH: "济南明湖智能科技有限公司", NameEN: "Jinan Minghu Intelligent Technology Co., Ltd.", IndustryCode: "I6511",
		TechField: "人工智能 / AI", FoundedOn: &founded, FounderType: "researcher", FounderGender: "female",
		ContactName: "陈总", ContactPhone: "0531-88888888", ContactEmail: "founder@lixia.demo",
	}, 30*time.Second)
	if err != nil {
		return err
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	return s.app.SeedIntakeCall(ctx, "lixia", "maker_space", "maker@lixia.demo", domain.CallFields{
		TitleZH: "历下创客空间 常年入驻招募（演示）", TitleEN: "Lixia Maker Space rolling intake (demo)",
		OpensOn: today, ClosesOn: today.AddDate(0, 6, 0), Capacity: 30,
		Eligibility: "成立不满 24 个月的科技型团队或企业 / tech teams or companies under 24 months old",
		Materials:   []string{"business_licence", "business_plan"},
		Questions: []domain.Question{{Key: "team_size", LabelZH: "团队人数", LabelEN: "Team size", Type: domain.QNumber, Required: true},
			{Key: "project", LabelZH: "项目简介", LabelEN: "Project summary", Type: domain.QText, Required: true}},
	}, 30*time.Second)
}
