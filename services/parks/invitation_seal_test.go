package parks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// Every service's NATS user may consume parks' stream, so an invitation's
// token crosses it only sealed for notifications: the stored message
// bytes never hold it, and the sealed link opens (with the shared key,
// for this invitation only) to the very link the inviter was answered.
func TestInvitationLinkTravelsSealed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, h *harness) {
		carrier := "/api/v1/carriers/" + h.ids["lixia/明湖国际信创产业园"]
		res := h.Do("parkadmin@lixia.demo", "POST", carrier+"/invitations", map[string]string{"email": "sealed@example.com", "role": "park_operator"})
		if res.Status != 201 {
			t.Fatalf("invite: %d %s", res.Status, res.Body)
		}
		inv := res.JSON(t)
		link, id := inv["accept_url"].(string), inv["id"].(string)
		token := link[strings.LastIndex(link, "/")+1:]
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
