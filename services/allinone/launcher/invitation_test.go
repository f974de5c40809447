package launcher

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/bus/bustest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/platform"
)

var mailedLink = regexp.MustCompile(`https?://\S+/invitations/[A-Za-z0-9_-]+`)

// An invitation reaches the invitee the way notifications send mail (the
// dev mailbox here: no SMTP server), and its link, followed through the
// gateway, accepts it. The link and the banner name the address the
// gateway really listens on — port 0 resolved — unless
// INCUCHAIN_PUBLIC_URL says otherwise.
func TestInvitationMailedWithTheListeningAddress(t *testing.T) {
	for _, d := range dbtest.Dialects() {
		for _, tc := range []struct{ name, publicURL string }{
			{"listening address", ""},
			{"INCUCHAIN_PUBLIC_URL", "https://incuchain.example.cn/"},
		} {
			t.Run(d+"/"+tc.name, func(t *testing.T) {
				s := settings(t, d)
				s.Gateway.Addr = "127.0.0.1:0"
				s.Platform.PublicURL = tc.publicURL
				l, banner := startWithBanner(t, s, TargetAll)
				_, port, err := net.SplitHostPort(*l.bound.Load())
				if err != nil || port == "0" {
					t.Fatalf("bound address %q", *l.bound.Load())
				}
				if st, err := os.Stat(filepath.Join(s.Platform.DataDir, platform.InvitationKeyFile)); err != nil || st.Mode().Perm() != 0o600 {
					t.Errorf("the generated invitation key in the data directory: %v %v", st, err)
				}
				base := "http://127.0.0.1:" + port
				want := base
				if tc.publicURL != "" {
					want = "https://incuchain.example.cn"
				}
				for _, line := range []string{"控制台 Console:  " + want + "\n", "API 文档 OpenAPI: " + want + "/api/v1/openapi.json\n"} {
					if !strings.Contains(banner, line) {
						t.Errorf("banner lacks %q:\n%s", line, banner)
					}
				}

				parkAdmin := newClient(t, base)
				if r := parkAdmin.login("parkadmin@lixia.demo"); r.status != 200 {
					t.Fatalf("login: %d %s", r.status, r.body)
				}
				var carrier string
				for _, a := range parkAdmin.do("GET", "/api/v1/auth/me", nil).obj(t)["assignments"].([]any) {
					if a := a.(map[string]any); a["domain_kind"] == "carrier" {
						carrier = a["domain_id"].(string)
					}
				}
				inv := parkAdmin.do("POST", "/api/v1/carriers/"+carrier+"/invitations", map[string]string{"email": "invitee@example.com", "role": "park_operator"})
				if inv.status != 201 {
					t.Fatalf("invite: %d %s", inv.status, inv.body)
				}
				acceptURL := inv.obj(t)["accept_url"].(string)
				if !strings.HasPrefix(acceptURL, want+"/invitations/") {
					t.Fatalf("accept_url %q, want it under %s", acceptURL, want)
				}

				admin := newClient(t, base)
				if r := admin.login("admin@incuchain.demo"); r.status != 200 {
					t.Fatalf("admin login: %d %s", r.status, r.body)
				}
				var mail map[string]any
				waitUntil(t, "the invitation in the dev mailbox", func() bool {
					for _, m := range admin.do("GET", "/api/v1/dev/mailbox?page_size=200", nil).obj(t)["items"].([]any) {
						if m := m.(map[string]any); m["to"] == "invitee@example.com" {
							mail = m
							return true
						}
					}
					return false
				})
				link := mailedLink.FindString(mail["body"].(string))
				if link != acceptURL || !strings.Contains(mail["subject"].(string), "明湖国际信创产业园") {
					t.Fatalf("mailed link %q (answered %q), subject %q:\n%s", link, acceptURL, mail["subject"], mail["body"])
				}

				// The invitee follows the link: the console page, then its form.
				path := strings.TrimPrefix(link, want)
				invitee := newClient(t, base)
				if r := invitee.raw("GET", path, nil); r.status != 200 {
					t.Fatalf("the link's page: %d", r.status)
				}
				token := path[strings.LastIndex(path, "/")+1:]
				acc := invitee.do("POST", "/api/v1/invitations/"+token+"/accept", map[string]string{"display_name": "新同事", "password": "incuchain-demo"})
				if acc.status != 201 {
					t.Fatalf("accept by the mailed link: %d %s", acc.status, acc.body)
				}
				if r := invitee.login("invitee@example.com"); r.status != 200 {
					t.Fatalf("the invitee signs in: %d %s", r.status, r.body)
				}
				me := invitee.do("GET", "/api/v1/auth/me", nil)
				if me.status != 200 || !strings.Contains(string(me.body), `"park_operator"`) || !strings.Contains(string(me.body), carrier) {
					t.Fatalf("the invitee's roles: %d %s", me.status, me.body)
				}
			})
		}
	}
}

// Apart, parks and notifications cannot share a generated key: each
// refuses to start without INCUCHAIN_INVITATION_KEY, and runs with it.
func TestInvitationKeyRequiredApart(t *testing.T) {
	for _, target := range []string{TargetParks, TargetNotifications} {
		t.Run(target, func(t *testing.T) {
			s := settings(t, "sqlite")
			s.Notifications.Addr = freeAddr(t)
			l, err := New(s, target, bustest.Logger(t), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := l.Run(ctx); err == nil || !strings.Contains(err.Error(), "INCUCHAIN_INVITATION_KEY is required") {
				t.Fatalf("%s without a key: %v", target, err)
			}
			if _, err := os.Stat(filepath.Join(s.Platform.DataDir, platform.InvitationKeyFile)); err == nil {
				t.Error("a key was generated for a service running apart")
			}
			s.Platform.InvitationKey = invitationKeyText(t)
			start(t, s, target)
		})
	}
}

// A wildcard listen address is shown as this machine's loopback, which a
// browser on it can open.
func TestBrowsableAddress(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "127.0.0.1:8080",
		":8080":          "127.0.0.1:8080",
		"0.0.0.0:9000":   "127.0.0.1:9000",
		"[::]:8080":      "127.0.0.1:8080",
		"[::1]:8080":     "[::1]:8080",
		"console.lan:80": "console.lan:80",
	} {
		if got := browsable(addr); got != want {
			t.Errorf("browsable(%q) = %q, want %q", addr, got, want)
		}
	}
}
