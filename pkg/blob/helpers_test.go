package blob_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/blob/blobtest"
)

// opener returns a Store on a bucket of its own; tweak, if not nil, adjusts
// the configuration before Open.
type opener func(t *testing.T, tweak func(*blob.Config)) *blob.Store

func openInProcess(t *testing.T, tweak func(*blob.Config)) *blob.Store {
	t.Helper()
	cfg := blobtest.ServerConfig(t)
	if tweak != nil {
		tweak(&cfg)
	}
	return blobtest.Open(t, cfg)
}

func openFromEnv(t *testing.T, tweak func(*blob.Config)) *blob.Store {
	t.Helper()
	cfg, ok := blobtest.EnvConfig(t)
	if !ok {
		t.Skipf("%s not set", blobtest.EnvEndpoint)
	}
	if tweak != nil {
		tweak(&cfg)
	}
	return blobtest.Open(t, cfg)
}

func withPartSize(n uint64) func(*blob.Config) {
	return func(c *blob.Config) { c.PartSize = n }
}

// content is a deterministic, seeded byte stream of a given length: tests
// regenerate it to compare instead of keeping it in memory.
func content(seed uint64, size int64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	return io.LimitReader(rand.NewChaCha8(key), size)
}

func digestOf(t testing.TB, r io.Reader) (string, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatalf("hash: %v", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

func ctxFor(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func mustPut(t *testing.T, st *blob.Store, key, body string) blob.Info {
	t.Helper()
	info, err := st.Put(ctxFor(t), key, strings.NewReader(body), int64(len(body)), "text/plain")
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
	return info
}

func readAll(t *testing.T, st *blob.Store, key string) (string, blob.Info) {
	t.Helper()
	rc, info, err := st.Get(ctxFor(t), key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b), info
}

func httpDo(t *testing.T, method, u string, body io.Reader, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxFor(t), method, u, body)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return resp, string(b)
}

func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("%s: got %v, want ErrNotFound", what, err)
	}
}

// sha256Hex is an io.Writer that hashes what it is given.
type sha256Hex struct{ h hash.Hash }

func (s *sha256Hex) Write(p []byte) (int, error) {
	if s.h == nil {
		s.h = sha256.New()
	}
	return s.h.Write(p)
}

func (s *sha256Hex) sum() string {
	if s.h == nil {
		s.h = sha256.New()
	}
	return hex.EncodeToString(s.h.Sum(nil))
}
