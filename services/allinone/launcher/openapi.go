package launcher

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"
)

// OpenAPI is the merged document the running gateway serves at
// /api/v1/openapi.json, read in-process.
func (l *Launcher) OpenAPI() ([]byte, error) {
	if l.gateway == nil {
		return nil, fmt.Errorf("openapi: the gateway does not run in this process (target %s)", l.target)
	}
	rec := httptest.NewRecorder()
	l.gateway.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("openapi: the gateway answered %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes(), nil
}

// PrintOpenAPI writes the gateway's merged OpenAPI document, indented, to
// w without a server to ask: it runs every service in this process on a
// throw-away data directory and loopback ports, reads the document and
// stops. The console's client is generated from this output (make
// api-check), so it must not depend on the caller's environment: s is
// reset to its defaults apart from the logger's settings.
func PrintOpenAPI(ctx context.Context, s Settings, log *slog.Logger, w io.Writer) error {
	dir, err := os.MkdirTemp("", "incuchain-openapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s.Platform.DataDir = dir
	s.Platform.NATSURL, s.Platform.NATSPort = "", 0
	s.Platform.S3Endpoint, s.Platform.S3EmbeddedAddr = "", "127.0.0.1:0"
	s.Platform.MetricsAddr = ""
	s.Platform.InternalSecret = ""
	s.Gateway.Addr = "127.0.0.1:0"
	s.Gateway.ParksURL, s.Gateway.IncubateesURL, s.Gateway.DocumentsURL = "", "", ""
	s.Gateway.MilestonesURL, s.Gateway.RollupsURL, s.Gateway.NotificationsURL = "", "", ""
	s.Gateway.WebDir = filepath.Join(dir, "web")
	// SQLite files under the temporary directory (New resolves "data/").
	s.Gateway.DB = "sqlite://data/gateway.db"
	for name, h := range s.Homes() {
		h.DB = "sqlite://data/" + name + ".db"
	}
	s.Milestones.ScanInterval = 0
	s.SeedDemo = false

	l, err := New(s, TargetAll, log, io.Discard)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("openapi: the services did not stop")
		}
	}
	select {
	case <-l.Listening:
	case err := <-done:
		cancel()
		return fmt.Errorf("openapi: the services did not start: %w", err)
	case <-ctx.Done():
		_ = stop()
		return ctx.Err()
	}
	raw, err := l.OpenAPI()
	if stopErr := stop(); err == nil {
		err = stopErr
	}
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}
