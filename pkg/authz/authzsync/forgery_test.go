package authzsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/authz/authzsync"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/events"
)

// The attacker's account and what a platform admin may do anywhere.
const mallory = "mallory"

var anywhere = authz.Scope{RegionID: "r1", CarrierID: "c1"}

func isPlatformAdmin(e *authz.Enforcer, user string) bool {
	return e.Can(user, anywhere, "region", "create") || e.Can(user, authz.Scope{}, "region", "create")
}

// door is one way onto a bus: TCP as a named user (or none) and the
// services' own bus connections.
type door struct {
	url      string                        // TCP URL of the server
	password func(service string) string   // a service user's password
	bus      func(service string) *bus.Bus // a service's own connection
}

// Every door a forged platform_admin grant could come through is shut, on
// the embedded server and on the real nats-server with the compose/chart
// permission configuration; the enforcer that documents keeps in sync from
// parks' and incubatees' role events never changes.
func TestForgedRoleGrantsThroughEveryDoor(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		log := bustest.Logger(t)
		// By default the embedded server has no TCP listener at all.
		quiet, err := bus.StartEmbedded(bus.EmbeddedConfig{Dir: t.TempDir()}, log)
		if err != nil {
			t.Fatal(err)
		}
		if addr := quiet.ListenAddr(); addr != nil || quiet.ClientURL() != "" {
			t.Errorf("embedded server listens on %v (%q) without being asked", addr, quiet.ClientURL())
		}
		b, err := quiet.Connect(context.Background(), "parks", "parks", log)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.EnsureStream(context.Background(), "parks"); err != nil {
			t.Errorf("in-process connection without a listener: %v", err)
		}
		b.Close()
		quiet.Shutdown()

		dir := t.TempDir()
		srv, err := bus.StartEmbedded(bus.EmbeddedConfig{Dir: dir, Listen: true}, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Shutdown)
		fi, err := os.Stat(filepath.Join(dir, bus.CredentialsFile))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("credentials file mode %v, want 0600", fi.Mode().Perm())
		}
		runForgeries(t, door{
			url: srv.ClientURL(),
			password: func(svc string) string {
				p, _ := srv.Password(svc)
				return p
			},
			bus: func(svc string) *bus.Bus {
				b, err := srv.Connect(context.Background(), svc, svc, log)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(b.Close)
				return b
			},
		})
	})

	t.Run("nats-server", func(t *testing.T) {
		url, passwords := startRealServer(t)
		log := bustest.Logger(t)
		runForgeries(t, door{
			url:      url,
			password: func(svc string) string { return passwords[svc] },
			bus: func(svc string) *bus.Bus {
				b, err := bus.Connect(context.Background(), bus.Config{URL: url, Name: svc, Service: svc,
					User: svc, Password: passwords[svc]}, log)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(b.Close)
				return b
			},
		})
	})
}

