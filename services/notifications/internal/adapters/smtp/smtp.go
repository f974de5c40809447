// Package smtp sends notification e-mail over SMTP with go-mail.
package smtp

import (
	"context"
	"fmt"

	mail "github.com/wneessen/go-mail"

	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// Config is where and how to reach the SMTP server.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "starttls" (required), "tls" (implicit, usually port 465) or
	// "none" (a relay on a trusted network, or tests).
	TLS string
}

// Mailer sends each mail over a new SMTP connection.
type Mailer struct{ cfg Config }

// New checks cfg and returns the mailer.
func New(cfg Config) (*Mailer, error) {
	switch cfg.TLS {
	case "starttls", "tls", "none":
	default:
		return nil, fmt.Errorf("smtp: TLS mode %q: want starttls, tls or none", cfg.TLS)
	}
	m := mail.NewMsg()
	if err := m.From(cfg.From); err != nil {
		return nil, fmt.Errorf("smtp: sender %q: %w", cfg.From, err)
	}
	return &Mailer{cfg: cfg}, nil
}

func (s *Mailer) client() (*mail.Client, error) {
	var opts []mail.Option
	switch s.cfg.TLS {
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	opts = append(opts, mail.WithPort(s.cfg.Port)) // last: the TLS options choose their own default port
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return c, nil
}

// Send delivers m.
func (s *Mailer) Send(ctx context.Context, m domain.Mail) error {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("smtp: sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("smtp: recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	c, err := s.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp: send to %s: %w", m.To, err)
	}
	return nil
}
