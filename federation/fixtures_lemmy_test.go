package federation

// The Lemmy conformance test takes every Group, Page, Article, Note and
// Announce document of the corpus' lemmy/ directory (Lemmy's own output
// and the captures of other servers Lemmy's tests read) through what
// Tidings does with it: a Group is read and stored as a subwiki a member
// can follow; a post is delivered in a Create and processed by the inbox
// worker, and must come out with the kind, headline, link, subwiki and
// thread its document calls for; an Announce from a group (FEP-1b12) is
// processed as the group sent it, and must have the effect its inner
// activity calls for: a post stored from the embedded copy only when the
// group's server is the post's, a like counted or taken back, a post
// deleted, or nothing. Lemmy's own activities that carry an audience are
// also processed as their community passes them on, wrapped here in an
// Announce. No outcome is written down per file: each is derived from
// the document, so a regression in the reading code fails the test.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tidings-social/tidings/storage"
)

// The shapes of documents this test covers, as they are summed up.
const (
	lemmyGroups     = "Group actors"
	lemmyPosts      = "posts (Page, Article, Note), delivered in a Create by their author"
	lemmyActivities = "Create and Update activities of posts and groups"
	lemmyEdits      = "edits: a Create, then an Update of the same post"
	lemmyAnnounces  = "Announces"
	lemmyAnnounced  = "Lemmy's activities with an audience, announced by that group (wrapped here)"
	lemmyNotes      = "notes (not failures)"
)

// lemmyShapes are the shapes in the order of the summary; the first four
// are the documents that must all be accounted for.
var lemmyShapes = []string{lemmyGroups, lemmyPosts, lemmyActivities, lemmyAnnounces, lemmyEdits, lemmyAnnounced, lemmyNotes}

// lemmyPostTypes are the types read as posts: Tidings reads a Page and an
// Article alike.
var lemmyPostTypes = []string{"Page", "Article", "Note"}

// lemmyReader is the local member who follows the groups and authors, so
// that what they publish is kept.
const lemmyReader = "reader"

// lemmyProcessTimeout bounds the processing of one activity: fetches
// cannot reach anything here and must fail at once.
const lemmyProcessTimeout = 5 * time.Second

// errOffline is what every connection of the test's federators gets.
var errOffline = errors.New("this test reaches no network")

// TestLemmyCorpus puts every Group, Page, Article, Note and Announce
// document of the corpus' lemmy/ directory through Tidings, and Lemmy's
// own activities through their community's Announce.
func TestLemmyCorpus(t *testing.T) {
	root := corpusDir(t)
	fixtures := readFixtures(t, root, "lemmy")
	run := newLemmyRun(t, fixtures)
	outcomes, selected := run.checkSet(t, fixtures)
	if len(outcomes) != len(selected) {
		var missing []string
		for _, name := range selected {
			if _, ok := outcomes[name]; !ok {
				missing = append(missing, name)
			}
		}
		t.Errorf("%d of %d Group, Page, Article, Note and Announce documents were accounted for; not: %s",
			len(outcomes), len(selected), strings.Join(missing, ", "))
	}
	if len(selected) == 0 {
		t.Errorf("no Group, Page, Article, Note or Announce document under %s", filepath.Join(root, "lemmy"))
	}
	announced := run.checkAnnounced(t, fixtures)
	if announced == 0 {
		t.Errorf("no Lemmy activity with an audience under %s", filepath.Join(root, "lemmy"))
	}
	run.log(t, filepath.Join(root, "lemmy"))
}

// TestLemmyHandWritten puts the payloads of testdata/lemmy, written here
// in Lemmy's shapes, through the same checks; it runs without the
// corpus. Their outcomes are ours to know, so they are listed.
func TestLemmyHandWritten(t *testing.T) {
	fixtures := readFixtures(t, "testdata", "lemmy")
	run := newLemmyRun(t, fixtures)
	got, _ := run.checkSet(t, fixtures)
	want := map[string]string{
		"lemmy/group.json":                          lemmyGroups + ": read, stored, and followed as a subwiki",
		"lemmy/page-link.json":                      lemmyPosts + ": stored as news in its group",
		"lemmy/note-comment.json":                   lemmyPosts + ": stored as a comment under its parent, in its group",
		"lemmy/announce-create-page.json":           lemmyAnnounces + ": Create of a Page on the group's server: stored from the embedded copy as a discussion in the announcing group",
		"lemmy/announce-create-page-elsewhere.json": lemmyAnnounces + ": Create of a Page on another server than the group's: not taken from the embedded copy (fetched from its server, which failed here: retried later)",
		"lemmy/announce-like.json":                  lemmyAnnounces + ": Like of a post here, by an account of another server: " + unconfirmed,
		"lemmy/announce-undo-like.json":             lemmyAnnounces + ": Undo of a Like, by an account of another server: " + unconfirmed,
		"lemmy/announce-delete.json":                lemmyAnnounces + ": Delete of a post on the group's server, by its author: deleted",
	}
	for _, name := range sortedNames(got) {
		if got[name] != want[name] {
			t.Errorf("testdata/%s: %q; want %q", name, got[name], want[name])
		}
	}
	for _, name := range sortedNames(want) {
		if _, ok := got[name]; !ok {
			t.Errorf("testdata/%s was not checked", name)
		}
	}
	run.log(t, "testdata/lemmy")
}

