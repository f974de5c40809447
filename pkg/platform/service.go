package platform

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
	keepmigrations "github.com/incuchain/incuchain/pkg/authz/authzsync/migrations"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/linkseal"
)

// ServiceSpec is what a service is made of apart from its own code: its
// name (of its stream, its engine and its logs), its database and
// migrations, and what the process gives it.
type ServiceSpec struct {
	Name       string
	DB         db.Config
	Migrations db.Migrations // the service's own; the outbox's come first
	Deps                     // of which the skeleton takes Bus, Signer and Log
	// Texts is the service's own catalogue of error texts (its ports'
	// Messages); the shared texts of httpx stand behind it.
	Texts *httpx.Catalog
}

// Deps are what the process gives its services (the all-in-one launcher,
// tests); each service reads those it needs, and its Deps is this type.
type Deps struct {
	Bus    *bus.Bus
	Signer *authn.Signer
	Log    *slog.Logger
	// Blob is the object store of documents' materials.
	Blob *blob.Store
	// Now is the clock (nil: the real one, in UTC); tests move it.
	Now func() time.Time
	// PublicURL answers the console's base URL, for the links in
	// invitations and e-mail (asked per link: the all-in-one learns it when
	// the gateway listens); nil answers "".
	PublicURL func() string
	// InvitationKey seals each invitation's link (parks) for the
	// notifications service, which opens and mails it (nil: invitations are
	// not mailed).
	InvitationKey *linkseal.Key
}

// Clock is Now, or the real clock in UTC.
func (d Deps) Clock() func() time.Time {
	if d.Now != nil {
		return d.Now
	}
	return func() time.Time { return time.Now().UTC() }
}

// ConsoleURL is PublicURL, or one that answers "".
func (d Deps) ConsoleURL() func() string {
	if d.PublicURL != nil {
		return d.PublicURL
	}
	return func() string { return "" }
}

// Service is the skeleton every Incuchain service shares: its database
// (opened and migrated), the authorization enforcer kept in sync with the
// role events, the outbox relay, its stream, the consumers of other
// services' events, and an HTTP engine with identity, ops routes
// (/healthz, /readyz, /openapi.json) and the service's API. A service
// builds its use cases on DB, Relay and Enforcer, then declares the rest:
//
//	s, err := platform.NewService(ctx, platform.ServiceSpec{Name: "parks", …})
//	a := app.New(adapters.NewStore(s.DB, s.Relay.Notify), s.Enforcer, s.Log)
//	s.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, a) })
//	s.FollowRoles(a.Snapshot)
//	s.ConsumeEvents(ports.Consumers(a))
//
// and embeds it, so Handler, Routes and Run are the service's.
type Service struct {
	Name     string
	DB       *bun.DB
	Bus      *bus.Bus
	Relay    *bus.Relay
	Enforcer *authz.Enforcer
	// Keep holds the role assignments the service follows from other
	// services' streams and how far it has followed each, in its database.
	Keep *authzsync.Keep
	Log  *slog.Logger

	signer    *authn.Signer
	texts     *httpx.Catalog
	startup   *bus.Startup
	handler   http.Handler
	engine    *gin.Engine
	own       func(ctx context.Context) ([]authz.Assignment, error)
	consumers []func(ctx context.Context) (func(), error)
	jobs      []func(ctx context.Context)
}

// NewService opens and migrates the service's database and builds its
// enforcer, relay and bus start-up. Errors name the service.
func NewService(ctx context.Context, spec ServiceSpec) (*Service, error) {
	bdb, err := db.Open(ctx, spec.DB)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}
	s := &Service{Name: spec.Name, DB: bdb, Bus: spec.Bus, Log: spec.Log, signer: spec.Signer, texts: spec.Texts}
	if err := db.Migrate(ctx, bdb, bus.Migrations, keepmigrations.Set, spec.Migrations); err != nil {
		return nil, s.Fail(err)
	}
	if s.Enforcer, err = authz.New(); err != nil {
		return nil, s.Fail(err)
	}
	s.Keep = authzsync.NewKeep(bdb)
	s.Relay = bus.NewRelay(bdb, spec.Bus, spec.Log.With("component", spec.Name+"-relay"))
	s.startup = bus.NewStartup(spec.Bus, spec.Name+" events", spec.Log)
	return s, nil
}

// Fail closes the database of a service whose construction failed and
// returns err, naming the service.
func (s *Service) Fail(err error) error {
	_ = s.DB.Close()
	return fmt.Errorf("%s: %w", s.Name, err)
}

// Mount builds the HTTP engine: identity from the gateway's signed header,
// the routes mount registers (it returns their OpenAPI document, served at
// /openapi.json), and /healthz and /readyz, which checks the database, the
// bus start-up and checks.
func (s *Service) Mount(mount func(r gin.IRouter) *httpx.OpenAPI, checks ...httpx.Check) {
	var opts []httpx.EngineOption
	if s.texts != nil {
		opts = append(opts, httpx.WithTexts(s.texts))
	}
	r := httpx.NewEngine(s.Name, s.Log, opts...)
	r.Use(authn.Middleware(s.signer))
	doc := mount(r)
	r.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, doc) })
	httpx.MountOps(r, append([]httpx.Check{
		{Name: "database", Fn: func(ctx context.Context) error { return s.DB.PingContext(ctx) }},
		{Name: "nats", Fn: s.startup.Ready},
	}, checks...)...)
	s.engine, s.handler = r, r
}

