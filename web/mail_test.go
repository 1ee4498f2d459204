package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// testClock is a clock a test moves, read safely by the server's
// goroutines.
type testClock struct{ ms atomic.Int64 }

func (c *testClock) now() time.Time          { return time.UnixMilli(c.ms.Load()).UTC() }
func (c *testClock) advance(d time.Duration) { c.ms.Add(d.Milliseconds()) }

// testMailbox is a real SMTP server on loopback that keeps what it is
// given and refuses the recipients in refuse.
type testMailbox struct {
	mu       sync.Mutex
	received []string // the raw messages
	refuse   map[string]bool
	srv      *smtp.Server
}

// listen serves the mailbox on addr ("127.0.0.1:0" for any port) until
// the test ends, and returns the address.
func (b *testMailbox) listen(t *testing.T, addr string) string {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	b.srv = smtp.NewServer(b)
	b.srv.Domain = "mail.test"
	go b.srv.Serve(ln)
	t.Cleanup(func() { b.srv.Close() })
	return ln.Addr().String()
}

func (b *testMailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &testSession{box: b}, nil }

func (b *testMailbox) messages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.received...)
}

type testSession struct{ box *testMailbox }

func (s *testSession) Reset()                               {}
func (s *testSession) Logout() error                        { return nil }
func (s *testSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.box.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.received = append(s.box.received, string(data))
	return nil
}

// mailSite is a site with mail on a database in a temporary directory,
// its clock stopped, and its HTTP server on loopback. The sender is
// not running: tests call sendDue.
type mailSite struct {
	db     *storage.DB
	clock  *testClock
	server *Server
	url    string
}

func startMailSite(t *testing.T, smtpAddr string) *mailSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	site := storage.Site{Scheme: "http", Domain: ln.Addr().String()}
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "tidings.db"), site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &testClock{}
	clock.ms.Store(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC).UnixMilli())
	db.Now = clock.now
	db.SendsMail = true
	host, port, _ := net.SplitHostPort(smtpAddr)
	portNumber := 0
	for _, c := range port {
		portNumber = portNumber*10 + int(c-'0')
	}
	log := slog.New(slog.DiscardHandler)
	fed := federation.New(db, federation.Config{Site: site}, log)
	s, err := NewServer(ctx, db, fed, Config{Domain: site.Domain, Scheme: "http", InstanceName: "Harbour News",
		Mail: MailConfig{Host: host, Port: portNumber, From: "news@example.org", TLS: "none"}}, log)
	if err != nil {
		t.Fatal(err)
	}
	s.mail.now = clock.now
	srv := httptest.NewUnstartedServer(s)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &mailSite{db: db, clock: clock, server: s, url: srv.URL}
}

// member makes an active member whose address is name@example.org.
func (m *mailSite) member(t *testing.T, name string) {
	t.Helper()
	_, err := m.db.CreateMember(context.Background(), storage.MemberCreate{
		Username: name, Email: name + "@example.org", Password: "the old password",
	})
	if err != nil {
		t.Fatal(err)
	}
}

