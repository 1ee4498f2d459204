package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web"
)

// Config is the instance's configuration, read from a TOML file; every
// key is documented in config.example.toml.
type Config struct {
	Server       ServerConfig       `toml:"server"`
	Storage      StorageConfig      `toml:"storage"`
	Registration RegistrationConfig `toml:"registration"`
	Federation   FederationConfig   `toml:"federation"`
	Corrections  CorrectionsConfig  `toml:"corrections"`
	Limits       LimitsConfig       `toml:"limits"`
	Retention    RetentionConfig    `toml:"retention"`
	Media        MediaConfig        `toml:"media"`
	Mail         MailConfig         `toml:"mail"`
	Supporters   SupportersConfig   `toml:"supporters"`
	Partner      PartnerConfig      `toml:"partner"`
	Log          LogConfig          `toml:"log"`

	AccountDeletion AccountDeletionConfig `toml:"account_deletion"`
}

// LimitsConfig is the [limits] section: how often one member, or one
// network address, may do the things that cost most. Its fields are
// those of web.Limits, which it converts to.
type LimitsConfig struct {
	SignUpsPerHour       int `toml:"sign_ups_per_hour"`
	PostsPerHour         int `toml:"posts_per_hour"`
	CommentsPerHour      int `toml:"comments_per_hour"`
	RemoteLookupsPerHour int `toml:"remote_lookups_per_hour"`
	FlagsPerHour         int `toml:"flags_per_hour"`
}

// RetentionConfig is the [retention] section: how many days records of
// finished work are kept before the janitor prunes them.
type RetentionConfig struct {
	InboxBodyDays      int `toml:"inbox_body_days"`
	InboxRecordDays    int `toml:"inbox_record_days"`
	OutboxDays         int `toml:"outbox_days"`
	ExpiredSessionDays int `toml:"expired_session_days"`
	SignInFailureDays  int `toml:"sign_in_failure_days"`
	TombstoneDays      int `toml:"tombstone_days"`
}

// CorrectionsConfig is the [corrections] section: who may correct
// headlines, where a subwiki does not choose otherwise.
type CorrectionsConfig struct {
	Who               string `toml:"who"`
	MinAccountAgeDays int    `toml:"min_account_age_days"`
	MaxEditsPerHour   int    `toml:"max_edits_per_hour"`
}

// ServerConfig is the [server] section.
type ServerConfig struct {
	Domain         string   `toml:"domain"`
	Listen         string   `toml:"listen"`
	Scheme         string   `toml:"scheme"`
	InstanceName   string   `toml:"instance_name"`
	Description    string   `toml:"description"`
	TrustedProxies []string `toml:"trusted_proxies"`
	// Contact, PrivacyPolicy and PrivacyPolicyFile are shown at /about
	// and /privacy (config_about.go).
	Contact           string `toml:"contact"`
	PrivacyPolicy     string `toml:"privacy_policy"`
	PrivacyPolicyFile string `toml:"privacy_policy_file"`
}

// StorageConfig is the [storage] section.
type StorageConfig struct {
	Path string `toml:"path"`
}

// RegistrationConfig is the [registration] section.
type RegistrationConfig struct {
	Mode            string   `toml:"mode"`
	StarterSubwikis []string `toml:"starter_subwikis"`
	// AdmitPerDay and InvitesPerMember: config_admission.go.
	AdmitPerDay      int `toml:"admit_per_day"`
	InvitesPerMember int `toml:"invites_per_member"`
}

// FederationConfig is the [federation] section.
type FederationConfig struct {
	AllowPrivateAddresses bool  `toml:"allow_private_addresses"`
	MaxInboxBytes         int64 `toml:"max_inbox_bytes"`
	// AuthorizedFetch serves ActivityPub documents only to signed
	// requests of servers, as Mastodon's secure mode.
	AuthorizedFetch bool `toml:"authorized_fetch"`
	// BlockedDomains and LimitedDomains are servers suspended and
	// limited from the config file (config_domains.go).
	BlockedDomains []string `toml:"blocked_domains"`
	LimitedDomains []string `toml:"limited_domains"`
}

