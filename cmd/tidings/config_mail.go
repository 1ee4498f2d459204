package main

import (
	"fmt"
	"net/mail"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web"
)

// mailPasswordEnv names the environment variable that holds the SMTP
// password, so that it need not be written in the config file.
const mailPasswordEnv = "TIDINGS_MAIL_PASSWORD"

// MailConfig is the [mail] section: the SMTP server that sends the
// instance's email (password reset links, approval mail). Without a
// host, mail is off.
type MailConfig struct {
	Host     string `toml:"host"`
	Port     int    `toml:"port"`
	Username string `toml:"username"`
	Password string `toml:"password"`
	From     string `toml:"from"`
	FromName string `toml:"from_name"`
	TLS      string `toml:"tls"`
}

// on reports whether mail is set up.
func (m MailConfig) on() bool { return m.Host != "" }

var mailHostName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// problems checks the [mail] values.
func (m MailConfig) problems() []problem {
	var ps []problem
	add := func(key, format string, args ...any) {
		ps = append(ps, problem{"mail." + key, fmt.Sprintf(format, args...)})
	}
	if !m.on() {
		if m.From != "" || m.Username != "" || m.Password != "" {
			add("host", "is not set, so mail is off and the other [mail] keys do nothing; set it to the SMTP server's name, like \"smtp.example.org\"")
		}
		return ps
	}
	host := strings.ToLower(m.Host)
	if _, err := netip.ParseAddr(host); err != nil && !mailHostName.MatchString(host) {
		add("host", "%q is not a host name like \"smtp.example.org\" or an IP address (without a port or a scheme; the port is mail.port)", m.Host)
	}
	if m.Port < 0 || m.Port > 65535 {
		add("port", "%d is not a port number (1 to 65535; 0 or unset takes 587 for starttls, 465 for tls, 25 for none)", m.Port)
	}
	switch m.TLS {
	case "", "starttls", "tls":
	case "none":
		if !isLocalHost(host) {
			add("tls", "\"none\" would send passwords and reset links unencrypted, so it is allowed only for a loopback host (localhost, 127.0.0.1, ::1), not %q; use \"starttls\" or \"tls\"", m.Host)
		}
	default:
		add("tls", "%q must be \"starttls\", \"tls\" or \"none\" (loopback hosts only)", m.TLS)
	}
	if addr, err := mail.ParseAddress(m.From); m.From == "" || err != nil || addr.Address != m.From {
		add("from", "%q must be the address mail comes from, like \"news@example.org\" (its name is mail.from_name)", m.From)
	}
	if utf8.RuneCountInString(m.FromName) > 60 || strings.ContainsFunc(m.FromName, unicode.IsControl) {
		add("from_name", "must be at most 60 characters on one line")
	}
	if m.Password != "" && m.Username == "" {
		add("password", "is set but mail.username is not")
	}
	return ps
}

// webMail is the [mail] section as the site takes it, with the password
// from TIDINGS_MAIL_PASSWORD when that is set.
func (c *Config) webMail() web.MailConfig {
	m := c.Mail
	password := m.Password
	if env := os.Getenv(mailPasswordEnv); env != "" {
		password = env
	}
	return web.MailConfig{Host: m.Host, Port: m.Port, Username: m.Username, Password: web.Secret(password),
		From: m.From, FromName: m.FromName, TLS: m.TLS}
}

// applyMail tells the database whether to queue mail.
func (c *Config) applyMail(db *storage.DB) { db.SendsMail = c.Mail.on() }
