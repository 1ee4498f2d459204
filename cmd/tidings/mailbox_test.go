package main

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server on a loopback port, started by a test:
// it keeps every message it is given.
type mailbox struct {
	Addr string
	Port int

	mu       sync.Mutex
	received []receivedMail
}

// receivedMail is one message the mailbox took, with its text decoded.
type receivedMail struct {
	From    string
	To      []string
	Subject string
	Body    string
}

// startMailbox starts a mailbox and stops it when the test ends.
func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &mailbox{Addr: ln.Addr().String(), Port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(b)
	srv.Domain = "mail.test"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return b
}

// NewSession implements smtp.Backend.
func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &mailboxSession{box: b}, nil
}

// messages returns what the mailbox has received so far.
func (b *mailbox) messages() []receivedMail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]receivedMail(nil), b.received...)
}

// to returns the messages received for the address.
func (b *mailbox) to(addr string) []receivedMail {
	var list []receivedMail
	for _, m := range b.messages() {
		for _, rcpt := range m.To {
			if rcpt == addr {
				list = append(list, m)
			}
		}
	}
	return list
}

// waitFor waits until n messages have come for the address, and
// returns them.
func (b *mailbox) waitFor(t *testing.T, addr string, n int) []receivedMail {
	t.Helper()
	waitFor(t, "mail to "+addr, 30*time.Second, func() bool { return len(b.to(addr)) >= n })
	return b.to(addr)
}

type mailboxSession struct {
	box  *mailbox
	from string
	to   []string
}

func (s *mailboxSession) Reset()        { s.from, s.to = "", nil }
func (s *mailboxSession) Logout() error { return nil }

func (s *mailboxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *mailboxSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	body := io.Reader(msg.Body)
	switch enc := strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")); enc {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "", "7bit", "8bit":
	default:
		return errors.New("the mailbox cannot read " + enc)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.received = append(s.box.received, receivedMail{From: s.from, To: s.to, Subject: subject, Body: string(text)})
	return nil
}

var resetLinkPattern = regexp.MustCompile(`https?://\S+/password/reset/[A-Za-z0-9_-]+`)

// resetLink is the password reset link in a mail.
func resetLink(t *testing.T, m receivedMail) string {
	t.Helper()
	link := resetLinkPattern.FindString(m.Body)
	if link == "" {
		t.Fatalf("no reset link in the mail:\n%s", m.Body)
	}
	return link
}

// withMail sends the test instance's mail to the mailbox.
func withMail(box *mailbox) func(*Config) {
	return func(c *Config) {
		c.Mail = MailConfig{Host: "127.0.0.1", Port: box.Port, From: "news@example.org", FromName: "Test News", TLS: "none"}
	}
}

// closedPort is a loopback port nothing listens on (it was free a moment
// ago), where an SMTP server is down.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// appendMailConfig sets a config file's [mail] to the mailbox.
func appendMailConfig(t *testing.T, file string, box *mailbox) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "[mail]\nhost = \"127.0.0.1\"\nport = %d\nfrom = \"news@example.org\"\ntls = \"none\"\n", box.Port); err != nil {
		t.Fatal(err)
	}
}
