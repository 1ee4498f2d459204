package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"runtime/debug"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tidings-social/tidings/storage"
)

// Sending policy. The queue is read when a mail is queued here, and
// every mailPollInterval for mail queued by the admin commands, which
// run in a process of their own.
const (
	mailPollInterval = 2 * time.Second
	mailBatch        = 20
	mailSendTimeout  = time.Minute
)

// mailBackoff are the waits after the first, second, ... failed send:
// together some eight hours, long enough for an SMTP server to come back.
// A reset link expires within the hour and is not sent after that.
var mailBackoff = [...]time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour}

// mailRetryDelay is the wait after the given number of failed sends,
// with ±20% jitter.
func mailRetryDelay(attempts int) time.Duration {
	d := mailBackoff[min(max(attempts, 1), len(mailBackoff))-1]
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// RunMail sends the queued mail until ctx ends. Without mail set up it
// returns at once (and nothing is queued).
func (s *Server) RunMail(ctx context.Context) {
	m := s.mail
	if !m.cfg.On() {
		return
	}
	m.log.Info("sending mail", "smtp", m.cfg)
	for ctx.Err() == nil {
		if m.sendDue(ctx) > 0 {
			continue
		}
		t := time.NewTimer(mailPollInterval)
		select {
		case <-ctx.Done():
		case <-m.wakeup:
		case <-t.C:
		}
		t.Stop()
	}
}

// sendDue sends the mail that is due, each on its own, and records how
// each went. It returns how many it recorded: a failure to record makes
// the caller wait before reading the queue again.
func (m *mailer) sendDue(ctx context.Context) int {
	due, err := m.db.DueMail(ctx, mailBatch)
	if err != nil {
		if ctx.Err() == nil {
			m.log.Error("read the mail queue", "err", err)
		}
		return 0
	}
	recorded := 0
	for _, q := range due {
		if ctx.Err() != nil {
			break
		}
		sendErr := m.sendOne(ctx, q)
		var record error
		if sendErr == nil {
			record = m.db.MailSent(context.WithoutCancel(ctx), q.ID)
		} else {
			record = m.failed(context.WithoutCancel(ctx), q, sendErr)
		}
		if record != nil {
			m.log.Error("record how sending a mail went", "id", q.ID, "err", record)
			continue
		}
		recorded++
	}
	return recorded
}

// failed records a failed send, to be tried again after a wait.
func (m *mailer) failed(ctx context.Context, q *storage.Mail, sendErr error) error {
	parked, err := m.db.MailFailed(ctx, q.ID, sendErr.Error(), mailRetryDelay(q.Attempts+1))
	if storage.ErrorCode(err) == storage.ENotFound {
		return nil // expired, or its member is gone: nothing to retry
	}
	if err != nil {
		return err
	}
	if parked {
		m.log.Warn("mail given up on", "id", q.ID, "kind", q.Kind, "attempts", q.Attempts+1, "err", sendErr)
	} else {
		m.log.Info("mail not sent, will try again", "id", q.ID, "kind", q.Kind, "attempts", q.Attempts+1, "err", sendErr)
	}
	return nil
}

// sendOne writes and sends one mail. A panic in either fails the mail,
// not the sender.
func (m *mailer) sendOne(ctx context.Context, q *storage.Mail) (err error) {
	defer func() {
		if p := recover(); p != nil {
			m.log.Error("sending a mail panicked", "id", q.ID, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	msg, err := m.message(q)
	if err != nil {
		return err
	}
	client, err := m.client()
	if err != nil {
		return err
	}
	sending, cancel := context.WithTimeout(ctx, mailSendTimeout)
	defer cancel()
	return client.DialAndSendWithContext(sending, msg)
}

// message makes the mail to send from a queued one.
func (m *mailer) message(q *storage.Mail) (*gomail.Msg, error) {
	if q.Member == nil {
		return nil, errors.New("the mail has no recipient")
	}
	subject, body, err := m.writeMail(q)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg()
	fromName := m.cfg.FromName
	if fromName == "" {
		fromName = m.site.InstanceName
	}
	if err := msg.FromFormat(fromName, m.cfg.From); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.AddToFormat(q.Member.DisplayName, q.Member.Email); err != nil {
		return nil, fmt.Errorf("address of @%s: %w", q.Member.Username, err)
	}
	msg.Subject(subject)
	msg.SetDateWithValue(m.now())
	msg.SetMessageID()
	// Auto-Submitted keeps vacation replies from answering (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, body)
	return msg, nil
}

// client is a client of the SMTP server for one send.
func (m *mailer) client() (*gomail.Client, error) {
	c := m.cfg
	helo := m.site.Domain
	if host, _, err := net.SplitHostPort(helo); err == nil {
		helo = host
	}
	opts := []gomail.Option{gomail.WithTimeout(mailSendTimeout), gomail.WithHELO(helo)}
	switch c.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(portOr(c.Port, 465)))
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithPort(portOr(c.Port, 25)))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithPort(portOr(c.Port, 587)))
	}
	tlsConfig := c.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tlsConfig))
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.Username), gomail.WithPassword(string(c.Password)))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return client, nil
}

// portOr is port, or def when it is not set.
func portOr(port, def int) int {
	if port == 0 {
		return def
	}
	return port
}
