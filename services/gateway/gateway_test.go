package gateway_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/gateway"
)

const (
	publicURL = "https://incuchain.example.gov.cn"
	password  = "right-password"
	// perIP is the sign-in failures one client address may have per window.
	perIP = 3
)

// fakeParks answers credential checks the way the parks service does
// (same engine, same problem documents): the right password signs in,
// "refuse-422" and "fail-500" make it refuse the input or fail.
type fakeParks struct{ calls atomic.Int32 }

func (f *fakeParks) handler() http.Handler {
	r := httpx.NewEngine("fake-parks", slog.New(slog.DiscardHandler))
	r.POST("/internal/v1/credentials/verify", func(c *gin.Context) {
		f.calls.Add(1)
		var in struct {
			Email    string
			Password string `text:"raw"` // as parks: hashed, any character
		}
		if err := httpx.Bind(c, &in); err != nil {
			httpx.Error(c, err)
			return
		}
		switch in.Password {
		case password:
			c.JSON(http.StatusOK, gin.H{"id": "u-1", "email": in.Email, "display_name": "Test"})
		case "refuse-422":
			httpx.Error(c, apperr.NewValidation("invalid-credentials-input").Add("email", "invalid_email").Err())
		case "fail-500":
			c.Status(http.StatusInternalServerError)
		default:
			httpx.Error(c, apperr.New(apperr.Unauthenticated, "invalid-credentials"))
		}
	})
	// A service in the same process hands the gateway its document at
	// start; fake parks documents nothing of its own.
	doc := httpx.NewOpenAPI("fake parks", "0")
	r.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, doc) })
	return r
}

