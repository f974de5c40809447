package events

// Event types published by the notifications service.
const (
	NotificationSent = "notifications.notification.sent"
)

// NotificationSentV1 announces that a notification reached a user's inbox
// (Channel "in_app"). Kind names what it is about ("document_returned",
// "application_decided", …); SourceEventID is the event it was built from,
// so one source event yields at most one notification per user.
type NotificationSentV1 struct {
	NotificationID string `json:"notification_id"`
	UserID         string `json:"user_id"`
	Kind           string `json:"kind"`
	Channel        string `json:"channel"`
	SourceEventID  string `json:"source_event_id"`
	RegionID       string `json:"region_id,omitempty"`
	CarrierID      string `json:"carrier_id,omitempty"`
	CompanyID      string `json:"company_id,omitempty"`
}

func (NotificationSentV1) EventType() string { return NotificationSent }
func (NotificationSentV1) EventVersion() int { return 1 }
