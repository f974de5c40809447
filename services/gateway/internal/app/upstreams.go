// Package app holds the gateway's use cases: signing in and out, and
// routing authenticated requests to the service that owns them.
package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Upstreams resolves a request to the handler of the service that declares
// its route: an in-process http.Handler in the all-in-one mode, or a
// reverse proxy to the service's URL when services run apart. Both are
// http.Handlers, so the gateway has one code path.
//
// The routing table is the services' own route lists, never a map kept by
// hand beside them (one went stale: a new resource answered 404 at the
// gateway while its service served it). An in-process service gives its
// routes when the gateway is built; a service reached by URL is asked for
// its /openapi.json, at the first request it may own and again, at most
// every LearnEvery, while a request matches no known route.
type Upstreams struct {
	byService map[string]http.Handler

	mu     sync.RWMutex
	routes []pattern // most specific first

	// learn fetches a service's "METHOD /path" list (its OpenAPI
	// operations); nil when every service runs in-process.
	learn      func(ctx context.Context, service string) ([]string, error)
	learnMu    sync.Mutex
	remote     map[string]*learnt
	now        func() time.Time
	LearnEvery time.Duration
}

// learnt is when the gateway last asked a service reached by URL.
type learnt struct {
	tried time.Time
}

// pattern is one route: a method and its path segments, ":name" for a
// parameter.
type pattern struct {
	method   string
	segments []string
	service  string
}

// NewUpstreams builds the table. handlers maps each service to its
// handler; routes gives the "METHOD /path" list (gin syntax) of each
// in-process service. A service with a handler but no routes is asked for
// them through learn. Two services declaring one route is an error: the
// gateway could forward it to either.
func NewUpstreams(handlers map[string]http.Handler, routes map[string][]string, learn func(ctx context.Context, service string) ([]string, error)) (*Upstreams, error) {
	u := &Upstreams{byService: handlers, learn: learn, remote: map[string]*learnt{}, now: time.Now, LearnEvery: 2 * time.Second}
	// In name order, so that a conflict is reported the same way each time.
	services := make([]string, 0, len(handlers))
	for svc := range handlers {
		services = append(services, svc)
	}
	sort.Strings(services)
	for _, svc := range services {
		rs, ok := routes[svc]
		if !ok {
			u.remote[svc] = &learnt{}
			continue
		}
		if err := u.add(svc, rs); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// add puts service's /api/v1 routes into the table; the rest (probes,
// internal calls, the service's own document) is not the gateway's to
// forward.
func (u *Upstreams) add(service string, routes []string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	kept := u.routes[:0:0]
	for _, p := range u.routes {
		if p.service != service {
			kept = append(kept, p)
		}
	}
	for _, r := range routes {
		method, path, ok := strings.Cut(r, " ")
		if !ok || !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		p := pattern{method: strings.ToUpper(method), segments: split(path), service: service}
		for _, q := range kept {
			if q.method == p.method && q.sameShape(p) && q.service != service {
				return fmt.Errorf("gateway: %s %s is declared by both %s and %s", p.method, path, q.service, service)
			}
		}
		kept = append(kept, p)
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].moreSpecific(kept[j]) })
	u.routes = kept
	return nil
}

func split(path string) []string { return strings.Split(strings.Trim(path, "/"), "/") }

func isParam(s string) bool { return strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") }

// sameShape reports whether p and q match the same paths.
func (p pattern) sameShape(q pattern) bool {
	if len(p.segments) != len(q.segments) {
		return false
	}
	for i, s := range p.segments {
		if isParam(s) != isParam(q.segments[i]) || (!isParam(s) && s != q.segments[i]) {
			return false
		}
	}
	return true
}

// moreSpecific orders routes as gin's tree prefers them: at the first
// segment where they differ in kind, a literal wins over a parameter.
func (p pattern) moreSpecific(q pattern) bool {
	for i := 0; i < len(p.segments) && i < len(q.segments); i++ {
		if a, b := isParam(p.segments[i]), isParam(q.segments[i]); a != b {
			return !a
		}
	}
	return len(p.segments) > len(q.segments)
}

func (p pattern) matches(segs []string) bool {
	if len(segs) != len(p.segments) {
		return false
	}
	for i, s := range p.segments {
		if !isParam(s) && s != segs[i] {
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

// Lookup returns the service and handler owning method and path. A path
// one service declares under another method still goes to that service,
// which answers it (405 or 404) as it answers its own callers.
func (u *Upstreams) Lookup(ctx context.Context, method, path string) (string, http.Handler, bool) {
	if svc, ok := u.match(method, path); ok {
		return svc, u.byService[svc], true
	}
	if u.learnRemote(ctx) {
		if svc, ok := u.match(method, path); ok {
			return svc, u.byService[svc], true
		}
	}
	return "", nil, false
}

func (u *Upstreams) match(method, path string) (string, bool) {
	segs := split(path)
	u.mu.RLock()
	defer u.mu.RUnlock()
	owner := ""
	for _, p := range u.routes {
		if !p.matches(segs) {
			continue
		}
		if p.method == method {
			return p.service, true
		}
		if owner == "" {
			owner = p.service
		}
	}
	return owner, owner != ""
}

// learnRemote asks each service reached by URL for its routes, unless it
// was asked within LearnEvery, and reports whether the table changed. A
// service that does not answer is asked again later: it may start after
// the gateway.
func (u *Upstreams) learnRemote(ctx context.Context) bool {
	if u.learn == nil || len(u.remote) == 0 {
		return false
	}
	u.learnMu.Lock()
	defer u.learnMu.Unlock()
	changed := false
	for _, svc := range u.Services() {
		l, ok := u.remote[svc]
		if !ok || u.now().Sub(l.tried) < u.LearnEvery {
			continue
		}
		l.tried = u.now()
		routes, err := u.learn(ctx, svc)
		if err != nil {
			continue
		}
		if err := u.add(svc, routes); err != nil {
			continue
		}
		changed = true
	}
	return changed
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
