// Package ports is the gateway's HTTP surface: sign-in endpoints, the
// authenticated pass-through to services, the merged OpenAPI document and
// the console's static files.
package ports

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/services/gateway/internal/app"
)

// HTTP is the gateway's handlers.
type HTTP struct {
	Auth          *app.Auth
	Upstreams     *app.Upstreams
	WebDir        string
	SecureCookies bool
	// PublicOrigin is the console's public scheme://host[:port] (see
	// PublicOrigin); writes from it are never cross-site.
	PublicOrigin string

	static *staticFiles
}

// Mount registers the gateway's routes on r and returns its own OpenAPI
// document (merged with the services' at request time).
func (h *HTTP) Mount(r *gin.Engine) *httpx.OpenAPI {
	// Before any route: gin copies the middleware into each route as it is
	// added (and into the 404 and 405 chains on Use).
	r.Use(browserHeaders, h.sameSite)
	h.static = newStaticFiles(h.WebDir)
	doc := httpx.NewOpenAPI("Incuchain", "1.0.0")
	add := func(rt httpx.Route, fn gin.HandlerFunc) {
		r.Handle(rt.Method, rt.Path, fn)
		rt.Tag = "auth 登录"
		doc.Add(rt)
	}
	add(httpx.Route{Method: "POST", Path: "/api/v1/auth/login", Summary: "登录 / Sign in", Request: loginInput{}, Response: loginOutput{}, Status: 200, Public: true}, h.login)
	add(httpx.Route{Method: "POST", Path: "/api/v1/auth/logout", Summary: "退出 / Sign out", Status: 204}, h.logout)
	// Parks answers it (GET /api/v1/me), so parks' document describes it.
	add(httpx.Route{Method: "GET", Path: "/api/v1/auth/me", Summary: "当前用户 / The signed-in user and roles", Status: 200, ResponseSchema: "parks_meDTO"}, h.me)
	r.GET("/api/v1/openapi.json", h.openapi(doc))
	// Everything else under /api/v1 belongs to a service; the rest is the
	// console. (A gin catch-all cannot sit beside the static auth routes.)
	r.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/v1/") {
			h.forward(c)
			return
		}
		h.console(c)
	})
	return doc
}

type loginInput struct {
	Email     string `json:"email"`
	Password  string `json:"password" text:"raw"` // hashed, never shown: any character
	WantToken bool   `json:"want_token"`
}

type loginOutput struct {
	User      app.User `json:"user"`
	CSRFToken string   `json:"csrf_token"`
	Token     string   `json:"token,omitempty"`
	ExpiresAt string   `json:"expires_at"`
}

// secure reports whether cookies get the Secure flag: configured, or the
// request came over TLS (a proxy's X-Forwarded-Proto counts only from a
// trusted proxy).
func (h *HTTP) secure(c *gin.Context) bool {
	return h.SecureCookies || httpx.OverTLS(c)
}

func (h *HTTP) login(c *gin.Context) {
	// JSON only (httpx.Bind answers 415 otherwise): a cross-site HTML form
	// can post urlencoded, multipart or text/plain without a preflight, but
	// not application/json.
	var in loginInput
	if err := httpx.Bind(c, &in); err != nil {
		httpx.Error(c, err)
		return
	}
	u, sess, err := h.Auth.Login(c.Request.Context(), in.Email, in.Password, c.Request.UserAgent(), c.ClientIP())
	if err != nil {
		httpx.Error(c, err)
		return
	}
	authn.SetSessionCookies(c, sess, h.secure(c))
	out := loginOutput{User: u, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt.UTC().Format(time.RFC3339)}
	if in.WantToken {
		out.Token = sess.Token
	}
	c.JSON(http.StatusOK, out)
}

func (h *HTTP) logout(c *gin.Context) {
	token, viaCookie := authn.TokenFromRequest(c.Request)
	if token != "" {
		sess, err := h.Auth.Sessions.Lookup(c.Request.Context(), token)
		if err == nil {
			if viaCookie && !h.Auth.Sessions.CheckCSRF(c.Request.Context(), sess, c.GetHeader(authn.HeaderCSRF)) {
				httpx.Error(c, apperr.ForbiddenErr("csrf-failed"))
				return
			}
			if err := h.Auth.Sessions.Revoke(c.Request.Context(), token); err != nil {
				httpx.Error(c, err)
				return
			}
		}
	}
	authn.ClearSessionCookies(c, h.secure(c))
	c.Status(http.StatusNoContent)
}

// me answers from the parks service, which owns users and roles.
func (h *HTTP) me(c *gin.Context) {
	c.Request.URL.Path = "/api/v1/me"
	h.forward(c)
}

