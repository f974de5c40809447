package events_test

import (
	"encoding/json"
	"testing"

	"github.com/incuchain/incuchain/pkg/events"
)

// The wire shape the console and other consumers read: flat snake_case
// fields, the optional tenant ids left out when empty.
func TestNotificationSentWireShape(t *testing.T) {
	p := events.NotificationSentV1{NotificationID: "01HN", UserID: "01HU", Kind: "document_returned", Channel: "in_app", SourceEventID: "01HE",
		CompanyID: "01HC"}
	if p.EventType() != "notifications.notification.sent" || events.Service(p.EventType()) != "notifications" || p.EventVersion() != 1 {
		t.Fatalf("type %q version %d", p.EventType(), p.EventVersion())
	}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"notification_id":"01HN","user_id":"01HU","kind":"document_returned","channel":"in_app","source_event_id":"01HE","company_id":"01HC"}`
	if string(got) != want {
		t.Errorf("wire shape\n got %s\nwant %s", got, want)
	}
	env, err := events.New(events.Scope{}, "system", "01HN", p)
	if err != nil {
		t.Fatal(err)
	}
	var back events.NotificationSentV1
	if err := env.Decode(&back); err != nil || back != p {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}
