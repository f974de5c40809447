package gateway_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/services/gateway"
)

// consoleFixture writes a console as Vite builds it: an index.html naming
// hashed assets, JavaScript and CSS large enough to be worth compressing,
// and a small unhashed file beside index.html.
func consoleFixture(t *testing.T) (dir string, files map[string][]byte) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "web")
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	var js, css strings.Builder
	for i := range 400 {
		fmt.Fprintf(&js, "export function page%d(t){return t('page.%d.title')+\"孵化链\";}\n", i, i)
		fmt.Fprintf(&css, ".page-%d{margin:%dpx;display:flex}\n", i, i%16)
	}
	files = map[string][]byte{
		"/index.html": []byte(`<!doctype html><html lang="zh-CN"><head>` +
			`<script type="module" crossorigin src="/assets/index-AbC123.js"></script>` +
			`<link rel="modulepreload" crossorigin href="/assets/vendor-XyZ789.js">` +
			`<link rel="stylesheet" crossorigin href="/assets/index-Css456.css">` +
			`</head><body><div id="root"></div></body></html>`),
		"/assets/index-AbC123.js":  []byte(js.String()),
		"/assets/vendor-XyZ789.js": []byte(strings.Repeat("function vendor(){return 42}\n", 200)),
		"/assets/index-Css456.css": []byte(css.String()),
		"/robots.txt":              []byte("User-agent: *\nDisallow:\n"),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Beside the console, not in it: never reachable by a path.
	if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("not-for-browsers"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, files
}

func gunzip(t *testing.T, body string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The console's files go out gzipped to browsers that accept it, byte for
// byte the same once unpacked, and plain to those that do not; hashed
// assets are cacheable for a year, index.html is revalidated every time.
func TestConsoleFilesCompressedAndCacheable(t *testing.T) {
	web, files := consoleFixture(t)
	g, _ := newGatewayServing(t, "", web)
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"}

	for _, tc := range []struct {
		path, file, cache, contentType string
	}{
		{"/assets/index-AbC123.js", "/assets/index-AbC123.js", "public, max-age=31536000, immutable", "text/javascript"},
		{"/assets/index-Css456.css", "/assets/index-Css456.css", "public, max-age=31536000, immutable", "text/css"},
		{"/", "/index.html", "no-cache", "text/html"},
		{"/login", "/index.html", "no-cache", "text/html"},
		{"/carriers/01J/residents?tab=reports", "/index.html", "no-cache", "text/html"},
	} {
		a := serve(g, request{method: "GET", path: tc.path, header: gz})
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.path, a.status, a.body)
		}
		if got := a.header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		if got := a.header.Get("Content-Type"); !strings.HasPrefix(got, tc.contentType) {
			t.Errorf("%s: Content-Type %q, want %s", tc.path, got, tc.contentType)
		}
		if !strings.Contains(a.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: no Vary: Accept-Encoding (%v)", tc.path, a.header)
		}
		want := files[tc.file]
		if len(want) >= 1024 {
			if a.header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s: not gzipped: %v", tc.path, a.header)
			}
			if len(a.body) >= len(want) {
				t.Errorf("%s: gzipped %d bytes, plain %d", tc.path, len(a.body), len(want))
			}
			if got := gunzip(t, a.body); !bytes.Equal(got, want) {
				t.Errorf("%s: unpacked body differs from the file", tc.path)
			}
		} else if a.header.Get("Content-Encoding") != "" || a.body != string(want) {
			t.Errorf("%s: a %d-byte file should go out as it is: %v %q", tc.path, len(want), a.header, a.body)
		}

		// Without Accept-Encoding: the file itself.
		plain := serve(g, request{method: "GET", path: tc.path})
		if plain.header.Get("Content-Encoding") != "" || plain.body != string(want) {
			t.Errorf("%s without gzip: %v, %d bytes, want the %d-byte file", tc.path, plain.header, len(plain.body), len(want))
		}
		if got := plain.header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s without gzip: Cache-Control %q", tc.path, got)
		}
		// The two representations have different validators.
		if plain.header.Get("ETag") == "" || plain.header.Get("ETag") == a.header.Get("ETag") && a.header.Get("Content-Encoding") != "" {
			t.Errorf("%s: ETags plain %q, gzip %q", tc.path, plain.header.Get("ETag"), a.header.Get("ETag"))
		}
		// A revalidation of the same representation costs no body.
		again := serve(g, request{method: "GET", path: tc.path, header: map[string]string{
			"Accept-Encoding": "gzip", "If-None-Match": a.header.Get("ETag"),
		}})
		if again.status != http.StatusNotModified || again.body != "" {
			t.Errorf("%s revalidated: %d with %d bytes, want 304", tc.path, again.status, len(again.body))
		}
	}

	// gzip;q=0 is a refusal.
	if a := serve(g, request{method: "GET", path: "/assets/index-AbC123.js", header: map[string]string{"Accept-Encoding": "gzip;q=0, identity"}}); a.header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got %q", a.header.Get("Content-Encoding"))
	}
	// A small unhashed file: plain, and revalidated.
	if a := serve(g, request{method: "GET", path: "/robots.txt", header: gz}); a.header.Get("Content-Encoding") != "" || a.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("/robots.txt: %v", a.header)
	}
	// A hashed asset that no longer exists is a 404, never index.html served
	// for a script (an old tab after a deployment would cache it for a year).
	if a := serve(g, request{method: "GET", path: "/assets/index-Gone00.js", header: gz}); a.status != http.StatusNotFound || strings.Contains(a.header.Get("Cache-Control"), "immutable") {
		t.Errorf("missing asset: %d %v", a.status, a.header)
	}
	// Nothing outside the console's directory.
	for _, p := range []string{"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"} {
		if a := serve(g, request{method: "GET", path: p}); strings.Contains(a.body, "not-for-browsers") {
			t.Errorf("%s reached a file outside the console", p)
		}
	}

	// A rebuilt file is served anew, not from the compressed copy.
	changed := append(bytes.Clone(files["/assets/index-AbC123.js"]), []byte("export const rebuilt = true;\n")...)
	if err := os.WriteFile(filepath.Join(web, "assets", "index-AbC123.js"), changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if a := serve(g, request{method: "GET", path: "/assets/index-AbC123.js", header: gz}); !bytes.Equal(gunzip(t, a.body), changed) {
		t.Errorf("after a rebuild the old compressed file is still served")
	}
}

