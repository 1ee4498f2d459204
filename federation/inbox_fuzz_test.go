package federation

// FuzzInboxActivity delivers each input to a real inbox, signed by the
// activity's actor, and runs what the inbox stored through the inbox
// worker's own steps (claim, process, finish), then checks the records
// left behind. Nothing leaves the process: the client's dialer refuses
// every address, so an activity that needs a remote document meets an
// unreachable server, as it may in production.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/mux"
	"golang.org/x/net/html"

	"github.com/tidings-social/tidings/storage"
)

// Actors and posts every fuzzed delivery finds on the instance: a
// member, a subwiki with a post, and remote accounts and posts, so that
// follows, replies, likes, announces, locks and proposals have
// something to act on.
const (
	fuzzCarol     = "https://mastodon.example/users/carol"
	fuzzCarolPost = "https://mastodon.example/users/carol/statuses/1"
	fuzzGroup     = "https://lemmy.example/c/news"
	fuzzDave      = "https://lemmy.example/u/dave"
	fuzzDavePost  = "https://lemmy.example/post/1"
	// fuzzPostToken in an input stands for the local post's id, which
	// differs in every run.
	fuzzPostToken = "{{post}}"
)

// inboxFuzzWorld is the instance each delivery starts from, as a
// database file, and the key every remote actor signs with.
type inboxFuzzWorld struct {
	db        databaseFile
	key       ed25519.PrivateKey
	keyPEM    string
	localPost string // the id of alice's post in the subwiki
	before    map[string]*storage.Post
}

