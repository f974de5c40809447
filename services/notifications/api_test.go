package notifications

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authz/authztest"
	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
	"github.com/incuchain/incuchain/pkg/testkit/authzmatrix"
	"github.com/incuchain/incuchain/services/notifications/internal/app"
	"github.com/incuchain/incuchain/services/notifications/internal/domain"
)

// give puts a notification straight into user's inbox and answers its id.
func (h *harness) give(email string, n int) string {
	h.T.Helper()
	id := events.NewID()
	err := h.svc.store.Write(context.Background(), func(ctx context.Context, tx app.Tx) error {
		_, err := tx.Add(ctx, domain.Notification{ID: id, UserID: h.Users[email], Kind: domain.KindDocumentVerified, SourceEventID: events.NewID(),
			Link: "/", Text: domain.Text{TitleZH: fmt.Sprintf("通知 %d", n), TitleEN: fmt.Sprintf("Notice %d", n), BodyZH: "正文", BodyEN: "Body"},
			CreatedAt: time.Now().UTC()})
		return err
	})
	if err != nil {
		h.T.Fatal(err)
	}
	return id
}

func (h *harness) unread(as string) int {
	h.T.Helper()
	r := h.Do(as, "GET", "/api/v1/me/notifications/unread-count", nil)
	if r.Status != 200 {
		h.T.Fatalf("unread count: %d %s", r.Status, r.Body)
	}
	var u struct {
		Unread int `json:"unread"`
	}
	r.Decode(h.T, &u)
	return u.Unread
}

// The inbox API: newest first, the unread filter and count, mark one read
// (again changes nothing), mark all; another user's notification is not
// found and stays unread; bad queries are refused with field errors.
func TestInboxAPI(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		const founder, other = "founder@lixia.demo", "founder2@lixia.demo"
		var ids []string
		for i := range 3 {
			ids = append(ids, h.give(founder, i))
		}
		theirs := h.give(other, 9)
		if got := h.unread(founder); got != 4 { // 3 + the role granted
			t.Fatalf("unread: %d, want 4", got)
		}
		items := h.inbox(founder, "")
		if len(items) != 4 || items[0].ID != ids[2] || items[1].ID != ids[1] || items[2].ID != ids[0] {
			t.Errorf("newest first: %+v", items)
		}
		r := h.Do(founder, "POST", "/api/v1/me/notifications/"+ids[1]+"/read", nil)
		var read inboxItem
		r.Decode(t, &read)
		if r.Status != 200 || read.ReadAt == nil || read.ID != ids[1] {
			t.Fatalf("mark read: %d %s", r.Status, r.Body)
		}
		again := h.Do(founder, "POST", "/api/v1/me/notifications/"+ids[1]+"/read", nil)
		var second inboxItem
		again.Decode(t, &second)
		if again.Status != 200 || second.ReadAt == nil || *second.ReadAt != *read.ReadAt {
			t.Errorf("marking read again: %d %s, first read at %v", again.Status, again.Body, *read.ReadAt)
		}
		if got := h.unread(founder); got != 3 {
			t.Errorf("unread after one read: %d", got)
		}
		unread := h.inbox(founder, "&unread=true")
		if len(unread) != 3 || slices.ContainsFunc(unread, func(n inboxItem) bool { return n.ID == ids[1] }) {
			t.Errorf("unread filter: %+v", unread)
		}
		if got := h.inbox(founder, "&kind=role_granted"); len(got) != 1 {
			t.Errorf("kind filter: %+v", got)
		}
		// Another user's notification: not found, and left unread.
		for _, path := range []string{"/api/v1/me/notifications/" + theirs + "/read", "/api/v1/me/notifications/" + events.NewID() + "/read"} {
			r := h.Do(founder, "POST", path, nil)
			if r.Status != 404 || !strings.Contains(string(r.Body), "notification-not-found") {
				t.Errorf("POST %s: %d %s", path, r.Status, r.Body)
			}
		}
		if got := h.unread(other); got != 2 {
			t.Errorf("the other user's unread: %d, want 2", got)
		}
		r = h.Do(founder, "POST", "/api/v1/me/notifications/read-all", nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), `"marked":3`) {
			t.Errorf("read all: %d %s", r.Status, r.Body)
		}
		if got := h.unread(founder); got != 0 {
			t.Errorf("unread after read all: %d", got)
		}
		if got := h.unread(other); got != 2 {
			t.Errorf("read all touched another inbox: %d", got)
		}
		// Bad input: problem+json (422) with field errors in both languages.
		for _, c := range []struct{ query, field, lang, text string }{
			{"unread=yes", "unread:one_of", "zh-CN", "必须是以下之一"},
			{"kind=spam", "kind:one_of", "en", "must be one of"},
			{"page_size=1000", "page_size:out_of_range", "zh-CN", "必须在 1 到 200 之间"},
		} {
			r := h.Do(founder, "GET", "/api/v1/me/notifications?"+c.query, nil, "Accept-Language", c.lang)
			if r.Status != 422 || r.Header.Get("Content-Type") != "application/problem+json" || !slices.Contains(r.FieldCodes(t), c.field) ||
				!strings.Contains(string(r.Body), c.text) {
				t.Errorf("%s: %d %s", c.query, r.Status, r.Body)
			}
		}
		if r := h.Do("", "GET", "/api/v1/me/notifications", nil); r.Status != 401 {
			t.Errorf("anonymous: %d", r.Status)
		}
	})
}

