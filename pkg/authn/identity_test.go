package authn_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
)

func newSigner(t *testing.T, secret string) *authn.Signer {
	t.Helper()
	s, err := authn.NewSigner([]byte(secret))
	if err != nil {
		t.Fatalf("new signer: %v", err)
	}
	return s
}

const (
	secretA = "0123456789abcdef0123456789abcdef"
	secretB = "fedcba9876543210fedcba9876543210"
)

func TestNewSignerRejectsShortSecret(t *testing.T) {
	if _, err := authn.NewSigner([]byte(secretA[:31])); err == nil {
		t.Fatal("31-byte secret accepted")
	}
	if _, err := authn.NewSigner(nil); err == nil {
		t.Fatal("nil secret accepted")
	}
}

func TestSignerSignVerify(t *testing.T) {
	signer := newSigner(t, secretA)
	now := time.Date(2026, 3, 1, 10, 0, 0, 123456789, time.UTC)
	id := authn.Identity{UserID: "01HUSER", SessionID: "01HSESSION", IssuedAt: now}
	signed := signer.Sign(id)

	body, sig, ok := strings.Cut(signed, ".")
	if !ok {
		t.Fatalf("signed identity %q has no dot", signed)
	}
	// Flip one character of a base64url string to another valid one.
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	forged, err := json.Marshal(map[string]any{"uid": "01HADMIN", "sid": "01HSESSION", "iat": now})
	if err != nil {
		t.Fatal(err)
	}
	forgedBody := base64.RawURLEncoding.EncodeToString(forged)

	tests := []struct {
		name   string
		signer *authn.Signer
		value  string
		now    time.Time
		want   error // nil: valid
	}{
		{"valid", signer, signed, now, nil},
		{"valid 5 minutes later", signer, signed, now.Add(5 * time.Minute), nil},
		{"valid with verifier clock 1 minute behind", signer, signed, now.Add(-time.Minute), nil},
		{"tampered payload", signer, flip(body, 5) + "." + sig, now, authn.ErrIdentitySignature},
		{"swapped payload", signer, forgedBody + "." + sig, now, authn.ErrIdentitySignature},
		{"tampered signature", signer, body + "." + flip(sig, 3), now, authn.ErrIdentitySignature},
		{"truncated signature", signer, body + "." + sig[:len(sig)-4], now, authn.ErrIdentitySignature},
		{"wrong secret", newSigner(t, secretB), signed, now, authn.ErrIdentitySignature},
		{"expired", signer, signed, now.Add(5*time.Minute + time.Nanosecond), authn.ErrIdentityExpired},
		{"in the future", signer, signed, now.Add(-time.Minute - time.Nanosecond), authn.ErrIdentityFuture},
		{"empty", signer, "", now, authn.ErrIdentityMalformed},
		{"no dot", signer, body, now, authn.ErrIdentityMalformed},
		{"three parts", signer, signed + ".x", now, authn.ErrIdentityMalformed},
		{"signature not base64url", signer, body + ".***", now, authn.ErrIdentityMalformed},
		{"huge", signer, strings.Repeat("A", 10000) + "." + sig, now, authn.ErrIdentityMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.signer.Verify(tt.value, tt.now)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				if got.UserID != id.UserID || got.SessionID != id.SessionID || !got.IssuedAt.Equal(id.IssuedAt) {
					t.Fatalf("verified identity = %+v, want %+v", got, id)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if e, ok := apperr.As(err); !ok || e.Category != apperr.Unauthenticated || e.Slug != "invalid-identity" {
				t.Fatalf("error %v is not apperr unauthenticated/invalid-identity", err)
			}
			if got != (authn.Identity{}) {
				t.Fatalf("rejected identity returned %+v", got)
			}
		})
	}
}

func TestSignerRejectsSignedButEmptyUser(t *testing.T) {
	signer := newSigner(t, secretA)
	now := time.Now()
	_, err := signer.Verify(signer.Sign(authn.Identity{IssuedAt: now}), now)
	if !errors.Is(err, authn.ErrIdentityMalformed) {
		t.Fatalf("error = %v, want ErrIdentityMalformed", err)
	}
}

func TestContextRoundTrip(t *testing.T) {
	if _, ok := authn.FromContext(context.Background()); ok {
		t.Fatal("empty context has an identity")
	}
	id := authn.Identity{UserID: "u1", SessionID: "s1", IssuedAt: time.Unix(1, 0)}
	got, ok := authn.FromContext(authn.WithIdentity(context.Background(), id))
	if !ok || got != id {
		t.Fatalf("FromContext = %+v, %v; want %+v, true", got, ok, id)
	}
}

func TestMiddleware(t *testing.T) {
	gin.SetMode(gin.TestMode)
	signer := newSigner(t, secretA)
	other := newSigner(t, secretB)

	r := gin.New()
	r.Use(authn.Middleware(signer))
	// The handler reports what it saw, through both ways of reading it.
	r.GET("/whoami", func(c *gin.Context) {
		fromReq, okReq := authn.FromContext(c.Request.Context())
		fromGin, okGin := authn.FromContext(c)
		if okReq != okGin || fromReq != fromGin {
			c.String(http.StatusInternalServerError, "request and gin context disagree")
			return
		}
		if !okReq {
			c.String(http.StatusOK, "anonymous")
			return
		}
		c.String(http.StatusOK, fromReq.UserID+"/"+fromReq.SessionID)
	})

	tests := []struct {
		name       string
		header     string
		wantStatus int
		wantBody   string
	}{
		{"anonymous", "", http.StatusOK, "anonymous"},
		{"valid", signer.Sign(authn.Identity{UserID: "u1", SessionID: "s1", IssuedAt: time.Now()}), http.StatusOK, "u1/s1"},
		{"wrong secret", other.Sign(authn.Identity{UserID: "u1", IssuedAt: time.Now()}), http.StatusUnauthorized, ""},
		{"expired", signer.Sign(authn.Identity{UserID: "u1", IssuedAt: time.Now().Add(-time.Hour)}), http.StatusUnauthorized, ""},
		{"garbage", "not-an-identity", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
			if tt.header != "" {
				req.Header.Set(authn.HeaderIdentity, tt.header)
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body.String())
			}
			if tt.wantStatus == http.StatusOK {
				if rec.Body.String() != tt.wantBody {
					t.Fatalf("body = %q, want %q", rec.Body.String(), tt.wantBody)
				}
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content-type = %q, want application/problem+json", ct)
			}
			var p map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("problem body %q: %v", rec.Body.String(), err)
			}
			want := map[string]any{"type": "about:blank", "title": "Unauthorized", "status": float64(401), "code": "unauthenticated", "slug": "invalid-identity"}
			if len(p) != len(want) {
				t.Fatalf("problem = %v, want %v", p, want)
			}
			for k, v := range want {
				if p[k] != v {
					t.Fatalf("problem[%q] = %v, want %v (body %s)", k, p[k], v, rec.Body.String())
				}
			}
		})
	}
}