// newGateway builds a gateway in front of fake parks, trusting the given
// proxies (as INCUCHAIN_TRUSTED_PROXIES would), with a console in webDir.
func newGateway(t *testing.T, trustedProxies string) (*gateway.Gateway, *fakeParks) {
	t.Helper()
	web := filepath.Join(t.TempDir(), "web")
	if err := os.MkdirAll(web, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(web, "index.html"), []byte(`<!doctype html><script type="module" src="/assets/app.js"></script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	return newGatewayServing(t, trustedProxies, web)
}

// newGatewayServing is newGateway with the console in the given directory.
func newGatewayServing(t *testing.T, trustedProxies, web string) (*gateway.Gateway, *fakeParks) {
	t.Helper()
	proxies, err := httpx.ParseTrustedProxies(trustedProxies)
	if err != nil {
		t.Fatal(err)
	}
	httpx.SetTrustedProxies(proxies)
	t.Cleanup(func() { httpx.SetTrustedProxies(nil) })
	dir := t.TempDir()
	signer, err := authn.NewSigner([]byte("a-test-secret-that-is-long-enough-32"))
	if err != nil {
		t.Fatal(err)
	}
	parks := &fakeParks{}
	g, err := gateway.New(context.Background(), gateway.Config{
		DB: "sqlite://" + filepath.Join(dir, "gateway.db"), WebDir: web, SessionTTL: time.Hour,
		LoginPerUser: 1000, LoginPerIP: perIP, LoginWindow: 15 * time.Minute,
	}, gateway.Deps{Signer: signer, Log: slog.New(slog.DiscardHandler), PublicURL: publicURL,
		Services: map[string]http.Handler{"parks": parks.handler()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return g, parks
}

type request struct {
	method, path, remote string
	body                 string
	header               map[string]string
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) problem(t *testing.T) httpx.Problem {
	t.Helper()
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, httpx.ProblemContentType) {
		t.Fatalf("answer %d is %q, not problem+json: %s", a.status, ct, a.body)
	}
	var p httpx.Problem
	if err := json.Unmarshal([]byte(a.body), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func serve(g *gateway.Gateway, r request) answer {
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	req.RemoteAddr = r.remote
	if req.RemoteAddr == "" {
		req.RemoteAddr = "198.51.100.20:40000"
	}
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	g.Handler().ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.String()}
}

func loginBody(email, pw string) string {
	b, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	return string(b)
}

// wrongSignIn tries a wrong password for a fresh account (so only the address
// limit can trip) from remote, forwarded for xff when it is set.
func wrongSignIn(g *gateway.Gateway, n int, remote, xff string) answer {
	h := map[string]string{}
	if xff != "" {
		h["X-Forwarded-For"] = xff
	}
	return serve(g, request{method: "POST", path: "/api/v1/auth/login", remote: remote,
		body: loginBody("user"+string(rune('a'+n))+"@example.com", "wrong"), header: h})
}

// The sign-in throttle counts failures per client address. A forged
// X-Forwarded-For from a peer that is not a trusted proxy changes nothing:
// the limit still hits the real peer, and the address it names is not
// locked out. From a trusted proxy, the forwarded client is the one limited.
func TestSignInThrottleBelievesForwardedForOnlyFromTrustedProxies(t *testing.T) {
	t.Run("untrusted peer", func(t *testing.T) {
		g, _ := newGateway(t, "10.0.0.0/8")
		attacker, victim := "198.51.100.7:5000", "192.0.2.1"
		// Each attempt names another address, as if it were another client.
		for i := range perIP {
			if a := wrongSignIn(g, i, attacker, "192.0.2."+string(rune('1'+i))); a.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i+1, a.status, a.body)
			}
		}
		if a := wrongSignIn(g, 10, attacker, "203.0.113.99"); a.status != http.StatusTooManyRequests {
			t.Fatalf("the attacker's own address is not throttled: %d %s", a.status, a.body)
		}
		if a := wrongSignIn(g, 11, victim+":6000", ""); a.status != http.StatusUnauthorized {
			t.Fatalf("the address the attacker named is locked out: %d %s", a.status, a.body)
		}
		ok := serve(g, request{method: "POST", path: "/api/v1/auth/login", remote: victim + ":6000", body: loginBody("victim@example.com", password)})
		if ok.status != http.StatusOK {
			t.Fatalf("the named address cannot sign in: %d %s", ok.status, ok.body)
		}
	})
	t.Run("trusted proxy", func(t *testing.T) {
		g, _ := newGateway(t, "10.0.0.0/8")
		proxy, client := "10.1.2.3:443", "203.0.113.5"
		for i := range perIP {
			// The client may prepend anything; the proxy appends the peer it saw.
			if a := wrongSignIn(g, i, proxy, "192.0.2."+string(rune('1'+i))+", "+client); a.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i+1, a.status, a.body)
			}
		}
		a := wrongSignIn(g, 10, proxy, client)
		if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" {
			t.Fatalf("the forwarded client is not throttled: %d %s", a.status, a.body)
		}
		if a := wrongSignIn(g, 11, proxy, "203.0.113.6"); a.status != http.StatusUnauthorized {
			t.Fatalf("another client behind the same proxy is throttled: %d %s", a.status, a.body)
		}
		if a := wrongSignIn(g, 12, "10.1.2.4:443", ""); a.status != http.StatusUnauthorized {
			t.Fatalf("the proxy itself is throttled: %d %s", a.status, a.body)
		}
	})
}

// Login CSRF: a browser posting from another site is refused before any
// credential is checked; clients that send no Origin or Sec-Fetch-Site
// (curl, scripts) with a JSON body are not browsers acting for a site.
func TestUnsafeRequestsFromAnotherSiteAreRefused(t *testing.T) {
	g, parks := newGateway(t, "")
	login := func(h map[string]string) answer {
		return serve(g, request{method: "POST", path: "/api/v1/auth/login", body: loginBody("a@example.com", password), header: h})
	}
	for name, h := range map[string]map[string]string{
		"Origin of another site":     {"Origin": "https://evil.example"},
		"Origin of a sibling host":   {"Origin": "https://evil.example.gov.cn"},
		"Origin null":                {"Origin": "null"},
		"Sec-Fetch-Site: cross-site": {"Sec-Fetch-Site": "cross-site"},
		"same Origin but cross-site": {"Origin": publicURL, "Sec-Fetch-Site": "cross-site"},
		"another port of the host":   {"Origin": "http://example.com:8443"},
		"Origin with another scheme": {"Origin": "ftp://example.com"},
	} {
		before := parks.calls.Load()
		a := login(h)
		if a.status != http.StatusForbidden {
			t.Errorf("%s: %d %s, want 403", name, a.status, a.body)
			continue
		}
		if p := a.problem(t); p.Slug != "cross-site-request" || p.Detail == "" {
			t.Errorf("%s: problem %+v", name, p)
		}
		if parks.calls.Load() != before {
			t.Errorf("%s: credentials were checked", name)
		}
	}
	for name, h := range map[string]map[string]string{
		"no browser headers":          nil,
		"the public URL's origin":     {"Origin": publicURL, "Sec-Fetch-Site": "same-origin"},
		"the host served":             {"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"},
		"typed into the address bar":  {"Sec-Fetch-Site": "none"},
		"the host served, other case": {"Origin": "http://EXAMPLE.com", "Sec-Fetch-Site": "same-origin"},
	} {
		if a := login(h); a.status != http.StatusOK {
			t.Errorf("%s: %d %s, want 200", name, a.status, a.body)
		}
	}
	evil := map[string]string{"Origin": "https://evil.example"}
	if a := serve(g, request{method: "POST", path: "/api/v1/auth/logout", header: evil}); a.status != http.StatusForbidden {
		t.Errorf("cross-site sign-out: %d", a.status)
	}
	if a := serve(g, request{method: "POST", path: "/api/v1/regions", body: `{}`, header: evil}); a.status != http.StatusForbidden {
		t.Errorf("cross-site write through the gateway: %d", a.status)
	}
	// Reading is not a cross-site attack (the answer goes to the page's
	// origin only if CORS allows it, which the gateway never does).
	if a := serve(g, request{method: "GET", path: "/", header: map[string]string{"Sec-Fetch-Site": "cross-site"}}); a.status != http.StatusOK {
		t.Errorf("cross-site navigation to the console: %d", a.status)
	}
}

// Sign-in takes JSON only: the body types an HTML form can post across
// sites without a preflight answer 415 problem+json.
func TestSignInTakesJSONOnly(t *testing.T) {
	g, parks := newGateway(t, "")
	body := loginBody("a@example.com", password)
	for _, ct := range []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "-"} {
		h := map[string]string{"Content-Type": ct, "Accept-Language": "en"}
		if ct == "-" {
			h["Content-Type"] = ""
		}
		a := serve(g, request{method: "POST", path: "/api/v1/auth/login", body: body, header: h})
		if a.status != http.StatusUnsupportedMediaType {
			t.Errorf("%s: %d %s, want 415", ct, a.status, a.body)
			continue
		}
		if p := a.problem(t); p.Slug != "unsupported-content-type" || p.Detail != "The request body must be sent as JSON" {
			t.Errorf("%s: problem %+v", ct, p)
		}
	}
	if parks.calls.Load() != 0 {
		t.Errorf("parks was asked %d times", parks.calls.Load())
	}
	a := serve(g, request{method: "POST", path: "/api/v1/auth/login", body: body, header: map[string]string{"Content-Type": "application/json; charset=utf-8"}})
	if a.status != http.StatusOK {
		t.Errorf("application/json with a charset: %d %s", a.status, a.body)
	}
}

// A control character in the e-mail is the client's mistake (422 from the
// edge, per field, in both languages), never parks' outage (503); a
// password may hold any character (it is only hashed), so one with a NUL
// is parks' to judge; and whatever parks refuses reaches the client as
// parks' refusal.
func TestSignInInputErrorsAreNotOutages(t *testing.T) {
	g, parks := newGateway(t, "")
	for _, tc := range []struct {
		name, email, pw string
	}{
		{"NUL in the email", "a\u0000@example.com", password},
		{"other C0 in the email", "a\u001b@example.com", "tab\tbed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for lang, want := range map[string]string{"zh-CN": "不能包含控制字符或不可见的排版字符", "en": "must not contain control characters or invisible formatting characters"} {
				a := serve(g, request{method: "POST", path: "/api/v1/auth/login", body: loginBody(tc.email, tc.pw),
					header: map[string]string{"Accept-Language": lang}})
				if a.status != http.StatusUnprocessableEntity {
					t.Fatalf("%s: %d %s, want 422", lang, a.status, a.body)
				}
				p := a.problem(t)
				var got []string
				for _, f := range p.Errors {
					if f.Code != "control_char" || f.Message != want {
						t.Errorf("%s: field error %+v", lang, f)
					}
					got = append(got, f.Field)
				}
				if strings.Join(got, ",") != "email" {
					t.Errorf("%s: fields %v, want [email]", lang, got)
				}
			}
		})
	}
	if parks.calls.Load() != 0 {
		t.Errorf("parks was asked %d times about control characters", parks.calls.Load())
	}
	if a := serve(g, request{method: "POST", path: "/api/v1/auth/login", body: loginBody("a@example.com", "pass\u0000word")}); a.status != http.StatusUnauthorized {
		t.Errorf("NUL in the password: %d %s, want parks' 401", a.status, a.body)
	}

	a := serve(g, request{method: "POST", path: "/api/v1/auth/login", body: loginBody("a@example.com", "refuse-422")})
	if a.status != http.StatusUnprocessableEntity {
		t.Fatalf("parks' 422 became %d %s", a.status, a.body)
	}
	if p := a.problem(t); p.Slug != "invalid-credentials-input" || len(p.Errors) != 1 || p.Errors[0].Field != "email" || p.Errors[0].Code != "invalid_email" {
		t.Errorf("parks' refusal was not passed on: %+v", p)
	}
	a = serve(g, request{method: "POST", path: "/api/v1/auth/login", body: loginBody("a@example.com", "fail-500")})
	if a.status != http.StatusServiceUnavailable || a.problem(t).Slug != "service-unavailable" {
		t.Errorf("parks' failure: %d %s, want 503 service-unavailable", a.status, a.body)
	}
}

// Every answer of the gateway carries the browser hardening headers; HSTS
// only when the request came over TLS, as the connection or a trusted
// proxy proves it.
func TestBrowserHardeningHeaders(t *testing.T) {
	g, _ := newGateway(t, "10.0.0.0/8")
	for _, path := range []string{"/", "/login", "/dashboard", "/api/v1/auth/me", "/api/v1/nothing", "/healthz"} {
		a := serve(g, request{method: "GET", path: path})
		csp := a.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if strings.HasPrefix(path, "/api/") {
			if !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("%s: API answers get the data-only policy, got %q", path, csp)
			}
		} else if !strings.Contains(csp, "script-src 'self';") {
			t.Errorf("%s: console CSP does not keep scripts to the origin: %q", path, csp)
		}
		for k, want := range map[string]string{
			"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
		} {
			if got := a.header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		if hsts := a.header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s over plain HTTP: HSTS %q", path, hsts)
		}
	}
	// The console's CSP, directive by directive.
	csp := serve(g, request{method: "GET", path: "/"}).header.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	for name, want := range map[string]string{"script-src": "'self'", "object-src": "'none'", "base-uri": "'self'", "frame-ancestors": "'none'", "default-src": "'self'"} {
		if directives[name] != want {
			t.Errorf("console CSP %s = %q, want %q (%s)", name, directives[name], want, csp)
		}
	}

	for _, tc := range []struct {
		name   string
		remote string
		tls    bool
		proto  string
		want   bool
	}{
		{"direct TLS", "198.51.100.7:5000", true, "", true},
		{"trusted proxy says https", "10.0.0.9:5000", false, "https", true},
		{"trusted proxy says http", "10.0.0.9:5000", false, "http", false},
		{"a client claims https", "198.51.100.7:5000", false, "https", false},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.remote
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		rec := httptest.NewRecorder()
		g.Handler().ServeHTTP(rec, req)
		if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tc.want {
			t.Errorf("%s: HSTS sent %v, want %v", tc.name, got, tc.want)
		}
	}

	// /metrics is not on the public port, not even as a console page.
	if a := serve(g, request{method: "GET", path: "/metrics"}); a.status != http.StatusNotFound {
		t.Errorf("GET /metrics: %d", a.status)
	}
}
