package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/blob/blobtest"
)

// Behaviour of the in-process server that the contract cannot reach from
// Store's API: request signing, chunk signatures, multipart copy, restarts.

func startServer(t *testing.T, dir string) (*blob.Server, blob.Config) {
	t.Helper()
	srv, err := blob.StartServer(dir, "127.0.0.1:0", blob.WithCredentials("test-access", "test-secret-key"))
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, blob.Config{
		Endpoint:  srv.Endpoint(),
		AccessKey: "test-access",
		SecretKey: "test-secret-key",
		Bucket:    "docs",
		Region:    "us-east-1",
	}
}

func objectURL(cfg blob.Config, key string) string {
	return "http://" + cfg.Endpoint + "/" + cfg.Bucket + "/" + key
}

func TestServerRefusesBadCredentials(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	blobtest.Open(t, cfg) // creates the bucket
	for name, tweak := range map[string]func(*blob.Config){
		"wrong secret":     func(c *blob.Config) { c.SecretKey = "not-the-secret" },
		"wrong access key": func(c *blob.Config) { c.AccessKey = "someone-else" },
		"anonymous":        func(c *blob.Config) { c.AccessKey, c.SecretKey = "", "" },
	} {
		t.Run(name, func(t *testing.T) {
			c := cfg
			tweak(&c)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := blob.Open(ctx, c); err == nil {
				t.Fatalf("open with %s succeeded", name)
			}
		})
	}
	resp, msg := httpDo(t, http.MethodGet, objectURL(cfg, "any"), nil, nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(msg, "AccessDenied") {
		t.Fatalf("unsigned GET: %s %q, want 403 AccessDenied", resp.Status, msg)
	}
}

type sha256Hasher struct{ hash.Hash }

func (sha256Hasher) Close() {}

// flipByte corrupts one byte of a body in transit.
type flipByte struct {
	r   io.Reader
	at  int64
	pos int64
}

func (f *flipByte) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if f.at >= f.pos && f.at < f.pos+int64(n) {
		p[f.at-f.pos] ^= 0xff
	}
	f.pos += int64(n)
	return n, err
}

// streamingPut sends body the way minio-go does over plain HTTP: aws-chunked
// with a signature per 64 KiB chunk, optionally corrupting one byte.
func streamingPut(t *testing.T, cfg blob.Config, key string, body []byte, corruptAt int64) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxFor(t), http.MethodPut, objectURL(cfg, key), bytes.NewReader(body))
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req = signer.StreamingSignV4(req, cfg.AccessKey, cfg.SecretKey, "", cfg.Region, int64(len(body)), time.Now().UTC(), sha256Hasher{sha256.New()})
	if corruptAt >= 0 {
		req.Body = io.NopCloser(&flipByte{r: req.Body, at: corruptAt})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	msg, _ := io.ReadAll(resp.Body)
	return resp, string(msg)
}

func TestServerChecksChunkSignatures(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	st := blobtest.Open(t, cfg)
	body := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320 000 B: five chunks
	for _, tc := range []struct {
		name      string
		corruptAt int64
		want      int
	}{
		{"intact", -1, http.StatusOK},
		{"first chunk", 1000, http.StatusForbidden},
		{"last chunk", int64(len(body)) + 4*90, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "chunks/" + strings.ReplaceAll(tc.name, " ", "-")
			resp, msg := streamingPut(t, cfg, key, body, tc.corruptAt)
			if resp.StatusCode != tc.want {
				t.Fatalf("status %s %q, want %d", resp.Status, msg, tc.want)
			}
			if tc.want != http.StatusOK {
				if !strings.Contains(msg, "SignatureDoesNotMatch") {
					t.Fatalf("refused with %q, want SignatureDoesNotMatch", msg)
				}
				_, err := st.Stat(ctxFor(t), key)
				wantNotFound(t, err, "stat after a refused upload")
				return
			}
			got, _ := readAll(t, st, key)
			if got != string(body) {
				t.Fatalf("stored %d bytes differing from the %d sent", len(got), len(body))
			}
		})
	}
}

func TestServerChecksPayloadDigest(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	st := blobtest.Open(t, cfg)
	put := func(key, body, claimed string) *http.Response {
		t.Helper()
		req, err := http.NewRequestWithContext(ctxFor(t), http.MethodPut, objectURL(cfg, key), strings.NewReader(body))
		if err != nil {
			t.Fatalf("request: %v", err)
		}
		sum := sha256.Sum256([]byte(claimed))
		req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
		req = signer.SignV4(*req, cfg.AccessKey, cfg.SecretKey, "", cfg.Region)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("put: %v", err)
		}
		_ = resp.Body.Close()
		return resp
	}
	if resp := put("digest/ok", "exact bytes", "exact bytes"); resp.StatusCode != http.StatusOK {
		t.Fatalf("matching digest: %s", resp.Status)
	}
	if resp := put("digest/bad", "other bytes", "exact bytes"); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("mismatching digest: %s, want 400", resp.Status)
	}
	_, err := st.Stat(ctxFor(t), "digest/bad")
	wantNotFound(t, err, "stat after a refused upload")
}

