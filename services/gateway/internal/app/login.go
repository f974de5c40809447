package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/httpx"
)

// User is the signed-in account as the parks service describes it.
type User struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
}

// Auth signs people in and out.
type Auth struct {
	Sessions  *authn.Sessions
	Limiter   *authn.Limiter
	Signer    *authn.Signer
	Upstreams *Upstreams
	Now       func() time.Time
}

// Login checks credentials with the parks service and opens a session.
func (a *Auth) Login(ctx context.Context, email, password, userAgent, ip string) (User, authn.Session, error) {
	now := a.Now()
	account := strings.ToLower(strings.TrimSpace(email))
	if ok, retry := a.Limiter.Allow(account, ip, now); !ok {
		return User{}, authn.Session{}, apperr.New(apperr.TooMany, "login-throttled").With("retry_after_seconds", int(retry.Seconds())+1)
	}
	v := apperr.NewValidation("invalid-login")
	v.Check(account == "", "email", "required")
	v.Check(password == "", "password", "required")
	v.Check(len(account) > 254, "email", "too_long", "max", 254)
	v.Check(len(password) > 256, "password", "too_long", "max", 256)
	if err := v.Err(); err != nil {
		return User{}, authn.Session{}, err
	}
	var u User
	status, err := a.CallService(ctx, "parks", http.MethodPost, "/internal/v1/credentials/verify",
		map[string]string{"email": account, "password": password}, &u)
	switch {
	case status == http.StatusUnauthorized:
		a.Limiter.Fail(account, ip, now)
		return User{}, authn.Session{}, apperr.New(apperr.Unauthenticated, "invalid-credentials")
	case err != nil:
		// parks' own answer to input it refused, or 503 when it failed.
		return User{}, authn.Session{}, err
	case status != http.StatusOK:
		return User{}, authn.Session{}, fmt.Errorf("verify credentials: parks answered %d", status)
	}
	a.Limiter.Succeed(account, ip)
	sess, err := a.Sessions.Create(ctx, u.ID, userAgent, ip)
	if err != nil {
		return User{}, authn.Session{}, err
	}
	return u, sess, nil
}

// CallService makes an internal call to a service as the gateway itself
// and decodes a 2xx JSON answer into out. A 5xx answer is the service's
// failure: a 503 "service unavailable" error. A 4xx answer is about the
// request: its problem document comes back as an *apperr.Error of the same
// category, slug and field errors, so a caller can pass it on unchanged
// instead of turning a refusal into an outage.
func (a *Auth) CallService(ctx context.Context, service, method, path string, body, out any) (int, error) {
	h, ok := a.Upstreams.Service(service)
	if !ok {
		return 0, apperr.New(apperr.Unavailable, "service-unavailable").With("service", service)
	}
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return 0, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+service+path, &buf)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(authn.HeaderIdentity, a.Signer.Sign(authn.Identity{UserID: "svc:gateway", IssuedAt: a.Now()}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		return rec.Code, apperr.New(apperr.Unavailable, "service-unavailable").With("service", service).Wrap(fmt.Errorf("%s %s: %d", method, path, rec.Code))
	}
	if rec.Code/100 == 4 {
		return rec.Code, upstreamProblem(rec.Code, rec.Body.Bytes())
	}
	if rec.Code/100 == 2 && out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			return rec.Code, fmt.Errorf("decode %s answer: %w", service, err)
		}
	}
	return rec.Code, nil
}

// upstreamProblem rebuilds the error a service's problem+json answer
// describes. An answer that is not one, or whose category does not match
// its status, becomes a plain error of the status's category.
func upstreamProblem(status int, body []byte) error {
	var p httpx.Problem
	if err := json.Unmarshal(body, &p); err == nil && p.Slug != "" && httpx.Status(apperr.Category(p.Code)) == status {
		e := apperr.New(apperr.Category(p.Code), p.Slug)
		for _, f := range p.Errors {
			e.Fields = append(e.Fields, apperr.FieldError{Field: f.Field, Code: f.Code, Params: f.Params})
		}
		return e
	}
	switch status {
	case http.StatusNotFound:
		return apperr.NotFoundErr("route-not-found")
	case http.StatusForbidden:
		return apperr.ForbiddenErr("forbidden")
	default:
		return apperr.New(apperr.Malformed, "upstream-refused").With("status", status)
	}
}
