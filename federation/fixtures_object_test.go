package federation

// The fixture conformance test reads every payload of the shared corpus
// of real ActivityPub, WebFinger and NodeInfo documents (../shared/fixtures,
// described by its README.md) the way Tidings reads what other servers
// send, and checks each outcome against what the document itself says:
// an actor with an inbox and a key must be stored, one without them must
// be refused and leave nothing behind; a post's text, author, date and
// audience must come through; an activity must pass or fail the inbox's
// envelope check and be stored or ignored; a broken document must be
// answered with a 4xx and store nothing. No outcome is written down per
// file, so a regression in the reading code fails the test.

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// checkObject reads an object document: a post type is read and stored
// as a post, any other known type is read, an unknown type is reported as
// such.
func (r *fixtureRun) checkObject(t docT, fx fixture, raw map[string]any) string {
	doc, _, err := decode(r.ctx, fx.body)
	typ := jsonString(raw["type"])
	if !isAS2Type(raw["type"]) {
		if !errors.Is(err, ErrUnknownType) {
			t.Fatalf("decode of a %v: %v; want ErrUnknownType", raw["type"], err)
		}
		return "unknown type " + typ + " (ErrUnknownType)"
	}
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got := doc.GetTypeName(); got != typ {
		t.Errorf("type = %q; want %q", got, typ)
	}
	if id := jsonString(raw["id"]); isHTTPURL(id) && idOf(doc) != id {
		t.Errorf("id = %q; want %q", idOf(doc), id)
	}
	post, ok := doc.(postable)
	if !ok || !postTypes[typ] {
		return "read; " + typ + " is not a post type"
	}
	return r.checkPost(t, raw, post)
}

// checkPost turns a post into its record, as a Create would, and stores it
// under a stub of its author, then checks the record against the document.
func (r *fixtureRun) checkPost(t docT, raw map[string]any, post postable) string {
	t.Helper()
	want := wantPost(raw)
	if got := firstRef(post.GetActivityStreamsAttributedTo()).IRI; got != want.author && isHTTPURL(want.author) {
		t.Errorf("attributedTo = %q; want %q", got, want.author)
	}
	if !isHTTPURL(want.author) {
		return "not stored: no attributedTo"
	}
	db := r.freshDB(t)
	defer db.Close()
	author, err := db.SaveRemoteActor(r.ctx, storage.RemoteActor{URI: want.author, Kind: storage.KindPerson,
		Username: "author", Inbox: want.author + "/inbox", Followers: want.followers,
		KeyID: want.author + "#main-key", PublicKeyPEM: r.keyPEM})
	if err != nil {
		t.Fatalf("save the author %s: %v", want.author, err)
	}
	rec := remotePost(author, post)
	if rec.URI != want.uri {
		t.Errorf("URI = %q; want %q", rec.URI, want.uri)
	}
	if !slices.Contains(want.texts, rec.Content) {
		hint := ""
		if hasScheme(want.texts[0]) {
			hint = ` (the text starts like a URL, "word:", which go-fed reads as an IRI)`
		}
		t.Errorf("content = %.80q; want one of %.200q%s", rec.Content, want.texts, hint)
	}
	// A name is the headline; it must not be lost.
	if len(want.names) > 0 && strings.TrimSpace(want.names[0]) != "" && rec.Headline == "" &&
		!slices.Contains(want.names, rec.Content) {
		t.Errorf("headline = %q, content = %.80q; want the name %.80q kept", rec.Headline, rec.Content, want.names[0])
	}
	if !rec.Published.Equal(want.published) {
		t.Errorf("published = %v; want %v", rec.Published, want.published)
	}
	if rec.Visibility != want.visibility {
		t.Errorf("visibility = %q; want %q (to %v, cc %v)", rec.Visibility, want.visibility, raw["to"], raw["cc"])
	}
	if rec.InReplyTo != want.inReplyTo {
		t.Errorf("inReplyTo = %q; want %q", rec.InReplyTo, want.inReplyTo)
	}
	checkWarning(t, want, rec)
	checkHashtags(t, raw, rec)
	_, err = db.SaveRemotePost(r.ctx, rec)
	if reason := want.refusal(); reason != "" {
		if err == nil || storage.ErrorCode(err) == storage.EInternal {
			t.Errorf("SaveRemotePost of a post with %s = %v; want a refusal", reason, err)
		}
		if _, err := db.PostByURI(r.ctx, want.uri); storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("after the refusal, PostByURI = %v; want not found", err)
		}
		return "refused: " + reason
	}
	if err != nil {
		t.Fatalf("SaveRemotePost: %v", err)
	}
	return checkStoredPost(t, db, want, author)
}

