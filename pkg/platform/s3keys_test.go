package platform_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/platform"
)

func embeddedConfig(dataDir string) platform.Config {
	return platform.Config{DataDir: dataDir, S3Bucket: "incuchain", S3EmbeddedAddr: "127.0.0.1:0"}
}

func openBlob(t *testing.T, cfg platform.Config) *blob.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, stop, err := platform.OpenBlob(ctx, cfg)
	if err != nil {
		t.Fatalf("open blob: %v", err)
	}
	t.Cleanup(stop)
	return st
}

// The in-process store makes its own keys at first start, keeps them
// private in the data directory, reuses them after a restart, and refuses
// the keys that used to be everyone's defaults.
func TestEmbeddedStoreGeneratesItsKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := embeddedConfig(dir)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	st, stop, err := platform.OpenBlob(ctx, cfg)
	if err != nil {
		t.Fatalf("open blob: %v", err)
	}
	if _, err := st.Put(ctx, "r/_/c/v1", strings.NewReader("营业执照"), int64(len("营业执照")), "application/pdf"); err != nil {
		t.Fatalf("put: %v", err)
	}
	path := filepath.Join(dir, platform.S3CredentialsFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("credentials file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode %04o, want 0600", fi.Mode().Perm())
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(first), "incuchain-secret") || !strings.Contains(string(first), "INCUCHAIN_S3_SECRET_KEY=") {
		t.Fatalf("credentials file:\n%s", first)
	}

	// Whoever can reach the port but not the file cannot sign.
	for _, keys := range [][2]string{{"incuchain", "incuchain-secret"}, {"minioadmin", "minioadmin"}, {"", ""}} {
		_, err := blob.Open(ctx, blob.Config{Endpoint: st.Endpoint(), AccessKey: keys[0], SecretKey: keys[1], Bucket: "incuchain", Region: "us-east-1"})
		if err == nil {
			t.Errorf("the embedded store accepted keys %q/%q", keys[0], keys[1])
		}
	}
	stop()

	// A restart reuses the keys, so what was stored is still readable.
	again := openBlob(t, cfg)
	rc, _, err := again.Get(ctx, "r/_/c/v1")
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	body, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(body) != "营业执照" {
		t.Fatalf("after restart read %q, %v", body, err)
	}
	if now, _ := os.ReadFile(path); string(now) != string(first) {
		t.Fatalf("keys changed on restart")
	}

	// Keys others could have read are taken as known.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := platform.OpenBlob(ctx, embeddedConfig(dir)); err == nil || !strings.Contains(err.Error(), "read by others") {
		t.Fatalf("world-readable keys: %v", err)
	}
}

// Keys anyone can sign with are refused at start, in every mode, unless a
// development machine says so; the error says what to set.
func TestOpenBlobRefusesKnownKeys(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// A store that really has the old default keys, as an old compose file made it.
	srv, err := blob.StartServer(t.TempDir(), "127.0.0.1:0", blob.WithCredentials("incuchain", "incuchain-secret"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	distributed := func(access, secret string) platform.Config {
		return platform.Config{DataDir: t.TempDir(), S3Endpoint: srv.Endpoint(), S3Bucket: "incuchain", S3AccessKey: access, S3SecretKey: secret}
	}
	embedded := func(access, secret string) platform.Config {
		c := embeddedConfig(t.TempDir())
		c.S3AccessKey, c.S3SecretKey = access, secret
		return c
	}
	for _, c := range []struct {
		name string
		cfg  platform.Config
		want []string
	}{
		{"distributed, documented defaults", distributed("incuchain", "incuchain-secret"), []string{"INCUCHAIN_S3_SECRET_KEY", "INCUCHAIN_DEV_INSECURE_DEFAULTS=true"}},
		{"distributed, example.env placeholders", distributed("change-me", "change-me"), []string{"INCUCHAIN_S3_SECRET_KEY", "INCUCHAIN_DEV_INSECURE_DEFAULTS=true"}},
		{"distributed, MinIO's default", distributed("minioadmin", "minioadmin"), []string{"INCUCHAIN_DEV_INSECURE_DEFAULTS=true"}},
		{"distributed, no keys", distributed("", ""), []string{"INCUCHAIN_S3_ACCESS_KEY and INCUCHAIN_S3_SECRET_KEY are required with INCUCHAIN_S3_ENDPOINT"}},
		{"only one key", distributed("someone", ""), []string{"go together"}},
		{"embedded, documented defaults", embedded("incuchain", "incuchain-secret"), []string{"leave both empty", "INCUCHAIN_DEV_INSECURE_DEFAULTS=true"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := platform.OpenBlob(ctx, c.cfg)
			if err == nil {
				t.Fatal("started")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if _, statErr := os.Stat(filepath.Join(c.cfg.DataDir, platform.S3CredentialsFile)); statErr == nil {
				t.Errorf("a refused start generated keys")
			}
		})
	}

	t.Run("development flag", func(t *testing.T) {
		cfg := distributed("incuchain", "incuchain-secret")
		cfg.DevInsecureDefaults = true
		st := openBlob(t, cfg)
		if err := st.Ready(ctx); err != nil {
			t.Fatalf("ready: %v", err)
		}
	})
	t.Run("keys of its own", func(t *testing.T) {
		own, err := blob.StartServer(t.TempDir(), "127.0.0.1:0", blob.WithCredentials("incuchain-prod", "9f2c41d7e0b86a3f5c1d"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = own.Close() })
		st := openBlob(t, platform.Config{S3Endpoint: own.Endpoint(), S3Bucket: "incuchain", S3AccessKey: "incuchain-prod", S3SecretKey: "9f2c41d7e0b86a3f5c1d"})
		if err := st.Ready(ctx); err != nil {
			t.Fatalf("ready: %v", err)
		}
	})
}
