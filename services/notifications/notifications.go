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
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/platform"
	"github.com/incuchain/incuchain/services/notifications/internal/adapters"
	"github.com/incuchain/incuchain/services/notifications/internal/adapters/smtp"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/app/command"
	"github.com/incuchain/incuchain/services/notifications/internal/app/query"
	"github.com/incuchain/incuchain/services/notifications/internal/ports"
	"github.com/incuchain/incuchain/services/notifications/migrations"
)

// Config is the notifications service's own settings.
type Config struct {
	platform.Home `cfg:"NOTIFICATIONS_" name:"notifications" addr:"127.0.0.1:8086"`

	// E-mail of notifications. Without a host nothing is sent: the mail is
	// kept in the dev mailbox, which platform admins read in the console.
	SMTPHost     string        `cfg:"SMTP_HOST" default:"" help:"SMTP server for notification e-mail; empty: no mail is sent, it is kept in the dev mailbox (platform admins, console)"`
	SMTPPort     int           `cfg:"SMTP_PORT" default:"587" help:"SMTP server port"`
	SMTPUsername string        `cfg:"SMTP_USERNAME" default:"" help:"SMTP user (empty: no authentication)"`
	SMTPPassword string        `cfg:"SMTP_PASSWORD" default:"" help:"SMTP password"`
	SMTPFrom     string        `cfg:"SMTP_FROM" default:"孵化链 Incuchain <noreply@incuchain.invalid>" help:"sender of notification e-mail"`
	SMTPTLS      string        `cfg:"SMTP_TLS" default:"starttls" help:"starttls (required), tls (implicit, port 465) or none (a trusted relay)"`
	MailInterval time.Duration `cfg:"NOTIFICATIONS_MAIL_INTERVAL" default:"10s" help:"how often queued notification e-mail is sent when SMTP_HOST is set"`
}

// Deps are what the service takes from the process it runs in: Bus,
// Signer, Log, Now (tests fix the clock), PublicURL (for the links in
// e-mail) and InvitationKey (which opens the invitation links parks
// seals; nil: invitations are not mailed, and that is logged).
type Deps = platform.Deps

// Service is a running notifications service: the shared skeleton
// (Handler, Routes, Run) around the inboxes.
type Service struct {
	*platform.Service
	store   *adapters.Store
	deliver command.DeliverHandler
	send    func(ctx context.Context) (int, error)
}

// New opens the database, migrates it and builds the service. Run
// consumes parks', incubatees', documents' and milestones' events.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	ps, err := platform.NewService(ctx, platform.ServiceSpec{Name: "notifications", DB: cfg.DBConfig(), Migrations: migrations.Set,
		Deps: d, Texts: ports.Messages})
	if err != nil {
		return nil, err
	}
	now := app.Clock(d.Clock())
	store := adapters.NewStore(ps.DB, ps.Relay.Notify)
	inbox, markRead, deliver := query.NewInbox(store), command.NewMarkReadHandler(store, now), command.NewDeliverHandler(now, d.ConsoleURL(), d.InvitationKey, d.Log)
	mailbox := query.NewDevMailbox(store, ps.Enforcer, cfg.SMTPHost == "")
	ps.Mount(func(r gin.IRouter) *httpx.OpenAPI { return ports.Mount(r, inbox, markRead, mailbox) })
	ps.ConsumeEvents(ports.Consumers(store.In, deliver))
	s := &Service{Service: ps, store: store, deliver: deliver}
	if cfg.SMTPHost != "" {
		m, err := smtp.New(smtp.Config{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
			From: cfg.SMTPFrom, TLS: cfg.SMTPTLS})
		if err != nil {
			return nil, ps.Fail(err)
		}
		send := command.NewSendMailHandler(store, m, now)
		interval := cfg.MailInterval
		if interval <= 0 {
			interval = 10 * time.Second
		}
		// Queued e-mail goes now and then every interval.
		s.send = ps.Schedule(platform.Job{Lock: "notifications-mail", Every: interval, AtStart: true,
			Done: "notification e-mail sent", Failed: "notification e-mail",
			Do: func(ctx context.Context) (int, error) { return send.Handle(ctx, 100) }})
	}
	return s, nil
}

// SendMail sends the queued e-mail (up to 100) and answers how many went
// out. One replica at a time (an advisory lock on PostgreSQL), so a mail
// goes out once.
func (s *Service) SendMail(ctx context.Context) (int, error) {
	return s.send(ctx)
}
