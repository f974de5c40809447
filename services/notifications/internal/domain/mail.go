package domain

import (
	"strings"
	"time"
)

// MaxMailAttempts is how often a mail is tried before it is left alone
// (its last error kept).
const MaxMailAttempts = 5

// Mail is a notification's e-mail to its user: both languages in one
// message, Chinese first, with the console address it leads to.
type Mail struct {
	ID             string
	NotificationID string
	UserID         string
	To             string
	Subject        string
	Body           string
	CreatedAt      time.Time
	SentAt         *time.Time
	Attempts       int
	LastError      string
}

// MailOf is n's e-mail to address to; consoleURL (may be empty) is the
// console's public address that n's link is appended to.
func MailOf(id string, n Notification, to, consoleURL string) Mail {
	var b strings.Builder
	b.WriteString(n.TitleZH + "\n" + n.BodyZH)
	if n.Link != "" && consoleURL != "" {
		b.WriteString("\n\n查看 / View: " + strings.TrimRight(consoleURL, "/") + n.Link)
	}
	b.WriteString("\n\n— \n" + n.TitleEN + "\n" + n.BodyEN + "\n\n孵化链 Incuchain\n")
	return Mail{ID: id, NotificationID: n.ID, UserID: n.UserID, To: to, Subject: "【孵化链】" + n.TitleZH + " / " + n.TitleEN, Body: b.String(),
		CreatedAt: n.CreatedAt}
}
