package seed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"time"
)

// client is one signed-in user of the gateway: a session cookie and its
// CSRF token, as the console holds them.
type client struct {
	base, csrf string
	http       *http.Client
}

// apiError is a non-2xx answer.
type apiError struct {
	method, path string
	status       int
	body         []byte
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: %d %.400s", e.method, e.path, e.status, e.body)
}

func login(ctx context.Context, base, email, password string) (*client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &client{base: base, http: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := c.do(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &out); err != nil {
		return nil, fmt.Errorf("login %s: %w", email, err)
	}
	c.csrf = out.CSRF
	return c, nil
}

// do sends body as JSON and decodes a 2xx answer into out (when not nil).
func (c *client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.send(req, method, path, out)
}

// upload sends raw bytes of contentType (a material) and decodes the
// 2xx answer into out.
func (c *client) upload(ctx context.Context, path, contentType string, raw []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	return c.send(req, "POST", path, out)
}

func (c *client) send(req *http.Request, method, path string, out any) error {
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return &apiError{method, path, res.StatusCode, raw}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// retry repeats do while the answer is a 4xx that a not-yet-delivered
// event explains (the company or carrier unknown to the service yet), for
// up to a minute.
func (c *client) retry(ctx context.Context, method, path string, body, out any) error {
	return untilKnown(ctx, func() error { return c.do(ctx, method, path, body, out) })
}

// uploadRetry is upload, repeated as retry repeats do: documents learns of
// a company from incubatees' events, so a first upload can find it unknown.
func (c *client) uploadRetry(ctx context.Context, path, contentType string, raw []byte, out any) error {
	return untilKnown(ctx, func() error { return c.upload(ctx, path, contentType, raw, out) })
}

// untilKnown calls send until it succeeds or fails with something other
// than a 4xx (401 aside), for up to a minute.
func untilKnown(ctx context.Context, send func() error) error {
	deadline := time.Now().Add(time.Minute)
	for {
		err := send()
		ae, ok := err.(*apiError)
		if err == nil || !ok || ae.status >= 500 || ae.status == 401 || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