var assetRef = regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`)

// loginTransfer is what a first visit to /login moves over the wire: the
// page and every asset it names (script, module preloads, stylesheet),
// headers left out.
func loginTransfer(t *testing.T, g *gateway.Gateway, acceptEncoding string) (total int, parts []string) {
	t.Helper()
	h := map[string]string{"Accept-Encoding": acceptEncoding}
	page := serve(g, request{method: "GET", path: "/login", header: h})
	html := page.body
	if page.header.Get("Content-Encoding") == "gzip" {
		html = string(gunzip(t, page.body))
	}
	total = len(page.body)
	parts = append(parts, fmt.Sprintf("/login %d", len(page.body)))
	refs := assetRef.FindAllStringSubmatch(html, -1)
	if len(refs) == 0 {
		t.Fatalf("index.html names no assets: %s", html)
	}
	for _, m := range refs {
		a := serve(g, request{method: "GET", path: m[1], header: h})
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d", m[1], a.status)
		}
		total += len(a.body)
		parts = append(parts, fmt.Sprintf("%s %d", m[1], len(a.body)))
	}
	return total, parts
}

// The login page's first load, before compression (what a browser that
// does not accept gzip gets, and what every browser got before) and after.
// Run against the real build when web/dist exists (make web), so the
// figures in the log are the console's own.
func TestLoginPageTransferSize(t *testing.T) {
	check := func(t *testing.T, web string) {
		g, _ := newGatewayServing(t, "", web)
		plain, _ := loginTransfer(t, g, "")
		packed, parts := loginTransfer(t, g, "gzip, deflate, br")
		t.Logf("login page transfer: %d bytes plain, %d bytes gzipped (%.0f%%): %s",
			plain, packed, 100*float64(packed)/float64(plain), strings.Join(parts, ", "))
		if packed*2 > plain {
			t.Errorf("gzipped login page is %d bytes of %d: less than half was saved", packed, plain)
		}
	}
	t.Run("fixture", func(t *testing.T) {
		web, _ := consoleFixture(t)
		check(t, web)
	})
	t.Run("web/dist", func(t *testing.T) {
		web, err := filepath.Abs(filepath.Join("..", "..", "web", "dist"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(web, "index.html")); err != nil {
			t.Skip("the console is not built (make web)")
		}
		check(t, web)
	})
}
