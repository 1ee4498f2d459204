package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// loopbackCertificate makes a certificate for 127.0.0.1 and a pool that
// trusts it.
func loopbackCertificate(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// securedMailbox is an SMTP server that takes mail only encrypted and
// from the account news / s3cret.
type securedMailbox struct{ testMailbox }

func (b *securedMailbox) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &securedSession{testSession: testSession{box: &b.testMailbox}, conn: c}, nil
}

type securedSession struct {
	testSession
	conn   *smtp.Conn
	authed bool
}

func (s *securedSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *securedSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "news" || pass != "s3cret" {
			return errors.New("wrong username or password")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *securedSession) Mail(from string, opts *smtp.MailOptions) error {
	if _, encrypted := s.conn.TLSConnectionState(); !encrypted || !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "encryption and authentication required"}
	}
	return nil
}

// TestMailOverTLS: with tls "starttls" or "tls", mail goes encrypted,
// signed in with the username and password, and only to a server whose
// certificate checks out.
func TestMailOverTLS(t *testing.T) {
	cert, pool := loopbackCertificate(t)
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			box := &securedMailbox{}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			serverTLS := &tls.Config{Certificates: []tls.Certificate{cert}}
			srv := smtp.NewServer(box)
			srv.Domain = "mail.test"
			if mode == "tls" {
				ln = tls.NewListener(ln, serverTLS)
			} else {
				srv.TLSConfig = serverTLS
			}
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Close() })

			site := startMailSite(t, ln.Addr().String())
			site.member(t, "ada")
			m := site.server.mail
			m.cfg.TLS, m.cfg.Username, m.cfg.Password = mode, "news", "s3cret"
			ctx := context.Background()

			// Not trusting the server's certificate, nothing is sent.
			m.cfg.TLSConfig = &tls.Config{ServerName: "127.0.0.1", RootCAs: x509.NewCertPool()}
			if err := site.db.RequestPasswordReset(ctx, "ada"); err != nil {
				t.Fatal(err)
			}
			m.sendDue(ctx)
			if q := site.queued(t); len(q) != 1 || q[0].Attempts != 1 {
				t.Fatalf("queue after sending to an untrusted server: %+v", q)
			}
			if got := box.messages(); len(got) != 0 {
				t.Fatalf("sent to a server whose certificate does not check out: %d mails", len(got))
			}

			m.cfg.TLSConfig = &tls.Config{ServerName: "127.0.0.1", RootCAs: pool}
			site.clock.advance(time.Minute)
			if got := m.sendDue(ctx); got != 1 {
				t.Fatalf("recorded %d mails, want 1", got)
			}
			if got := box.messages(); len(got) != 1 || !strings.Contains(got[0], "Reset your password") {
				t.Fatalf("received %d mails, want the reset mail", len(got))
			}
		})
	}
}
