// Package app holds the gateway's use cases: signing in and out, and
// routing authenticated requests to the service that owns them.
package app

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
)

// Routes maps each service to the /api/v1 path prefixes it owns.
var Routes = map[string][]string{
	"parks": {"/api/v1/me", "/api/v1/regions", "/api/v1/carriers", "/api/v1/invitations", "/api/v1/users"},
}

// Upstreams resolves a request path to the handler of its service: an
// in-process http.Handler in the all-in-one mode, or a reverse proxy to the
// service's URL when services run apart. Both are http.Handlers, so the
// gateway has one code path.
type Upstreams struct {
	byService map[string]http.Handler
	prefixes  []prefix
}

type prefix struct {
	path, service string
}

// NewUpstreams builds the table from services' handlers.
func NewUpstreams(handlers map[string]http.Handler) *Upstreams {
	u := &Upstreams{byService: handlers}
	for svc, ps := range Routes {
		if _, ok := handlers[svc]; !ok {
			continue
		}
		for _, p := range ps {
			u.prefixes = append(u.prefixes, prefix{p, svc})
		}
	}
	// Longest prefix first.
	sort.Slice(u.prefixes, func(i, j int) bool { return len(u.prefixes[i].path) > len(u.prefixes[j].path) })
	return u
}

// Proxy returns a reverse proxy to a service at base.
func Proxy(base *url.URL) http.Handler {
	return &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(base)
		r.Out.URL.Path = r.In.URL.Path
		r.Out.URL.RawPath = r.In.URL.RawPath
		r.SetXForwarded()
	}}
}

// Lookup returns the service and handler owning path.
func (u *Upstreams) Lookup(path string) (string, http.Handler, bool) {
	for _, p := range u.prefixes {
		if path == p.path || strings.HasPrefix(path, p.path+"/") {
			return p.service, u.byService[p.service], true
		}
	}
	return "", nil, false
}

// Service returns one service's handler.
func (u *Upstreams) Service(name string) (http.Handler, bool) {
	h, ok := u.byService[name]
	return h, ok
}

// Services lists the configured service names.
func (u *Upstreams) Services() []string {
	var out []string
	for s := range u.byService {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
