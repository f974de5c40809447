// Package notifications is the notifications service: each user's inbox,
// built from the events of parks, incubatees, documents and milestones —
// a material returned or verified, an application decided, a promotion
// waiting for consent or acceptance, a report returned, a milestone due
// soon or overdue, a role granted — with texts in zh-CN and en that name
// things, not ids. It learns carriers, companies, users and who holds
// which role where only from events, and publishes
// notifications.notification.sent for every notification it adds.
package notifications

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/notifications/internal/adapters"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/app/command"
	"github.com/incuchain/incuchain/services/notifications/internal/app/query"
	"github.com/incuchain/incuchain/services/notifications/internal/ports"
	"github.com/incuchain/incuchain/services/notifications/migrations"
)

// Config is the notifications service's own settings.
type Config struct {
	DB     string `cfg:"NOTIFICATIONS_DB" default:"sqlite://data/notifications.db" help:"notifications database: postgres://… or sqlite:///path"`
	Schema string `cfg:"NOTIFICATIONS_DB_SCHEMA" default:"notifications" help:"PostgreSQL schema of the notifications tables"`
	Addr   string `cfg:"NOTIFICATIONS_ADDR" default:"127.0.0.1:8086" help:"listen address when notifications runs as its own process"`
}

// Deps are what the service needs from the process it runs in.
type Deps struct {
	Bus    *bus.Bus
	Signer *authn.Signer
	Log    *slog.Logger
	// Now is the clock (nil: the real one); tests fix it.
	Now func() time.Time
}

// Service is a running notifications service: the shared skeleton
// (Handler, Routes, Run) around the inboxes.
type Service struct {
	*platform.Service
	store   *adapters.Store
	deliver command.DeliverHandler
}

// New opens the database, migrates it and builds the service. Run
// consumes parks', incubatees', documents' and milestones' events.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "notifications", DB: db.Config{DSN: cfg.DB, Schema: cfg.Schema},
		Migrations: []db.Migrations{migrations.Set}, Bus: d.Bus, Signer: d.Signer, Log: d.Log, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	now := app.Clock(app.UTCNow)
	if d.Now != nil {
		now = d.Now
	}
	store := adapters.NewStore(ps.DB, ps.Relay.Notify)
	inbox, markRead, deliver := query.NewInbox(store), command.NewMarkReadHandler(store, now), command.NewDeliverHandler(now)
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, inbox, markRead) })
	ps.Consume(func(ctx context.Context) (func(), error) { return ports.Consume(ctx, ps.Bus, ps.DB, deliver, d.Log) })
	return &Service{Service: ps, store: store, deliver: deliver}, nil
}