// TestLemmyHandWrittenThread plays the hand-written payloads in order on
// one instance, as a follower of the group receives them: the group, a
// link post in it, a comment on the post, a post the group announces, a
// like and its undo, the deletion of the announced post, and a post the
// group cannot vouch for.
func TestLemmyHandWrittenThread(t *testing.T) {
	fixtures := readFixtures(t, "testdata", "lemmy")
	run := newLemmyRun(t, fixtures)
	doc := func(name string) map[string]any {
		for _, fx := range fixtures {
			if fx.name == "lemmy/"+name {
				return jsonObject(fx.body)
			}
		}
		t.Fatalf("no testdata/lemmy/%s", name)
		return nil
	}
	dt := docT{T: t, name: "thread", run: run.fixtureRun}
	w := run.world(dt)
	defer w.close()
	ctx := w.ctx

	group := w.actor("https://bridges.example/c/riverside", storage.KindGroup, "")
	if group.Kind != storage.KindGroup || group.Username != "riverside" || group.DisplayName != "Riverside Commons" {
		t.Fatalf("the group was stored as %s %q %q", group.Kind, group.Username, group.DisplayName)
	}
	w.follow(group)
	odile := w.actor("https://bridges.example/u/odile", storage.KindPerson, "")
	if odile.DisplayName != "Odile Ferrand" {
		t.Errorf("the author was stored as %q", odile.DisplayName)
	}

	page := doc("page-link.json")
	w.mustBeDone(w.process(odile.URI, jsonEncode(syntheticCreate(page, odile.URI))), "the Create of the link post")
	news := w.post("https://bridges.example/post/301")
	if news.Kind != storage.KindNews || news.Headline != "The ferry timetable changes in May" ||
		news.LinkURL != "https://harbour.example/notices/ferry-summer" || news.SubwikiID != group.ID ||
		news.AuthorID != odile.ID || news.Visibility != storage.Public {
		t.Errorf("the link post: %+v", news)
	}

	comment := doc("note-comment.json")
	tamsin := w.actor("https://bridges.example/u/tamsin", storage.KindPerson, "")
	w.mustBeDone(w.process(tamsin.URI, jsonEncode(syntheticCreate(comment, tamsin.URI))), "the Create of the comment")
	reply := w.post("https://bridges.example/comment/902")
	if reply.Kind != storage.KindComment || reply.ParentID != news.ID || reply.RootID != news.ID ||
		reply.SubwikiID != group.ID || reply.Headline != "" || reply.LinkURL != "" {
		t.Errorf("the comment: %+v", reply)
	}
	if n := w.post(news.URI).CommentCount; n != 1 {
		t.Errorf("the link post counts %d comments; want 1", n)
	}

	w.mustBeDone(w.process(group.URI, jsonEncode(doc("announce-create-page.json"))), "the announced Create")
	announced := w.post("https://bridges.example/post/302")
	if announced.Kind != storage.KindDiscussion || announced.Headline != "Volunteers wanted for the river clean-up" ||
		announced.LinkURL != "" || announced.SubwikiID != group.ID || announced.AuthorID != odile.ID {
		t.Errorf("the announced post: %+v", announced)
	}

	// Bram is on another server than the group's: the group cannot speak
	// for him, and his server cannot be asked here.
	w.actor("https://quay.example/u/bram", storage.KindPerson, "")
	if res := w.process(group.URI, jsonEncode(doc("announce-like.json"))); !res.fetchFailed() {
		t.Errorf("the announced Like of an account elsewhere: process = %s; want a failed fetch, retried later", res)
	}
	if n := w.post(news.URI).LikeCount; n != 0 {
		t.Errorf("after the announced Like of an account elsewhere, %d likes; want 0", n)
	}
	// Tamsin is on the group's server, which speaks for her.
	tamsinLike := map[string]any{"id": "https://bridges.example/activities/like/1", "type": "Like",
		"actor": tamsin.URI, "object": news.URI, "audience": group.URI}
	w.mustBeDone(w.process(group.URI, jsonEncode(map[string]any{"id": "https://bridges.example/activities/announce/1",
		"type": "Announce", "actor": group.URI, "object": tamsinLike})), "the announced Like")
	if n := w.post(news.URI).LikeCount; n != 1 {
		t.Errorf("after the announced Like, %d likes; want 1", n)
	}
	w.mustBeDone(w.process(group.URI, jsonEncode(map[string]any{"id": "https://bridges.example/activities/announce/2",
		"type": "Announce", "actor": group.URI, "object": map[string]any{"id": "https://bridges.example/activities/undo/1",
			"type": "Undo", "actor": tamsin.URI, "object": tamsinLike}})), "the announced Undo")
	if n := w.post(news.URI).LikeCount; n != 0 {
		t.Errorf("after the announced Undo of the Like, %d likes; want 0", n)
	}

	w.mustBeDone(w.process(group.URI, jsonEncode(doc("announce-delete.json"))), "the announced Delete")
	if _, err := w.db.PostByURI(ctx, announced.URI); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("after the announced Delete, PostByURI = %v; want not found", err)
	}
	if gone, err := w.db.IsDeleted(ctx, announced.URI); err != nil || !gone {
		t.Errorf("after the announced Delete, IsDeleted = %v, %v; want a tombstone", gone, err)
	}

	dials := w.dials.Load()
	res := w.process(group.URI, jsonEncode(doc("announce-create-page-elsewhere.json")))
	if !res.fetchFailed() {
		t.Errorf("a post on another server than the group's: process = %s; want a failed fetch, retried later", res)
	}
	if w.dials.Load() == dials {
		t.Errorf("a post on another server than the group's was not fetched from its server")
	}
	if _, err := w.db.PostByURI(ctx, "https://quay.example/post/77"); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("a post on another server than the group's was stored from the embedded copy: %v", err)
	}
	if n := w.post(news.URI).CommentCount; n != 1 {
		t.Errorf("at the end, the link post counts %d comments; want 1", n)
	}
}

// lemmyRun is the state the checks share: the fixture run's database
// template (with a local member), key and tally, and the documents of the
// set, by id, to find an actor's or a parent's own document.
type lemmyRun struct {
	*fixtureRun
	actors  map[string]map[string]any // actor documents
	posts   map[string]map[string]any // post documents, also those embedded in activities
	creates map[string][]byte         // Create activities, by their post's id
}

func newLemmyRun(t *testing.T, fixtures []fixture) *lemmyRun {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	r := &lemmyRun{
		fixtureRun: &fixtureRun{
			ctx:      context.Background(),
			key:      key,
			keyPEM:   string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
			handled:  map[string]bool{},
			tally:    fixtureTally{},
			storedID: map[string]bool{},
			failed:   map[string]bool{},
		},
		actors:  map[string]map[string]any{},
		posts:   map[string]map[string]any{},
		creates: map[string][]byte{},
	}
	r.template = lemmyTemplate(t)
	for _, fx := range fixtures {
		raw := jsonObject(fx.body)
		if raw == nil {
			continue
		}
		id := jsonString(raw["id"])
		switch {
		case isActorDoc(raw):
			r.actors[id] = raw
		case isPostDoc(raw):
			if r.posts[id] == nil {
				r.posts[id] = raw
			}
		case raw["actor"] != nil:
			object, ok := jsonFirst(raw["object"]).(map[string]any)
			if !ok || !isPostDoc(object) {
				continue
			}
			oid := jsonString(object["id"])
			if r.posts[oid] == nil {
				r.posts[oid] = object
			}
			if slices.Contains(jsonTypes(raw["type"]), "Create") && r.creates[oid] == nil {
				r.creates[oid] = fx.body
			}
		}
	}
	return r
}