// FollowRoles makes the service publish role assignments of its own:
// snapshot loads them, into the enforcer at once when Run starts, before
// NATS answers. Without it the enforcer follows the publishers' events.
func (s *Service) FollowRoles(snapshot func(ctx context.Context) ([]authz.Assignment, error)) {
	s.own = snapshot
}

// Consume adds consumers of other services' events, started in order
// once the service's stream is declared (and stopped again if one fails).
func (s *Service) Consume(starts ...func(ctx context.Context) (stop func(), err error)) {
	s.consumers = append(s.consumers, starts...)
}

// ConsumeEvents adds one durable consumer per spec (see Consume), each
// applying h in its transaction; specs usually come from the service's
// ports with h.
func (s *Service) ConsumeEvents(h bus.Handler, specs []bus.ConsumerSpec) {
	for _, spec := range specs {
		s.Consume(func(ctx context.Context) (func(), error) { return s.Bus.Consume(ctx, s.DB, spec, h, s.Log) })
	}
}

// AfterStart adds background jobs that Run starts once the bus start-up
// has succeeded; they end with Run's context.
func (s *Service) AfterStart(jobs ...func(ctx context.Context)) {
	s.jobs = append(s.jobs, jobs...)
}

// every adds a background job (AfterStart) that runs job every interval
// until Run's context ends, the first time at once when atStart; an error
// it answers while the context lasts is logged as what's.
func (s *Service) every(interval time.Duration, atStart bool, what string, job func(ctx context.Context) error) {
	s.AfterStart(func(ctx context.Context) {
		t := time.NewTicker(interval)
		defer t.Stop()
		for run := atStart; ; run = true {
			if run {
				if err := job(ctx); err != nil && ctx.Err() == nil {
					s.Log.Error(what, "err", err)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}

// Job is work that one replica at a time does, now and then: a scan, a
// sender, a clean-up.
type Job struct {
	// Lock is the advisory lock (exclusive) the replica doing it holds.
	Lock string
	// Every is the period of its runs once Run has started (0: none, it
	// runs only when asked); the first is at once when AtStart.
	Every   time.Duration
	AtStart bool
	// Done is logged with a count above 0, Failed with a run's error.
	Done, Failed string
	// Do is one run; it answers how many things it did.
	Do func(ctx context.Context) (int, error)
}

// Schedule declares job (every, exclusive) and answers one run of it, now,
// for a caller that does not wait for the period (tests); that run
// answers 0 at once when another replica holds the lock.
func (s *Service) Schedule(job Job) func(ctx context.Context) (int, error) {
	run := func(ctx context.Context) (int, error) { return s.exclusive(ctx, job.Lock, job.Done, job.Do) }
	if job.Every > 0 {
		s.every(job.Every, job.AtStart, job.Failed, func(ctx context.Context) error {
			_, err := run(ctx)
			return err
		})
	}
	return run
}

// exclusive runs fn while it holds the advisory lock name (PostgreSQL;
// db.TryLock), so that one replica at a time does it, and answers fn's
// count: 0 at once when another replica holds the lock. A count above 0
// is logged with the message done.
func (s *Service) exclusive(ctx context.Context, name, done string, fn func(ctx context.Context) (int, error)) (int, error) {
	release, ok, err := db.TryLock(ctx, s.DB, name)
	if err != nil || !ok {
		return 0, err
	}
	defer release()
	n, err := fn(ctx)
	if n > 0 {
		s.Log.Info(done, "count", n)
	}
	return n, err
}

// Handler serves the service's HTTP API.
func (s *Service) Handler() http.Handler { return s.handler }

// Routes lists the service's routes as "METHOD /path".
func (s *Service) Routes() []string {
	var out []string
	for _, r := range s.engine.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Run relays the outbox, keeps the enforcer in sync and runs the consumers
// and jobs until ctx ends, then closes the database. The service's own
// assignments are in the enforcer at once; the stream, the role follower
// and the consumers start once NATS answers (until then /readyz says why
// not, and writes wait in the outbox), retried with back-off.
func (s *Service) Run(ctx context.Context) error {
	defer s.DB.Close()
	sources := authzsync.DefaultSources()
	if s.own != nil {
		sources = authzsync.Own(s.Name, s.own)
	}
	// What the service owns comes from its tables, what it follows from
	// what it kept of it (migration 0065): both serve at once, before NATS.
	if _, err := authzsync.PreloadKept(ctx, s.Enforcer, sources, s.Keep); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	stop, err := s.startup.Run(ctx, func(ctx context.Context) (func(), error) {
		if err := s.Bus.EnsureStream(ctx, s.Name); err != nil {
			return nil, err
		}
		follow := func(ctx context.Context) (func(), error) {
			return authzsync.StartKept(ctx, s.Bus, s.Enforcer, sources, s.Keep, s.Log)
		}
		return bus.StartAll(ctx, append([]func(context.Context) (func(), error){follow}, s.consumers...)...)
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	defer stop()
	for _, job := range s.jobs {
		go job(ctx)
	}
	return s.Relay.Run(ctx)
}