func TestServerRejectsKeysThatAliasOnDisk(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	blobtest.Open(t, cfg)
	for _, raw := range []string{"a/%2E%2E/b", "a//b", "a/./b", "dir/"} {
		req, err := http.NewRequestWithContext(ctxFor(t), http.MethodPut, objectURL(cfg, raw), strings.NewReader("x"))
		if err != nil {
			t.Fatalf("request: %v", err)
		}
		req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		req = signer.SignV4(*req, cfg.AccessKey, cfg.SecretKey, "", cfg.Region)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("put %s: %v", raw, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("put %s: %s, want 400", raw, resp.Status)
		}
	}
}

// ComposeObject is how Store copies objects over 5 GiB into place; here it
// is forced onto the multipart-copy path with two small sources.
func TestServerMultipartCopy(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	st := blobtest.Open(t, cfg)
	ctx := ctxFor(t)
	const first = 5 << 20
	if _, err := st.Put(ctx, "parts/a", content(1, first), first, ""); err != nil {
		t.Fatalf("put a: %v", err)
	}
	mustPut(t, st, "parts/b", "tail")
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Region: cfg.Region, BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	// ReplaceMetadata: otherwise the first source's sha256 would describe
	// the composed object (and Get would rightly refuse it).
	_, err = c.ComposeObject(ctx, minio.CopyDestOptions{Bucket: cfg.Bucket, Object: "parts/ab", ReplaceMetadata: true},
		minio.CopySrcOptions{Bucket: cfg.Bucket, Object: "parts/a"},
		minio.CopySrcOptions{Bucket: cfg.Bucket, Object: "parts/b"})
	if err != nil {
		t.Fatalf("compose: %v", err)
	}
	want, _ := digestOf(t, io.MultiReader(content(1, first), strings.NewReader("tail")))
	rc, info, err := st.Get(ctx, "parts/ab")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	defer func() { _ = rc.Close() }()
	got, n := digestOf(t, rc)
	if got != want || n != first+4 || info.Size != first+4 {
		t.Fatalf("composed object: %d bytes sha256 %s, want %d bytes %s", n, got, first+4, want)
	}
}

func TestServerKeepsObjectsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	srv, cfg := startServer(t, dir)
	info := mustPut(t, blobtest.Open(t, cfg), "keep/doc", "survives a restart")
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	_, cfg2 := startServer(t, dir)
	got, info2 := readAll(t, blobtest.Open(t, cfg2), "keep/doc")
	if got != "survives a restart" || info2.SHA256 != info.SHA256 {
		t.Fatalf("after restart read %q sha256 %s, want sha256 %s", got, info2.SHA256, info.SHA256)
	}
}

