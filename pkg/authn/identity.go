package authn

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/apperr"
)

// HeaderIdentity carries the signed caller identity from the gateway to the
// services.
const HeaderIdentity = "X-Incuchain-Identity"

// Freshness bounds of a signed identity. The gateway signs per forwarded
// request, so five minutes covers slow hops and queued requests; one minute
// of future tolerance absorbs clock skew between hosts.
const (
	IdentityMaxAge   = 5 * time.Minute
	IdentityMaxSkew  = 1 * time.Minute
	minSecretLen     = 32
	maxIdentityBytes = 4096 // bound on the header before decoding it
)

// Reasons Verify rejects a signed identity; each is wrapped in an
// apperr.Unauthenticated error with slug "invalid-identity".
var (
	ErrIdentityMalformed = errors.New("identity malformed")
	ErrIdentitySignature = errors.New("identity signature mismatch")
	ErrIdentityExpired   = errors.New("identity expired")
	ErrIdentityFuture    = errors.New("identity issued in the future")
)

// Identity is the authenticated caller as the gateway vouches for it.
type Identity struct {
	UserID    string
	SessionID string
	IssuedAt  time.Time
}

// identityClaims is the wire form; short keys keep the header small.
type identityClaims struct {
	UserID    string    `json:"uid"`
	SessionID string    `json:"sid,omitempty"`
	IssuedAt  time.Time `json:"iat"`
}

// Signer signs and verifies identities with a shared internal secret.
type Signer struct {
	secret []byte
}

// NewSigner returns a Signer keyed by secret, which must be at least 32
// bytes (the HMAC-SHA256 block of entropy a guess would have to match).
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < minSecretLen {
		return nil, fmt.Errorf("identity signer: secret is %d bytes, want at least %d", len(secret), minSecretLen)
	}
	return &Signer{secret: append([]byte(nil), secret...)}, nil
}

var b64 = base64.RawURLEncoding

// Sign returns base64url(json) + "." + base64url(HMAC-SHA256(secret, first part)).
// IssuedAt is stored in UTC; callers normally set it to time.Now().
func (s *Signer) Sign(id Identity) string {
	// Marshalling a struct of strings and a time cannot fail for times in
	// years 0..9999, which is all a clock produces.
	payload, _ := json.Marshal(identityClaims{UserID: id.UserID, SessionID: id.SessionID, IssuedAt: id.IssuedAt.UTC()})
	body := b64.EncodeToString(payload)
	return body + "." + b64.EncodeToString(s.mac(body))
}

func (s *Signer) mac(body string) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(body))
	return m.Sum(nil)
}

// Verify checks the signature of v and that it was issued no more than
// IdentityMaxAge before now and no more than IdentityMaxSkew after it.
// Errors are apperr.Unauthenticated ("invalid-identity") wrapping one of
// the ErrIdentity… reasons.
func (s *Signer) Verify(v string, now time.Time) (Identity, error) {
	reject := func(reason error) (Identity, error) {
		return Identity{}, apperr.New(apperr.Unauthenticated, "invalid-identity").Wrap(reason)
	}
	if len(v) > maxIdentityBytes {
		return reject(ErrIdentityMalformed)
	}
	body, sig, ok := strings.Cut(v, ".")
	if !ok || body == "" || strings.Contains(sig, ".") {
		return reject(ErrIdentityMalformed)
	}
	gotMAC, err := b64.DecodeString(sig)
	if err != nil {
		return reject(ErrIdentityMalformed)
	}
	// Check the signature before looking inside: unsigned bytes are not
	// parsed at all.
	if !hmac.Equal(gotMAC, s.mac(body)) {
		return reject(ErrIdentitySignature)
	}
	payload, err := b64.DecodeString(body)
	if err != nil {
		return reject(ErrIdentityMalformed)
	}
	var c identityClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.UserID == "" || c.IssuedAt.IsZero() {
		return reject(ErrIdentityMalformed)
	}
	switch {
	case now.Sub(c.IssuedAt) > IdentityMaxAge:
		return reject(ErrIdentityExpired)
	case c.IssuedAt.Sub(now) > IdentityMaxSkew:
		return reject(ErrIdentityFuture)
	}
	return Identity(c), nil
}

// problemInvalidIdentity is written by Middleware directly: pkg/httpx builds
// on this package, so it cannot be used here.
var problemInvalidIdentity = []byte(`{"type":"about:blank","title":"Unauthorized","status":401,"code":"unauthenticated","slug":"invalid-identity"}`)

// Middleware verifies HeaderIdentity on each request. A valid identity is
// put in the request context (read it with FromContext); a request without
// the header continues anonymously, so routes decide whether they need a
// caller; a present but invalid header is answered 401 problem+json.
func Middleware(s *Signer) gin.HandlerFunc {
	return func(c *gin.Context) {
		v := c.GetHeader(HeaderIdentity)
		if v == "" {
			c.Next()
			return
		}
		id, err := s.Verify(v, time.Now())
		if err != nil {
			c.Header("Cache-Control", "no-store")
			c.Data(http.StatusUnauthorized, "application/problem+json", problemInvalidIdentity)
			c.Abort()
			return
		}
		c.Request = c.Request.WithContext(WithIdentity(c.Request.Context(), id))
		c.Next()
	}
}

type identityKey struct{}

// WithIdentity returns a context carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// FromContext returns the identity in ctx, if any. A *gin.Context is
// accepted too: its request's context is consulted, since gin does not fall
// back to it by default.
func FromContext(ctx context.Context) (Identity, bool) {
	if gc, ok := ctx.(*gin.Context); ok {
		if gc == nil || gc.Request == nil {
			return Identity{}, false
		}
		ctx = gc.Request.Context()
	}
	if ctx == nil {
		return Identity{}, false
	}
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// UserID is the user the identity in ctx (or a *gin.Context's request)
// names: empty without one, and for a service's identity ("svc:…"), which
// acts as no user.
func UserID(ctx context.Context) string {
	id, _ := FromContext(ctx)
	if strings.HasPrefix(id.UserID, "svc:") {
		return ""
	}
	return id.UserID
}
