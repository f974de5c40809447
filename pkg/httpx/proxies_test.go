package httpx_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/httpx"
)

func TestParseTrustedProxies(t *testing.T) {
	got, err := httpx.ParseTrustedProxies(" 10.0.0.0/8, 192.168.1.7 fd00::/8,,")
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]bool{"10.1.2.3": true, "192.168.1.7": true, "192.168.1.8": false, "fd00::1": true, "::ffff:10.0.0.1": true, "203.0.113.1": false, "nonsense": false} {
		if got.Contains(ip) != want {
			t.Errorf("Contains(%s) = %v, want %v", ip, !want, want)
		}
	}
	if none, err := httpx.ParseTrustedProxies(""); err != nil || len(none) != 0 {
		t.Errorf("empty list = %v, %v; want no proxies", none, err)
	}
	if _, err := httpx.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad network was accepted")
	}
	if _, err := httpx.ParseTrustedProxies("ingress.local"); err == nil {
		t.Error("a host name was accepted")
	}
}

// Every engine believes X-Forwarded-For and X-Forwarded-Proto only from
// the process's trusted proxies: by default from no one.
func TestForwardingHeadersOnlyFromTrustedProxies(t *testing.T) {
	serve := func(t *testing.T, trusted string, remote string, hdr map[string]string) (ip string, tls bool) {
		t.Helper()
		p, err := httpx.ParseTrustedProxies(trusted)
		if err != nil {
			t.Fatal(err)
		}
		httpx.SetTrustedProxies(p)
		t.Cleanup(func() { httpx.SetTrustedProxies(nil) })
		r := httpx.NewEngine("proxy-test", slog.New(slog.DiscardHandler))
		r.GET("/who", func(c *gin.Context) {
			c.Header("X-Client-IP", c.ClientIP())
			c.Header("X-Over-TLS", strconv.FormatBool(httpx.OverTLS(c)))
		})
		req := httptest.NewRequest(http.MethodGet, "/who", nil)
		req.RemoteAddr = remote
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Header().Get("X-Client-IP"), rec.Header().Get("X-Over-TLS") == "true"
	}
	forged := map[string]string{"X-Forwarded-For": "192.0.2.1", "X-Real-IP": "192.0.2.2", "X-Forwarded-Proto": "https"}
	for _, tc := range []struct {
		name, trusted, remote string
		hdr                   map[string]string
		wantIP                string
		wantTLS               bool
	}{
		{"default trusts no one", "", "198.51.100.7:4000", forged, "198.51.100.7", false},
		{"a peer outside the proxies", "10.0.0.0/8", "198.51.100.7:4000", forged, "198.51.100.7", false},
		{"a trusted proxy", "10.0.0.0/8", "10.1.1.1:4000", forged, "192.0.2.1", true},
		// The client prepends a forged entry; the proxy appends the real peer.
		{"a chain through a trusted proxy", "10.0.0.0/8", "10.1.1.1:4000",
			map[string]string{"X-Forwarded-For": "192.0.2.99, 203.0.113.5", "X-Forwarded-Proto": "http"}, "203.0.113.5", false},
		{"a trusted proxy without headers", "10.0.0.0/8", "10.1.1.1:4000", nil, "10.1.1.1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip, tls := serve(t, tc.trusted, tc.remote, tc.hdr)
			if ip != tc.wantIP || tls != tc.wantTLS {
				t.Errorf("client %s over TLS %v; want %s, %v", ip, tls, tc.wantIP, tc.wantTLS)
			}
		})
	}
}
