package main

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParseConfig reads any config file. It never panics; it returns a
// config that passes its own checks, or errors that each name the line
// or the key of the problem.
func FuzzParseConfig(f *testing.F) {
	example, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	for _, seed := range []string{
		"[server]\ndomain = \"news.example\"\nscheme = \"https\"\nlisten = \":8080\"\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n[registration]\nmode = \"approval\"\n",
		"server.domain = \"news.example\"\nserver.scheme = \"https\"\n",
		"[server]\nport = 80\n[database]\npath = 1\n",
		"[federation]\nmax_inbox_bytes = 99999999999999999999\n[corrections]\nmin_account_age_days = -1\nmax_edits_per_hour = 1e3\n",
		"[[server]]\ndomain = \"a\"\n[[server]]\n",
		"[server]\ninstance_name = \"\"\"\nmulti\nline\"\"\"\ndescription = '\u202e\u0000'\n",
		"[server\n", "= 1", "\xff\xfe[\x00]", "[log]\nlevel = { a = 1 }\nformat = []\n",
		"a = 1979-05-27T07:32:00Z\nb = 0001-01-01\nc = inf\nd = nan\n",
		strings.Repeat("[a.", 100) + "b]\n",
		"[server]\ndomain = \"NEWS.example\"\n[server]\nlisten = \"[::1]:99999\"\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		cfg, err := ParseConfig("fuzz.toml", doc)
		if err == nil {
			if ps := cfg.problems(); len(ps) > 0 {
				t.Errorf("accepted a config with problems: %v", ps)
			}
			return
		}
		for _, e := range configErrors(err) {
			var ce *ConfigError
			switch {
			case !errors.As(e, &ce):
				t.Errorf("error %q (%T) is not a ConfigError", e, e)
			case ce.Line <= 0 && ce.Key == "":
				t.Errorf("error %q names neither a line nor a key", e)
			case !strings.HasPrefix(e.Error(), "fuzz.toml"):
				t.Errorf("error %q does not name the file", e)
			}
		}
	})
}

// configErrors lists the errors that ParseConfig joined.
func configErrors(err error) []error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	return []error{err}
}