// LogConfig is the [log] section.
type LogConfig struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// DefaultConfig is what an instance runs on without a config file: a
// local instance for trying Tidings out.
func DefaultConfig() Config {
	return Config{
		Server: ServerConfig{
			Domain:       "localhost:8080",
			Listen:       "127.0.0.1:8080",
			Scheme:       "http",
			InstanceName: "Tidings",
		},
		Storage:      StorageConfig{Path: "tidings-data/tidings.db"},
		Registration: RegistrationConfig{Mode: string(storage.RegistrationOpen), InvitesPerMember: storage.DefaultAdmission.InvitesPerMember},
		Federation:   FederationConfig{MaxInboxBytes: 1 << 20},
		Corrections:  CorrectionsConfig{Who: storage.EditableMembers, MinAccountAgeDays: 1, MaxEditsPerHour: 10},
		Limits:       LimitsConfig(web.DefaultLimits()),
		Retention: RetentionConfig{InboxBodyDays: 7, InboxRecordDays: 90, OutboxDays: 30,
			ExpiredSessionDays: 0, SignInFailureDays: 1, TombstoneDays: 365},
		Media:      MediaConfig{CacheDays: 7, MaxRemoteBytes: 8 << 20, MaxUploadBytes: 8 << 20, MaxUploadSide: 4096},
		Mail:       MailConfig{TLS: "starttls"},
		Partner:    defaultPartner,
		Supporters: SupportersConfig{Currency: "usd", Tiers: append([]TierConfig(nil), defaultTiers...)},
		Log:        LogConfig{Level: "info", Format: "text"},

		AccountDeletion: AccountDeletionConfig{GraceDays: 7},
	}
}

// ConfigError is one problem in a config file, with where it is.
type ConfigError struct {
	File string
	Line int    // 0 when the problem has no single line
	Key  string // dotted, e.g. "registration.mode"
	Msg  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadConfig reads the file at path over the defaults and checks it. It
// reports every problem it finds, each naming the key and the line.
func LoadConfig(path string) (Config, error) {
	doc, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	return ParseConfig(path, doc)
}

// ParseConfig is LoadConfig on a document already read; file names it in
// messages.
func ParseConfig(file string, doc []byte) (Config, error) {
	cfg := DefaultConfig()
	dec := toml.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, decodeProblem(file, err)
	}
	lines := keyLines(doc)
	var errs []error
	for _, p := range cfg.problems() {
		line := lines[p.key]
		if line == 0 {
			section, _, _ := strings.Cut(p.key, ".")
			p.msg += fmt.Sprintf(" (the file does not set it, so the default applies; set it in [%s])", section)
		}
		errs = append(errs, &ConfigError{File: file, Line: line, Key: p.key, Msg: p.msg})
	}
	return cfg, errors.Join(errs...)
}

// decodeProblem turns a decoder error into ConfigErrors with lines.
func decodeProblem(file string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs []error
		for _, e := range strict.Errors {
			line, _ := e.Position()
			key := strings.Join(e.Key(), ".")
			errs = append(errs, &ConfigError{File: file, Line: line, Key: key, Msg: "unknown key" + knownKeysHint(e.Key())})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		key := strings.Join(de.Key(), ".")
		if want := expectedType(de.Key()); want != "" {
			return &ConfigError{File: file, Line: line, Key: key, Msg: "must be " + want}
		}
		return &ConfigError{File: file, Line: line, Key: key, Msg: strings.TrimPrefix(de.Error(), "toml: ")}
	}
	return &ConfigError{File: file, Msg: err.Error()}
}

// fieldFor finds the Config field that a key path names.
func fieldFor(path []string) (reflect.Type, bool) {
	t := reflect.TypeOf(Config{})
	for _, name := range path {
		if t.Kind() != reflect.Struct {
			return nil, false
		}
		found := false
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Tag.Get("toml") == name {
				t, found = t.Field(i).Type, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return t, true
}

// expectedType describes in words the type a key must have.
func expectedType(path []string) string {
	t, ok := fieldFor(path)
	if !ok {
		return ""
	}
	switch t.Kind() {
	case reflect.String:
		return "a string in quotes"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list of strings, like [\"a\", \"b\"]"
	case reflect.Struct:
		return "a table, like [" + strings.Join(path, ".") + "]"
	}
	return ""
}

// knownKeysHint lists the keys a table has, to help with a typo.
func knownKeysHint(path []string) string {
	t, ok := fieldFor(path[:len(path)-1])
	if !ok || t.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		names = append(names, t.Field(i).Tag.Get("toml"))
	}
	sort.Strings(names)
	where := "at the top level"
	if len(path) > 1 {
		where = "in [" + strings.Join(path[:len(path)-1], ".") + "]"
	}
	return fmt.Sprintf(" (known keys %s: %s)", where, strings.Join(names, ", "))
}

// keyLines maps each dotted key of a TOML document to the line it is set
// on. The document has decoded already, so it parses.
func keyLines(doc []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(doc)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		keys := func() []string {
			var k []string
			for it := e.Key(); it.Next(); {
				k = append(k, string(it.Node().Data))
			}
			return k
		}
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keys()
			lines[strings.Join(table, ".")] = p.Shape(e.Raw).Start.Line
		case unstable.KeyValue:
			full := append(append([]string{}, table...), keys()...)
			lines[strings.Join(full, ".")] = p.Shape(e.Raw).Start.Line
		}
	}
	return lines
}

