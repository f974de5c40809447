// Package parks is the parks service: regions, carriers, users, staff
// roles and invitations, and the source of truth for Casbin role
// assignments. New builds it from its Config and shared dependencies; the
// same code runs alone (incuchain -target=parks) or inside the all-in-one process.
package parks

import (
	"context"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/parks/internal/adapters"
	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/internal/ports"
	"github.com/incuchain/incuchain/services/parks/migrations"
)

// Config is the parks service's own settings.
type Config struct {
	platform.Home `cfg:"PARKS_" name:"parks" addr:"127.0.0.1:8081"`

	// The first platform admin of a fresh installation.
	BootstrapAdminEmail    string `cfg:"BOOTSTRAP_ADMIN_EMAIL" default:"" help:"create this platform admin at start if missing (with BOOTSTRAP_ADMIN_PASSWORD)"`
	BootstrapAdminPassword string `cfg:"BOOTSTRAP_ADMIN_PASSWORD" default:"" help:"password of the bootstrap platform admin (≥10 characters; change it after the first sign-in)"`
}

// Deps are what the parks service takes from the process it runs in: Bus,
// Signer, Log, PublicURL (for invitation links) and InvitationKey.
type Deps = platform.Deps

// Service is a running parks service: the shared skeleton (Handler,
// Routes, Run) around parks' use cases.
type Service struct {
	*platform.Service
	app *app.App
}

// New opens the database, migrates it and builds the service.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "parks", DB: cfg.DBConfig(), Migrations: migrations.Set,
		Deps: d, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	a := app.New(adapters.NewStore(ps.DB, ps.Relay.Notify), ps.Enforcer, d.Log, d.ConsoleURL(), d.InvitationKey)
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, a) })
	// Parks owns staff roles: they are in the enforcer before NATS answers.
	ps.FollowRoles(a.Snapshot)
	s := &Service{Service: ps, app: a}
	if cfg.BootstrapAdminEmail != "" || cfg.BootstrapAdminPassword != "" {
		if err := s.bootstrapAdmin(ctx, cfg.BootstrapAdminEmail, cfg.BootstrapAdminPassword); err != nil {
			return nil, ps.Fail(fmt.Errorf("bootstrap admin: %w", err))
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
	if err := s.Enforcer.Replace(as); err != nil {
		return err
	}
	return s.app.Seed(ctx, nil, []app.SeedUser{{Email: email, DisplayName: "平台管理员", Password: password,
		Roles: []app.SeedRole{{Role: authz.RolePlatformAdmin, Domain: "platform"}}}})
}

// Seed creates the demo region, carriers and accounts if missing.
func (s *Service) Seed(ctx context.Context) error {
	// The enforcer must know existing grants before seeding checks them.
	as, err := s.app.Snapshot(ctx)
	if err != nil {
		return err
	}
	if err := s.Enforcer.Replace(as); err != nil {
		return err
	}
	regions, users := demo()
	return s.app.Seed(ctx, regions, users)
}
