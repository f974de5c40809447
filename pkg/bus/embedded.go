package bus

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startEmbedded runs an in-process nats-server with JetStream on disk in
// dir, listening on 127.0.0.1:port (0 = a free port).
func startEmbedded(dir string, port int, log *slog.Logger) (*server.Server, error) {
	if dir == "" {
		return nil, errors.New("start embedded nats: EmbeddedDir is empty")
	}
	switch {
	case port == 0:
		port = server.RANDOM_PORT
	case port < 0:
		return nil, fmt.Errorf("start embedded nats: invalid port %d", port)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("start embedded nats: create store dir: %w", err)
	}
	opts := &server.Options{
		ServerName: "incuchain-embedded",
		Host:       "127.0.0.1",
		Port:       port,
		JetStream:  true,
		StoreDir:   dir,
		NoSigs:     true,
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
		return nil, fmt.Errorf("start embedded nats on 127.0.0.1:%d: not ready after 10s", opts.Port)
	}
	return srv, nil
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