// lemmyTemplate makes a database with a local member once; each check
// starts from a copy.
func lemmyTemplate(t *testing.T) []byte {
	t.Helper()
	ctx := context.Background()
	dbFile := filepath.Join(t.TempDir(), "lemmy.db")
	db, err := storage.Open(ctx, dbFile, fixtureSite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateMember(ctx, storage.MemberCreate{Username: lemmyReader, Email: lemmyReader + "@tidings.test",
		Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(dbFile)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func isActorDoc(raw map[string]any) bool {
	for _, typ := range jsonTypes(raw["type"]) {
		if actorKinds[typ] {
			return true
		}
	}
	return false
}

func isPostDoc(raw map[string]any) bool {
	return postTypeOf(raw) != ""
}

// postTypeOf is the post type of a document, or "".
func postTypeOf(raw map[string]any) string {
	for _, typ := range jsonTypes(raw["type"]) {
		if slices.Contains(lemmyPostTypes, typ) {
			return typ
		}
	}
	return ""
}

// lemmyShape is what a document is for this test; "" for one it does not
// cover.
func lemmyShape(raw map[string]any) string {
	if raw == nil {
		return ""
	}
	types := jsonTypes(raw["type"])
	switch {
	case slices.Contains(types, "Group"):
		return lemmyGroups
	case isPostDoc(raw):
		return lemmyPosts
	case slices.Contains(types, "Announce"):
		return lemmyAnnounces
	}
	if object, ok := jsonFirst(raw["object"]).(map[string]any); ok && raw["actor"] != nil {
		if isPostDoc(object) || slices.Contains(jsonTypes(object["type"]), "Group") {
			return lemmyActivities
		}
	}
	return ""
}

// checkSet checks the documents the test covers, one subtest per shape,
// and returns each one's outcome, "shape: result", by name, and the
// names of the documents covered.
func (r *lemmyRun) checkSet(t *testing.T, fixtures []fixture) (map[string]string, []string) {
	byShape := map[string][]fixture{}
	var selected []string
	for _, fx := range fixtures {
		if shape := lemmyShape(jsonObject(fx.body)); shape != "" {
			byShape[shape] = append(byShape[shape], fx)
			selected = append(selected, fx.name)
		}
	}
	outcomes := map[string]string{}
	for _, shape := range []string{lemmyGroups, lemmyPosts, lemmyActivities, lemmyAnnounces} {
		if len(byShape[shape]) == 0 {
			continue
		}
		t.Run(shape, func(t *testing.T) {
			for _, fx := range byShape[shape] {
				result := r.guard(t, fx.name, func(dt docT) string { return r.checkDoc(dt, shape, fx) })
				if result == "" {
					continue
				}
				r.tally.add(shape, result, fx.name)
				outcomes[fx.name] = shape + ": " + result
			}
		})
	}
	return outcomes, selected
}

// checkAnnounced passes Lemmy's own activities that name their
// community in audience through an Announce from it, as Lemmy delivers
// them to the community's followers, and returns how many there were.
func (r *lemmyRun) checkAnnounced(t *testing.T, fixtures []fixture) int {
	n := 0
	t.Run("announced", func(t *testing.T) {
		for _, fx := range fixtures {
			raw := jsonObject(fx.body)
			audience := jsonIRI(raw["audience"])
			if !strings.HasPrefix(path.Base(fx.name), "lemmy__") || raw["actor"] == nil || !isHTTPURL(audience) ||
				slices.Contains(jsonTypes(raw["type"]), "Announce") {
				continue
			}
			n++
			announce := map[string]any{
				"id":     testActivityID(audience, "announce", fx.name),
				"type":   "Announce",
				"actor":  audience,
				"to":     []any{publicCollection},
				"cc":     []any{strings.TrimSuffix(audience, "/") + "/followers"},
				"object": raw,
			}
			result := r.guard(t, fx.name, func(dt docT) string { return r.checkAnnounce(dt, announce) })
			if result != "" {
				r.tally.add(lemmyAnnounced, result, fx.name)
			}
		}
	})
	return n
}

// guard runs one document's check; a docT Fatalf ends that check only.
func (r *lemmyRun) guard(t *testing.T, name string, check func(docT) string) (result string) {
	defer func() {
		if p := recover(); p != nil {
			if _, stop := p.(stopDoc); !stop {
				panic(p)
			}
			result = ""
		}
	}()
	return check(docT{T: t, name: name, run: r.fixtureRun})
}

func (r *lemmyRun) checkDoc(t docT, shape string, fx fixture) string {
	raw := jsonObject(fx.body)
	switch shape {
	case lemmyGroups:
		return r.checkGroup(t, fx, raw)
	case lemmyPosts:
		return r.checkPostDoc(t, raw)
	case lemmyActivities:
		return r.checkActivityDoc(t, fx, raw)
	}
	return r.checkAnnounce(t, raw)
}

// log writes the summary: per shape, each outcome with its count and
// documents, then the documents whose check failed.
func (r *lemmyRun) log(t *testing.T, root string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "Lemmy outcomes for %s:", root)
	total := 0
	for _, shape := range lemmyShapes {
		outcomes := r.tally[shape]
		n := 0
		for _, files := range outcomes {
			n += len(files)
		}
		if n == 0 {
			continue
		}
		if slices.Index(lemmyShapes, shape) < 4 {
			total += n
		}
		fmt.Fprintf(&b, "\n%s: %d", shape, n)
		for _, outcome := range sortedNames(outcomes) {
			files := outcomes[outcome]
			short := make([]string, len(files))
			for i, f := range files {
				short[i] = path.Base(f)
			}
			fmt.Fprintf(&b, "\n    %3d %s: %s", len(files), outcome, strings.Join(short, ", "))
		}
	}
	fmt.Fprintf(&b, "\n%d documents accounted for", total)
	if len(r.failed) > 0 {
		fmt.Fprintf(&b, "; the checks of %d failed: %s", len(r.failed), strings.Join(sortedNames(r.failed), ", "))
	}
	t.Log(b.String())
}

// Groups.

// checkGroup reads a Group document as a fetch of it would, stores it,
// reads it back, and has the member follow it, as joining a subwiki
// does. What the document lacks among what Tidings requires makes it
// refused, leaving nothing stored.
func (r *lemmyRun) checkGroup(t docT, fx fixture, raw map[string]any) string {
	want, missing := wantActor(raw)
	want.DisplayName = jsonText(raw, "name")
	want.Followers = jsonString(raw["followers"])
	doc, _, err := decode(r.ctx, fx.body)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	w := r.world(t)
	defer w.close()
	got, parseErr := parseActor(doc, "")
	var saveErr error
	if parseErr == nil {
		_, saveErr = w.db.SaveRemoteActor(w.ctx, got)
	}
	if len(missing) > 0 {
		if parseErr == nil && saveErr == nil {
			t.Errorf("the group was stored although it has %s", strings.Join(missing, ", "))
		}
		if _, err := w.db.ActorByURI(w.ctx, want.URI); storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("after the refusal, ActorByURI = %v; want not found", err)
		}
		return "refused: " + strings.Join(missing, ", ")
	}
	if parseErr != nil || saveErr != nil {
		t.Fatalf("a complete group was refused: parse %v, save %v", parseErr, saveErr)
	}
	compareGroup(t, "parseActor", got, want)
	stored, err := w.db.ActorByURI(w.ctx, want.URI)
	if err != nil {
		t.Fatalf("ActorByURI after saving: %v", err)
	}
	want.DisplayName = wantLine(want.DisplayName, utf8.RuneCountInString(stored.DisplayName))
	compareGroup(t, "stored", storage.RemoteActor{URI: stored.URI, Kind: stored.Kind, Username: stored.Username,
		DisplayName: stored.DisplayName, Inbox: stored.Inbox, SharedInbox: stored.SharedInbox,
		Followers: stored.Followers, KeyID: stored.KeyID, PublicKeyPEM: stored.PublicKeyPEM}, want)
	if stored.Local || stored.Host != urlHost(want.URI) {
		t.Errorf("stored Local, Host = %v, %q; want false, %q", stored.Local, stored.Host, urlHost(want.URI))
	}
	if _, err := storage.ParsePublicKey(stored.PublicKeyPEM); err != nil {
		t.Errorf("the stored key is not usable: %v", err)
	}
	w.follow(stored)
	if followed, err := w.db.IsFollowedLocally(w.ctx, stored.ID); err != nil || !followed {
		t.Errorf("after the member followed the group, IsFollowedLocally = %v, %v", followed, err)
	}
	return "read, stored, and followed as a subwiki"
}

func compareGroup(t docT, what string, got, want storage.RemoteActor) {
	t.Helper()
	compareActor(t, what, got, want)
	for _, f := range []struct{ name, got, want string }{
		{"DisplayName", got.DisplayName, want.DisplayName}, {"Followers", got.Followers, want.Followers},
	} {
		if f.got != f.want {
			t.Errorf("%s: %s = %q; want %q", what, f.name, f.got, f.want)
		}
	}
}

// Posts.

// checkPostDoc delivers a post document in a Create by its author.
func (r *lemmyRun) checkPostDoc(t docT, raw map[string]any) string {
	author := jsonIRI(raw["attributedTo"])
	if !isHTTPURL(author) {
		return "not delivered: no attributedTo"
	}
	return r.deliverPost(t, syntheticCreate(raw, author), author, raw)
}

// checkActivityDoc processes a Create or Update of a post, or an Update
// of a group; an Update of a post whose Create is in the set is also
// played after it.
func (r *lemmyRun) checkActivityDoc(t docT, fx fixture, raw map[string]any) string {
	env, _ := wantEnvelope(raw)
	object := jsonFirst(raw["object"]).(map[string]any)
	typ := jsonString(raw["type"])
	if !isPostDoc(object) {
		return typ + " of " + withArticle(jsonString(object["type"])) + ": " + r.checkGroupUpdate(t, raw, object, env.Actor)
	}
	switch typ {
	case "Create", "Update":
	default:
		t.Fatalf("a %s of a post: this test does not know what it should do", typ)
	}
	result := typ + ": " + r.deliverPost(t, raw, env.Actor, object)
	if create := r.creates[jsonString(object["id"])]; typ == "Update" && create != nil {
		if edit := r.checkEdit(t, create, raw); edit != "" {
			r.tally.add(lemmyEdits, edit, fx.name)
		}
	}
	return result
}

// deliverPost processes a Create (or Update) of a post sent by sender,
// with what the post needs here stored first: its author, its group
// followed by the member (or else its author followed), its parent. A
// post in a group that is not for everyone is then for nobody here.
func (r *lemmyRun) deliverPost(t docT, activity map[string]any, sender string, object map[string]any) string {
	w := r.world(t)
	defer w.close()
	w.actor(sender, storage.KindPerson, wantPost(object).followers)
	pl := w.place(object, nil)
	res := w.process(sender, jsonEncode(activity))
	id := jsonString(object["id"])
	why := postRefusal(object, sender)
	if v := wantPost(object).visibility; why == "" && pl.group != nil && !storage.Listed(v) {
		// Its group's members are not whom it is for, and here nobody
		// follows its author or is named in it (Lemmy refuses it too).
		why = "a " + v + " post in a group, for nobody here"
	}
	if why != "" {
		w.mustBeIgnored(res, why)
		w.mustNotHave(id)
		return "ignored: " + why
	}
	w.mustBeDone(res, "the "+jsonString(activity["type"]))
	return "stored as " + w.checkRecord(expectRecord(object, pl, "its group"))
}

// postRefusal is why the inbox must not take a post from its sender, or "".
func postRefusal(object map[string]any, sender string) string {
	switch id := jsonString(object["id"]); {
	case !onSameHost(id, sender):
		return "the post is not on its sender's server"
	case jsonIRI(object["attributedTo"]) != sender:
		return "the post is attributed to another actor than its sender"
	}
	return ""
}

// checkEdit plays a post's Create, then its Update, and checks that the
// edit replaced the headline and the text when it is newer.
func (r *lemmyRun) checkEdit(t docT, createBody []byte, update map[string]any) string {
	create := jsonObject(createBody)
	before, after := jsonFirst(create["object"]).(map[string]any), jsonFirst(update["object"]).(map[string]any)
	env, _ := wantEnvelope(create)
	if postRefusal(before, env.Actor) != "" || postRefusal(after, jsonIRI(update["actor"])) != "" {
		return ""
	}
	w := r.world(t)
	defer w.close()
	w.actor(env.Actor, storage.KindPerson, wantPost(before).followers)
	pl := w.place(before, nil)
	w.mustBeDone(w.process(env.Actor, createBody), "the Create before the edit")
	first := w.post(jsonString(before["id"]))
	w.mustBeDone(w.process(jsonIRI(update["actor"]), jsonEncode(update)), "the Update after its Create")
	edited := w.post(first.URI)
	want := expectRecord(after, pl, "its group")
	newer := jsonTime(after["updated"]).After(jsonTime(before["updated"]))
	switch {
	case !newer:
		if edited.Headline != first.Headline || edited.Content != first.Content {
			t.Errorf("an Update that is not newer changed the post: headline %q, content %.80q", edited.Headline, edited.Content)
		}
		return "not newer than the Create: not applied"
	case edited.Kind != first.Kind || edited.LinkURL != first.LinkURL || edited.SubwikiID != first.SubwikiID:
		t.Errorf("the edit changed kind, link, subwiki from %q, %q, %q to %q, %q, %q",
			first.Kind, first.LinkURL, first.SubwikiID, edited.Kind, edited.LinkURL, edited.SubwikiID)
	}
	if want.headline != "" && first.Headline != "" && edited.Headline != want.headline {
		t.Errorf("after the edit, headline = %q; want %q", edited.Headline, want.headline)
	}
	if got := visibleText(edited.Content); got != want.text {
		t.Errorf("after the edit, text = %.80q; want %.80q", got, want.text)
	}
	if !edited.Updated.Equal(jsonTime(after["updated"]).Truncate(time.Millisecond)) {
		t.Errorf("after the edit, updated = %v; want %v", edited.Updated, jsonTime(after["updated"]))
	}
	return "applied: the Update's headline and text replace the Create's"
}

// checkGroupUpdate processes an Update of a group: the group's own
// changes its profile; one sent by anyone else (a Lemmy moderator)
// changes nothing.
func (r *lemmyRun) checkGroupUpdate(t docT, raw, group map[string]any, sender string) string {
	w := r.world(t)
	defer w.close()
	w.actor(sender, storage.KindPerson, "")
	gid := jsonString(group["id"])
	before := w.actor(gid, storage.KindGroup, "")
	res := w.process(sender, jsonEncode(raw))
	after, err := w.db.ActorByURI(w.ctx, gid)
	if err != nil {
		t.Fatalf("ActorByURI(%s) after the Update: %v", gid, err)
	}
	if gid == sender {
		w.mustBeDone(res, "the group's own Update")
		if name := wantLine(jsonText(group, "name"), 1000); after.DisplayName != name {
			t.Errorf("after the group's own Update, display name = %q; want %q", after.DisplayName, name)
		}
		return "the group's own: its profile replaced"
	}
	w.mustBeIgnored(res, "the group is not on the server of the actor updating it")
	if after.DisplayName != before.DisplayName || after.Summary != before.Summary {
		t.Errorf("an Update by %s changed the group %s: %q, %q", sender, gid, after.DisplayName, after.Summary)
	}
	return "by another actor (a moderator): ignored, the group unchanged"
}

// Announces.

// checkAnnounce processes an Announce as its actor, a group followed by
// the member, sent it, and checks the effect its object calls for.
func (r *lemmyRun) checkAnnounce(t docT, raw map[string]any) string {
	env, _ := wantEnvelope(raw)
	body := jsonEncode(raw)
	w := r.world(t)
	defer w.close()
	group := w.actor(env.Actor, storage.KindGroup, "")
	w.follow(group)
	object := jsonFirst(raw["object"])
	if group.Kind != storage.KindGroup {
		w.mustBeIgnored(w.process(group.URI, body), "a boost of a post that is not here")
		return fmt.Sprintf("a boost by a %s, of a post not here: ignored", group.Kind)
	}
	inner, isMap := object.(map[string]any)
	if !isMap || (inner["actor"] == nil && isAS2Type(inner["type"]) && !slices.Contains(as2Vocabulary[catActivity], jsonString(inner["type"]))) {
		return r.checkAnnouncedByID(t, w, group, jsonIRI(object), body)
	}
	return w.announced(group, inner, body)
}

// checkAnnouncedByID: a post announced by its id (or embedded bare, as
// Mastodon boosts) is fetched from its server, unless it is here already.
func (r *lemmyRun) checkAnnouncedByID(t docT, w *lemmyWorld, group *storage.Actor, id string, body []byte) string {
	res := w.process(group.URI, body)
	if !res.fetchFailed() {
		t.Errorf("a post announced by id, not here: process = %s; want a failed fetch, retried later", res)
	}
	w.mustNotHave(id)
	again := r.world(t)
	defer again.close()
	group = again.actor(group.URI, storage.KindGroup, "")
	again.follow(group)
	before := again.snapshot(again.storePost(id, nil, group).URI)
	again.mustBeDone(again.process(group.URI, body), "an Announce of a post here already")
	if after := again.snapshot(id); after != before {
		t.Errorf("an Announce of a post here already changed it: %+v; was %+v", after, before)
	}
	return "a post by id: fetched from its server (which failed here: retried later); when here already, nothing to do"
}

// announced processes a group's Announce of an activity, and checks the
// effect the inner activity calls for.
func (w *lemmyWorld) announced(group *storage.Actor, inner map[string]any, body []byte) string {
	t := w.t
	typ := jsonString(jsonFirst(inner["type"]))
	member := w.actor(jsonIRI(inner["actor"]), storage.KindPerson, "")
	target := jsonFirst(inner["object"])
	targetID := jsonIRI(target)
	targetDoc, embedded := target.(map[string]any)
	if lockType(inner) != "" {
		return w.announcedLock(group, inner, body)
	}
	switch {
	case !isAS2Type(inner["type"]):
		w.storeTarget(typ, targetID, nil, group)
		before := w.snapshot(targetID)
		w.mustBeIgnored(w.process(group.URI, body), "an activity of a type this server does not know")
		w.mustBeUnchanged(targetID, before)
		return typ + " (a type this server does not know): ignored"
	case (typ == "Create" || typ == "Update") && embedded && isPostDoc(targetDoc):
		return w.announcedPost(group, member, typ, targetDoc, body)
	case (typ == "Create" || typ == "Update") && embedded && isActorDoc(targetDoc):
		var before *storage.Actor
		if a, err := w.db.ActorByURI(w.ctx, targetID); err == nil {
			before = a
		}
		w.mustBeIgnored(w.process(group.URI, body), "an actor passed on by a group")
		after, err := w.db.ActorByURI(w.ctx, targetID)
		switch {
		case before == nil && storage.ErrorCode(err) != storage.ENotFound:
			t.Errorf("the %s %s passed on by the group was stored: %v", jsonString(targetDoc["type"]), targetID, err)
		case before != nil && (err != nil || after.DisplayName != before.DisplayName || after.Summary != before.Summary):
			t.Errorf("the %s %s passed on by the group was changed: %v", jsonString(targetDoc["type"]), targetID, err)
		}
		return fmt.Sprintf("%s of %s by %s: ignored, nothing changed", typ, withArticle(jsonString(targetDoc["type"])), actorRole(member, group))
	case typ == "Create" || typ == "Update":
		res := w.process(group.URI, body)
		if !onSameHost(targetID, member.URI) {
			w.mustBeIgnored(res, "an object not on its author's server")
			w.mustNotHave(targetID)
			return typ + " by id, not on its author's server: ignored"
		}
		if !res.fetchFailed() {
			t.Errorf("a post passed on by id: process = %s; want a failed fetch, retried later", res)
		}
		w.mustNotHave(targetID)
		return typ + " of a post by id: fetched from its server (which failed here: retried later)"
	case typ == "Delete":
		var author *storage.Actor
		if onSameHost(targetID, member.URI) {
			author = member
		}
		post := w.storePost(targetID, author, group)
		res := w.process(group.URI, body)
		_, err := w.db.PostByURI(w.ctx, targetID)
		deleted := storage.ErrorCode(err) == storage.ENotFound
		switch {
		case post.AuthorID != member.ID:
			// A moderator's removal (Lemmy's shape): applied only if the
			// community lists the actor as a moderator, which is asked of
			// its server.
			if !res.fetchFailed() {
				t.Errorf("the Delete of someone else's post: process = %s; want the community's moderators asked (failing here, retried later)", res)
			}
			if deleted {
				t.Errorf("someone else's post %s was deleted before the community's moderators were known", targetID)
			}
			return "Delete of someone else's post, a moderator's removal: the community's moderators asked (which failed here: retried later), the post kept"
		case onSameHost(targetID, group.URI) && post.AuthorID == member.ID:
			w.mustBeDone(res, "the Delete of a post by its author, on the group's server")
			if !deleted {
				t.Errorf("the post %s was not deleted: %v", targetID, err)
			}
			return "Delete of a post on the group's server, by its author: deleted"
		case onSameHost(targetID, group.URI):
			if !res.permanent || res.err == nil || res.ignoredErr() {
				t.Errorf("the Delete of someone else's post: process = %s; want a refusal", res)
			}
			if deleted {
				t.Errorf("someone else's post %s was deleted", targetID)
			}
			return "Delete of someone else's post: refused, the post kept"
		}
		w.mustBeIgnored(res, "the post's own server still has it (it cannot be asked here)")
		if deleted {
			t.Errorf("the post %s, on another server than the group's, was deleted on the group's word", targetID)
		}
		return "Delete of a post on another server than the group's: kept (its own server could not be asked here)"
	case typ == "Like" && isHTTPURL(targetID):
		before := w.storePost(targetID, nil, group)
		snapshot := w.snapshot(targetID)
		res := w.process(group.URI, body)
		if !onSameHost(member.URI, group.URI) {
			w.mustBeUnconfirmed(res, jsonString(inner["id"]), member)
			w.mustBeUnchanged(targetID, snapshot)
			return "Like of a post here, by an account of another server: " + unconfirmed
		}
		w.mustBeDone(res, "the Like")
		if n := w.post(targetID).LikeCount; n != before.LikeCount+1 {
			t.Errorf("after the Like, %d likes; want %d", n, before.LikeCount+1)
		}
		return "Like of a post here: counted"
	case typ == "Undo" && embedded && jsonString(jsonFirst(targetDoc["type"])) == "Like":
		liked := jsonIRI(targetDoc["object"])
		w.storePost(liked, nil, group)
		if err := w.db.React(w.ctx, member.ID, liked, storage.Like, targetID, ""); err != nil {
			t.Fatalf("the Like before its Undo: %v", err)
		}
		before := w.post(liked).LikeCount
		res := w.process(group.URI, body)
		if !onSameHost(member.URI, group.URI) {
			w.mustBeUnconfirmed(res, jsonString(inner["id"]), member)
			if n := w.post(liked).LikeCount; n != before {
				t.Errorf("after the unconfirmed Undo of the Like, %d likes; want %d", n, before)
			}
			return "Undo of a Like, by an account of another server: " + unconfirmed
		}
		w.mustBeDone(res, "the Undo of a Like")
		if n := w.post(liked).LikeCount; n != before-1 {
			t.Errorf("after the Undo of the Like, %d likes; want %d", n, before-1)
		}
		return "Undo of a Like: taken back"
	}
	what := typ
	if typ == "Undo" && embedded {
		what = "Undo of " + withArticle(jsonString(jsonFirst(targetDoc["type"])))
		targetID = jsonIRI(targetDoc["object"])
		typ = jsonString(jsonFirst(targetDoc["type"]))
	}
	w.storeTarget(typ, targetID, member, group)
	before := w.snapshot(targetID)
	w.mustBeIgnored(w.process(group.URI, body), what+" has no effect here")
	w.mustBeUnchanged(targetID, before)
	return what + ": no effect, ignored"
}

// announcedPost: a Create or Update of a post a group passes on is taken
// from the embedded copy only when the group's server is the post's (the
// group's signature vouches for nothing else); otherwise the post is
// fetched from its own server.
func (w *lemmyWorld) announcedPost(group, member *storage.Actor, typ string, object map[string]any, body []byte) string {
	t := w.t
	pl := w.place(object, group)
	id := jsonString(object["id"])
	what := typ + " of " + withArticle(postTypeOf(object))
	res := w.process(group.URI, body)
	switch {
	case !onSameHost(id, member.URI):
		w.mustBeIgnored(res, "a post not on its author's server")
		w.mustNotHave(id)
		return what + " not on its author's server: ignored"
	case !onSameHost(id, group.URI):
		if !res.fetchFailed() {
			t.Errorf("a post on another server than the group's: process = %s; want a failed fetch, retried later", res)
		}
		w.mustNotHave(id)
		return what + " on another server than the group's: not taken from the embedded copy (fetched from its server, which failed here: retried later)"
	case jsonIRI(object["attributedTo"]) != member.URI:
		w.mustBeIgnored(res, "a post attributed to another actor")
		w.mustNotHave(id)
		return what + " attributed to another actor: ignored"
	}
	w.mustBeDone(res, "the "+what+" passed on by the group")
	result := w.checkRecord(expectRecord(object, pl, "the announcing group"))

	// The group that passes a post on is its subwiki, whether or not the
	// post names it.
	again := w.run.world(t)
	defer again.close()
	group = again.actor(group.URI, storage.KindGroup, "")
	again.follow(group)
	again.actor(member.URI, storage.KindPerson, "")
	unnamed := jsonObject(body)
	post := withoutGroup(unnamed, group.URI)
	pl = again.place(post, group)
	again.mustBeDone(again.process(group.URI, jsonEncode(unnamed)), "the "+what+" passed on by a group it does not name")
	again.checkRecord(expectRecord(post, pl, "the announcing group"))
	return what + " on the group's server: stored from the embedded copy as " + result
}

// withoutGroup takes the group out of the addressing of the post an
// Announce carries (changed in place), and returns the post.
func withoutGroup(announce map[string]any, groupURI string) map[string]any {
	post := jsonFirst(jsonFirst(announce["object"]).(map[string]any)["object"]).(map[string]any)
	delete(post, "audience")
	for _, key := range []string{"to", "cc", "tag"} {
		var kept []any
		for _, item := range jsonList(post[key]) {
			if jsonIRI(item) != groupURI {
				kept = append(kept, item)
			}
		}
		post[key] = kept
	}
	return post
}

// withArticle puts "a" or "an" before a type's name.
func withArticle(name string) string {
	if name != "" && strings.ContainsRune("AEIOU", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

// actorRole names an actor relative to a group, for outcomes.
func actorRole(a, group *storage.Actor) string {
	if a.ID == group.ID {
		return "the group itself"
	}
	return "another actor"
}

// The instance a check runs on.

// lemmyWorld is a fresh instance: its database (a copy of the template,
// with the member), its federator, whose client connects nowhere.
type lemmyWorld struct {
	run    *lemmyRun
	t      docT
	ctx    context.Context
	db     *storage.DB
	fed    *Federator
	member *storage.Member
	dials  atomic.Int32 // connections the federator tried to open
}

func (r *lemmyRun) world(t docT) *lemmyWorld {
	t.Helper()
	db := r.freshDB(t)
	w := &lemmyWorld{run: r, t: t, ctx: r.ctx, db: db}
	w.fed = New(db, Config{Site: fixtureSite, Version: "test"}, slog.New(slog.DiscardHandler))
	w.fed.client.transport.DialContext = func(context.Context, string, string) (net.Conn, error) {
		w.dials.Add(1)
		return nil, errOffline
	}
	m, err := db.MemberByUsername(r.ctx, lemmyReader)
	if err != nil {
		db.Close()
		t.Fatalf("the member: %v", err)
	}
	w.member = m
	return w
}

func (w *lemmyWorld) close() { w.db.Close() }

// actor stores the actor with the id from its document in the set, or
// when there is none (or it is not usable), a stub of the kind, with the
// test's key; followers is the stub's followers collection.
func (w *lemmyWorld) actor(uri, kind, followers string) *storage.Actor {
	w.t.Helper()
	if a, err := w.db.ActorByURI(w.ctx, uri); err == nil {
		return a
	}
	if raw, ok := w.run.actors[uri]; ok {
		if doc, _, err := decode(w.ctx, jsonEncode(raw)); err == nil {
			if remote, err := parseActor(doc, ""); err == nil {
				if a, err := w.db.SaveRemoteActor(w.ctx, remote); err == nil {
					return a
				}
			}
		}
	}
	if !isHTTPURL(uri) {
		w.t.Fatalf("no usable actor id: %q", uri)
	}
	if followers == "" {
		followers = strings.TrimSuffix(uri, "/") + "/followers"
	}
	// The last segment of the path, as a name: "/@pfefferle.org" (a
	// WordPress blog) names pfefferle.org.
	name := strings.TrimPrefix(path.Base(strings.TrimSuffix(mustParseURL(w.t, uri).Path, "/")), "@")
	if name == "" || name == "." || name == "/" {
		name = "stub"
	}
	a, err := w.db.SaveRemoteActor(w.ctx, storage.RemoteActor{URI: uri, Kind: kind, Username: name,
		DisplayName: "(stored before)", Inbox: strings.TrimSuffix(uri, "/") + "/inbox", Followers: followers,
		KeyID: uri + "#main-key", PublicKeyPEM: w.run.keyPEM})
	if err != nil {
		w.t.Fatalf("store a stub %s %s: %v", kind, uri, err)
	}
	return a
}

// follow has the member follow the actor (a request, which counts).
func (w *lemmyWorld) follow(a *storage.Actor) {
	w.t.Helper()
	if _, err := w.db.Follow(w.ctx, w.member.ID, a.ID); err != nil {
		w.t.Fatalf("the member follows %s: %v", a.URI, err)
	}
}

// placement is what a post needs here before it arrives.
type placement struct {
	author *storage.Actor
	group  *storage.Actor // the group it is published in, if known here
	parent *storage.Post  // the post it replies to
}

// place stores a post's author, and its group followed by the member
// (via, when a group passes it on), or when it has none, has the member
// follow the author; and stores the post it replies to.
func (w *lemmyWorld) place(raw map[string]any, via *storage.Actor) placement {
	pl := placement{author: w.actor(jsonIRI(raw["attributedTo"]), storage.KindPerson, wantPost(raw).followers)}
	if via != nil {
		pl.group = via
	} else if g := w.run.docGroup(raw); g != "" {
		if a := w.actor(g, storage.KindGroup, ""); a.Kind == storage.KindGroup {
			pl.group = a
			w.follow(a)
		}
	}
	if pl.group == nil {
		w.follow(pl.author)
	}
	if parent := jsonIRI(raw["inReplyTo"]); isHTTPURL(parent) {
		home := pl.group
		if home == nil {
			home = w.actor(onHostOf(w.t, parent, "/c/tidings-stub-community"), storage.KindGroup, "")
		}
		pl.parent = w.storePost(parent, nil, home)
	}
	return pl
}

// docGroup names the group a post is published in: its audience, else a
// recipient that is a group: one whose document is in the set, or one
// with the path of a community (Lemmy /c/name, lotide /communities/n,
// Mbin /m/name, NodeBB /category/n).
func (r *lemmyRun) docGroup(raw map[string]any) string {
	if a := jsonIRI(raw["audience"]); isHTTPURL(a) {
		return a
	}
	recipients := append(jsonIRIs(raw["to"]), jsonIRIs(raw["cc"])...)
	for _, tag := range jsonList(raw["tag"]) {
		if m, ok := tag.(map[string]any); ok && jsonString(m["type"]) == "Mention" {
			recipients = append(recipients, jsonString(m["href"]))
		}
	}
	for _, uri := range recipients {
		if doc, ok := r.actors[uri]; ok && slices.Contains(jsonTypes(doc["type"]), "Group") {
			return uri
		}
	}
	for _, uri := range recipients {
		if u, err := url.Parse(uri); err == nil && isHTTPURL(uri) && communityPath.MatchString(u.Path) {
			return uri
		}
	}
	return ""
}

var communityPath = regexp.MustCompile(`^/(c|m|communities|category)/[^/]+$`)

// storePost stores the post with the id, unless it is here: from its
// document in the set when it has one (by author, when given), else a
// stub discussion by author (or by a stub on the post's server), in group.
func (w *lemmyWorld) storePost(uri string, author, group *storage.Actor) *storage.Post {
	w.t.Helper()
	if p, err := w.db.PostByURI(w.ctx, uri); err == nil {
		return p
	}
	if raw, ok := w.run.posts[uri]; ok && (author == nil || jsonIRI(raw["attributedTo"]) == author.URI) {
		if p := w.storeDoc(raw, group); p != nil {
			return p
		}
	}
	if author == nil {
		author = w.actor(onHostOf(w.t, uri, "/u/tidings-stub-author"), storage.KindPerson, "")
	}
	rec := storage.RemotePost{URI: uri, AuthorID: author.ID, Kind: storage.KindDiscussion,
		Headline: "A post that was here before", Content: "<p>Stored before the activity about it.</p>",
		Visibility: storage.Public}
	if group != nil {
		rec.SubwikiID = group.ID
	}
	p, err := w.db.SaveRemotePost(w.ctx, rec)
	if err != nil {
		w.t.Fatalf("store the post %s: %v", uri, err)
	}
	return p
}

// storeDoc stores a post document of the set as the inbox would, in its
// own group when it names one, else in group; nil when it cannot be.
func (w *lemmyWorld) storeDoc(raw map[string]any, group *storage.Actor) *storage.Post {
	authorURI := jsonIRI(raw["attributedTo"])
	if !onSameHost(jsonString(raw["id"]), authorURI) {
		return nil
	}
	author := w.actor(authorURI, storage.KindPerson, wantPost(raw).followers)
	if g := w.run.docGroup(raw); g != "" {
		if a := w.actor(g, storage.KindGroup, ""); a.Kind == storage.KindGroup {
			group = a
		}
	}
	doc, _, err := decode(w.ctx, jsonEncode(raw))
	if err != nil {
		return nil
	}
	post, ok := doc.(postable)
	if !ok {
		return nil
	}
	rec := remotePost(author, post)
	if group != nil {
		rec.SubwikiID = group.ID
	}
	p, err := w.db.SaveRemotePost(w.ctx, rec)
	if err != nil {
		return nil
	}
	return p
}

// storeTarget stores the post an activity without effect is about, so
// that the check can see that it is unchanged: the object of a vote, a
// deletion or a lock, or any post of the set.
func (w *lemmyWorld) storeTarget(typ, uri string, author, group *storage.Actor) {
	if !isHTTPURL(uri) {
		return
	}
	_, known := w.run.posts[uri]
	if known || slices.Contains([]string{"Like", "Dislike", "Delete", "Lock"}, typ) {
		if author != nil && !onSameHost(uri, author.URI) {
			author = nil
		}
		w.storePost(uri, author, group)
	}
}

// processed is what processing an inbound activity came to.
type processed struct {
	permanent bool
	err       error
}

func (p processed) String() string {
	if p.err == nil {
		return "done"
	}
	return fmt.Sprintf("permanent %v: %v", p.permanent, p.err)
}

func (p processed) ignoredErr() bool {
	var ig *ignored
	return errors.As(p.err, &ig)
}

// fetchFailed: a fetch failed, and the activity is to be tried again.
func (p processed) fetchFailed() bool {
	return p.err != nil && !p.permanent && errors.Is(p.err, errFetch)
}

// process stores an activity as the inbox does once it has checked the
// signature (sent by actorURI), then processes it as the inbox worker
// does, and records the outcome on it.
func (w *lemmyWorld) process(actorURI string, body []byte) processed {
	w.t.Helper()
	raw := jsonObject(body)
	id, typ := jsonString(raw["id"]), jsonString(raw["type"])
	stored, err := w.db.StoreInbound(w.ctx, id, actorURI, typ, orderKey(raw, actorURI), body)
	if err != nil || !stored {
		w.t.Fatalf("StoreInbound(%s) = %v, %v", id, stored, err)
	}
	claimed, err := w.db.ClaimInbound(w.ctx, 10, time.Minute)
	if err != nil {
		w.t.Fatalf("ClaimInbound: %v", err)
	}
	i := slices.IndexFunc(claimed, func(in *storage.Inbound) bool { return in.ActivityURI == id })
	if i < 0 {
		w.t.Fatalf("the stored activity %s was not claimed", id)
	}
	in := claimed[i]
	ctx, cancel := context.WithTimeout(w.ctx, lemmyProcessTimeout)
	defer cancel()
	start := time.Now()
	permanent, err := w.fed.process(ctx, in)
	if took := time.Since(start); took > lemmyProcessTimeout/2 {
		w.t.Errorf("processing took %v: a fetch must fail at once here", took)
	}
	w.fed.finishInbound(w.ctx, in, permanent, err)
	return processed{permanent: permanent, err: err}
}

func (w *lemmyWorld) mustBeDone(res processed, what string) {
	w.t.Helper()
	if res.err != nil {
		w.t.Fatalf("%s: process = %s; want done", what, res)
	}
}

func (w *lemmyWorld) mustBeIgnored(res processed, why string) {
	w.t.Helper()
	if !res.permanent || !res.ignoredErr() {
		w.t.Errorf("process = %s; want ignored (%s)", res, why)
	}
}

// unconfirmed is the outcome of an activity a group passed on for an
// account of another server: the group cannot speak for it.
const unconfirmed = "not taken on the group's word (asked of its own server, which failed here: retried later)"

// mustBeUnconfirmed checks the outcome of an activity with the id a group
// passed on for an account of another server: its server is asked for it
// (which fails here), or when the id is not even on that server, it is
// ignored.
func (w *lemmyWorld) mustBeUnconfirmed(res processed, id string, member *storage.Actor) {
	w.t.Helper()
	if !onSameHost(id, member.URI) {
		w.mustBeIgnored(res, "an activity whose id is not on its actor's server")
		return
	}
	if !res.fetchFailed() {
		w.t.Errorf("process = %s; want a failed fetch of %s, retried later", res, id)
	}
}

func (w *lemmyWorld) mustNotHave(uri string) {
	w.t.Helper()
	if p, err := w.db.PostByURI(w.ctx, uri); storage.ErrorCode(err) != storage.ENotFound {
		w.t.Errorf("PostByURI(%s) = %+v, %v; want not found", uri, p, err)
	}
}

// post reads a post that must be here.
func (w *lemmyWorld) post(uri string) *storage.Post {
	w.t.Helper()
	p, err := w.db.PostByURI(w.ctx, uri)
	if err != nil {
		w.t.Fatalf("PostByURI(%s): %v", uri, err)
	}
	return p
}

// postState is what an activity may change of a post.
type postState struct {
	here                               bool
	kind, headline, link, content, sub string
	likes, announces, comments         int
}

func (w *lemmyWorld) snapshot(uri string) postState {
	p, err := w.db.PostByURI(w.ctx, uri)
	if err != nil {
		return postState{}
	}
	return postState{true, p.Kind, p.Headline, p.LinkURL, p.Content, p.SubwikiID, p.LikeCount, p.AnnounceCount, p.CommentCount}
}

func (w *lemmyWorld) mustBeUnchanged(uri string, before postState) {
	w.t.Helper()
	if after := w.snapshot(uri); after != before {
		w.t.Errorf("the post %s changed: %+v; was %+v", uri, after, before)
	}
}

// What a post document calls for.

// wantedRecord is the stored post a document calls for.
type wantedRecord struct {
	uri, authorID, kind, headline, link, subwikiID, parentID, rootID, visibility string
	text                                                                         string // the visible text of the content
	headlineFromText                                                             bool   // the headline is a line of the text
	where                                                                        string // where it goes, for outcomes
}

// expectRecord reads from a post document what Tidings must store: a
// Page or Article with a link (a Link attachment, or a url other than its
// id) is news, else a discussion, with its name as headline; a Note with
// a name and content is a discussion, any other Note a note; a reply to a
// post here is a comment in that post's thread and subwiki.
func expectRecord(raw map[string]any, pl placement, groupFrom string) wantedRecord {
	name := strings.TrimSpace(jsonText(raw, "name"))
	content := jsonText(raw, "content")
	w := wantedRecord{uri: jsonString(raw["id"]), authorID: pl.author.ID, headline: wantLine(name, storage.MaxHeadlineLength)}
	switch {
	case postTypeOf(raw) != "Note":
		w.link, w.kind = docLink(raw), storage.KindDiscussion
		if w.link != "" {
			w.kind = storage.KindNews
		}
	case name != "" && content != "":
		w.kind = storage.KindDiscussion
		content = strings.TrimPrefix(content, "<p><strong>"+html.EscapeString(name)+"</strong></p>")
	default:
		w.kind = storage.KindNote
		if content == "" {
			content = name
		}
	}
	if !isHTTPURL(w.link) || len(w.link) > 2000 {
		w.link = ""
	}
	if w.kind == storage.KindNews && w.link == "" {
		w.kind = storage.KindDiscussion
	}
	if (w.kind == storage.KindNews || w.kind == storage.KindDiscussion) && w.headline == "" {
		w.kind = storage.KindNote
	}
	if w.kind == storage.KindNote {
		w.headline = ""
	}
	if w.kind != storage.KindNews {
		w.link = ""
	}
	w.text = visibleText(content)
	w.visibility = expectVisibility(raw, pl.author.Followers)
	if pl.group != nil {
		w.subwikiID, w.where = pl.group.ID, groupFrom
	}
	if pl.group != nil && pl.parent == nil && w.kind == storage.KindNote && strings.TrimSpace(w.text) != "" {
		// A note posted into a group is headlined by its first line.
		w.kind, w.headlineFromText = storage.KindDiscussion, true
	}
	if pl.parent != nil {
		w.kind, w.headline, w.link = storage.KindComment, "", ""
		w.parentID, w.rootID = pl.parent.ID, pl.parent.RootID
		if w.rootID == "" {
			w.rootID = pl.parent.ID
		}
		if pl.group == nil {
			w.subwikiID, w.where = pl.parent.SubwikiID, "the parent's subwiki"
		}
	}
	return w
}

// checkRecord compares the stored post with the one wanted, and
// describes it.
func (w *lemmyWorld) checkRecord(want wantedRecord) string {
	t := w.t
	t.Helper()
	p := w.post(want.uri)
	if want.headlineFromText {
		line := strings.TrimSuffix(p.Headline, "…")
		if line == "" || !strings.Contains(compact(want.text), compact(line)) {
			t.Errorf("stored Headline = %q; want a line of the text %.80q", p.Headline, want.text)
		}
		want.headline = p.Headline
	}
	for _, f := range []struct{ name, got, want string }{
		{"Kind", p.Kind, want.kind}, {"Headline", p.Headline, want.headline}, {"LinkURL", p.LinkURL, want.link},
		{"SubwikiID", p.SubwikiID, want.subwikiID}, {"ParentID", p.ParentID, want.parentID},
		{"RootID", p.RootID, want.rootID}, {"Visibility", p.Visibility, want.visibility},
		{"AuthorID", p.AuthorID, want.authorID}, {"text", compact(visibleText(p.Content)), compact(want.text)},
	} {
		if f.got != f.want {
			t.Errorf("stored %s = %s; want %s", f.name, around(f.got, f.want), around(f.want, f.got))
		}
	}
	if got := visibleText(p.Content); compact(got) == compact(want.text) && got != want.text {
		// The words are all there, but blocks the sanitizer unwrapped
		// (headings, div, figure) run into each other.
		w.run.tally.add(lemmyNotes, "the text of unwrapped blocks runs together: "+around(got, want.text), t.name)
	}
	if p.Local {
		t.Errorf("a remote post was stored as local")
	}
	if unsanitized.MatchString(p.Content) {
		t.Errorf("stored content keeps a script or an event handler: %.200q", p.Content)
	}
	kind := map[string]string{storage.KindNote: "a note", storage.KindNews: "news",
		storage.KindDiscussion: "a discussion", storage.KindComment: "a comment under its parent"}[want.kind]
	if want.where != "" {
		kind += ", in " + want.where
		if want.kind != storage.KindComment {
			kind = strings.Replace(kind, ", in ", " in ", 1)
		}
	}
	return kind
}

// around quotes s where it departs from other, with some context.
func around(s, other string) string {
	i := 0
	for i < len(s) && i < len(other) && s[i] == other[i] {
		i++
	}
	start, end := max(0, i-40), min(len(s), i+40)
	q := fmt.Sprintf("%q", s[start:end])
	if start > 0 {
		q = "…" + q
	}
	if end < len(s) {
		q += "…"
	}
	return q
}

// docLink is the link a Page or Article shares: its first Link
// attachment, else its url when that points to another site.
func docLink(raw map[string]any) string {
	for _, item := range jsonList(raw["attachment"]) {
		if m, ok := item.(map[string]any); ok && slices.Contains(jsonTypes(m["type"]), "Link") && jsonString(m["href"]) != "" {
			return jsonString(m["href"])
		}
	}
	if u := jsonIRI(raw["url"]); u != "" && !onSameHost(u, jsonString(raw["id"])) {
		return u // a url on the post's own server is its page, not a link
	}
	return ""
}

// expectVisibility reads to and cc, the author's followers collection
// being followers.
func expectVisibility(raw map[string]any, followers string) string {
	to, cc := jsonIRIs(raw["to"]), jsonIRIs(raw["cc"])
	isPublic := func(uri string) bool { return slices.Contains(publicForms, uri) }
	switch {
	case slices.ContainsFunc(to, isPublic):
		return storage.Public
	case slices.ContainsFunc(cc, isPublic):
		return storage.Unlisted
	case followers != "" && (slices.Contains(to, followers) || slices.Contains(cc, followers)):
		return storage.Followers
	}
	return storage.Direct
}

// jsonText is a natural-language property's text: the plain string,
// else English, else the language that sorts first.
func jsonText(raw map[string]any, property string) string {
	if s, ok := raw[property].(string); ok {
		return s
	}
	langs, _ := raw[property+"Map"].(map[string]any)
	if s, ok := langs["en"].(string); ok {
		return s
	}
	for _, lang := range sortedNames(langs) {
		s, _ := langs[lang].(string)
		return s
	}
	return ""
}

func jsonTime(v any) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, jsonString(v))
	return t
}

// compact is a text without its whitespace.
func compact(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// wantLine is a one-line text as it is shown: control characters as
// spaces, trimmed, at most limit characters.
func wantLine(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit])
	}
	return s
}

