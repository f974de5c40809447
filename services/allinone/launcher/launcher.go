// Package launcher runs Incuchain's services as modules of one graph, the
// way Mimir and Loki do: -target=all runs every service in this process
// (embedded NATS, SQLite, in-process S3), -target=parks or -target=gateway
// runs one. The services are the same code either way; only the wiring
// differs.
package launcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/pkg/modules"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/documents"
	"github.com/incuchain/incuchain/services/gateway"
	"github.com/incuchain/incuchain/services/incubatees"
	"github.com/incuchain/incuchain/services/milestones"
	"github.com/incuchain/incuchain/services/notifications"
	"github.com/incuchain/incuchain/services/parks"
	"github.com/incuchain/incuchain/services/rollups"
)

// Settings are every setting of the process, each declared once on its
// component's Config.
type Settings struct {
	Platform      platform.Config
	Parks         parks.Config
	Gateway       gateway.Config
	Incubatees    incubatees.Config
	Documents     documents.Config
	Milestones    milestones.Config
	Rollups       rollups.Config
	Notifications notifications.Config
	SeedDemo      bool `cfg:"SEED_DEMO" default:"false" help:"create the demo region, carriers and accounts at start (idempotent; make run sets it)"`
}

// Homes are the services' databases and addresses, by service name (the
// gateway's settings are its own).
func (s *Settings) Homes() map[string]*platform.Home {
	return map[string]*platform.Home{TargetParks: &s.Parks.Home, TargetIncubatees: &s.Incubatees.Home,
		TargetDocuments: &s.Documents.Home, TargetMilestones: &s.Milestones.Home, TargetRollups: &s.Rollups.Home,
		TargetNotifications: &s.Notifications.Home}
}

// Targets a user may run.
const (
	TargetAll           = "all"
	TargetGateway       = "gateway"
	TargetParks         = "parks"
	TargetIncubatees    = "incubatees"
	TargetDocuments     = "documents"
	TargetMilestones    = "milestones"
	TargetRollups       = "rollups"
	TargetNotifications = "notifications"
)

// Launcher holds the module graph and what its modules built.
type Launcher struct {
	s      Settings
	log    *slog.Logger
	out    io.Writer
	target string
	mgr    *modules.Manager

	signer *authn.Signer
	// invitationKey seals invitation links in parks and opens them in
	// notifications (nil when neither runs here).
	invitationKey *linkseal.Key
	// bound is the gateway's address once it listens ("" before).
	bound atomic.Pointer[string]
	// nats is the embedded server when NATS_URL is empty; every service
	// connects to it (or to NATS_URL) on a connection of its own, as its
	// own user, so one service cannot publish another's events.
	nats *bus.EmbeddedServer
	// buses counts the services' open connections; the embedded server
	// shuts down after the last one has drained.
	buses         sync.WaitGroup
	blob          *blob.Store
	parks         *parks.Service
	incubatees    *incubatees.Service
	documents     *documents.Service
	milestones    *milestones.Service
	rollups       *rollups.Service
	notifications *notifications.Service
	gateway       *gateway.Gateway
	// built is each service built here, by name (the core modules add them).
	built   map[string]runner
	builtMu sync.Mutex
	seeded  bool
	// order is the run's modules, dependencies first.
	order      []string
	listenOnce sync.Once
	// Listening is closed once the gateway (or the lone service) listens.
	Listening chan struct{}
}