func runForgeries(t *testing.T, d door) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	parks, incubatees, documents := d.bus("parks"), d.bus("incubatees"), d.bus("documents")
	for svc, b := range map[string]*bus.Bus{"parks": parks, "incubatees": incubatees, "documents": documents} {
		if err := b.EnsureStream(ctx, svc); err != nil {
			t.Fatalf("%s declares its stream: %v", svc, err)
		}
	}
	// documents' enforcer follows both publishers of role events.
	e, err := authz.New()
	if err != nil {
		t.Fatal(err)
	}
	stop, err := authzsync.Start(ctx, documents, e, authzsync.DefaultSources(), bustest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if isPlatformAdmin(e, mallory) {
		t.Fatal("mallory is platform admin before any forgery")
	}
	forged := forgedGrant(t, mallory, authz.RolePlatformAdmin, authz.PlatformDomain(), events.RoleGranted, "parks")
	subject := "incuchain.parks.member.role_granted"

	// 1. No credentials: refused at the door.
	if nc, err := nats.Connect(d.url, nats.Timeout(5*time.Second)); err == nil {
		nc.Close()
		t.Error("an unauthenticated client connected")
	} else if !strings.Contains(strings.ToLower(err.Error()), "authorization violation") {
		t.Errorf("unauthenticated connect: %v, want an authorization violation", err)
	}

	// 2. Another service's user publishing into parks' subjects: a
	// permission violation, nothing stored.
	asyncErrs := make(chan error, 16)
	nc, err := nats.Connect(d.url, nats.UserInfo("documents", d.password("documents")),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { asyncErrs <- err }))
	if err != nil {
		t.Fatalf("documents' user connects: %v", err)
	}
	defer nc.Close()
	before := streamMsgs(t, parks, "parks")
	if err := nc.Publish(subject, forged); err != nil {
		t.Fatal(err)
	}
	_ = nc.Flush()
	select {
	case err := <-asyncErrs:
		if !errors.Is(err, nats.ErrPermissionViolation) && !strings.Contains(strings.ToLower(err.Error()), "permissions violation") {
			t.Errorf("documents publishing to %s: %v, want a permission violation", subject, err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("documents published to %s without a permission violation", subject)
	}
	if after := streamMsgs(t, parks, "parks"); after != before {
		t.Errorf("parks' stream went from %d to %d messages", before, after)
	}

	// 3. Nor may it redefine parks' stream to capture its own subjects
	// (which would store its messages under parks' name).
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	short, cancelShort := context.WithTimeout(ctx, 2*time.Second)
	_, err = js.UpdateStream(short, jetstream.StreamConfig{Name: parks.StreamName("parks"),
		Subjects: []string{"incuchain.parks.>", "incuchain.documents.capture.>"}})
	cancelShort()
	if err == nil {
		t.Error("documents' user updated parks' stream")
	}
	if s, err := parks.JetStream().Stream(ctx, parks.StreamName("parks")); err != nil {
		t.Fatal(err)
	} else if subs := s.CachedInfo().Config.Subjects; len(subs) != 1 || subs[0] != "incuchain.parks.>" {
		t.Errorf("parks' stream subjects are now %v", subs)
	}

	// 4. On the right subject but the envelope names another source, or
	// another type's service: the follower refuses it.
	publishRaw(ctx, t, parks, subject, forgedGrant(t, mallory, authz.RolePlatformAdmin, authz.PlatformDomain(), events.RoleGranted, "documents"))
	publishRaw(ctx, t, parks, subject, forgedGrant(t, mallory, authz.RoleStartupMember, authz.CompanyDomain("co1"), events.CompanyRoleGranted, "incubatees"))
	// 5. A service granting a role in a domain it does not own, on its own
	// subject: incubatees making a platform admin, parks a company member.
	publishRaw(ctx, t, incubatees, "incuchain.incubatees.member.role_granted",
		forgedGrant(t, mallory, authz.RolePlatformAdmin, authz.PlatformDomain(), events.CompanyRoleGranted, "incubatees"))
	publishRaw(ctx, t, parks, subject,
		forgedGrant(t, mallory, authz.RoleStartupMember, authz.CompanyDomain("co1"), events.RoleGranted, "parks"))

	// Legitimate grants published after the forgeries: once the enforcer
	// holds them, the forgeries before them in the same streams have been
	// delivered and judged.
	publishRaw(ctx, t, parks, subject, forgedGrant(t, "sentinel-p", authz.RoleParkAdmin, authz.CarrierDomain("c1"), events.RoleGranted, "parks"))
	publishRaw(ctx, t, incubatees, "incuchain.incubatees.member.role_granted",
		forgedGrant(t, "sentinel-i", authz.RoleStartupMember, authz.CompanyDomain("co1"), events.CompanyRoleGranted, "incubatees"))
	deadline := time.Now().Add(20 * time.Second)
	for !(e.Can("sentinel-p", anywhere, "carrier", "read") && e.Can("sentinel-i", authz.Scope{CompanyID: "co1"}, "company", "read")) {
		if time.Now().After(deadline) {
			t.Fatalf("legitimate grants not applied: %v %v", e.Assignments("sentinel-p"), e.Assignments("sentinel-i"))
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
	if isPlatformAdmin(e, mallory) || len(e.Assignments(mallory)) > 0 {
		t.Errorf("a forgery changed the enforcer: mallory holds %v", e.Assignments(mallory))
	}
	if e.Can(mallory, authz.Scope{CompanyID: "co1"}, "company", "read") {
		t.Error("mallory reads company co1")
	}
}

// forgedGrant is the JSON envelope of a role grant with the given type and
// source, as an attacker would write it by hand.
func forgedGrant(t *testing.T, user, role, domain, eventType, source string) []byte {
	t.Helper()
	data, _ := json.Marshal(events.RoleAssignmentV1{UserID: user, Role: role, Domain: domain})
	raw, err := json.Marshal(events.Envelope{ID: events.NewID(), Type: eventType, Version: 1, Source: source,
		OccurredAt: time.Now().UTC(), AggregateID: user, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// publishRaw stores data on subject through b's own JetStream connection.
func publishRaw(ctx context.Context, t *testing.T, b *bus.Bus, subject string, data []byte) {
	t.Helper()
	if _, err := b.JetStream().Publish(ctx, subject, data); err != nil {
		t.Fatalf("publish to %s: %v", subject, err)
	}
}

func streamMsgs(t *testing.T, b *bus.Bus, service string) uint64 {
	t.Helper()
	s, err := b.JetStream().Stream(context.Background(), b.StreamName(service))
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// startRealServer runs the pinned nats-server (NATS_SERVER_BIN, else the
// repository's bin/nats-server from scripts/nats-server.sh) with the
// compose stack's configuration — the per-service users and the permission
// file generated from bus.ServicePermissions, as the chart renders it — on
// a free port, and returns its URL and the passwords it was given.
func startRealServer(t *testing.T) (string, map[string]string) {
	t.Helper()
	bin := os.Getenv("NATS_SERVER_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "..", "bin", "nats-server")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no nats-server binary at %s (set NATS_SERVER_BIN or run scripts/nats-server.sh; make test-nats does)", bin)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "2.15.2") {
		t.Fatalf("%s --version: %s %v; want v2.15.2", bin, out, err)
	}
	conf, err := filepath.Abs(filepath.Join("..", "..", "..", "deploy", "compose", "nats", "nats.conf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	passwords := map[string]string{}
	cmd := exec.Command(bin, "-c", conf, "-js", "-sd", filepath.Join(dir, "store"), "-a", "127.0.0.1", "-p", "-1",
		"--ports_file_dir", dir)
	cmd.Env = os.Environ()
	for _, svc := range bus.Services {
		passwords[svc] = "pw-" + strings.ToLower(events.NewID())
		cmd.Env = append(cmd.Env, "INCUCHAIN_NATS_"+strings.ToUpper(svc)+"_PASSWORD="+passwords[svc])
	}
	logFile, err := os.Create(filepath.Join(dir, "nats-server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logFile.Close()
		if t.Failed() {
			raw, _ := os.ReadFile(logFile.Name())
			t.Logf("nats-server log:\n%s", raw)
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.ports"))
		if len(matches) > 0 {
			raw, err := os.ReadFile(matches[0])
			var ports struct {
				Nats []string `json:"nats"`
			}
			if err == nil && json.Unmarshal(raw, &ports) == nil && len(ports.Nats) > 0 {
				return ports.Nats[0], passwords
			}
		}
		if time.Now().After(deadline) {
			raw, _ := os.ReadFile(logFile.Name())
			t.Fatalf("nats-server did not start:\n%s", raw)
		}
		time.Sleep(20 * time.Millisecond) // poll interval
	}
}