var (
	// htmlBreaks are the tags that start or end a line of text.
	htmlBreaks = regexp.MustCompile(`(?i)<(br|/?(p|div|h[1-6]|ul|ol|li|blockquote|pre))(\s[^>]*)?/?>`)
	// htmlCutTag is a tag cut off at the end (Discourse truncates content).
	htmlCutTag = regexp.MustCompile(`<[^>]*$`)
)

// visibleText is the text HTML shows, its whitespace collapsed.
func visibleText(s string) string {
	s = htmlBreaks.ReplaceAllString(s, " ")
	s = htmlCutTag.ReplaceAllString(htmlTagPattern.ReplaceAllString(s, ""), "")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// syntheticCreate wraps a post in a Create by actor, as its server would
// deliver it.
func syntheticCreate(raw map[string]any, actor string) map[string]any {
	create := map[string]any{
		"id":     testActivityID(actor, "create", jsonString(raw["id"])),
		"type":   "Create",
		"actor":  actor,
		"object": raw,
	}
	for _, key := range []string{"to", "cc", "audience"} {
		if raw[key] != nil {
			create[key] = raw[key]
		}
	}
	return create
}

// testActivityID makes an activity id on the server of actor.
func testActivityID(actor, kind, seed string) string {
	sum := sha256.Sum256([]byte(seed))
	u, err := url.Parse(actor)
	if err != nil {
		return actor + "#" + kind
	}
	return u.Scheme + "://" + u.Host + "/activities/" + kind + "/tidings-test-" + hex.EncodeToString(sum[:8])
}

// onHostOf is an id with the path on the server of uri.
func onHostOf(t docT, uri, p string) string {
	u := mustParseURL(t, uri)
	return u.Scheme + "://" + u.Host + p
}

func mustParseURL(t docT, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		t.Fatalf("not a URL: %q", s)
	}
	return u
}

// lockType is "Lock" or "Undo(Lock)" for those activities, else "".
func lockType(activity map[string]any) string {
	switch jsonString(jsonFirst(activity["type"])) {
	case "Lock":
		return "Lock"
	case "Undo":
		if inner, ok := jsonFirst(activity["object"]).(map[string]any); ok && jsonString(jsonFirst(inner["type"])) == "Lock" {
			return "Undo(Lock)"
		}
	}
	return ""
}

// announcedLock: a Lock (or its Undo) a group passes on locks (or
// unlocks) the headline of our copy of a post in that group.
func (w *lemmyWorld) announcedLock(group *storage.Actor, inner map[string]any, body []byte) string {
	t := w.t
	kind := lockType(inner)
	lock := inner
	if kind == "Undo(Lock)" {
		lock = jsonFirst(inner["object"]).(map[string]any)
	}
	postID := jsonIRI(lock["object"])
	w.storeTarget("Lock", postID, nil, group)
	w.mustBeDone(w.process(group.URI, body), kind+" passed on by the post's group")
	if locked := w.post(postID).Locked; locked != (kind == "Lock") {
		t.Errorf("after %s, locked = %v", kind, locked)
	}
	return kind + ": applied to the post's headline"
}
