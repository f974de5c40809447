package ports

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// ConsoleCSP is the Content-Security-Policy of the console's pages. Scripts
// come only from the console's own origin: the Vite build emits no inline
// script. Styles may be inline because Ant Design's CSS-in-JS inserts
// <style> elements and ECharts sets style attributes; an injected style
// cannot run code. Images may be data: or blob: URLs (icons, previews).
// frame-ancestors 'none' keeps the console out of other sites' frames
// (clickjacking); X-Frame-Options says the same to older browsers.
const ConsoleCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// APICSP is the policy of API answers: they are data, never a page, so a
// browser that renders one (an uploaded file shown inline, a JSON error)
// runs nothing from it and nobody frames it.
const APICSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

// hstsValue asks browsers to use HTTPS only for two years. It is sent only
// on requests that came over TLS (RFC 6797 §7.2: a user agent ignores it on
// plain HTTP, and a plain-HTTP deployment must not be told to upgrade).
const hstsValue = "max-age=63072000"

// browserHeaders sets the hardening headers on every answer of the
// gateway: console pages, static files and the API alike.
func browserHeaders(c *gin.Context) {
	h := c.Writer.Header()
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Content-Security-Policy", APICSP)
	} else {
		h.Set("Content-Security-Policy", ConsoleCSP)
	}
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if httpx.OverTLS(c) {
		h.Set("Strict-Transport-Security", hstsValue)
	}
	c.Next()
}

// sameSite refuses unsafe requests a browser sends on behalf of another
// site: sign-in (login CSRF: the victim's browser signed in to the
// attacker's account), sign-out, and every write the gateway forwards. A
// browser names the site in Sec-Fetch-Site and Origin; a request without
// either is not a modern browser's cross-site request (curl, scripts,
// server-side clients) and passes: those carry a bearer token or, on
// sign-in, a JSON body a cross-site form cannot send. Cookie-authenticated
// writes also need the CSRF token; this is the layer in front of it.
func (h *HTTP) sameSite(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		c.Next()
		return
	}
	if strings.EqualFold(c.GetHeader("Sec-Fetch-Site"), "cross-site") || !h.originAllowed(c) {
		httpx.Error(c, apperr.ForbiddenErr("cross-site-request"))
		return
	}
	c.Next()
}

// originAllowed accepts a missing Origin, the public URL's origin and an
// origin naming the host the request was sent to (the console served from
// another address than the public URL: a port-forward, the Vite dev server).
// "null" (sandboxed frames, some redirects) is refused.
func (h *HTTP) originAllowed(c *gin.Context) bool {
	origin := c.GetHeader("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if h.PublicOrigin != "" && strings.EqualFold(u.Scheme+"://"+u.Host, h.PublicOrigin) {
		return true
	}
	return strings.EqualFold(u.Host, c.Request.Host)
}

// PublicOrigin returns the scheme://host[:port] of a public URL, "" when it
// is not an absolute http(s) URL.
func PublicOrigin(publicURL string) string {
	u, err := url.Parse(strings.TrimSpace(publicURL))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}
