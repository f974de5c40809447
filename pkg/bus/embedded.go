package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedConfig describes the in-process nats-server of the all-in-one
// mode (and of a service run alone without a NATS URL).
type EmbeddedConfig struct {
	// Dir holds JetStream's store and the generated credentials.
	Dir string
	// Listen opens a TCP listener on 127.0.0.1:Port (0 = a free port).
	// Without it the server has no listener at all and services connect
	// in-process, so no other process on the machine can reach the bus.
	Listen bool
	Port   int
	// Namespace is the subject and stream prefix the permissions are
	// written for (Config.Namespace).
	Namespace string
	// Services get a user each, with ServicePermissions; empty means
	// Services (the package variable).
	Services []string
}

// CredentialsFile is the name, under EmbeddedConfig.Dir, of the file
// holding the embedded server's generated per-service passwords (mode
// 0600). Tools connecting to a listening embedded server read it.
const CredentialsFile = "nats-credentials.json"

// internalUser is the unrestricted user of in-process connections that
// act for no single service (tests, tools). The server refuses it on TCP,
// and its password lives only in memory.
const internalUser = "incuchain-internal"

// connectionTypeInProcess is jwt.ConnectionTypeInProcess, the connection
// type of nats.InProcessServer clients.
const connectionTypeInProcess = "IN_PROCESS"

// EmbeddedServer is a running in-process nats-server with one user per
// service.
type EmbeddedServer struct {
	srv       *server.Server
	namespace string
	passwords map[string]string // service -> password
	internal  string            // internalUser's password
	log       *slog.Logger
}

// StartEmbedded starts an in-process nats-server with JetStream on disk in
// cfg.Dir. Every user needs a password: the services' are generated at
// first start and kept in cfg.Dir/CredentialsFile.
func StartEmbedded(cfg EmbeddedConfig, log *slog.Logger) (*EmbeddedServer, error) {
	if log == nil {
		log = slog.Default()
	}
	if cfg.Dir == "" {
		return nil, errors.New("start embedded nats: EmbeddedDir is empty")
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("start embedded nats: invalid port %d", cfg.Port)
	}
	services := cfg.Services
	if len(services) == 0 {
		services = Services
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("start embedded nats: create store dir: %w", err)
	}
	passwords, err := loadOrCreateCredentials(filepath.Join(cfg.Dir, CredentialsFile), services, log)
	if err != nil {
		return nil, fmt.Errorf("start embedded nats: %w", err)
	}
	internal, err := randomSecret()
	if err != nil {
		return nil, fmt.Errorf("start embedded nats: %w", err)
	}
	users := []*server.User{{
		Username:               internalUser,
		Password:               internal,
		AllowedConnectionTypes: map[string]struct{}{connectionTypeInProcess: {}},
	}}
	for _, svc := range services {
		p := ServicePermissions(cfg.Namespace, svc)
		users = append(users, &server.User{
			Username: svc,
			Password: passwords[svc],
			Permissions: &server.Permissions{
				Publish:   &server.SubjectPermission{Allow: p.Publish},
				Subscribe: &server.SubjectPermission{Allow: p.Subscribe},
			},
		})
	}
	opts := &server.Options{
		ServerName: "incuchain-embedded",
		Host:       "127.0.0.1",
		Port:       cfg.Port,
		DontListen: !cfg.Listen,
		JetStream:  true,
		StoreDir:   cfg.Dir,
		NoSigs:     true,
		Users:      users,
		// No HTTP monitoring, no cluster, no leaf nodes: nothing else
		// listens either.
	}
	if cfg.Listen && cfg.Port == 0 {
		opts.Port = server.RANDOM_PORT
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("start embedded nats: %w", err)
	}
	srv.SetLoggerV2(serverLogger{log: log.With("component", "nats-server")}, false, false, false)
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, fmt.Errorf("start embedded nats (listen %v, port %d): not ready after 10s", cfg.Listen, cfg.Port)
	}
	if cfg.Listen {
		log.Info("embedded nats-server listening; clients need the generated credentials",
			"url", srv.ClientURL(), "credentials", filepath.Join(cfg.Dir, CredentialsFile))
	}
	return &EmbeddedServer{srv: srv, namespace: cfg.Namespace, passwords: passwords, internal: internal, log: log}, nil
}

// ListenAddr is the TCP address the server listens on, nil without a
// listener.
func (s *EmbeddedServer) ListenAddr() net.Addr {
	if s.srv.Addr() == nil {
		return nil
	}
	return s.srv.Addr()
}

// ClientURL is the URL of the TCP listener, "" without one.
func (s *EmbeddedServer) ClientURL() string {
	if s.ListenAddr() == nil {
		return ""
	}
	return s.srv.ClientURL()
}

// Password is the generated password of service's user.
func (s *EmbeddedServer) Password(service string) (string, bool) {
	p, ok := s.passwords[service]
	return p, ok
}

// Connect opens an in-process connection as service's user, with that
// service's permissions; an empty service connects as the unrestricted
// internal user (tests and tools inside this process).
func (s *EmbeddedServer) Connect(ctx context.Context, service, name string, log *slog.Logger) (*Bus, error) {
	user, password := internalUser, s.internal
	if service != "" {
		p, ok := s.passwords[service]
		if !ok {
			return nil, fmt.Errorf("connect embedded nats: no user for service %q", service)
		}
		user, password = service, p
	}
	return dial(ctx, Config{Namespace: s.namespace, Name: name, Service: service, User: user, Password: password}, s.srv, log)
}

// Shutdown stops the server and waits until it has stopped.
func (s *EmbeddedServer) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}

// loadOrCreateCredentials reads the per-service passwords from path,
// adding a generated one for every service missing, and keeps the file
// readable by its owner only.
func loadOrCreateCredentials(path string, services []string, log *slog.Logger) (map[string]string, error) {
	passwords := map[string]string{}
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read credentials: %w", err)
	default:
		if err := json.Unmarshal(raw, &passwords); err != nil {
			return nil, fmt.Errorf("read credentials %s: %w", path, err)
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			log.Warn("nats credentials file was readable by others; restricting it to its owner", "path", path, "mode", fi.Mode().Perm().String())
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, fmt.Errorf("restrict credentials file: %w", err)
			}
		}
	}
	changed := false
	for _, svc := range services {
		if passwords[svc] != "" {
			continue
		}
		p, err := randomSecret()
		if err != nil {
			return nil, err
		}
		passwords[svc], changed = p, true
	}
	if !changed {
		return passwords, nil
	}
	keys := make([]string, 0, len(passwords))
	for k := range passwords {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out, err := json.MarshalIndent(passwords, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode credentials: %w", err)
	}
	// Write beside and rename, so a crash never leaves half a file.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(out, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("write credentials: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write credentials: %w", err)
	}
	log.Info("generated nats credentials", "path", path, "users", keys)
	return passwords, nil
}

func randomSecret() (string, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	return hex.EncodeToString(raw), nil
}

// serverLogger sends the embedded server's log to slog; its notices are
// start-up chatter, so they go to debug.
type serverLogger struct{ log *slog.Logger }

func (l serverLogger) Noticef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l serverLogger) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l serverLogger) Fatalf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l serverLogger) Errorf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l serverLogger) Debugf(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l serverLogger) Tracef(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }
