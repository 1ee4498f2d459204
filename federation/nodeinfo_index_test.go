package federation

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadNodeInfoIndex(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       []string // nil: refused
	}{
		{"mastodon", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://m.example/nodeinfo/2.0"}]}`,
			[]string{"https://m.example/nodeinfo/2.0"}},
		{"two versions", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://l.example/nodeinfo/2.0.json"},
			{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://l.example/nodeinfo/2.1.json"}]}`,
			[]string{"https://l.example/nodeinfo/2.0.json", "https://l.example/nodeinfo/2.1.json"}},
		{"https rel", `{"links":[{"rel":"https://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://g.example/nodeinfo/2.1"}]}`,
			[]string{"https://g.example/nodeinfo/2.1"}},
		{"another schema among them", `{"links":[{"rel":"https://www.w3.org/ns/activitystreams#Application","href":"https://g.example/actor"},
			{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://g.example/nodeinfo/2.1"}]}`,
			[]string{"https://g.example/nodeinfo/2.1"}},
		{"parked domain", `{"domain":"for sale","links":[{"rel":"self","href":"https://parking.example/"}]}`, nil},
		{"no links", `{}`, nil},
		{"links not a list", `{"links":{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1"}}`, nil},
		{"rel without a scheme", `{"links":[{"rel":"nodeinfo.diaspora.software/ns/schema/2.1","href":"https://x.example/n"}]}`, nil},
		{"href not http", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"javascript:alert(1)"}]}`, nil},
		{"href relative", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"/nodeinfo/2.1"}]}`, nil},
		{"href with a user", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://u:p@x.example/n"}]}`, nil},
		{"an array", `[]`, nil},
		{"not JSON", `<html>`, nil},
	} {
		got, err := readNodeInfoIndex([]byte(tt.body))
		if tt.want == nil {
			if err == nil {
				t.Errorf("%s: read %v, want it refused", tt.name, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

// FuzzNodeInfoIndex reads any answer to /.well-known/nodeinfo, as the
// probe of an unavailable server does. What it takes is a list of
// absolute http(s) addresses, each the href of a link whose rel is a
// NodeInfo schema; anything else is an error.
func FuzzNodeInfoIndex(f *testing.F) {
	for _, seed := range []string{
		`{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://m.example/nodeinfo/2.0"}]}`,
		`{"links":[{"rel":"https://nodeinfo.diaspora.software/ns/schema/2.1","href":"http://127.0.0.1:8080/nodeinfo/2.1"}]}`,
		`{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":null},{"rel":7}]}`,
		`{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/","href":"https://[::1]:99999/"}]}`,
		`{"links":null}`, `{"links":[[[[[[]]]]]]}`, `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://x.example/\u202e"}]}`,
		`[]`, `null`, `"links"`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		hrefs, err := readNodeInfoIndex(body)
		if err != nil {
			if hrefs != nil {
				t.Errorf("an error with addresses %v", hrefs)
			}
			return
		}
		if len(hrefs) == 0 {
			t.Fatal("no error and no address")
		}
		for _, h := range hrefs {
			u, err := url.Parse(h)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
				t.Errorf("took %q, not an absolute http(s) address", h)
			}
			// Without JSON escapes or bytes that are not UTF-8 (which JSON
			// reads as U+FFFD), the address is in the document as it is.
			if utf8.Valid(body) && !bytes.Contains(body, []byte{'\\'}) && !bytes.Contains(body, []byte(h)) {
				t.Errorf("took %q, which the document does not hold", h)
			}
		}
	})
}

func TestReadNodeInfoSoftware(t *testing.T) {
	for _, c := range []struct {
		body, want string
		ok         bool
	}{
		{`{"version":"2.1","software":{"name":"gotosocial","version":"0.20.3"}}`, "gotosocial", true},
		{`{"version":"2.0","software":{"name":"Mastodon","version":"4.5.0"}}`, "mastodon", true},
		{`{"software":{"name":"  lemmy "}}`, "lemmy", true},
		{`{"software":{}}`, "", false},
		{`{"software":"mastodon"}`, "", false},
		{`[]`, "", false},
		{`not json`, "", false},
	} {
		got, err := readNodeInfoSoftware([]byte(c.body))
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("readNodeInfoSoftware(%s) = %q, %v; want %q, ok %v", c.body, got, err, c.want, c.ok)
		}
	}
}

// FuzzNodeInfoSoftware reads any NodeInfo document as a subwiki reads its
// follower's server's: a software name, lowercased and trimmed, or an
// error and none.
func FuzzNodeInfoSoftware(f *testing.F) {
	for _, seed := range []string{
		`{"version":"2.1","software":{"name":"gotosocial","version":"0.20.3"}}`,
		`{"software":{"name":"Mastodon"}}`, `{"software":{"name":" \u0130stanbul "}}`,
		`{"software":{"name":7}}`, `{"software":null}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		name, err := readNodeInfoSoftware(body)
		if err != nil {
			if name != "" {
				t.Errorf("an error with the name %q", name)
			}
			return
		}
		if name == "" || name != strings.TrimSpace(name) || name != strings.ToLower(name) {
			t.Errorf("took %q, not a trimmed lowercase name", name)
		}
	})
}
