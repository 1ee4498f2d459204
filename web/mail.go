package web

import (
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// MailConfig is how the instance sends email: through the SMTP server
// at Host. Without a Host, mail is off.
type MailConfig struct {
	Host     string
	Port     int // 0: the usual port of the TLS mode (587, 465 or 25)
	Username string
	Password Secret
	From     string // the address mail comes from
	FromName string // the name beside it; the instance's name when empty
	// TLS is "starttls" (or empty), "tls", or "none" (loopback only, as
	// the config checks).
	TLS string
	// TLSConfig, when set, replaces the default check of the server's
	// certificate, e.g. for a test's own certificate authority.
	TLSConfig *tls.Config
}

// On reports whether the instance sends mail.
func (c MailConfig) On() bool { return c.Host != "" }

// LogValue implements slog.LogValuer: the settings without the password.
func (c MailConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", c.Host), slog.Int("port", c.Port), slog.String("tls", c.TLS),
		slog.String("username", c.Username), slog.String("from", c.From))
}

// Limits on asking for password reset links: each sends a mail, so a
// stranger could otherwise fill a member's inbox, or have this server
// mail many addresses. They are fixed, not in [limits]: a member needs
// one or two, and nobody has a reason for more.
const (
	resetsPerAddressPerHour = 5
	resetsPerNetworkPerHour = 20
)

// mailer is the site's email: the settings, the limits on asking for
// mail, and a wake-up for the sender when a mail is queued.
type mailer struct {
	cfg       MailConfig
	db        *storage.DB
	site      Config
	log       *slog.Logger
	wakeup    chan struct{}
	byAddress *rateLimiter
	byNetwork *rateLimiter
	// now is the clock of the sender's backoff; only tests change it.
	now func() time.Time
}

func newMailer(db *storage.DB, site Config, log *slog.Logger) *mailer {
	return &mailer{
		cfg: site.Mail, db: db, site: site, log: log,
		wakeup: make(chan struct{}, 1),
		byAddress: newRateLimiter(resetsPerAddressPerHour, time.Now,
			"Links for this account were asked for many times lately. Please try again in %s, or use the newest link you got."),
		byNetwork: newRateLimiter(resetsPerNetworkPerHour, time.Now,
			"Many reset links were asked for from your network lately. Please try again in %s."),
		now: time.Now,
	}
}

// wake tells the sender that mail was queued, without waiting.
func (m *mailer) wake() {
	select {
	case m.wakeup <- struct{}{}:
	default:
	}
}

// memberApproved wakes the sender for the approval mail storage queued,
// and returns what to tell the admin about how the member learns of it.
func (m *mailer) memberApproved() string {
	if !m.cfg.On() {
		return "This server does not send email, so tell them yourself."
	}
	m.wake()
	return "An email tells them."
}

// pendingPage is the data of the page after a sign-up that waits for
// approval.
type pendingPage struct {
	Member *storage.Member
	MailOn bool
}
