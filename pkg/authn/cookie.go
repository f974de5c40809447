package authn

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Cookie and header names of the console session.
const (
	CookieSession = "incuchain_session"
	CookieCSRF    = "incuchain_csrf"
	HeaderCSRF    = "X-CSRF-Token"
)

// SetSessionCookies writes the session cookie (HttpOnly, so scripts cannot
// steal it) and the CSRF cookie (readable by the console's JavaScript, which
// echoes it in HeaderCSRF: the double-submit pattern). Both are
// SameSite=Lax, Path=/, expire with the session, and are Secure when secure
// is set (the gateway is served over TLS).
func SetSessionCookies(c *gin.Context, sess Session, secure bool) {
	maxAge := int(time.Until(sess.ExpiresAt) / time.Second)
	if maxAge < 1 {
		maxAge = 1 // MaxAge 0 would mean "no Max-Age"; the session is about to end anyway
	}
	expires := sess.ExpiresAt.UTC()
	http.SetCookie(c.Writer, &http.Cookie{
		Name: CookieSession, Value: sess.Token, Path: "/",
		Expires: expires, MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
	http.SetCookie(c.Writer, &http.Cookie{
		Name: CookieCSRF, Value: sess.CSRFToken, Path: "/",
		Expires: expires, MaxAge: maxAge,
		HttpOnly: false, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookies tells the browser to drop both cookies (logout).
func ClearSessionCookies(c *gin.Context, secure bool) {
	for _, name := range []string{CookieSession, CookieCSRF} {
		http.SetCookie(c.Writer, &http.Cookie{
			Name: name, Value: "", Path: "/",
			Expires: time.Unix(0, 0), MaxAge: -1,
			HttpOnly: name == CookieSession, Secure: secure, SameSite: http.SameSiteLaxMode,
		})
	}
}

// TokenFromRequest returns the session token of r: from
// "Authorization: Bearer <token>" when present (viaCookie false), else from
// the session cookie (viaCookie true). It returns "" when there is neither.
func TokenFromRequest(r *http.Request) (token string, viaCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, ok := strings.Cut(strings.TrimSpace(h), " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			if t = strings.TrimSpace(t); t != "" {
				return t, false
			}
		}
	}
	if ck, err := r.Cookie(CookieSession); err == nil && ck.Value != "" {
		return ck.Value, true
	}
	return "", false
}

// CSRFRequired reports whether a request must carry a matching HeaderCSRF:
// unsafe methods authenticated by cookie. Bearer requests are exempt, since
// browsers never attach an Authorization header on their own.
func CSRFRequired(method string, viaCookie bool) bool {
	if !viaCookie {
		return false
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}
