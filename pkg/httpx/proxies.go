package httpx

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// TrustedProxies are the networks whose forwarding headers
// (X-Forwarded-For, X-Real-IP, X-Forwarded-Proto) an engine believes. A
// request from any other peer is taken at its word only for what the
// connection itself proves: its address is the TCP peer's, and it came over
// TLS only if this process terminated TLS. Without this, a client names its
// own address (and so dodges the sign-in throttle, or locks out an address
// it picks) and claims HTTPS.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a comma- or space-separated list of CIDR
// networks or single addresses ("10.0.0.0/8, 192.168.1.7"). An empty list
// trusts no one.
func ParseTrustedProxies(list string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is neither a CIDR network nor an address", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Contains reports whether addr (an IP, as in a RemoteAddr without port)
// is in one of the networks.
func (t TrustedProxies) Contains(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (t TrustedProxies) strings() []string {
	out := make([]string, 0, len(t))
	for _, p := range t {
		out = append(out, p.String())
	}
	return out
}

var (
	proxiesMu sync.RWMutex
	proxies   TrustedProxies
)

// SetTrustedProxies sets the proxies every engine built afterwards by
// NewEngine trusts. It is a process setting (INCUCHAIN_TRUSTED_PROXIES),
// installed once by platform.Main before any service is built, so that
// every service of the process, not only the gateway, reads client
// addresses the same way. Until it is called, no one is trusted.
func SetTrustedProxies(t TrustedProxies) {
	proxiesMu.Lock()
	defer proxiesMu.Unlock()
	proxies = append(TrustedProxies(nil), t...)
}

func currentProxies() TrustedProxies {
	proxiesMu.RLock()
	defer proxiesMu.RUnlock()
	return proxies
}

const ctxViaTrustedProxy = "incuchain.via_trusted_proxy"

// trustProxies makes r believe forwarding headers only from t. gin's own
// default trusts every peer.
func trustProxies(r *gin.Engine, t TrustedProxies) gin.HandlerFunc {
	// Only fails on unparsable entries, and t holds parsed prefixes.
	if err := r.SetTrustedProxies(t.strings()); err != nil {
		panic(err)
	}
	return func(c *gin.Context) {
		if len(t) > 0 {
			if host, _, err := net.SplitHostPort(strings.TrimSpace(c.Request.RemoteAddr)); err == nil && t.Contains(host) {
				c.Set(ctxViaTrustedProxy, true)
			}
		}
		c.Next()
	}
}

// ViaTrustedProxy reports whether the request's peer is a trusted proxy,
// so its forwarding headers may be believed.
func ViaTrustedProxy(c *gin.Context) bool { return c.GetBool(ctxViaTrustedProxy) }

// OverTLS reports whether the client's request arrived over TLS: on a TLS
// connection to this process, or through a trusted proxy that says so in
// X-Forwarded-Proto. A client talking to the process directly cannot claim
// HTTPS with a header.
func OverTLS(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	return ViaTrustedProxy(c) && strings.EqualFold(strings.TrimSpace(lastForwarded(c.GetHeader("X-Forwarded-Proto"))), "https")
}

// lastForwarded returns the last entry of a comma-separated forwarding
// header: the one the nearest (trusted) proxy wrote.
func lastForwarded(v string) string {
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		return v[i+1:]
	}
	return v
}
