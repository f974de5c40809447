package bus_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
)

func TestSubjectAndStreamName(t *testing.T) {
	srv := bustest.StartEmbeddedAt(t, t.TempDir(), 0)
	tests := []struct {
		namespace   string
		eventType   string
		wantSubject string
		service     string
		wantStream  string
	}{
		{"", "parks.carrier.created", "incuchain.parks.carrier.created", "parks", "INCUCHAIN_PARKS"},
		{"", "parks.member.>", "incuchain.parks.member.>", "companies", "INCUCHAIN_COMPANIES"},
		{"t01abc", "parks.carrier.created", "t01abc.incuchain.parks.carrier.created", "parks", "T01ABC_INCUCHAIN_PARKS"},
		{"t01abc.", "parks.carrier.created", "t01abc.incuchain.parks.carrier.created", "parks", "T01ABC_INCUCHAIN_PARKS"},
	}
	for _, tc := range tests {
		t.Run(tc.namespace+"/"+tc.eventType, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cfg := bustest.Client(t, srv, "parks")
			cfg.Namespace = tc.namespace
			b, err := bus.Connect(ctx, cfg, bustest.Logger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if got := b.Subject(tc.eventType); got != tc.wantSubject {
				t.Errorf("Subject(%q) = %q, want %q", tc.eventType, got, tc.wantSubject)
			}
			if got := b.StreamName(tc.service); got != tc.wantStream {
				t.Errorf("StreamName(%q) = %q, want %q", tc.service, got, tc.wantStream)
			}
		})
	}
}

func TestEnsureStream(t *testing.T) {
	b := bustest.Start(t)
	ctx := context.Background()
	for range 2 { // idempotent
		if err := b.EnsureStream(ctx, "parks"); err != nil {
			t.Fatal(err)
		}
	}
	s, err := b.JetStream().Stream(ctx, b.StreamName("parks"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	if cfg.Storage != jetstream.FileStorage {
		t.Errorf("storage = %v, want file", cfg.Storage)
	}
	if cfg.Duplicates != 2*time.Minute {
		t.Errorf("duplicate window = %v, want 2m", cfg.Duplicates)
	}
	if want := []string{b.Subject("parks.>")}; len(cfg.Subjects) != 1 || cfg.Subjects[0] != want[0] {
		t.Errorf("subjects = %v, want %v", cfg.Subjects, want)
	}

	// Settings an operator changed survive; the duplicate window is put back.
	cfg.MaxAge, cfg.Duplicates = 24*time.Hour, time.Minute
	if _, err := b.JetStream().UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if err := b.EnsureStream(ctx, "parks"); err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.MaxAge != 24*time.Hour || info.Config.Duplicates != 2*time.Minute {
		t.Errorf("after EnsureStream: max age %v (want kept 24h), duplicate window %v (want 2m)",
			info.Config.MaxAge, info.Config.Duplicates)
	}
	if err := b.EnsureStream(ctx, "bad.name"); err == nil {
		t.Error("EnsureStream accepted a service name with a dot")
	}
}

func TestReady(t *testing.T) {
	srv := bustest.StartEmbeddedAt(t, t.TempDir(), 0)
	ctx := context.Background()
	client, err := bus.Connect(ctx, bustest.Client(t, srv, "parks"), bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if err := client.Ready(ctx); err != nil {
		t.Fatalf("Ready with the server up: %v", err)
	}
	srv.Close()
	eventually(t, 10*time.Second, func() (bool, string) {
		probe, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		return client.Ready(probe) != nil, "Ready to fail with the server down"
	})
}

// Connect does not wait for a server: a service started during an outage
// gets its bus at once, not ready and saying why, and connects when the
// server comes.
func TestConnectDoesNotWaitForTheServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := bus.Connect(ctx, bus.Config{URL: "nats://127.0.0.1:1"}, bustest.Logger(t))
	if err != nil {
		t.Fatalf("Connect without a server: %v", err)
	}
	defer b.Close()
	err = b.Ready(ctx)
	if err == nil || !strings.Contains(err.Error(), "nats: not connected") {
		t.Fatalf("Ready = %v; want nats: not connected", err)
	}
}

func TestEmbeddedRejectsNegativePort(t *testing.T) {
	_, err := bus.Connect(context.Background(), bus.Config{EmbeddedDir: t.TempDir(), EmbeddedListen: true, EmbeddedPort: -1}, bustest.Logger(t))
	if err == nil {
		t.Fatal("Connect accepted port -1")
	}
}

func TestEnqueueRejectsIncompleteEnvelope(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		for _, ev := range []events.Envelope{{Type: "bustest.thing.happened"}, {ID: events.NewID()}} {
			if err := bus.Enqueue(context.Background(), bdb, ev); err == nil {
				t.Errorf("Enqueue(%+v) succeeded", ev)
			}
		}
		if n := pendingRows(t, bdb); n != 0 {
			t.Errorf("%d rows written", n)
		}
	}, bus.Migrations)
}

func TestRelayPublishesWithHeadersInOrder(t *testing.T) {
	dbtest.ForEachDB(t, func(t *testing.T, bdb *bun.DB) {
		b := bustest.Start(t)
		var want []events.Envelope
		for n := 1; n <= 3; n++ {
			for _, agg := range []string{"a", "b"} {
				want = append(want, thing(t, agg, n))
			}
		}
		enqueue(t, bdb, want[:4]...)
		enqueue(t, bdb, want[4:]...)
		r := bus.NewRelay(bdb, b, bustest.Logger(t))
		relayAll(t, r, len(want), 30*time.Second)
		if n, err := r.PublishPending(context.Background()); err != nil || n != 0 {
			t.Fatalf("second PublishPending = %d, %v; want 0, nil", n, err)
		}
		msgs := streamMessages(t, b, testService)
		checkDelivered(t, msgs, want)
		for i, m := range msgs {
			if m.Event.ID != want[i].ID {
				t.Errorf("message %d is %s, want %s (outbox order)", i, m.Event.ID, want[i].ID)
			}
			wantHeaders := map[string]string{
				events.HeaderMsgID:   want[i].ID,
				events.HeaderType:    "bustest.thing.happened",
				events.HeaderVersion: "1",
				events.HeaderRegion:  "r1",
				events.HeaderCarrier: "c1",
			}
			for k, v := range wantHeaders {
				if m.Headers[k] != v {
					t.Errorf("message %d header %s = %q, want %q", i, k, m.Headers[k], v)
				}
			}
			if m.Subject != b.Subject("bustest.thing.happened") {
				t.Errorf("message %d subject %q", i, m.Subject)
			}
		}
		if pendingRows(t, bdb) != 0 {
			t.Error("rows left unpublished")
		}
	}, bus.Migrations)
}
