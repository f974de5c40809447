package parks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// invite invites email with role to the park admin's carrier (明湖国际信创产业园)
// and returns the invitation as answered, and the token of its link.
func (h *harness) invite(email, role string) (map[string]any, string) {
	h.t.Helper()
	res := h.Do("parkadmin@lixia.demo", "POST", "/api/v1/carriers/"+h.ids["lixia/明湖国际信创产业园"]+"/invitations", map[string]string{"email": email, "role": role})
	if res.Status != 201 {
		h.t.Fatalf("invite: %d %s", res.Status, res.Body)
	}
	inv := res.JSON(h.t)
	link := inv["accept_url"].(string)
	return inv, link[strings.LastIndex(link, "/")+1:]
}

// Every service's NATS user may consume parks' stream, so an invitation's
// token crosses it only sealed for notifications: the stored message
// bytes never hold it, and the sealed link opens (with the shared key,
// for this invitation only) to the very link the inviter was answered.
func TestInvitationLinkTravelsSealed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		inv, token := h.invite("sealed@example.com", "park_operator")
		link, id := inv["accept_url"].(string), inv["id"].(string)
		if len(token) < 20 {
			t.Fatalf("accept_url %q has no token", link)
		}
		ctx := context.Background()
		var stored []byte
		testkit.Eventually(t, "invitation.created on parks' stream", func() bool {
			st, err := h.bus.JetStream().Stream(ctx, h.bus.StreamName("parks"))
			if err != nil {
				return false
			}
			info, err := st.Info(ctx)
			if err != nil {
				return false
			}
			for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
				msg, err := st.GetMsg(ctx, seq)
				if err != nil {
					continue
				}
				if strings.Contains(string(msg.Data), token) || strings.Contains(string(msg.Header.Get("Nats-Msg-Id")), token) {
					t.Fatalf("the raw token is on the stream in %s: %s", msg.Subject, msg.Data)
				}
				if strings.HasSuffix(msg.Subject, events.InvitationCreated) && strings.Contains(string(msg.Data), id) {
					stored = msg.Data
				}
			}
			return stored != nil
		})
		var ev events.Envelope
		if err := json.Unmarshal(stored, &ev); err != nil {
			t.Fatalf("stored event: %v", err)
		}
		var p events.InvitationCreatedV1
		if err := ev.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.SealedLink == "" || p.Email != "sealed@example.com" {
			t.Fatalf("invitation.created %+v: want the sealed link and the address", p)
		}
		got, err := h.linkKey.Open(p.SealedLink, events.InvitationLinkPurpose(id))
		if err != nil || got != link {
			t.Fatalf("sealed link opens to %q (%v), want %q", got, err, link)
		}
		if _, err := h.linkKey.Open(p.SealedLink, events.InvitationLinkPurpose(events.NewID())); err == nil {
			t.Fatal("the sealed link opens for another invitation")
		}
	})
}

// An invitation to an existing account is accepted with that account's
// password, not a new one: a wrong password is refused, and the right one
// grants the role to the account as it is.
func TestInvitationOfAnExistingAccount(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		_, token := h.invite("NewStaff@lixia.demo", "park_operator")
		accept := "/api/v1/invitations/" + token + "/accept"
		wrong := h.Do("", "POST", accept, map[string]string{"display_name": "冒名者", "password": "not-the-password"})
		if wrong.Status != 401 || wrong.JSON(t)["slug"] != "invalid-credentials" {
			t.Fatalf("wrong password: %d %s", wrong.Status, wrong.Body)
		}
		ok := h.Do("", "POST", accept, map[string]string{"display_name": "冒名者", "password": DemoPassword})
		if ok.Status != 201 {
			t.Fatalf("accept: %d %s", ok.Status, ok.Body)
		}
		if u := ok.JSON(t); u["id"] != h.users["newstaff@lixia.demo"] || u["display_name"] != "新同事 赵" {
			t.Errorf("accepted as %v, want the existing account unchanged", u)
		}
		carrier := "/api/v1/carriers/" + h.ids["lixia/明湖国际信创产业园"]
		members := h.Do("parkadmin@lixia.demo", "GET", carrier+"/members?q=newstaff", nil).JSON(t)
		if members["total"].(float64) != 1 {
			t.Fatalf("members after accept: %v", members)
		}
	})
}
