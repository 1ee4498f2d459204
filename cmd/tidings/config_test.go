package main

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

func TestDefaultConfigIsValid(t *testing.T) {
	cfg := DefaultConfig()
	if ps := cfg.problems(); len(ps) > 0 {
		t.Errorf("default config has problems: %v", ps)
	}
}

// The example file documents every key with its default.
func TestExampleConfigMatchesDefaults(t *testing.T) {
	doc, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig("config.example.toml", doc)
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if want := DefaultConfig(); !reflect.DeepEqual(normalizeEmpty(cfg), normalizeEmpty(want)) {
		t.Errorf("example config differs from defaults:\n got %+v\nwant %+v", cfg, want)
	}
	lines := keyLines(doc)
	for _, key := range allKeys(reflect.TypeOf(Config{}), "") {
		if lines[key] == 0 {
			t.Errorf("config.example.toml does not document %s", key)
		}
	}
}

// normalizeEmpty treats an empty list like a missing one.
func normalizeEmpty(c Config) Config {
	if len(c.Server.TrustedProxies) == 0 {
		c.Server.TrustedProxies = nil
	}
	if len(c.Registration.StarterSubwikis) == 0 {
		c.Registration.StarterSubwikis = nil
	}
	if len(c.Federation.BlockedDomains) == 0 {
		c.Federation.BlockedDomains = nil
	}
	if len(c.Federation.LimitedDomains) == 0 {
		c.Federation.LimitedDomains = nil
	}
	return c
}

// allKeys lists the dotted keys of every leaf field of a config type.
func allKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := prefix + f.Tag.Get("toml")
		if f.Type.Kind() == reflect.Struct {
			keys = append(keys, allKeys(f.Type, key+".")...)
		} else {
			keys = append(keys, key)
		}
	}
	return keys
}

func TestConfigErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // each must appear in the error
	}{
		{"unknown key", "[server]\ndomain = \"news.example\"\nscheme = \"https\"\nport = 80\n",
			[]string{"test.toml:4: server.port: unknown key", "known keys in [server]:", "domain"}},
		{"unknown table", "[database]\npath = \"x\"\n",
			[]string{"test.toml:1: database: unknown key", "known keys at the top level"}},
		{"wrong type", "[federation]\n\nallow_private_addresses = \"yes\"\n",
			[]string{"test.toml:3: federation.allow_private_addresses: must be true or false"}},
		{"wrong type string", "[server]\ninstance_name = 5\n",
			[]string{"test.toml:2: server.instance_name: must be a string in quotes"}},
		{"wrong type list", "[server]\ntrusted_proxies = \"10.0.0.1\"\n",
			[]string{"test.toml:2: server.trusted_proxies: must be a list of strings"}},
		{"invalid mode", "[registration]\nmode = \"sometimes\"\n",
			[]string{"test.toml:2: registration.mode: \"sometimes\" must be one of \"open\", \"approval\", \"waitlist\", \"invite\", \"closed\""}},
		{"http for a public domain", "[server]\ndomain = \"news.example\"\n",
			[]string{"test.toml: server.scheme", "only for a local domain", "the default applies; set it in [server]"}},
		{"domain with scheme", "[server]\ndomain = \"https://news.example\"\nscheme = \"https\"\n",
			[]string{"test.toml:2: server.domain: \"https://news.example\" is not a domain name"}},
		{"bad listen", "[server]\nlisten = \"8080\"\n",
			[]string{"test.toml:2: server.listen"}},
		{"bad proxy", "[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"nonsense\"]\n",
			[]string{"test.toml:2: server.trusted_proxies: \"nonsense\""}},
		{"limit out of range", "[limits]\nposts_per_hour = 0\n",
			[]string{"test.toml:2: limits.posts_per_hour: 0 must be between 1 and 10000"}},
		{"bad log level", "[log]\nlevel = \"loud\"\n",
			[]string{"test.toml:2: log.level"}},
		{"syntax error", "[server\n",
			[]string{"test.toml:1:"}},
		{"inbound records kept less than their bodies", "[retention]\ninbox_body_days = 30\ninbox_record_days = 10\n",
			[]string{"test.toml:3: retention.inbox_record_days: 10 must be at least inbox_body_days (30)"}},
		{"inbound records with the default bodies", "[retention]\ninbox_record_days = 3\n",
			[]string{"test.toml:2: retention.inbox_record_days: 3 must be at least inbox_body_days (7)"}},
		{"negative age", "[retention]\ntombstone_days = -1\n",
			[]string{"test.toml:2: retention.tombstone_days: -1 must be between 1 and 3650"}},
		{"bodies cleared at once", "[retention]\ninbox_body_days = 0\n",
			[]string{"test.toml:2: retention.inbox_body_days: 0 must be between 1 and 3650"}},
		{"retention as a number", "[retention]\noutbox_days = \"a month\"\n",
			[]string{"test.toml:2: retention.outbox_days: must be a whole number"}},
		{"two problems at once", "[registration]\nmode = \"x\"\n[log]\nformat = \"xml\"\n",
			[]string{"test.toml:2: registration.mode", "test.toml:4: log.format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("test.toml", []byte(tt.doc))
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestConfigValid(t *testing.T) {
	doc := `
[server]
domain = "news.example"
scheme = "https"
listen = ":8080"
trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]
[registration]
mode = "approval"
`
	cfg, err := ParseConfig("ok.toml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Domain != "news.example" || cfg.Registration.Mode != "approval" || cfg.Storage.Path != DefaultConfig().Storage.Path {
		t.Errorf("config = %+v", cfg)
	}
	if got := cfg.trustedProxies(); len(got) != 2 || got[0].String() != "127.0.0.1/32" {
		t.Errorf("trusted proxies = %v", got)
	}
}

func TestRetentionConfig(t *testing.T) {
	cfg, err := ParseConfig("ok.toml", []byte("[retention]\ninbox_body_days = 2\ninbox_record_days = 2\nexpired_session_days = 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.retention()
	day := 24 * time.Hour
	want := storage.Retention{InboxBodies: 2 * day, InboxRecords: 2 * day, Outbox: 30 * day, ExpiredSessions: 0,
		SignInFailures: day, Tombstones: 365 * day}
	if r != want {
		t.Errorf("retention = %+v\nwant %+v", r, want)
	}
}

func TestLocalDomainsMayUseHTTP(t *testing.T) {
	for _, domain := range []string{"localhost", "localhost:8080", "tidings.localhost", "127.0.0.1:9000", "[::1]:8080"} {
		cfg := DefaultConfig()
		cfg.Server.Domain = domain
		if ps := cfg.problems(); len(ps) > 0 {
			t.Errorf("%s: %v", domain, ps)
		}
	}
	for _, domain := range []string{"news.example", "192.168.1.10", "localhost.example.com"} {
		cfg := DefaultConfig()
		cfg.Server.Domain = domain
		if ps := cfg.problems(); len(ps) != 1 || ps[0].key != "server.scheme" {
			t.Errorf("%s: problems %v, want one for server.scheme", domain, ps)
		}
	}
}
