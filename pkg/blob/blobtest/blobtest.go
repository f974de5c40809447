// Package blobtest gives tests a blob.Store on a real S3-compatible server:
// the MinIO (or other) endpoint named by S3_ENDPOINT when it is set, with a
// fresh bucket per test, otherwise an in-process blob.Server in a temporary
// directory. Either way the test talks to it over HTTP through minio-go.
package blobtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/incuchain/incuchain/pkg/blob"
)

// Environment variables naming a real endpoint.
const (
	EnvEndpoint  = "S3_ENDPOINT"   // host:port (http:// or https:// also accepted)
	EnvAccessKey = "S3_ACCESS_KEY" // default minioadmin
	EnvSecretKey = "S3_SECRET_KEY" // default minioadmin
	EnvBucket    = "S3_BUCKET"     // prefix of the per-test bucket names; default incuchain-test
	EnvUseSSL    = "S3_USE_SSL"    // true/false; default false, or the scheme of S3_ENDPOINT
	EnvRegion    = "S3_REGION"     // default us-east-1
)

var announce sync.Once

// Start returns a Store on a fresh bucket, removed when the test ends.
func Start(t *testing.T) *blob.Store {
	t.Helper()
	cfg, ok := EnvConfig(t)
	if !ok {
		announce.Do(func() {
			fmt.Fprintf(os.Stderr, "blobtest: using the in-process S3 server; set %s=host:port to test against MinIO\n", EnvEndpoint)
		})
		cfg = ServerConfig(t)
	}
	return Open(t, cfg)
}

// Open opens cfg or fails the test.
func Open(tb testing.TB, cfg blob.Config) *blob.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := blob.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("blobtest: open %s/%s: %v", cfg.Endpoint, cfg.Bucket, err)
	}
	return st
}

// ServerConfig starts an in-process server with random credentials in a
// temporary directory and returns the configuration to reach it; opts (a
// clock the test moves, say) go to the server. The server stops when the
// test ends.
func ServerConfig(tb testing.TB, opts ...blob.ServerOption) blob.Config {
	tb.Helper()
	dir := tb.TempDir() // registered first, so removed after the server stops
	access, secret := randomHex(tb, 10), randomHex(tb, 20)
	srv, err := blob.StartServer(dir, "127.0.0.1:0", append([]blob.ServerOption{blob.WithCredentials(access, secret)}, opts...)...)
	if err != nil {
		tb.Fatalf("blobtest: start server: %v", err)
	}
	tb.Cleanup(func() {
		if err := srv.Close(); err != nil {
			tb.Errorf("blobtest: close server: %v", err)
		}
	})
	return blob.Config{
		Endpoint:  srv.Endpoint(),
		AccessKey: access,
		SecretKey: secret,
		Bucket:    "incuchain-test",
		Region:    "us-east-1",
	}
}

// EnvConfig returns the configuration for the endpoint in S3_ENDPOINT with a
// bucket name of its own, and whether S3_ENDPOINT is set. The bucket and
// everything in it are removed when the test ends.
func EnvConfig(tb testing.TB) (blob.Config, bool) {
	tb.Helper()
	endpoint := os.Getenv(EnvEndpoint)
	if endpoint == "" {
		return blob.Config{}, false
	}
	useSSL := false
	if strings.Contains(endpoint, "://") {
		u, err := url.Parse(endpoint)
		if err != nil {
			tb.Fatalf("blobtest: %s=%q: %v", EnvEndpoint, endpoint, err)
		}
		endpoint, useSSL = u.Host, u.Scheme == "https"
	}
	if v := os.Getenv(EnvUseSSL); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			tb.Fatalf("blobtest: %s=%q: %v", EnvUseSSL, v, err)
		}
		useSSL = b
	}
	base := strings.ToLower(envOr(EnvBucket, "incuchain-test"))
	if len(base) > 48 {
		base = base[:48]
	}
	cfg := blob.Config{
		Endpoint:  endpoint,
		AccessKey: envOr(EnvAccessKey, "minioadmin"),
		SecretKey: envOr(EnvSecretKey, "minioadmin"),
		Bucket:    strings.TrimRight(base, "-.") + "-" + randomHex(tb, 6),
		Region:    envOr(EnvRegion, "us-east-1"),
		UseSSL:    useSSL,
	}
	tb.Cleanup(func() { removeBucket(tb, cfg) })
	return cfg, true
}

func removeBucket(tb testing.TB, cfg blob.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.UseSSL,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		tb.Errorf("blobtest: cleanup client: %v", err)
		return
	}
	if ok, err := c.BucketExists(ctx, cfg.Bucket); err != nil || !ok {
		return // never created, or unreachable: nothing we can clean
	}
	for oi := range c.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if oi.Err != nil {
			tb.Errorf("blobtest: cleanup list %s: %v", cfg.Bucket, oi.Err)
			return
		}
		if err := c.RemoveObject(ctx, cfg.Bucket, oi.Key, minio.RemoveObjectOptions{}); err != nil {
			tb.Errorf("blobtest: cleanup remove %s/%s: %v", cfg.Bucket, oi.Key, err)
		}
	}
	for up := range c.ListIncompleteUploads(ctx, cfg.Bucket, "", true) {
		if up.Err != nil {
			break
		}
		_ = c.RemoveIncompleteUpload(ctx, cfg.Bucket, up.Key)
	}
	if err := c.RemoveBucket(ctx, cfg.Bucket); err != nil {
		tb.Errorf("blobtest: cleanup remove bucket %s: %v", cfg.Bucket, err)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func randomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("blobtest: random: %v", err)
	}
	return hex.EncodeToString(b)
}