// authenticate resolves the caller from a session cookie or bearer token
// and enforces CSRF on cookie-authenticated unsafe requests. It returns
// the identity to forward (empty for anonymous callers).
func (h *HTTP) authenticate(c *gin.Context) (authn.Identity, error) {
	token, viaCookie := authn.TokenFromRequest(c.Request)
	if token == "" {
		return authn.Identity{}, nil
	}
	sess, err := h.Auth.Sessions.Lookup(c.Request.Context(), token)
	if err != nil {
		if viaCookie {
			// A stale cookie makes the caller anonymous, so public
			// endpoints keep working; protected ones answer 401.
			authn.ClearSessionCookies(c, h.secure(c))
			return authn.Identity{}, nil
		}
		return authn.Identity{}, err
	}
	if authn.CSRFRequired(c.Request.Method, viaCookie) && !h.Auth.Sessions.CheckCSRF(c.Request.Context(), sess, c.GetHeader(authn.HeaderCSRF)) {
		return authn.Identity{}, apperr.ForbiddenErr("csrf-failed")
	}
	return authn.Identity{UserID: sess.UserID, SessionID: sess.ID, IssuedAt: h.Auth.Now()}, nil
}

// forward passes an /api/v1 request to its service with a signed identity.
func (h *HTTP) forward(c *gin.Context) {
	// Never trust an identity header from outside.
	c.Request.Header.Del(authn.HeaderIdentity)
	_, handler, ok := h.Upstreams.Lookup(c.Request.Context(), c.Request.Method, c.Request.URL.Path)
	if !ok {
		httpx.Error(c, apperr.NotFoundErr("route-not-found"))
		return
	}
	id, err := h.authenticate(c)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	if id.UserID != "" {
		c.Request.Header.Set(authn.HeaderIdentity, h.Auth.Signer.Sign(id))
	}
	c.Request.Header.Set(httpx.HeaderRequestID, httpx.RequestID(c))
	handler.ServeHTTP(c.Writer, c.Request)
	c.Abort()
}

func (h *HTTP) openapi(own *httpx.OpenAPI) gin.HandlerFunc {
	return func(c *gin.Context) {
		merged, err := h.MergedOpenAPI(c.Request.Context(), own)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		c.JSON(http.StatusOK, merged)
	}
}

// MergedOpenAPI is the gateway's own document merged with every service's.
// It fails when two documents describe one schema or operation
// differently, rather than publish whichever came last.
func (h *HTTP) MergedOpenAPI(ctx context.Context, own *httpx.OpenAPI) (*httpx.OpenAPI, error) {
	merged := httpx.NewOpenAPI("Incuchain 孵化链 API", "1.0.0")
	if err := merged.Merge(own); err != nil {
		return nil, err
	}
	for _, svc := range h.Upstreams.Services() {
		doc, err := h.ServiceDoc(ctx, svc)
		if err != nil {
			return nil, err
		}
		if err := merged.Merge(doc); err != nil {
			return nil, err
		}
	}
	return merged, nil
}

// ServiceDoc is one service's own OpenAPI document.
func (h *HTTP) ServiceDoc(ctx context.Context, svc string) (*httpx.OpenAPI, error) {
	var raw json.RawMessage
	status, err := h.Auth.CallService(ctx, svc, http.MethodGet, "/openapi.json", nil, &raw)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, apperr.New(apperr.Unavailable, "service-unavailable").With("service", svc)
	}
	doc := httpx.NewOpenAPI("", "")
	if err := json.Unmarshal(raw, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// console serves the built web console with a fallback to index.html for
// client-side routes.
func (h *HTTP) console(c *gin.Context) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		httpx.Error(c, apperr.NotFoundErr("route-not-found"))
		return
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") || c.Request.URL.Path == "/metrics" {
		// /metrics is the metrics listener's, never a console page.
		httpx.Error(c, apperr.NotFoundErr("route-not-found"))
		return
	}
	if clean, st, ok := h.static.lookup(c.Request.URL.Path); ok {
		h.static.serve(c.Writer, c.Request, clean, st)
		return
	}
	if strings.HasPrefix(c.Request.URL.Path, "/assets/") {
		// A hashed asset that is gone (an old tab after a new deployment)
		// must not get index.html with a JavaScript content type's status.
		httpx.Error(c, apperr.NotFoundErr("route-not-found"))
		return
	}
	clean, st, ok := h.static.lookup("/index.html")
	if !ok {
		c.Header("Cache-Control", cacheRevalidate)
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(consoleMissing))
		return
	}
	h.static.serve(c.Writer, c.Request, clean, st)
}

const consoleMissing = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>孵化链 Incuchain</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>孵化链 Incuchain</h1>
<p>控制台尚未构建：请运行 <code>make web</code>（<code>make run</code> 会自动构建）。</p>
<p>The console has not been built: run <code>make web</code> (<code>make run</code> does it for you).</p>
<p>API: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p></body></html>`
