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

// Routes maps each service to the /api/v1 path prefixes it owns. A "*"
// segment matches any one segment; the prefix with the most segments wins,
// so /api/v1/regions/*/companies goes to incubatees while the rest of
// /api/v1/regions goes to parks.
var Routes = map[string][]string{
	"parks": {"/api/v1/me", "/api/v1/regions", "/api/v1/carriers", "/api/v1/invitations", "/api/v1/users"},
	"incubatees": {"/api/v1/me/companies", "/api/v1/companies", "/api/v1/intake-calls", "/api/v1/applications", "/api/v1/residencies", "/api/v1/enrolment-offers",
		"/api/v1/regions/*/companies", "/api/v1/regions/*/intake-calls", "/api/v1/regions/*/rule-packs", "/api/v1/regions/*/residencies",
		"/api/v1/carriers/*/intake-calls", "/api/v1/carriers/*/applications", "/api/v1/carriers/*/residencies", "/api/v1/carriers/*/reports", "/api/v1/carriers/*/enrolment-offers"},
	"documents": {"/api/v1/documents", "/api/v1/documents-maintenance", "/api/v1/checklists", "/api/v1/uploads",
		"/api/v1/companies/*/documents", "/api/v1/companies/*/uploads", "/api/v1/regions/*/documents", "/api/v1/regions/*/document-types",
		"/api/v1/carriers/*/documents", "/api/v1/carriers/*/document-usage"},
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
	segments []string
	service  string
}

// NewUpstreams builds the table from services' handlers.
func NewUpstreams(handlers map[string]http.Handler) *Upstreams {
	u := &Upstreams{byService: handlers}
	for svc, ps := range Routes {
		if _, ok := handlers[svc]; !ok {
			continue
		}
		for _, p := range ps {
			u.prefixes = append(u.prefixes, prefix{strings.Split(strings.Trim(p, "/"), "/"), svc})
		}
	}
	sort.Slice(u.prefixes, func(i, j int) bool { return len(u.prefixes[i].segments) > len(u.prefixes[j].segments) })
	return u
}

func (p prefix) matches(segs []string) bool {
	if len(segs) < len(p.segments) {
		return false
	}
	for i, s := range p.segments {
		if s != "*" && s != segs[i] {
			return false
		}
	}
	return true
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
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, p := range u.prefixes {
		if p.matches(segs) {
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