// queued is the mail not sent yet.
func (m *mailSite) queued(t *testing.T) []*storage.Mail {
	t.Helper()
	list, err := m.db.QueuedMail(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestMailSentWhenTheServerComesBack: a mail queued while the SMTP
// server is down is tried, kept, and sent once the server is back and
// its wait is over.
func TestMailSentWhenTheServerComesBack(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpAddr := ln.Addr().String()
	ln.Close() // the SMTP server is down
	site := startMailSite(t, smtpAddr)
	site.member(t, "ada")
	ctx := context.Background()
	if err := site.db.RequestPasswordReset(ctx, "ada"); err != nil {
		t.Fatal(err)
	}

	if got := site.server.mail.sendDue(ctx); got != 1 {
		t.Fatalf("first round recorded %d mails, want 1", got)
	}
	q := site.queued(t)
	if len(q) != 1 || q[0].Attempts != 1 || q[0].LastError == "" {
		t.Fatalf("after a failed send the queue is %+v", q)
	}
	if got := site.server.mail.sendDue(ctx); got != 0 {
		t.Errorf("a mail waiting for its retry was sent again at once (%d)", got)
	}

	box := &testMailbox{}
	box.listen(t, smtpAddr) // the server is back
	site.clock.advance(time.Minute)
	if got := site.server.mail.sendDue(ctx); got != 1 {
		t.Fatalf("second round recorded %d mails, want 1", got)
	}
	msgs := box.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "/password/reset/") {
		t.Fatalf("received %q, want one reset mail", msgs)
	}
	if q := site.queued(t); len(q) != 0 {
		t.Errorf("%d mails still queued after sending", len(q))
	}
}

// TestMailOneRefusedDoesNotStopOthers: a mail the SMTP server refuses
// is retried and in the end parked; the mail after it is sent all the
// same.
func TestMailOneRefusedDoesNotStopOthers(t *testing.T) {
	box := &testMailbox{refuse: map[string]bool{"bad@example.org": true}}
	site := startMailSite(t, box.listen(t, "127.0.0.1:0"))
	site.member(t, "bad")
	site.member(t, "good")
	ctx := context.Background()
	for _, name := range []string{"bad", "good"} {
		if err := site.db.RequestPasswordReset(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if got := site.server.mail.sendDue(ctx); got != 2 {
		t.Fatalf("recorded %d mails, want 2", got)
	}
	if msgs := box.messages(); len(msgs) != 1 || !strings.Contains(msgs[0], "good@example.org") {
		t.Fatalf("received %d mails, want the one to good@example.org", len(msgs))
	}
	// The reset link expires after an hour; an approval mail does not, and
	// is tried until it is parked.
	site.db.Registration = storage.RegistrationApproval
	if _, err := site.db.Register(ctx, storage.Registration{MemberCreate: storage.MemberCreate{
		Username: "worse", Email: "bad+2@example.org", Password: "a long password"}}); err != nil {
		t.Fatal(err)
	}
	box.refuse["bad+2@example.org"] = true
	for range storage.MailMaxAttempts {
		site.clock.advance(5 * time.Hour)
		site.server.mail.sendDue(ctx)
	}
	q := site.queued(t)
	if len(q) != 1 || !q[0].Parked || q[0].Attempts != storage.MailMaxAttempts || q[0].Kind != storage.MailWaitingList {
		t.Fatalf("queue = %+v, want the waiting-list mail parked after %d attempts", q, storage.MailMaxAttempts)
	}
}

// TestMailSettingsLogWithoutPassword: the SMTP password never reaches
// the log, nor any text made with fmt (as templates print).
func TestMailSettingsLogWithoutPassword(t *testing.T) {
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, nil))
	cfg := MailConfig{Host: "smtp.example.org", Username: "news", Password: "hunter2 secret"}
	log.Info("sending mail", "smtp", cfg, "password", cfg.Password)
	fmt.Fprintf(&buf, "%v %+v %#v %s", cfg, cfg, cfg, cfg.Password)
	if strings.Contains(buf.String(), "hunter2") || !strings.Contains(buf.String(), "smtp.example.org") {
		t.Errorf("logged %q", buf.String())
	}
}

// browser is a visitor of a mailSite with cookies and the last CSRF
// token seen.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
}

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newBrowser(t *testing.T, site *mailSite) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: site.url, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", b.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if m := csrfInPage.FindSubmatch(page); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(page)
}

// TestPasswordResetLinkExpires: a link an hour old is refused over HTTP
// with a message saying so, and sets no password.
func TestPasswordResetLinkExpires(t *testing.T) {
	box := &testMailbox{}
	site := startMailSite(t, box.listen(t, "127.0.0.1:0"))
	site.member(t, "ada")
	token, _, err := site.db.CreatePasswordReset(context.Background(), "ada")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, site)
	if status, page := b.do(http.MethodGet, PasswordResetPath(token), nil); status != http.StatusOK || !strings.Contains(page, `name="new_password"`) {
		t.Fatalf("a fresh link: %d\n%s", status, page)
	}
	site.clock.advance(storage.PasswordResetLifetime)
	status, page := b.do(http.MethodPost, PasswordResetPath(token), url.Values{
		"new_password": {"a new password"}, "new_password_again": {"a new password"}})
	if status != http.StatusForbidden || !strings.Contains(page, "This password reset link has expired") {
		t.Errorf("an expired link: %d\n%s", status, page)
	}
	if status, page := b.do(http.MethodGet, PasswordResetPath(token), nil); status != http.StatusForbidden || !strings.Contains(page, "has expired") {
		t.Errorf("an expired link: %d\n%s", status, page)
	}
	if _, err := site.db.Authenticate(context.Background(), "ada", "the old password", "192.0.2.1"); err != nil {
		t.Errorf("the old password no longer works: %v", err)
	}
}

func TestLoggedPathHidesResetTokens(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"/password/reset/abcDEF123_-", "/password/reset/…"},
		{"/password/forgot", "/password/forgot"},
		{"/posts/01J", "/posts/01J"},
	} {
		if got := loggedPath(tt.path); got != tt.want {
			t.Errorf("loggedPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
