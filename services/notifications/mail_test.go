package notifications

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// smtpServer is a real SMTP server in the test process that keeps what it
// receives.
type smtpServer struct {
	mu   sync.Mutex
	got  []receivedMail
	port int
}

type receivedMail struct {
	from string
	to   []string
	data string
}

func (s *smtpServer) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return &smtpSession{srv: s}, nil
}

func (s *smtpServer) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.got...)
}

type smtpSession struct {
	srv *smtpServer
	cur receivedMail
}

func (x *smtpSession) Reset()        { x.cur = receivedMail{} }
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *gosmtp.MailOptions) error {
	x.cur.from = from
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	x.cur.to = append(x.cur.to, to)
	return nil
}

// Data keeps the message's headers and its body decoded from
// quoted-printable, as a mail client shows it.
func (x *smtpSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		return err
	}
	x.cur.data = "To: " + msg.Header.Get("To") + "\n\n" + string(body)
	x.srv.mu.Lock()
	x.srv.got = append(x.srv.got, x.cur)
	x.srv.mu.Unlock()
	return nil
}

// to is the last mail received for addr alone whose text has part.
func (s *smtpServer) to(addr, part string) *receivedMail {
	var out *receivedMail
	for _, m := range s.received() {
		if len(m.to) == 1 && m.to[0] == addr && strings.Contains(m.data, part) {
			out = &m
		}
	}
	return out
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	be := &smtpServer{}
	srv := gosmtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	be.port = ln.Addr().(*net.TCPAddr).Port
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return be
}

// eachWithSMTP runs fn on each dialect against a harness that sends its
// mail to an SMTP server of its own.
func eachWithSMTP(t *testing.T, fn func(t *testing.T, h *harness, srv *smtpServer)) {
	t.Helper()
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		srv := startSMTP(t)
		fn(t, newHarness(t, dialect, srv.sender()), srv)
	})
}

// sender configures the service to send its mail to s, often.
func (s *smtpServer) sender() harnessOpt {
	return func(c *Config) {
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.SMTPFrom = "127.0.0.1", s.port, "none", "孵化链 <noreply@incuchain.test>"
		c.MailInterval = 50 * time.Millisecond
	}
}

func (h *harness) returnLicence(comment string) events.Envelope {
	h.T.Helper()
	doc := events.DocumentV1{DocumentID: events.NewID(), RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"], CompanyID: h.IDs["coA"], Type: "business_licence",
		Status: "returned", Version: 1, Comment: comment}
	ev := h.Event(events.Scope{RegionID: h.IDs["lixia"], CarrierID: h.IDs["X"]}, doc.DocumentID, events.DocumentReturnedV1{DocumentV1: doc})
	h.Fixture.Publish(ev)
	return ev
}

// With SMTP configured, each notification's e-mail goes to its user over
// SMTP once, in both languages with the console link; the dev mailbox is
// off.
func TestMailGoesOutOverSMTP(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, h *harness, srv *smtpServer) {
		h.returnLicence("请上传清晰版本")
		testkit.Eventually(t, "the founders' mail on the SMTP server", func() bool {
			n := 0
			for _, m := range srv.received() {
				if strings.Contains(m.data, "Material returned") {
					n++
				}
			}
			return n == 2
			// A wait for the mail, not a speed check: on a machine loaded by
			// the other test packages the consumer and the send loop both
			// lag, and one CI-sized run took past the default 20 s.
		}, testkit.Within(60*time.Second))
		toFounder := srv.to("founder@lixia.demo", "Material returned")
		if toFounder == nil || toFounder.from != "noreply@incuchain.test" {
			t.Fatalf("no mail to the founder from the sender: %+v", srv.received())
		}
		for _, want := range []string{"To: <founder@lixia.demo>", "材料被退回", "请上传清晰版本", "Material returned: business licence",
			"https://incuchain.example.cn/company/" + h.IDs["coA"] + "/documents"} {
			if !strings.Contains(toFounder.data, want) {
				t.Errorf("mail lacks %q:\n%s", want, toFounder.data)
			}
		}
		testkit.Eventually(t, "the mails stamped sent", func() bool {
			return h.count("outgoing_mail", "sent_at IS NOT NULL") == h.count("outgoing_mail", "") && h.count("outgoing_mail", "") > 0
		})
		// A second run sends nothing again.
		before := len(srv.received())
		if n, err := h.svc.SendMail(context.Background()); err != nil || n != 0 {
			t.Errorf("a second send: %d, %v", n, err)
		}
		if after := len(srv.received()); after != before {
			t.Errorf("mail sent twice: %d → %d", before, after)
		}
		if r := h.Do("admin@incuchain.demo", "GET", "/api/v1/dev/mailbox", nil); r.Status != 404 || !strings.Contains(string(r.Body), "mailbox-off") {
			t.Errorf("dev mailbox with SMTP on: %d %s", r.Status, r.Body)
		}
	})
}

// A mail the server refuses is kept with its error and tried again later.
func TestRefusedMailIsTriedAgain(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		// Nothing listens here: every try fails.
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.MailInterval = "127.0.0.1", closedPort(t), "none", time.Hour
		c.SMTPFrom = "noreply@incuchain.test"
	})
	h.returnLicence("")
	testkit.Eventually(t, "the queued mail", func() bool { return h.count("outgoing_mail", "") >= 2 })
	// A run that finds the sender's lock held (the service's own loop runs
	// once at start) sends nothing; the test runs until one has the lock.
	run := func() {
		if _, err := h.svc.SendMail(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	testkit.Eventually(t, "failed mails keep their error", func() bool {
		run()
		return h.count("outgoing_mail", "sent_at IS NULL AND attempts >= 1 AND last_error <> ''") >= 2
	})
	before := h.count("outgoing_mail", "attempts >= 2")
	testkit.Eventually(t, "the next run tries the failed mails again", func() bool {
		run()
		return h.count("outgoing_mail", "attempts >= 2") > before
	})
	if n := h.count("outgoing_mail", "sent_at IS NOT NULL"); n != 0 {
		t.Errorf("%d mails marked sent though the server never answered", n)
	}
}

func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	port, _ := strconv.Atoi(p)
	return port
}

// Without SMTP the mail is kept, and only platform admins read it.
func TestDevMailboxKeepsMail(t *testing.T) {
	dbtest.EachHarnessWith(t, newHarness, func(t *testing.T, h *harness) {
		h.returnLicence("照片不清晰")
		testkit.Eventually(t, "the kept mail", func() bool {
			return h.count("outgoing_mail", "to_addr = ? AND subject LIKE ?", "founder@lixia.demo", "%材料被退回%") == 1
		})
		r := h.Do("admin@incuchain.demo", "GET", "/api/v1/dev/mailbox?page_size=200", nil)
		var page struct {
			Items []struct {
				To      string `json:"to"`
				Subject string `json:"subject"`
				Body    string `json:"body"`
			} `json:"items"`
		}
		r.Decode(t, &page)
		found := false
		for _, m := range page.Items {
			if m.To == "founder@lixia.demo" && strings.Contains(m.Subject, "材料被退回：营业执照") && strings.Contains(m.Body, "照片不清晰") {
				found = true
			}
		}
		if r.Status != 200 || !found {
			t.Errorf("dev mailbox: %d %s", r.Status, r.Body)
		}
		for _, who := range []string{"founder@lixia.demo", "district@lixia.demo", "parkadmin@lixia.demo"} {
			if r := h.Do(who, "GET", "/api/v1/dev/mailbox", nil); r.Status != 403 {
				t.Errorf("%s reads the dev mailbox: %d", who, r.Status)
			}
		}
	})
}
