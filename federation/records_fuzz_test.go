package federation

// What the fuzz targets check of the records that outside input leaves:
// what storage promises of every post and remote actor.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/tidings-social/tidings/storage"
)

// checkPostRecord checks what storage promises of every post: an
// http(s) id on its author's server, known kind and visibility, a
// one-line headline, web links, and content that is safe HTML.
func checkPostRecord(t *testing.T, db *storage.DB, p *storage.Post) {
	t.Helper()
	author, err := db.ActorByID(context.Background(), p.AuthorID)
	if err != nil {
		t.Fatalf("the author of %s: %v", p.URI, err)
	}
	if !isWebURL(p.URI) || !sameHost(p.URI, author.URI) {
		t.Errorf("post %q is not an http(s) id on the server of its author %s", p.URI, author.URI)
	}
	if p.Local != author.Local {
		t.Errorf("post %s: local %v, its author %s local %v", p.URI, p.Local, author.URI, author.Local)
	}
	switch p.Kind {
	case storage.KindNews, storage.KindDiscussion, storage.KindNote, storage.KindComment:
	default:
		t.Errorf("post %s has kind %q", p.URI, p.Kind)
	}
	switch p.Visibility {
	case storage.Public, storage.Unlisted, storage.Followers, storage.Direct:
	default:
		t.Errorf("post %s has visibility %q", p.URI, p.Visibility)
	}
	if err := checkOneLine(p.Headline, storage.MaxHeadlineLength); err != nil {
		t.Errorf("post %s: headline %q: %v", p.URI, p.Headline, err)
	}
	if p.Kind == storage.KindNews && !isWebURL(p.LinkURL) {
		t.Errorf("news %s links to %q", p.URI, p.LinkURL)
	}
	for _, u := range []string{p.LinkURL, p.URL} {
		if u != "" && !isWebURL(u) {
			t.Errorf("post %s has the link %q", p.URI, u)
		}
	}
	if err := checkSafeHTML(p.Content); err != nil {
		t.Errorf("post %s: content %q: %v", p.URI, p.Content, err)
	}
}

// isWebURL reports an absolute http(s) URL with a host.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// checkOneLine checks a line of text from elsewhere as storage keeps it:
// valid UTF-8, no control characters, at most limit characters.
func checkOneLine(s string, limit int) error {
	switch {
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return errors.New("has a control character")
	case utf8.RuneCountInString(s) > limit:
		return fmt.Errorf("longer than %d characters", limit)
	}
	return nil
}

// safeElements are the elements, and their attributes, that the
// sanitizer of remote HTML keeps (see storage/sanitize.go).
var safeElements = map[string][]string{
	"a": {"href", "rel", "class"}, "span": {"class"},
	"p": nil, "br": nil, "del": nil, "pre": nil, "code": nil, "em": nil, "strong": nil, "b": nil, "i": nil,
	"u": nil, "ul": nil, "ol": nil, "li": nil, "blockquote": nil,
}

// checkSafeHTML checks that s holds only the elements and attributes
// the sanitizer keeps, with links to http(s) only.
func checkSafeHTML(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			allowed, ok := safeElements[string(name)]
			if !ok {
				return fmt.Errorf("has a <%s> element", name)
			}
			for more := true; more; {
				var key, val []byte
				key, val, more = z.TagAttr()
				if key == nil {
					break
				}
				if !slices.Contains(allowed, string(key)) {
					return fmt.Errorf("has a %s attribute on <%s>", key, name)
				}
				if string(key) == "href" && !isWebURL(string(val)) {
					return fmt.Errorf("links to %q", val)
				}
			}
		case html.CommentToken, html.DoctypeToken:
			return errors.New("has a comment or doctype")
		}
	}
}

// checkActorRecord checks what the inbox and deliveries rely on in a
// stored remote actor: an http(s) id and inbox, a key on the actor's
// own server, a name, and text fit to show.
func checkActorRecord(t *testing.T, a *storage.Actor) {
	t.Helper()
	switch {
	case a.Local:
		t.Errorf("remote actor %s is stored as local", a.URI)
	case !isWebURL(a.URI) || !isWebURL(a.Inbox):
		t.Errorf("actor %q has inbox %q; want http(s) URLs", a.URI, a.Inbox)
	case a.KeyID == "" || !sameHost(a.KeyID, a.URI) || a.PublicKeyPEM == "":
		t.Errorf("actor %s has key %q (%d bytes of PEM); want one on its server", a.URI, a.KeyID, len(a.PublicKeyPEM))
	case !isHandleName(a.Username) || !strings.EqualFold(a.Host, hostOf(a.URI)):
		t.Errorf("actor %s is %q at %q; want a name a handle can hold, at its host", a.URI, a.Username, a.Host)
	case !actorKinds[a.Kind]:
		t.Errorf("actor %s has kind %q", a.URI, a.Kind)
	}
	for _, u := range []string{a.SharedInbox, a.Outbox, a.Followers, a.Following, a.IconURL, a.URL} {
		if u != "" && !isWebURL(u) {
			t.Errorf("actor %s has the address %q", a.URI, u)
		}
	}
	if err := checkOneLine(a.DisplayName, 120); err != nil {
		t.Errorf("actor %s: display name %q: %v", a.URI, a.DisplayName, err)
	}
	if err := checkSafeHTML(a.Summary); err != nil {
		t.Errorf("actor %s: summary %q: %v", a.URI, a.Summary, err)
	}
}

// isHandleName reports a name that @name@host can show and a profile
// path can hold: valid UTF-8 without control, format (bidi) or space
// characters, and nothing that ends a name or a path segment.
func isHandleName(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Z) || strings.ContainsRune(`@/\?#%`, r)
	})
}
