package storage

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// isHandleName reports a name that @name@host can show and a profile
// path can hold: valid UTF-8 without control, format (bidi) or space
// characters, and nothing that ends a name or a path segment.
func isHandleName(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Z) || strings.ContainsRune(`@/\?#%`, r)
	})
}

// FuzzSaveRemoteActor stores what a remote actor document says of itself.
// A stored actor has a name a handle can hold, a one-line display name,
// a sanitized summary and a web inbox; anything else is refused as
// invalid, never failing inside.
func FuzzSaveRemoteActor(f *testing.F) {
	for _, seed := range [][4]string{
		{"carol", "Carol", "<p>Writes about rivers</p>", "https://mastodon.example/users/carol/inbox"},
		{"jk.nipponalba.scot", "", "", "https://relay.example/inbox"},
		{"Gargron", "Eugen :verified:", `<p><a href="https://x.example" rel="me">x</a></p><script>alert(1)</script>`, "https://mastodon.example/inbox"},
		{"ada\x00\u202e", "\u202eAda\x07\n", "<img src=x onerror=y>", "https://a.example/inbox"},
		{"../../settings", "x", "", "https://a.example/inbox"},
		{"eve@other.example", "x", "", "javascript:alert(1)"},
		{"名前", "名前", "", "http://[::1]:8080/inbox"},
		{"a b", strings.Repeat("é", 200), "", "https:///inbox"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	db, err := Open(context.Background(), filepath.Join(f.TempDir(), "tidings.db"), testSite)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	const uri = "https://remote.example/users/x" // one row, written over by every input
	f.Fuzz(func(t *testing.T, username, displayName, summary, inbox string) {
		a, err := db.SaveRemoteActor(context.Background(), RemoteActor{URI: uri, Kind: KindPerson, Username: username,
			DisplayName: displayName, Summary: summary, Inbox: inbox, KeyID: uri + "#main-key", PublicKeyPEM: testPublicKeys()[0]})
		if err != nil {
			if code := ErrorCode(err); code != EInvalid {
				t.Fatalf("refused with %s, want %s: %v", code, EInvalid, err)
			}
			return
		}
		if !isHandleName(a.Username) {
			t.Errorf("stored the name %q", a.Username)
		}
		if !utf8.ValidString(a.DisplayName) || strings.ContainsFunc(a.DisplayName, unicode.IsControl) ||
			utf8.RuneCountInString(a.DisplayName) > 2*maxDisplayNameLength {
			t.Errorf("stored the display name %q", a.DisplayName)
		}
		if err := checkSanitized(a.Summary); err != nil {
			t.Errorf("stored the summary %q: %v", a.Summary, err)
		}
		if u, err := url.Parse(a.Inbox); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Errorf("stored the inbox %q", a.Inbox)
		}
	})
}

// TestRemoteActorNames: a remote actor's name is refused when a handle
// could not show it or a profile path not hold it (FuzzActorDocument
// stored "ada\x00\u202e").
func TestRemoteActorNames(t *testing.T) {
	db, _ := openTestDB(t)
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"carol", true}, {"Gargron", true}, {"jk.nipponalba.scot", true}, {"the_mighty_zork", true},
		{"threadiverse-wg", true}, {"57H", true}, {"名前", true}, {"ĉapelo", true},
		{"", false}, {"ada\x00", false}, {"ada\u202e", false}, {"a\u200bb", false}, {"a b", false}, {"a\tb", false},
		{"a\u00a0b", false}, {"eve@other.example", false}, {"../../settings", false}, {`a\b`, false},
		{"a?b", false}, {"a#b", false}, {"a%2fb", false}, {"a\xffb", false},
	} {
		uri := "https://remote.example/users/" + url.PathEscape(tt.name)
		_, err := db.SaveRemoteActor(context.Background(), RemoteActor{URI: uri, Kind: KindPerson, Username: tt.name,
			Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: testPublicKeys()[0]})
		switch {
		case tt.ok && err != nil:
			t.Errorf("name %q refused: %v", tt.name, err)
		case !tt.ok && ErrorCode(err) != EInvalid:
			t.Errorf("name %q: %v; want it refused as invalid", tt.name, err)
		}
	}
}