func newInboxFuzzWorld(tb testing.TB) *inboxFuzzWorld {
	tb.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	w := &inboxFuzzWorld{key: key, keyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
	w.db = newDatabaseFile(tb, func(db *storage.DB) { w.populate(tb, db) })
	return w
}

// databaseFile is a database made once, kept as the bytes of its file,
// so that each input starts from a copy in a few milliseconds (making
// one costs the instance's RSA key).
type databaseFile []byte

// newDatabaseFile makes a database with what populate adds to it.
func newDatabaseFile(tb testing.TB, populate func(*storage.DB)) databaseFile {
	tb.Helper()
	file := filepath.Join(dirFor(tb), "template.db")
	db, err := storage.Open(context.Background(), file, fixtureSite)
	if err != nil {
		tb.Fatal(err)
	}
	if populate != nil {
		populate(db)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// open opens a copy of the database, closed and removed after the test.
func (f databaseFile) open(tb testing.TB) *storage.DB {
	tb.Helper()
	file := filepath.Join(dirFor(tb), "tidings.db")
	if err := os.WriteFile(file, f, 0o600); err != nil {
		tb.Fatal(err)
	}
	db, err := storage.Open(context.Background(), file, fixtureSite)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// populate makes the member alice, her subwiki and post, and the remote
// accounts she follows, with their posts.
func (w *inboxFuzzWorld) populate(tb testing.TB, db *storage.DB) {
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	alice, err := db.CreateMember(ctx, storage.MemberCreate{Username: "alice", Email: "alice@example.org", Password: "a long password"})
	must(err)
	climate, err := db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, alice.ID)
	must(err)
	post, err := db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, SubwikiID: climate.ID, Kind: storage.KindNews,
		Headline: "Glacier retreat doubles", LinkURL: "https://paper.example/glaciers", Text: "A new survey."})
	must(err)
	w.localPost = post.URI
	actors := map[string]*storage.Actor{}
	for _, a := range []struct{ uri, kind, name string }{
		{fuzzCarol, storage.KindPerson, "carol"}, {fuzzGroup, storage.KindGroup, "news"}, {fuzzDave, storage.KindPerson, "dave"},
	} {
		actors[a.uri], err = db.SaveRemoteActor(ctx, w.stubActor(a.uri, a.kind, a.name))
		must(err)
	}
	for _, followee := range []string{fuzzCarol, fuzzGroup} {
		_, err = db.Follow(ctx, alice.ID, actors[followee].ID)
		must(err)
	}
	_, err = db.SaveRemotePost(ctx, storage.RemotePost{URI: fuzzCarolPost, AuthorID: actors[fuzzCarol].ID,
		Content: "<p>The river is rising.</p>", Visibility: storage.Public, Published: time.Now()})
	must(err)
	_, err = db.SaveRemotePost(ctx, storage.RemotePost{URI: fuzzDavePost, AuthorID: actors[fuzzDave].ID,
		Kind: storage.KindNews, Headline: "Ferry timetable changes", LinkURL: "https://harbour.example/ferry",
		SubwikiID: actors[fuzzGroup].ID, Visibility: storage.Public, Published: time.Now()})
	must(err)
	w.before = map[string]*storage.Post{}
	for _, uri := range []string{fuzzCarolPost, fuzzDavePost, w.localPost} {
		w.before[uri], err = db.PostByURI(ctx, uri)
		must(err)
	}
}

// stubActor is a remote actor whose key is the world's.
func (w *inboxFuzzWorld) stubActor(uri, kind, name string) storage.RemoteActor {
	return storage.RemoteActor{URI: uri, Kind: kind, Username: name, Inbox: uri + "/inbox",
		Followers: uri + "/followers", KeyID: uri + "#main-key", PublicKeyPEM: w.keyPEM}
}

// dirFor makes a directory for one input, removed after it. Not
// t.TempDir: it names the directory after the test, and the seeds'
// names ("seed#0") hold a '#', which the database's file: URI would
// read as the start of a fragment.
func dirFor(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "tidings-fuzz-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// offline makes every fetch of the federator fail at the dial, before
// any name is looked up.
func offline(f *Federator) {
	f.client.transport.DialContext = func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no network while fuzzing")
	}
}

// inboxFuzzDelivery is one input delivered to a fresh copy of the world.
type inboxFuzzDelivery struct {
	world  *inboxFuzzWorld
	db     *storage.DB
	fed    *Federator
	router *mux.Router
	body   []byte
	sender string // the activity's actor, when the envelope names one
}

func (w *inboxFuzzWorld) open(t *testing.T, input []byte) *inboxFuzzDelivery {
	t.Helper()
	db := w.db.open(t)
	fed := New(db, Config{Site: fixtureSite, Version: "fuzz"}, slog.New(slog.DiscardHandler))
	offline(fed)
	router := mux.NewRouter()
	fed.Routes(router)
	return &inboxFuzzDelivery{world: w, db: db, fed: fed, router: router,
		body: bytes.ReplaceAll(input, []byte(fuzzPostToken), []byte(w.localPost))}
}

// deliver posts the body to the shared inbox, signed with the world's
// key as the actor the envelope names; that actor is first stored with
// the key, as if fetched (an actor that cannot be stored, such as one of
// this instance, is left to the inbox to refuse).
func (d *inboxFuzzDelivery) deliver(t *testing.T) *httptest.ResponseRecorder {
	t.Helper()
	ctx := context.Background()
	keyID := "https://nobody.example/actor#main-key"
	var raw map[string]any
	if json.Unmarshal(d.body, &raw) == nil {
		if env, err := readEnvelope(raw); err == nil {
			d.sender, keyID = env.Actor, env.Actor+"#main-key"
			if _, err := d.db.ActorByURI(ctx, env.Actor); storage.ErrorCode(err) == storage.ENotFound {
				d.db.SaveRemoteActor(ctx, d.world.stubActor(env.Actor, storage.KindPerson, "sender"))
			}
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/inbox", bytes.NewReader(d.body))
	req.Host = fixtureSite.Domain
	req.Header.Set("Content-Type", "application/activity+json")
	signEd25519(t, req, d.body, keyID, d.world.key, d.fed.now())
	rec := httptest.NewRecorder()
	d.router.ServeHTTP(rec, req)
	return rec
}

// signEd25519 signs a request as draft-cavage hs2019 with an Ed25519 key,
// which is a hundred times quicker than RSA.
func signEd25519(t *testing.T, r *http.Request, body []byte, keyID string, key ed25519.PrivateKey, now time.Time) {
	t.Helper()
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	r.Header.Set("Digest", digestHeaderOf(body))
	sig := cavageSignature{keyID: keyID, algorithm: "hs2019", headers: []string{"(request-target)", "host", "date", "digest"}}
	msg, err := sig.signingString(nil, r, true)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(keyID)+
		`",algorithm="hs2019",headers="(request-target) host date digest",signature="`+
		base64.StdEncoding.EncodeToString(ed25519.Sign(key, msg))+`"`)
}

// work does what an inbox worker does with what is due: claim, process,
// record the outcome.
func (d *inboxFuzzDelivery) work(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	claimed, err := d.db.ClaimInbound(ctx, 8, inboxLease)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range claimed {
		permanent, err := d.fed.process(ctx, in)
		d.fed.finishInbound(ctx, in.ID, in.Attempts, permanent, err)
	}
}

func FuzzInboxActivity(f *testing.F) {
	for _, seed := range []string{
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/carol/statuses/2/activity","type":"Create","actor":"https://mastodon.example/users/carol","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://mastodon.example/users/carol/statuses/2","type":"Note","attributedTo":"https://mastodon.example/users/carol","content":"<p>Hello <a href=\"https://tidings.test/@alice\" class=\"u-url mention\">@alice</a></p>","published":"2026-11-22T09:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"tag":[{"type":"Mention","href":"https://tidings.test/users/alice","name":"@alice@tidings.test"}]}}`,
		`{"id":"https://lemmy.example/activities/announce/1","type":"Announce","actor":"https://lemmy.example/c/news","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://lemmy.example/activities/create/1","type":"Create","actor":"https://lemmy.example/u/dave","object":{"id":"https://lemmy.example/post/2","type":"Page","attributedTo":"https://lemmy.example/u/dave","name":"Harbour reopens","attachment":[{"type":"Link","href":"https://harbour.example/reopens"}],"audience":"https://lemmy.example/c/news","to":["https://lemmy.example/c/news","https://www.w3.org/ns/activitystreams#Public"]}}}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://gts.example/users/erin/follow/01J","type":"Follow","actor":"https://gts.example/users/erin","object":"https://tidings.test/users/alice"}`,
		`{"id":"https://mastodon.example/users/carol#likes/1","type":"Like","actor":"https://mastodon.example/users/carol","object":"{{post}}"}`,
		`{"id":"https://b.example/activities/01JDY","type":"Offer","actor":"https://b.example/users/bob","object":{"id":"{{post}}","type":"Page","name":"Glacier retreat doubles in a decade","headlineRevision":1},"target":"{{post}}","summary":"The survey covers ten years."}`,
		`{"id":"https://lemmy.example/activities/lock/1","type":"Announce","actor":"https://lemmy.example/c/news","object":{"id":"https://lemmy.example/activities/lock/2","type":"Lock","actor":"https://lemmy.example/u/dave","object":"https://lemmy.example/post/1","summary":"Settled"}}`,
	} {
		f.Add([]byte(seed))
	}
	world := newInboxFuzzWorld(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		d := world.open(t, input)
		rec := d.deliver(t)
		pending, err := d.db.PendingInbound(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		switch status := rec.Code; {
		case status == http.StatusAccepted:
		case status == http.StatusBadRequest, status == http.StatusUnauthorized, status == http.StatusRequestEntityTooLarge:
			if strings.TrimSpace(rec.Body.String()) == "" {
				t.Errorf("status %d without a reason", status)
			}
			if pending != 0 {
				t.Errorf("status %d, yet %d activities were stored", status, pending)
			}
		default:
			t.Fatalf("status %d (%s), want 202 or a 4xx", status, rec.Body)
		}
		d.work(t)
		d.checkRecords(t)
	})
}

// checkRecords checks what processing left: posts and actors fit to
// store, and no activity changing what its actor has no right to.
func (d *inboxFuzzDelivery) checkRecords(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	for _, uri := range append(jsonStrings(d.body, 1000), fuzzCarolPost, fuzzDavePost, d.world.localPost) {
		if seen[uri] {
			continue
		}
		seen[uri] = true
		p, err := d.db.PostByURI(ctx, uri)
		if storage.ErrorCode(err) == storage.ENotFound {
			continue
		}
		if err != nil {
			t.Fatalf("PostByURI(%q): %v", uri, err)
		}
		checkPostRecord(t, d.db, p)
	}
	d.checkOthersPosts(t)
	if d.sender == "" {
		return
	}
	if a, err := d.db.ActorByURI(ctx, d.sender); err == nil && !a.Local {
		checkActorRecord(t, a)
	}
}

// checkOthersPosts: the posts the world starts with change only by an
// activity of their author or (for one in a remote group) of the group,
// and the local post never by another server.
func (d *inboxFuzzDelivery) checkOthersPosts(t *testing.T) {
	t.Helper()
	for uri, mayChange := range map[string][]string{
		fuzzCarolPost: {fuzzCarol}, fuzzDavePost: {fuzzDave, fuzzGroup}, d.world.localPost: nil,
	} {
		if slices.Contains(mayChange, d.sender) {
			continue
		}
		p, err := d.db.PostByURI(context.Background(), uri)
		if err != nil {
			t.Errorf("%s of another actor is gone after an activity of %s: %v", uri, d.sender, err)
			continue
		}
		was := d.world.before[uri]
		if p.AuthorID != was.AuthorID || p.Content != was.Content || p.URL != was.URL || p.Local != was.Local {
			t.Errorf("an activity of %s changed %s:\n got %+v\nwant %+v", d.sender, uri, p, was)
		}
		if uri != d.world.localPost && p.Headline != was.Headline {
			t.Errorf("an activity of %s changed the headline of %s to %q", d.sender, uri, p.Headline)
		}
	}
}

// jsonStrings lists up to limit string values of a JSON document, at any
// depth, for looking up what the document may have made.
func jsonStrings(body []byte, limit int) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len(out) < limit {
				out = append(out, x)
			}
		case map[string]any:
			for _, item := range x {
				walk(item)
			}
		case []any:
			for _, item := range x {
				walk(item)
			}
		}
	}
	walk(v)
	return out
}

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
