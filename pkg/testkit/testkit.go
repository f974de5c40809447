// Package testkit is what every service's tests share: a client that calls
// a service as one of its users, signing the identity the way the gateway
// does, and Eventually, which polls a condition until a deadline instead
// of sleeping for an event.
package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
)

// Client calls one service over HTTP. Users maps an e-mail to the user id
// it signs in as; the harness fills it as it learns the ids.
type Client struct {
	t      testing.TB
	base   string
	signer *authn.Signer
	Users  map[string]string
	HTTP   *http.Client
}

// NewClient returns a client of the service at base (its scheme and host).
func NewClient(t testing.TB, base string, signer *authn.Signer, users map[string]string) *Client {
	if users == nil {
		users = map[string]string{}
	}
	return &Client{t: t, base: base, signer: signer, Users: users, HTTP: http.DefaultClient}
}

// Response is an answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as a JSON object; a body that is not one fails t.
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
	return m
}

// Decode decodes the body into v; a body that does not fit fails t.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// FieldCodes returns "field:code" of a problem's errors, in order.
func (r Response) FieldCodes(t testing.TB) []string {
	t.Helper()
	var p struct {
		Errors []struct{ Field, Code string }
	}
	r.Decode(t, &p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field+":"+e.Code)
	}
	return out
}

// Request builds a request as the user with e-mail as (empty: anonymous),
// with the headers hdr gives as name, value pairs.
func (c *Client) Request(as, method, path string, body io.Reader, hdr ...string) *http.Request {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if as != "" {
		id, ok := c.Users[as]
		if !ok {
			c.t.Fatalf("no user %s", as)
		}
		req.Header.Set(authn.HeaderIdentity, c.signer.Sign(authn.Identity{UserID: id, IssuedAt: time.Now()}))
	}
	return req
}

// Send sends req and reads the whole answer.
func (c *Client) Send(req *http.Request) Response {
	c.t.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// Do sends a JSON request (Content-Type application/json) as the user with
// e-mail as: body is nil, a string or []byte sent as it is, or a value to
// marshal.
func (c *Client) Do(as, method, path string, body any, hdr ...string) Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	return c.Send(c.Request(as, method, path, rd, append([]string{"Content-Type", "application/json"}, hdr...)...))
}

// DefaultDeadline is how long Eventually waits unless told otherwise.
const DefaultDeadline = 20 * time.Second

// pollInterval is how often Eventually asks again: short against the
// deadline, long enough not to busy a shared machine.
const pollInterval = 20 * time.Millisecond

// Eventually polls cond until it holds or the deadline (DefaultDeadline,
// or the one Within gives) passes, then fails t naming what it waited for.
// It is how a test waits for an event: never a sleep of a guessed length.
func Eventually(t testing.TB, what string, cond func() bool, opts ...Option) {
	t.Helper()
	o := options{deadline: DefaultDeadline}
	for _, opt := range opts {
		opt(&o)
	}
	deadline := time.Now().Add(o.deadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", o.deadline, what)
		}
		time.Sleep(pollInterval)
	}
}

// Option changes how Eventually waits.
type Option func(*options)

type options struct{ deadline time.Duration }

// Within sets Eventually's deadline.
func Within(d time.Duration) Option { return func(o *options) { o.deadline = d } }
