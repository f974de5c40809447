package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/calendar"
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

// InvitationMail is the e-mail inviting address to to take role at where
// (may be unnamed) through link, which expires at expires. The invitee is
// not a user yet: the mail belongs to no notification and no user.
func InvitationMail(id, to, link, role string, where Name, expires, now time.Time) Mail {
	r := RoleName(role)
	whereZH, whereEN := "孵化链", "Incuchain"
	if where.ZH != "" || where.EN != "" {
		whereZH, whereEN = where.ZH, where.en()
	}
	// The invitee reads the deadline on a Chinese clock, whatever the
	// server's zone.
	at := expires.In(calendar.Zone).Format("2006-01-02 15:04")
	untilZH, untilEN := at+"（北京时间）", at+" Beijing time (UTC+8)"
	body := fmt.Sprintf("您受邀以「%s」身份加入%s。\n请在 %s 之前打开下面的链接，设置姓名和密码即可接受邀请：\n\n%s\n\n如果您不认识邀请人，请忽略本邮件。"+
		"\n\n— \nYou are invited to join %s as %s.\nOpen the link above before %s and choose your name and password to accept.\n"+
		"If you do not know who invited you, ignore this e-mail.\n\n孵化链 Incuchain\n", whereZH, r.ZH, untilZH, link, whereEN, r.en(), untilEN)
	return Mail{ID: id, To: to, Subject: "【孵化链】邀请您加入" + whereZH + " / You are invited to " + whereEN, Body: body, CreatedAt: now}
}
