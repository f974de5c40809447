package documents

import (
	"bytes"
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/blob/blobtest"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/services/documents/internal/app"
)

// harness is a running documents service over real HTTP, a real database,
// a real NATS server and a real S3-compatible server (the in-process one,
// or MinIO when S3_ENDPOINT is set). The rest of the world (parks'
// regions, carriers and staff; incubatees' companies, members and
// applications) arrives the way it does in production: as events through
// an outbox and NATS.
type harness struct {
	*testkit.World // IDs: regions lixia huaiyin; carriers X M H; companies coA coB coC; applications appA appB appC
	svc            *Service
	blob           *blob.Store
	blobSrv        *blob.Server // nil against an outside endpoint
}

var fixtureCarriers = []struct{ key, region, kind string }{
	{"X", "lixia", "incubator"}, {"M", "lixia", "maker_space"}, {"H", "huaiyin", "incubator"},
}

// Fixture companies and their applications: coA applied to X, coB to M,
// coC (another region) to H.
var fixtureCompanies = []struct{ key, region, carrier, app string }{
	{"coA", "lixia", "X", "appA"}, {"coB", "lixia", "M", "appB"}, {"coC", "huaiyin", "H", "appC"},
}

// appMaterials are what every fixture application's call requires.
var appMaterials = []string{"business_plan", "business_licence"}

// setup is what options may change before the service starts.
type setup struct {
	cfg       Config
	ownBlob   bool             // start an in-process S3 server the test can stop
	blobClock func() time.Time // that server's clock; nil: time.Now
}

type harnessOpt func(*setup)

// withConfig changes the service's settings.
func withConfig(fn func(*Config)) harnessOpt { return func(s *setup) { fn(&s.cfg) } }

// withStoppableStore gives the test its own S3 server (h.blobSrv).
func withStoppableStore() harnessOpt { return func(s *setup) { s.ownBlob = true } }

// withStoreClock gives the test its own S3 server, reading the time from now.
func withStoreClock(now func() time.Time) harnessOpt {
	return func(s *setup) { s.ownBlob, s.blobClock = true, now }
}

func newHarness(t testing.TB, dialect string, opts ...harnessOpt) *harness {
	t.Helper()
	h := &harness{World: testkit.NewWorld(t)}
	st := setup{cfg: Config{Home: testkit.Home(t, dialect), SpoolDir: t.TempDir(), CarrierQuota: 1 << 40, Retention: 24 * time.Hour, PresignTTL: 15 * time.Minute}}
	for _, o := range opts {
		o(&st)
	}
	cfg := st.cfg
	bcfg, outside := blobtest.EnvConfig(t)
	switch {
	case st.ownBlob:
		srvOpts := []blob.ServerOption{blob.WithCredentials("test-access", "test-secret-key")}
		if st.blobClock != nil {
			srvOpts = append(srvOpts, blob.WithClock(st.blobClock))
		}
		srv, err := blob.StartServer(t.TempDir(), "127.0.0.1:0", srvOpts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		h.blobSrv = srv
		bcfg = blob.Config{Endpoint: srv.Endpoint(), AccessKey: "test-access", SecretKey: "test-secret-key", Bucket: "incuchain-test", Region: "us-east-1"}
	case !outside:
		bcfg = blobtest.ServerConfig(t)
	}
	h.blob = blobtest.Open(t, bcfg)

	svc, ctx := testkit.StartIn(h.World, "documents", func(ctx context.Context) (*Service, error) {
		return New(ctx, cfg, Deps{Bus: h.Bus, Blob: h.blob, Signer: h.Signer, Log: bustest.Logger(t)})
	})
	h.svc = svc
	h.queueWorld()
	h.PublishAndWait("read models, checklists and roles", func() bool {
		ok := false
		_ = svc.app.Store().Read(ctx, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetChecklist(ctx, "application:"+h.IDs["appC"])
			_, cerr := tx.GetCarrier(ctx, h.IDs["H"])
			ok = err == nil && cerr == nil
			return nil
		})
		return ok && svc.Enforcer.Can(h.Users["founder3@huaiyin.demo"], authz.Scope{CompanyID: h.IDs["coC"]}, "document", "upload")
	})
	return h
}

// queueWorld queues, as parks and incubatees would publish them, the
// regions, carriers, users, roles, companies and applications of the
// fixture.
func (h *harness) queueWorld() {
	h.T.Helper()
	h.AddRegions()
	for _, c := range fixtureCarriers {
		h.AddCarrier(c.key, events.CarrierV1{RegionID: h.IDs[c.region], Kind: c.kind, NameZH: c.key, Status: "active"})
	}
	for _, c := range fixtureCompanies {
		h.IDs[c.key] = events.NewID()
		h.IDs[c.app] = events.NewID()
		scope := events.Scope{RegionID: h.IDs[c.region], CarrierID: h.IDs[c.carrier]}
		h.Fixture.Add(scope, h.IDs[c.key], events.CompanyRegisteredV1{CompanyV1: events.CompanyV1{CompanyID: h.IDs[c.key], RegionID: h.IDs[c.region], NameZH: c.key}})
		h.Fixture.Add(scope, h.IDs[c.app], events.ApplicationCreatedV1{ApplicationV1: events.ApplicationV1{ApplicationID: h.IDs[c.app], CompanyID: h.IDs[c.key],
			CarrierID: h.IDs[c.carrier], RegionID: h.IDs[c.region], Status: "draft"}, Materials: appMaterials})
	}
	h.AddUsers(testkit.DemoUsers())
}

// response is an answer of the service.
type response = testkit.Response

// upload posts data as the raw body of an upload into company key's
// documents; q holds type, checklist, carrier and filename.
func (h *harness) upload(as, company string, q url.Values, data []byte, hdr ...string) response {
	h.T.Helper()
	return h.Send(h.Request(as, "POST", "/api/v1/companies/"+h.IDs[company]+"/documents?"+q.Encode(), bytes.NewReader(data),
		append([]string{"Content-Type", "application/octet-stream"}, hdr...)...))
}

// slot is the query of an upload into application app's checklist.
func (h *harness) slot(app, typ, name string) url.Values {
	return url.Values{"type": {typ}, "checklist": {"application:" + h.IDs[app]}, "filename": {name}}
}

// counts returns the rows of documents, versions and uploads, and the
// objects in the bucket, so a refusal can show it left nothing behind.
func (h *harness) counts() [4]int {
	h.T.Helper()
	var out [4]int
	ctx := context.Background()
	for i, table := range []string{"documents", "document_versions", "uploads"} {
		out[i] = dbtest.Count(h.T, h.svc.DB, table, "")
	}
	objs, err := h.blob.List(ctx, "")
	if err != nil {
		h.T.Fatal(err)
	}
	for _, o := range objs {
		if o.Key[0] != '.' {
			out[3]++
		}
	}
	return out
}

// pdf returns a PDF-looking file of n bytes (n ≥ 16).
func pdf(n int) []byte {
	b := make([]byte, n)
	copy(b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	for i := 16; i < n; i++ {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// mustEvent builds incubatees' application.decided for a fixture application.
func mustEvent(t *testing.T, h *harness, app string) events.Envelope {
	t.Helper()
	var c struct{ key, region, carrier, app string }
	for _, fc := range fixtureCompanies {
		if fc.app == app {
			c = fc
		}
	}
	return decided(t, h, app, c.key, c.region, c.carrier)
}

// Routes are the routes the service serves, for the authorization matrix.
func (h *harness) Routes() []string { return h.svc.Routes() }