// The authorization matrix: every route × every caller × a notification
// of the caller's own, of a user at a sibling carrier's company and of a
// user in another region × anonymous. Inboxes are per user: the lists
// answer only the caller's own; another's notification is not found.
var matrixRoles = authztest.DemoCallers("nobody@lixia.demo")

const (
	mine      = "all=200,200,200 anonymous=401,401,401"
	ownNotice = "all=200,404,404 anonymous=401,401,401"
)

var matrixSpecs = map[string]string{
	"GET /api/v1/me/notifications":              mine,
	"GET /api/v1/me/notifications/unread-count": mine,
	"POST /api/v1/me/notifications/read-all":    mine,
	"POST /api/v1/me/notifications/:id/read":    ownNotice,
	// Every user's mail, kept when no SMTP server is configured.
	"GET /api/v1/dev/mailbox": "all=403,403,403 platform_admin=200,200,200 anonymous=401,401,401",
}

var matrix = authzmatrix.Matrix[*harness, authzmatrix.Target]{Callers: matrixRoles, Targets: authzmatrix.DemoTargets(), Default: (*harness).matrixRequest,
	Cases: authzmatrix.Specs[*harness](matrixSpecs)}

func TestAuthorizationMatrix(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, matrix.Run)
}

// matrixRequest is the request to route as caller ci at target ti: a
// path's :id is a fresh notification of the caller's own at the own
// target, else of the founder of the target's company; anonymous owns
// nothing.
func (h *harness) matrixRequest(route string, ci, ti, n int) (string, any) {
	_, path, _ := strings.Cut(route, " ")
	if !strings.Contains(path, ":id") {
		return path, nil
	}
	tg := authzmatrix.DemoTargets()[ti]
	owner := tg.Founder
	if tg.Key == authzmatrix.Own.Key {
		owner = matrixRoles[ci].Email
	}
	id := events.NewID()
	if owner != "" {
		id = h.give(owner, n)
	}
	return strings.Replace(path, ":id", id, 1), nil
}

// The unread count follows what arrives by events, too.
func TestUnreadCountFollowsEvents(t *testing.T) {
	h := newHarness(t, "sqlite")
	before := h.unread("founder@lixia.demo")
	doc := events.DocumentV1{DocumentID: events.NewID(), RegionID: h.IDs["lixia"], CompanyID: h.IDs["coA"], Type: "business_plan", Status: "returned", Version: 1}
	h.Fixture.Publish(h.Event(events.Scope{RegionID: h.IDs["lixia"]}, doc.DocumentID, events.DocumentReturnedV1{DocumentV1: doc}))
	testkit.Eventually(t, "the bell's count", func() bool { return h.unread("founder@lixia.demo") == before+1 })
}
