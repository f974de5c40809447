package parks

import (
	"context"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/parks/internal/app"
)

// harness is a running parks service over real HTTP, a real database and
// a real NATS server, seeded with the demo regions and accounts.
type harness struct {
	*testkit.Client // as a user: Do, Request, Send
	t               *testing.T
	svc             *Service
	signer          *authn.Signer
	bus             *bus.Bus
	linkKey         *linkseal.Key     // seals invitation links, as notifications holds it too
	users           map[string]string // email -> user id
	ids             map[string]string // "lixia", "huaiyin", "lixia/<name_zh>" -> id
}

func newHarness(t *testing.T, dialect string) *harness {
	t.Helper()
	signer := testkit.Signer(t)
	b := bustest.Start(t)
	key := testkit.LinkKey(t)
	users := map[string]string{}
	svc, ctx, client := testkit.StartServed(t, "parks", signer, users, func(ctx context.Context) (*Service, error) {
		return New(ctx, Config{Home: testkit.Home(t, dialect)}, Deps{Bus: b, Signer: signer, Log: bustest.Logger(t),
			PublicURL: func() string { return "http://console.test" }, InvitationKey: key})
	})
	if err := svc.Seed(ctx); err != nil {
		t.Fatalf("seed: %v", err)
	}
	h := &harness{Client: client, t: t, svc: svc, signer: signer, bus: b, linkKey: key, users: users, ids: map[string]string{}}
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

// Routes are the routes the engine serves, for the authorization matrix.
func (h *harness) Routes() []string {
	var routes []string
	for _, r := range h.svc.Handler().(*gin.Engine).Routes() {
		routes = append(routes, r.Method+" "+r.Path)
	}
	return routes
}

// ID is the id of fixture key.
func (h *harness) ID(key string) string { return h.ids[key] }