// problem is an invalid value.
type problem struct{ key, msg string }

// problems checks every value and says what is wrong with each bad one.
func (c *Config) problems() []problem {
	var ps []problem
	add := func(key, format string, args ...any) {
		ps = append(ps, problem{key, fmt.Sprintf(format, args...)})
	}

	s := c.Server
	host, domainOK := checkDomain(s.Domain)
	if !domainOK {
		add("server.domain", "%q is not a domain name like \"news.example\" (with an optional :port, without https:// or a path)", s.Domain)
	}
	switch s.Scheme {
	case "https":
	case "http":
		if domainOK && !isLocalHost(host) {
			add("server.scheme", "\"http\" is allowed only for a local domain (localhost or a loopback address); %q needs \"https\"", s.Domain)
		}
	default:
		add("server.scheme", "%q must be \"https\" (or \"http\" for a local domain)", s.Scheme)
	}
	if _, port, err := net.SplitHostPort(s.Listen); err != nil {
		add("server.listen", "%q is not an address like \"127.0.0.1:8080\" or \":8080\"", s.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		add("server.listen", "%q has no valid port number", s.Listen)
	}
	if name := strings.TrimSpace(s.InstanceName); name == "" || utf8.RuneCountInString(name) > 60 {
		add("server.instance_name", "must be between 1 and 60 characters")
	}
	if utf8.RuneCountInString(s.Description) > 500 {
		add("server.description", "must be at most 500 characters")
	}
	for _, p := range s.TrustedProxies {
		if _, err := parsePrefix(p); err != nil {
			add("server.trusted_proxies", "%q is not an IP address or a network like \"10.0.0.0/8\"", p)
		}
	}
	if c.Storage.Path == "" || strings.ContainsAny(c.Storage.Path, "?#") {
		add("storage.path", "must be a file path without '?' or '#'")
	}
	if !storage.RegistrationMode(c.Registration.Mode).Valid() {
		add("registration.mode", "%q must be one of %s", c.Registration.Mode, modeList())
	}
	for _, name := range c.Registration.StarterSubwikis {
		if !subwikiName.MatchString(name) {
			add("registration.starter_subwikis", "%q is not a subwiki name (lowercase letters, digits and underscores)", name)
		}
	}
	if n := c.Federation.MaxInboxBytes; n < 64<<10 || n > 64<<20 {
		add("federation.max_inbox_bytes", "%d must be between 65536 (64 KiB) and 67108864 (64 MiB)", n)
	}
	if !slices.Contains(storage.EditableRules, c.Corrections.Who) {
		add("corrections.who", "%q must be one of \"anyone\", \"members\", \"moderators\"", c.Corrections.Who)
	}
	if c.Corrections.MinAccountAgeDays < 0 || c.Corrections.MinAccountAgeDays > 3650 {
		add("corrections.min_account_age_days", "%d must be between 0 and 3650", c.Corrections.MinAccountAgeDays)
	}
	if c.Corrections.MaxEditsPerHour < 1 || c.Corrections.MaxEditsPerHour > 10000 {
		add("corrections.max_edits_per_hour", "%d must be between 1 and 10000", c.Corrections.MaxEditsPerHour)
	}
	for _, l := range []struct {
		key string
		n   int
	}{
		{"limits.sign_ups_per_hour", c.Limits.SignUpsPerHour},
		{"limits.posts_per_hour", c.Limits.PostsPerHour},
		{"limits.comments_per_hour", c.Limits.CommentsPerHour},
		{"limits.remote_lookups_per_hour", c.Limits.RemoteLookupsPerHour},
		{"limits.flags_per_hour", c.Limits.FlagsPerHour},
	} {
		if l.n < 1 || l.n > 10000 {
			add(l.key, "%d must be between 1 and 10000", l.n)
		}
	}
	ps = append(ps, c.Retention.problems()...)
	ps = append(ps, c.AccountDeletion.problems()...)
	ps = append(ps, c.Media.problems()...)
	ps = append(ps, c.Mail.problems()...)
	ps = append(ps, c.Supporters.problems()...)
	ps = append(ps, c.Partner.problems()...)
	ps = append(ps, c.Registration.admissionProblems()...)
	ps = append(ps, c.Federation.domainProblems(c.Server.Domain)...)
	ps = append(ps, c.Server.aboutProblems()...)
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		add("log.level", "%q must be one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		add("log.format", "%q must be \"text\" or \"json\"", c.Log.Format)
	}
	return ps
}