// checkStoredPost reads the stored post back.
func checkStoredPost(t docT, db *storage.DB, want wantedPost, author *storage.Actor) string {
	t.Helper()
	p, err := db.PostByURI(context.Background(), want.uri)
	if err != nil {
		t.Fatalf("PostByURI after saving: %v", err)
	}
	if p.Local || p.AuthorID != author.ID || p.Visibility != want.visibility || p.InReplyTo != want.inReplyTo {
		t.Errorf("stored Local, AuthorID, Visibility, InReplyTo = %v, %q, %q, %q; want false, %q, %q, %q",
			p.Local, p.AuthorID, p.Visibility, p.InReplyTo, author.ID, want.visibility, want.inReplyTo)
	}
	if unsanitized.MatchString(p.Content) {
		t.Errorf("stored content keeps a script or an event handler: %.200q", p.Content)
	}
	if htmlHasText(want.texts[0]) && !htmlHasText(p.Content) {
		t.Errorf("stored content %.80q lost the text of %.80q", p.Content, want.texts[0])
	}
	switch {
	case want.published.IsZero() || want.published.After(time.Now()):
		if p.Published.IsZero() {
			t.Errorf("a post without a date was stored without one")
		}
	case !p.Published.Equal(want.published.Truncate(time.Millisecond)):
		t.Errorf("stored published = %v; want %v", p.Published, want.published)
	}
	result := "stored (" + want.visibility + ")"
	if !htmlHasText(want.texts[0]) {
		result += ", without text"
	}
	return result
}

// unsanitized finds what the sanitizer must remove: script and style
// elements, event-handler attributes, javascript: links.
var unsanitized = regexp.MustCompile(`(?i)<\s*(script|style|iframe)|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*["']?\s*javascript:`)

var htmlTagPattern = regexp.MustCompile(`<[^>]*>`)

// htmlHasText reports whether HTML has visible text.
func htmlHasText(html string) bool {
	return strings.TrimSpace(htmlTagPattern.ReplaceAllString(html, "")) != ""
}

// wantedPost is what a post document says, read without go-fed.
type wantedPost struct {
	uri, author, followers, inReplyTo, visibility string
	texts                                         []string // the acceptable contents
	names                                         []string // the acceptable headlines (name)
	warnings                                      []string // the acceptable content warnings, none for none
	sensitive                                     bool
	published                                     time.Time
}

// checkWarning checks a post's content warning as Mastodon reads it: a
// Note's summary; another type's only when it is sensitive.
func checkWarning(t docT, want wantedPost, rec storage.RemotePost) {
	t.Helper()
	if len(want.warnings) == 0 && rec.ContentWarning != "" {
		t.Errorf("content warning = %q; want none", rec.ContentWarning)
	}
	if len(want.warnings) > 0 && !slices.Contains(want.warnings, rec.ContentWarning) {
		t.Errorf("content warning = %q; want one of %q", rec.ContentWarning, want.warnings)
	}
	if rec.Sensitive != (want.sensitive || len(want.warnings) > 0) {
		t.Errorf("sensitive = %v; want %v", rec.Sensitive, want.sensitive || len(want.warnings) > 0)
	}
}

func wantPost(raw map[string]any) wantedPost {
	w := wantedPost{
		uri:       jsonString(raw["id"]),
		author:    jsonIRI(raw["attributedTo"]),
		inReplyTo: jsonIRI(raw["inReplyTo"]),
	}
	w.texts = jsonTexts(raw, "content")
	w.names = jsonTexts(raw, "name")
	if len(w.texts) == 0 && jsonString(raw["type"]) == "Note" {
		w.texts = w.names // a Note without content shows its name
	}
	if len(w.texts) == 0 {
		w.texts = []string{""}
	}
	if s, ok := raw["published"].(string); ok {
		w.published, _ = time.Parse(time.RFC3339Nano, s)
	}
	w.sensitive, _ = raw["sensitive"].(bool)
	if jsonString(raw["type"]) == "Note" || w.sensitive {
		for _, s := range jsonTexts(raw, "summary") {
			if s = strings.TrimSpace(htmlTagPattern.ReplaceAllString(s, "")); s != "" {
				w.warnings = append(w.warnings, s)
			}
		}
	}
	to, cc := jsonIRIs(raw["to"]), jsonIRIs(raw["cc"])
	// The author's followers collection is the one the post addresses on
	// the author's server, else where Mastodon puts it.
	w.followers = w.author + "/followers"
	for _, uri := range append(slices.Clone(to), cc...) {
		if strings.HasSuffix(uri, "/followers") && onSameHost(uri, w.author) {
			w.followers = uri
		}
	}
	isPublic := func(uri string) bool { return slices.Contains(publicForms, uri) }
	switch {
	case slices.ContainsFunc(to, isPublic):
		w.visibility = storage.Public
	case slices.ContainsFunc(cc, isPublic):
		w.visibility = storage.Unlisted
	case slices.Contains(to, w.followers) || slices.Contains(cc, w.followers):
		w.visibility = storage.Followers
	default:
		w.visibility = storage.Direct
	}
	return w
}

// refusal is why storage must refuse the post, or "".
func (w wantedPost) refusal() string {
	switch {
	case !isHTTPURL(w.uri):
		return "an id that is not an http(s) URL"
	case !onSameHost(w.uri, w.author):
		return "an id on another server than its author"
	}
	return ""
}

// jsonTexts lists the acceptable values of a natural-language property: the
// plain string, and the values of its language map (any of which Tidings
// may pick when none is English).
func jsonTexts(raw map[string]any, property string) []string {
	var out []string
	if s := jsonString(raw[property]); s != "" {
		out = append(out, s)
	}
	langs, _ := raw[property+"Map"].(map[string]any)
	for _, v := range langs {
		if s := jsonString(v); s != "" {
			out = append(out, s)
		}
	}
	return out
}