// New builds the graph for target.
func New(s Settings, target string, log *slog.Logger, out io.Writer) (*Launcher, error) {
	s.Gateway.DB = platform.SQLiteDSN(s.Platform.DataDir, s.Gateway.DB)
	for _, h := range s.Homes() {
		h.DB = platform.SQLiteDSN(s.Platform.DataDir, h.DB)
	}
	l := &Launcher{s: s, log: log, out: out, target: target, mgr: modules.New(log), Listening: make(chan struct{})}
	for _, m := range l.modules() {
		if err := l.mgr.Register(m); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(l.mgr.Targets(), target) {
		return nil, fmt.Errorf("unknown target %q (want one of %s)", target, strings.Join(l.mgr.Targets(), ", "))
	}
	order, err := l.mgr.Order(target)
	if err != nil {
		return nil, err
	}
	l.order = order
	return l, nil
}

// TargetHelp describes each target, from the graph: the -target flag's
// help text.
func TargetHelp() string {
	var b strings.Builder
	b.WriteString("what to run:")
	for _, m := range (&Launcher{}).modules() {
		if m.Public {
			fmt.Fprintf(&b, "\n  %-11s %s", m.Name, m.Help)
		}
	}
	return b.String()
}

// runs reports whether module is part of this process's run.
func (l *Launcher) runs(module string) bool { return slices.Contains(l.order, module) }

// modules is the graph, declared once for every target. A service is two
// modules: "<service>-core" builds it and runs its background work (its
// handler then serves through an in-process gateway), and the public
// "<service>" serves its API on its own address. The gateway starts after
// whichever cores run with it and reaches the others by URL.
func (l *Launcher) modules() []modules.Module {
	waitThen := func(stop func()) modules.Service {
		return modules.RunFunc(func(ctx context.Context) error { <-ctx.Done(); stop(); return nil })
	}
	serve := func(addr string, svc func() http.Handler) func(ctx context.Context) (modules.Service, error) {
		return func(ctx context.Context) (modules.Service, error) {
			return modules.RunFunc(func(ctx context.Context) error {
				return platform.Serve(ctx, addr, svc(), l.log, l.listening)
			}), nil
		}
	}
	cores := []string{"parks-core", "incubatees-core", "documents-core", "milestones-core", "rollups-core", "notifications-core"}
	return []modules.Module{
		{Name: "signer", Init: func(ctx context.Context) (modules.Service, error) {
			// A secret generated here is shared by nobody outside this
			// process: fine only when every signing party runs in it.
			alone := l.runs("gateway")
			for _, c := range cores {
				alone = alone && l.runs(c)
			}
			var err error
			l.signer, err = platform.Signer(l.s.Platform, alone)
			return nil, err
		}},
		// The key is generated (into DATA_DIR) only when the sealer and
		// the opener share this process; apart they must share a set one.
		{Name: "invitation-key", Init: func(ctx context.Context) (modules.Service, error) {
			var err error
			l.invitationKey, err = platform.InvitationKey(l.s.Platform, l.runs("parks-core") && l.runs("notifications-core"))
			return nil, err
		}},
		// Every target serves metrics on its own listener, never the public port.
		{Name: "metrics", Init: func(ctx context.Context) (modules.Service, error) {
			if l.s.Platform.MetricsAddr == "" {
				return nil, nil
			}
			return modules.RunFunc(func(ctx context.Context) error {
				return platform.ServeMetrics(ctx, l.s.Platform.MetricsAddr, l.log)
			}), nil
		}},
		{Name: "bus", Init: func(ctx context.Context) (modules.Service, error) {
			if l.s.Platform.NATSURL != "" {
				return nil, nil // each service connects to NATS_URL itself
			}
			srv, err := platform.StartEmbeddedNATS(l.s.Platform, l.log)
			if err != nil {
				return nil, err
			}
			l.nats = srv
			return modules.RunFunc(func(ctx context.Context) error {
				<-ctx.Done()
				l.buses.Wait()
				srv.Shutdown()
				return nil
			}), nil
		}},
		{Name: "blob", Init: func(ctx context.Context) (modules.Service, error) {
			store, stop, err := platform.OpenBlob(ctx, l.s.Platform)
			if err != nil {
				return nil, err
			}
			l.blob = store
			return waitThen(stop), nil
		}},
		{Name: "parks-core", Deps: []string{"bus", "signer", "invitation-key", "metrics"}, Init: core(l, TargetParks, &l.parks, parks.New, l.s.Parks, l.links)},
		{Name: "incubatees-core", Deps: []string{"bus", "signer", "metrics"}, Init: core(l, TargetIncubatees, &l.incubatees, incubatees.New, l.s.Incubatees)},
		{Name: "documents-core", Deps: []string{"bus", "signer", "blob", "metrics"}, Init: core(l, TargetDocuments, &l.documents, documents.New, l.s.Documents,
			func(d *platform.Deps) { d.Blob = l.blob })},
		{Name: "milestones-core", Deps: []string{"bus", "signer", "metrics"}, Init: core(l, TargetMilestones, &l.milestones, milestones.New, l.s.Milestones)},
		{Name: "rollups-core", Deps: []string{"bus", "signer", "metrics"}, Init: core(l, TargetRollups, &l.rollups,
			func(ctx context.Context, cfg rollups.Config, d platform.Deps) (*rollups.Service, error) {
				return rollups.New(ctx, cfg, rollups.Deps{Bus: d.Bus, Signer: d.Signer, Log: d.Log})
			}, l.s.Rollups)},
		{Name: "notifications-core", Deps: []string{"bus", "signer", "invitation-key", "metrics"}, Init: core(l, TargetNotifications, &l.notifications, notifications.New, l.s.Notifications, l.links)},
		{Name: "seed", Deps: []string{"parks-core"}, Init: func(ctx context.Context) (modules.Service, error) {
			if !l.s.SeedDemo {
				return nil, nil
			}
			if err := l.parks.Seed(ctx); err != nil {
				return nil, fmt.Errorf("seed demo data: %w", err)
			}
			l.seeded = true
			return nil, nil
		}},
		{Name: "seed-company", Deps: []string{"seed", "incubatees-core"}, Init: func(ctx context.Context) (modules.Service, error) {
			if !l.s.SeedDemo {
				return nil, nil
			}
			// The demo startup needs parks' events to have reached
			// incubatees, which happens once both run.
			return modules.RunFunc(func(ctx context.Context) error {
				if err := l.incubatees.SeedDemo(ctx); err != nil && ctx.Err() == nil {
					l.log.Error("seed demo company", "err", err)
				}
				<-ctx.Done()
				return nil
			}), nil
		}},
		{Name: TargetParks, Public: true, Help: "the parks service alone, on INCUCHAIN_PARKS_ADDR (SEED_DEMO seeds its demo region)",
			Deps: []string{"parks-core", "seed", "metrics"}, Init: serve(l.s.Parks.Addr, func() http.Handler { return l.parks.Handler() })},
		{Name: TargetIncubatees, Public: true, Help: "the incubatees service alone, on INCUCHAIN_INCUBATEES_ADDR",
			Deps: []string{"incubatees-core", "metrics"}, Init: serve(l.s.Incubatees.Addr, func() http.Handler { return l.incubatees.Handler() })},
		{Name: TargetDocuments, Public: true, Help: "the documents service alone, on INCUCHAIN_DOCUMENTS_ADDR",
			Deps: []string{"documents-core", "metrics"}, Init: serve(l.s.Documents.Addr, func() http.Handler { return l.documents.Handler() })},
		{Name: TargetMilestones, Public: true, Help: "the milestones service alone, on INCUCHAIN_MILESTONES_ADDR",
			Deps: []string{"milestones-core", "metrics"}, Init: serve(l.s.Milestones.Addr, func() http.Handler { return l.milestones.Handler() })},
		{Name: TargetRollups, Public: true, Help: "the rollups service alone, on INCUCHAIN_ROLLUPS_ADDR",
			Deps: []string{"rollups-core", "metrics"}, Init: serve(l.s.Rollups.Addr, func() http.Handler { return l.rollups.Handler() })},
		{Name: TargetNotifications, Public: true, Help: "the notifications service alone, on INCUCHAIN_NOTIFICATIONS_ADDR",
			Deps: []string{"notifications-core", "metrics"}, Init: serve(l.s.Notifications.Addr, func() http.Handler { return l.notifications.Handler() })},
		{Name: TargetGateway, Public: true, Help: "the gateway: console and /api/v1 on INCUCHAIN_GATEWAY_ADDR; services not in this process by INCUCHAIN_GATEWAY_*_URL",
			Deps: []string{"signer", "metrics"},
			// Sign-in opens only once the demo accounts exist.
			After: append([]string{"seed"}, cores...),
			Init:  l.initGateway},
		{Name: TargetAll, Public: true, Help: "every service and the gateway in this process, on embedded NATS, SQLite and S3 by default",
			Deps: append([]string{TargetGateway, "seed-company", "metrics"}, cores...)},
	}
}

// initGateway builds the gateway over the services that run in this
// process; the others it reaches by URL. Its /readyz also reports every
// module of the run.
func (l *Launcher) initGateway(ctx context.Context) (modules.Service, error) {
	services := map[string]http.Handler{}
	for name, svc := range l.services() {
		services[name] = svc.Handler()
	}
	if services["parks"] == nil && l.s.Gateway.ParksURL == "" {
		return nil, errors.New("INCUCHAIN_GATEWAY_PARKS_URL is required when the gateway runs apart")
	}
	var checks []httpx.Check
	for _, name := range l.order {
		checks = append(checks, httpx.Check{Name: "module " + name, Fn: func(context.Context) error { return l.mgr.Ready(name) }})
	}
	g, err := gateway.New(ctx, l.s.Gateway, gateway.Deps{Signer: l.signer, Log: l.log.With("service", "gateway"), Services: services, Routes: l.ServiceRoutes(), PublicURL: l.s.Platform.PublicURL, Checks: checks})
	if err != nil {
		return nil, err
	}
	l.gateway = g
	return modules.RunFunc(func(ctx context.Context) error {
		defer g.Close()
		ln, err := net.Listen("tcp", l.s.Gateway.Addr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", l.s.Gateway.Addr, err)
		}
		bound := ln.Addr().String()
		l.bound.Store(&bound)
		return platform.ServeListener(ctx, ln, g.Handler(), l.log, l.banner, l.listening)
	}), nil
}

// PublicURL is the console's address in links and the banner:
// INCUCHAIN_PUBLIC_URL when set; otherwise the address the gateway really
// listens on (port 0 or a default taken over resolved), and, where no
// gateway runs in this process, the one it is configured to listen on.
func (l *Launcher) PublicURL() string {
	if l.s.Platform.PublicURL != "" {
		return strings.TrimRight(l.s.Platform.PublicURL, "/")
	}
	addr := l.s.Gateway.Addr
	if b := l.bound.Load(); b != nil {
		addr = *b
	}
	return "http://" + browsable(addr)
}

// browsable is addr as a browser can reach it: a wildcard host (":8080",
// "0.0.0.0", "[::]") is this machine's loopback.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// listening closes Listening once: the target's listener is up.
func (l *Launcher) listening() { l.listenOnce.Do(func() { close(l.Listening) }) }

// connect opens service's own bus connection: in-process to the embedded
// server as the service's user, or to NATS_URL with the configured
// credentials. release or runThenClose closes it.
func (l *Launcher) connect(ctx context.Context, service string) (*bus.Bus, error) {
	var b *bus.Bus
	var err error
	if l.nats != nil {
		b, err = platform.ConnectEmbedded(ctx, l.nats, service, l.log.With("service", service))
	} else {
		b, err = platform.ConnectBus(ctx, l.s.Platform, service, l.log.With("service", service))
	}
	if err != nil {
		return nil, err
	}
	l.buses.Add(1)
	return b, nil
}

func (l *Launcher) release(b *bus.Bus) {
	b.Close()
	l.buses.Done()
}

// runner is a service a core module builds: it runs until its context
// ends and serves its API.
type runner interface {
	Run(ctx context.Context) error
	Handler() http.Handler
	Routes() []string
}

// core is the Init of a service's core module: it connects to the bus as
// service, builds the service from cfg and the process's dependencies
// (its bus, the signer, a logger naming it, and what each of with adds),
// keeps it in into and runs it, closing the connection once it stops or
// fails to build.
func core[C any, S runner](l *Launcher, service string, into *S, build func(context.Context, C, platform.Deps) (S, error), cfg C,
	with ...func(*platform.Deps)) func(ctx context.Context) (modules.Service, error) {
	return func(ctx context.Context) (modules.Service, error) {
		b, err := l.connect(ctx, service)
		if err != nil {
			return nil, err
		}
		d := platform.Deps{Bus: b, Signer: l.signer, Log: l.log.With("service", service)}
		for _, w := range with {
			w(&d)
		}
		svc, err := build(ctx, cfg, d)
		if err != nil {
			l.release(b)
			return nil, err
		}
		*into = svc
		l.builtMu.Lock()
		defer l.builtMu.Unlock()
		if l.built == nil {
			l.built = map[string]runner{}
		}
		l.built[service] = svc
		return l.runThenClose(b, svc.Run), nil
	}
}

// links gives a service the console's URL and the invitation key, for
// the invitation links parks seals and notifications mails.
func (l *Launcher) links(d *platform.Deps) {
	d.PublicURL, d.InvitationKey = l.PublicURL, l.invitationKey
}

// services are the services built in this process, by name.
func (l *Launcher) services() map[string]runner {
	l.builtMu.Lock()
	defer l.builtMu.Unlock()
	return maps.Clone(l.built)
}

// runThenClose runs run and then closes its service's bus connection.
func (l *Launcher) runThenClose(b *bus.Bus, run func(ctx context.Context) error) modules.Service {
	return modules.RunFunc(func(ctx context.Context) error {
		defer l.release(b)
		return run(ctx)
	})
}

// GatewayRoutes lists the running gateway's own routes (for tests).
func (l *Launcher) GatewayRoutes() []string {
	if l.gateway == nil {
		return nil
	}
	return l.gateway.Routes()
}

// ServiceRoutes lists the routes of each service this process runs, as
// "METHOD /path": the gateway's routing table, and what tests that must
// cover every route walk.
func (l *Launcher) ServiceRoutes() map[string][]string {
	out := map[string][]string{}
	for name, svc := range l.services() {
		out[name] = svc.Routes()
	}
	return out
}

// RouteOwner names the service the gateway forwards method and path to.
func (l *Launcher) RouteOwner(ctx context.Context, method, path string) (string, bool) {
	if l.gateway == nil {
		return "", false
	}
	return l.gateway.Owner(ctx, method, path)
}

// Run starts the target's modules and blocks until ctx ends or one fails.
func (l *Launcher) Run(ctx context.Context) error {
	return l.mgr.Run(ctx, l.target)
}

func (l *Launcher) banner() {
	url := l.PublicURL()
	var b strings.Builder
	fmt.Fprintf(&b, "\n  孵化链 Incuchain is running (target %s)\n", l.target)
	fmt.Fprintf(&b, "  控制台 Console:  %s\n", url)
	fmt.Fprintf(&b, "  API 文档 OpenAPI: %s/api/v1/openapi.json\n", url)
	if l.seeded {
		fmt.Fprintf(&b, "\n  演示账号 Demo logins (密码 password: %s)\n", parks.DemoPassword)
		for _, a := range parks.DemoAccounts {
			fmt.Fprintf(&b, "    %-24s %s / %s\n", a.Email, a.RoleZH, a.RoleEN)
		}
	}
	fmt.Fprintf(&b, "\n  数据目录 Data: %s   按 Ctrl+C 停止 / press Ctrl+C to stop\n\n", l.s.Platform.DataDir)
	fmt.Fprint(l.out, b.String())
}
