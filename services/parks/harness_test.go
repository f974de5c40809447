package parks

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/httpx/openapitest"
	"github.com/incuchain/incuchain/services/parks/internal/app"
)

// harness is a running parks service over real HTTP, a real database and
// a real NATS server, seeded with the demo regions and accounts.
type harness struct {
	t      *testing.T
	svc    *Service
	srv    *httptest.Server
	signer *authn.Signer
	users  map[string]string // email -> user id
	ids    map[string]string // "lixia", "huaiyin", "lixia/<name_zh>" -> id
}

func newHarness(t *testing.T, dialect string) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	signer, err := authn.NewSigner([]byte("test-secret-test-secret-test-secret!"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := dbtest.Config(t, dialect)
	svc, err := New(ctx, Config{DB: cfg.DSN, Schema: cfg.Schema}, Deps{Bus: bustest.Start(t), Signer: signer, Log: bustest.Logger(t), PublicURL: "http://console.test"})
	if err != nil {
		t.Fatalf("start parks: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("parks stopped: %v", err)
		}
	})
	if err := svc.Seed(ctx); err != nil {
		t.Fatalf("seed: %v", err)
	}
	srv := httptest.NewServer(openapitest.Wrap(t, svc.Handler())) // every answer is checked against the document
	t.Cleanup(srv.Close)
	h := &harness{t: t, svc: svc, srv: srv, signer: signer, users: map[string]string{}, ids: map[string]string{}}
	h.index(ctx)
	return h
}

// index learns the ids of the seeded objects through the use cases.
func (h *harness) index(ctx context.Context) {
	h.t.Helper()
	us, _, err := h.svc.app.ListUsersUnchecked(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, u := range us {
		h.users[u.Email] = u.ID
	}
	admin := app.Actor{UserID: h.users["admin@incuchain.demo"]}
	regions, err := h.svc.app.ListRegions(ctx, admin)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range regions {
		h.ids[r.Code] = r.ID
		cs, _, err := h.svc.app.ListCarriers(ctx, admin, app.CarrierFilter{RegionID: r.ID}, pageAll())
		if err != nil {
			h.t.Fatal(err)
		}
		for _, c := range cs {
			h.ids[r.Code+"/"+c.Fields().NameZH] = c.ID()
		}
	}
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return m
}

// do sends a request as the user with email as (empty: anonymous).
func (h *harness) do(as, method, path string, body any, hdr ...string) response {
	h.t.Helper()
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
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if as != "" {
		id, ok := h.users[as]
		if !ok {
			h.t.Fatalf("no user %s", as)
		}
		req.Header.Set(authn.HeaderIdentity, h.signer.Sign(authn.Identity{UserID: id, IssuedAt: time.Now()}))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: raw}
}
