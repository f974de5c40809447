package authn_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authn"
)

func TestSetAndClearSessionCookies(t *testing.T) {
	gin.SetMode(gin.TestMode)
	sess := authn.Session{ID: "s1", UserID: "u1", Token: "tok", CSRFToken: "csrf", ExpiresAt: time.Now().Add(time.Hour)}
	for _, secure := range []bool{false, true} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		authn.SetSessionCookies(c, sess, secure)
		cookies := map[string]*http.Cookie{}
		for _, ck := range rec.Result().Cookies() {
			cookies[ck.Name] = ck
		}
		sc, cc := cookies[authn.CookieSession], cookies[authn.CookieCSRF]
		if sc == nil || cc == nil {
			t.Fatalf("secure=%v: cookies set = %v", secure, rec.Header().Values("Set-Cookie"))
		}
		if sc.Value != "tok" || !sc.HttpOnly || sc.Secure != secure || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" {
			t.Fatalf("secure=%v: session cookie %+v", secure, sc)
		}
		if cc.Value != "csrf" || cc.HttpOnly || cc.Secure != secure || cc.SameSite != http.SameSiteLaxMode || cc.Path != "/" {
			t.Fatalf("secure=%v: csrf cookie %+v", secure, cc)
		}
		for _, ck := range []*http.Cookie{sc, cc} {
			if ck.MaxAge < 3500 || ck.MaxAge > 3600 {
				t.Fatalf("cookie %s max-age %d, want about 3600", ck.Name, ck.MaxAge)
			}
		}

		rec = httptest.NewRecorder()
		c, _ = gin.CreateTestContext(rec)
		authn.ClearSessionCookies(c, secure)
		cleared := map[string]bool{}
		for _, ck := range rec.Result().Cookies() {
			if ck.MaxAge >= 0 || ck.Value != "" || ck.Path != "/" || ck.Secure != secure {
				t.Fatalf("clearing cookie %+v", ck)
			}
			cleared[ck.Name] = true
		}
		if !cleared[authn.CookieSession] || !cleared[authn.CookieCSRF] {
			t.Fatalf("cleared %v, want both cookies", cleared)
		}
	}
}

func TestTokenFromRequest(t *testing.T) {
	tests := []struct {
		name      string
		auth      string
		cookie    string
		wantToken string
		wantViaCk bool
	}{
		{"nothing", "", "", "", false},
		{"bearer", "Bearer abc", "", "abc", false},
		{"bearer lower-case scheme", "bearer abc", "", "abc", false},
		{"bearer wins over cookie", "Bearer abc", "ck", "abc", false},
		{"cookie", "", "ck", "ck", true},
		{"basic auth falls back to cookie", "Basic dXNlcjpwYXNz", "ck", "ck", true},
		{"empty bearer", "Bearer ", "", "", false},
		{"basic auth only", "Basic dXNlcjpwYXNz", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: authn.CookieSession, Value: tt.cookie})
			}
			tok, via := authn.TokenFromRequest(r)
			if tok != tt.wantToken || via != tt.wantViaCk {
				t.Fatalf("TokenFromRequest = %q, %v; want %q, %v", tok, via, tt.wantToken, tt.wantViaCk)
			}
		})
	}
}

func TestCSRFRequired(t *testing.T) {
	tests := []struct {
		method    string
		viaCookie bool
		want      bool
	}{
		{http.MethodGet, true, false},
		{http.MethodHead, true, false},
		{http.MethodOptions, true, false},
		{http.MethodPost, true, true},
		{http.MethodPut, true, true},
		{http.MethodPatch, true, true},
		{http.MethodDelete, true, true},
		{http.MethodPost, false, false},
		{http.MethodDelete, false, false},
	}
	for _, tt := range tests {
		if got := authn.CSRFRequired(tt.method, tt.viaCookie); got != tt.want {
			t.Errorf("CSRFRequired(%s, viaCookie=%v) = %v, want %v", tt.method, tt.viaCookie, got, tt.want)
		}
	}
}
