package notifications

import (
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// invite publishes, as parks would, an invitation to email as park
// operator of carrier X whose link is sealed by seal for sealedFor's
// invitation (empty: this one's); it answers the event.
func (h *harness) invite(email, link string, seal func(link, purpose string) string, sealedFor string) events.Envelope {
	h.T.Helper()
	id := events.NewID()
	if sealedFor == "" {
		sealedFor = id
	}
	p := events.InvitationCreatedV1{InvitationID: id, Email: email, Role: "park_operator", Domain: "carrier:" + h.IDs["X"],
		ExpiresAt: time.Date(2026, 12, 13, 8, 0, 0, 0, time.UTC), SealedLink: seal(link, events.InvitationLinkPurpose(sealedFor))}
	ev := h.Event(events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}, id, p)
	h.Fixture.Publish(ev)
	return ev
}

func (h *harness) sealWith(key *linkseal.Key) func(link, purpose string) string {
	return func(link, purpose string) string {
		s, err := key.Seal(link, purpose)
		if err != nil {
			h.T.Fatal(err)
		}
		return s
	}
}

// An invitation's e-mail goes to the invitee's address with the link
// parks sealed, opened here; the invitee is no user, so no inbox row and
// no notification.sent. Over SMTP it leaves like any other mail.
func TestInvitationMailCarriesTheOpenedLink(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, h *harness, srv *smtpServer) {
		notificationsBefore, sentBefore := h.count("notifications", ""), h.sent()
		link := "https://incuchain.example.cn/invitations/tok-" + events.NewID()
		h.invite("newcomer@example.com", link, h.sealWith(h.linkKey), "")
		testkit.Eventually(t, "the invitation on the SMTP server", func() bool { return srv.to("newcomer@example.com", "") != nil })
		got := srv.to("newcomer@example.com", "")
		for _, want := range []string{link, "园区运营人员", "载体X", "park operator", "Carrier X", "2026-12-13 16:00（北京时间）", "2026-12-13 16:00 Beijing time (UTC+8)"} {
			if !strings.Contains(got.data, want) {
				t.Errorf("invitation mail lacks %q:\n%s", want, got.data)
			}
		}
		if n := h.count("notifications", ""); n != notificationsBefore {
			t.Errorf("an invitation added %d inbox rows", n-notificationsBefore)
		}
		if n := h.sent(); n != sentBefore {
			t.Errorf("an invitation published %d notification.sent", n-sentBefore)
		}
	})
}

// A sealed link that does not open — tampered, sealed with a key this
// service does not hold, or sealed for another invitation — mails
// nothing and is logged; the events after it are still delivered.
func TestForgedInvitationLinkIsRefused(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		link := "https://incuchain.example.cn/invitations/tok"
		tampered := func(link, purpose string) string {
			s := h.sealWith(h.linkKey)(link, purpose)
			b := []byte(s)
			if b[len(b)-3] == 'A' {
				b[len(b)-3] = 'B'
			} else {
				b[len(b)-3] = 'A'
			}
			return string(b)
		}
		forged := []events.Envelope{
			h.invite("tampered@example.com", link, tampered, ""),
			h.invite("foreign@example.com", link, h.sealWith(testkit.LinkKey(t)), ""),
			h.invite("moved@example.com", link, h.sealWith(h.linkKey), events.NewID()),
			h.invite("plain@example.com", link, func(link, _ string) string { return link }, ""),
		}
		h.invite("honest@example.com", link, h.sealWith(h.linkKey), "")
		testkit.Eventually(t, "the honest invitation, published after the forged ones, in the dev mailbox", func() bool {
			return h.count("outgoing_mail", "to_addr = ?", "honest@example.com") == 1
		})
		if n := h.count("outgoing_mail", "to_addr IN (?, ?, ?, ?)", "tampered@example.com", "foreign@example.com", "moved@example.com", "plain@example.com"); n != 0 {
			t.Errorf("%d mails queued from forged links", n)
		}
		logs := h.logs.String()
		for _, ev := range forged {
			if !strings.Contains(logs, "invitation link refused") || !strings.Contains(logs, "event_id="+ev.ID) {
				t.Errorf("refusal of %s not logged:\n%s", ev.ID, logs)
			}
		}
		r := h.Do("admin@incuchain.demo", "GET", "/api/v1/dev/mailbox?page_size=200", nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), "honest@example.com") || strings.Contains(string(r.Body), "foreign@example.com") {
			t.Errorf("dev mailbox: %d %s", r.Status, r.Body)
		}
	})
}