func TestReadyFailsWhenServerClosed(t *testing.T) {
	srv, cfg := startServer(t, t.TempDir())
	st := blobtest.Open(t, cfg)
	ctx := ctxFor(t)
	if err := st.Ready(ctx); err != nil {
		t.Fatalf("ready while serving: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := st.Ready(ctx); err == nil {
		t.Fatalf("ready after the server closed returned nil")
	} else {
		t.Logf("ready after close: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("ready ran into the test deadline instead of failing")
	}
}

func TestServerAnswersCORSPreflight(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	resp, _ := httpDo(t, http.MethodOptions, objectURL(cfg, "any"), nil, http.Header{
		"Origin":                         {"http://127.0.0.1:8080"},
		"Access-Control-Request-Method":  {"PUT"},
		"Access-Control-Request-Headers": {"content-type"},
	})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Fatalf("preflight: %s %v", resp.Status, resp.Header)
	}
}

func TestAttachmentDisposition(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"", "attachment"},
		{"  ", "attachment"},
		{"..", "attachment"},
		{"report.pdf", `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`},
		{"a b.pdf", `attachment; filename="a b.pdf"; filename*=UTF-8''a%20b.pdf`},
		{"../../etc/passwd", `attachment; filename=".._.._etc_passwd"; filename*=UTF-8''.._.._etc_passwd`},
		{"line\r\nbreak.txt", `attachment; filename="linebreak.txt"; filename*=UTF-8''linebreak.txt`},
		{"资料.docx", `attachment; filename="__.docx"; filename*=UTF-8''%E8%B5%84%E6%96%99.docx`},
		{"bad\xff.txt", `attachment; filename="bad_.txt"; filename*=UTF-8''bad_.txt`},
		{`q"uo;te%.txt`, `attachment; filename="q_uo;te_.txt"; filename*=UTF-8''q%22uo%3Bte%25.txt`},
	} {
		if got := blob.AttachmentDisposition(tc.name); got != tc.want {
			t.Errorf("AttachmentDisposition(%q) = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestGetDetectsCorruptionAtRest(t *testing.T) {
	dir := t.TempDir()
	_, cfg := startServer(t, dir)
	st := blobtest.Open(t, cfg)
	mustPut(t, st, "rot/doc", "original content")
	// Same length, different bytes, written behind the server's back.
	path := filepath.Join(dir, "buckets", cfg.Bucket, "rot", "doc")
	if err := os.WriteFile(path, []byte("tampered content"), 0o600); err != nil {
		t.Fatalf("corrupt: %v", err)
	}
	rc, _, err := st.Get(ctxFor(t), "rot/doc")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	defer func() { _ = rc.Close() }()
	if _, err := io.ReadAll(rc); !errors.Is(err, blob.ErrChecksumMismatch) {
		t.Fatalf("reading a corrupted object: got %v, want ErrChecksumMismatch", err)
	}
}

func TestServerWithoutCredentialsAcceptsAnyClient(t *testing.T) {
	srv, err := blob.StartServer(t.TempDir(), "127.0.0.1:0")
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	st := blobtest.Open(t, blob.Config{Endpoint: srv.Endpoint(), AccessKey: "any", SecretKey: "thing", Bucket: "open"})
	mustPut(t, st, "k", "v")
	if got, _ := readAll(t, st, "k"); got != "v" {
		t.Fatalf("read %q", got)
	}
}

// logRecorder keeps what the server logs (net/http reports recovered
// handler panics through the server's ErrorLog, which goes to slog).
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

// Empty uploads arrive as aws-chunked bodies with a decoded length of 0.
// Reporting that length to net/http as the request's ContentLength once
// made it skip draining the wire body and then panic on the connection.
func TestServerEmptyUploadsKeepConnectionsHealthy(t *testing.T) {
	rec := &logRecorder{}
	prev := slog.Default()
	slog.SetDefault(slog.New(rec))
	t.Cleanup(func() { slog.SetDefault(prev) })

	_, cfg := startServer(t, t.TempDir())
	st := blobtest.Open(t, cfg)
	ctx := ctxFor(t)
	for i := 0; i < 200; i++ {
		if _, err := st.Put(ctx, "empty/"+strconv.Itoa(i%5), strings.NewReader(""), 0, ""); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, m := range rec.msgs {
		if strings.Contains(m, "panic") {
			t.Fatalf("server logged %q", m)
		}
	}
}

// Without a configured region minio-go asks the server for the bucket's
// location and signs with the answer (the all-in-one launcher sets none).
func TestServerWithoutRegion(t *testing.T) {
	_, cfg := startServer(t, t.TempDir())
	cfg.Region = ""
	st := blobtest.Open(t, cfg)
	mustPut(t, st, "nr/doc", "no region")
	u, err := st.PresignGet(ctxFor(t), "nr/doc", time.Minute, "doc.txt")
	if err != nil {
		t.Fatalf("presign: %v", err)
	}
	if resp, body := httpDo(t, http.MethodGet, u.String(), nil, nil); resp.StatusCode != http.StatusOK || body != "no region" {
		t.Fatalf("presigned get: %s %q", resp.Status, body)
	}
}

// Presigned URLs are signed for the public URL browsers use, not the
// internal endpoint, and work there.
func TestPresignForPublicURL(t *testing.T) {
	st := openInProcess(t, func(c *blob.Config) {
		_, port, _ := strings.Cut(c.Endpoint, ":")
		c.PublicURL = "http://localhost:" + port
	})
	ctx := ctxFor(t)
	u, hdr, err := st.PresignPut(ctx, "pub/doc", time.Minute, int64(len("via the public name")), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u.Host, "localhost:") {
		t.Fatalf("signed for %s, want the public host", u.Host)
	}
	resp, msg := httpDo(t, http.MethodPut, u.String(), strings.NewReader("via the public name"), http.Header{"Content-Type": hdr["Content-Type"]})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT to the public URL: %s: %s", resp.Status, msg)
	}
	if got, _ := readAll(t, st, "pub/doc"); got != "via the public name" {
		t.Fatalf("read back %q", got)
	}
	for _, bad := range []string{"localhost:9000", "ftp://x", "http://x/path"} {
		cfg := blobtest.ServerConfig(t)
		cfg.PublicURL = bad
		if _, err := blob.Open(ctx, cfg); err == nil {
			t.Errorf("public URL %q accepted", bad)
		}
	}
}