// problems checks the [retention] ages. Every age is at least a day but
// that of expired sessions, which may go at once: an inbound record is
// what recognises a resent activity, and signatures stay valid for hours.
func (r RetentionConfig) problems() []problem {
	var ps []problem
	for _, age := range []struct {
		key   string
		days  int
		least int
	}{
		{"inbox_body_days", r.InboxBodyDays, 1},
		{"inbox_record_days", r.InboxRecordDays, 1},
		{"outbox_days", r.OutboxDays, 1},
		{"expired_session_days", r.ExpiredSessionDays, 0},
		{"sign_in_failure_days", r.SignInFailureDays, 1},
		{"tombstone_days", r.TombstoneDays, 1},
	} {
		if age.days < age.least || age.days > 3650 {
			ps = append(ps, problem{"retention." + age.key, fmt.Sprintf("%d must be between %d and 3650", age.days, age.least)})
		}
	}
	if r.InboxBodyDays >= 1 && r.InboxRecordDays >= 1 && r.InboxRecordDays < r.InboxBodyDays {
		ps = append(ps, problem{"retention.inbox_record_days",
			fmt.Sprintf("%d must be at least inbox_body_days (%d): a record outlives its body", r.InboxRecordDays, r.InboxBodyDays)})
	}
	return ps
}

// retention is the [retention] section as the janitor applies it.
func (c *Config) retention() storage.Retention {
	day := 24 * time.Hour
	r := c.Retention
	return storage.Retention{
		InboxBodies:     time.Duration(r.InboxBodyDays) * day,
		InboxRecords:    time.Duration(r.InboxRecordDays) * day,
		Outbox:          time.Duration(r.OutboxDays) * day,
		ExpiredSessions: time.Duration(r.ExpiredSessionDays) * day,
		SignInFailures:  time.Duration(r.SignInFailureDays) * day,
		Tombstones:      time.Duration(r.TombstoneDays) * day,
	}
}

var subwikiName = regexp.MustCompile(`^[a-z0-9_]{1,30}$`)

// checkDomain accepts host or host:port, lowercase, and returns the host.
func checkDomain(domain string) (string, bool) {
	if domain == "" || domain != strings.ToLower(domain) || strings.ContainsAny(domain, "/@?# ") {
		return "", false
	}
	u, err := url.Parse("http://" + domain)
	if err != nil || u.Host != domain || u.Hostname() == "" {
		return "", false
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", false
		}
	}
	return u.Hostname(), true
}

// isLocalHost reports whether host can only be reached from this machine.
func isLocalHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.IsLoopback()
}

// parsePrefix reads "10.0.0.0/8" or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}

func modeList() string {
	var names []string
	for _, m := range storage.RegistrationModes {
		names = append(names, fmt.Sprintf("%q", m))
	}
	return strings.Join(names, ", ")
}

// correctionPolicy is the instance's rule for headline corrections.
func (c *Config) correctionPolicy() storage.CorrectionPolicy {
	return storage.CorrectionPolicy{
		Who:           c.Corrections.Who,
		MinAccountAge: time.Duration(c.Corrections.MinAccountAgeDays) * 24 * time.Hour,
		MaxPerHour:    c.Corrections.MaxEditsPerHour,
	}
}

// site is the instance's public address.
func (c *Config) site() storage.Site {
	return storage.Site{Scheme: c.Server.Scheme, Domain: c.Server.Domain}
}

// trustedProxies returns the parsed [server] trusted_proxies; they have
// been checked.
func (c *Config) trustedProxies() []netip.Prefix {
	var list []netip.Prefix
	for _, p := range c.Server.TrustedProxies {
		if prefix, err := parsePrefix(p); err == nil {
			list = append(list, prefix.Masked())
		}
	}
	return list
}
