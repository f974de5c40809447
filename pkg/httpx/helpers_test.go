package httpx_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newServer starts a real HTTP server around an engine built by NewEngine
// and configured by setup.
func newServer(t *testing.T, service string, setup func(r *gin.Engine)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	r := httpx.NewEngine(service, slog.New(slog.NewJSONHandler(logs, nil)))
	if setup != nil {
		setup(r)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv, logs
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, url string, body io.Reader, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// problem decodes a problem+json response, failing when the response is
// not one.
func problem(t *testing.T, r response) httpx.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, httpx.ProblemContentType) {
		t.Fatalf("Content-Type = %q, want %s (body %s)", ct, httpx.ProblemContentType, r.body)
	}
	var p httpx.Problem
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode problem %s: %v", r.body, err)
	}
	if p.Status != r.status {
		t.Fatalf("problem status %d != response status %d", p.Status, r.status)
	}
	return p
}
