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
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// fixturesEnv names the corpus directory when it is not ../shared/fixtures
// beside the repository.
const fixturesEnv = "TIDINGS_FIXTURES"

// fixtureSite is the instance the documents are delivered to.
var fixtureSite = storage.Site{Scheme: "https", Domain: "tidings.test"}

// Categories of documents, as the corpus files them.
const (
	catActor      = "actors"
	catObject     = "objects"
	catActivity   = "activities"
	catCollection = "collections"
	catWebFinger  = "webfinger"
	catNodeInfo   = "nodeinfo"
	catBroken     = "broken"
)

// as2Vocabulary is every type of the ActivityStreams 2.0 vocabulary
// (W3C, section 2-4 of the Vocabulary), by kind. A document of any other
// type (EmojiReact, ChatMessage, Lock...) is of an unknown type.
var as2Vocabulary = map[string][]string{
	catActor: {"Application", "Group", "Organization", "Person", "Service"},
	catActivity: {"Accept", "Activity", "Add", "Announce", "Arrive", "Block", "Create", "Delete",
		"Dislike", "Flag", "Follow", "Ignore", "IntransitiveActivity", "Invite", "Join", "Leave", "Like",
		"Listen", "Move", "Offer", "Read", "Reject", "Remove", "TentativeAccept", "TentativeReject",
		"Travel", "Undo", "Update", "View"},
	catCollection: {"Collection", "CollectionPage", "OrderedCollection", "OrderedCollectionPage"},
	// Question is an intransitive activity in the vocabulary, but what
	// servers send as a Question is a poll: an object.
	catObject: {"Article", "Audio", "Document", "Event", "Image", "Link", "Mention", "Note", "Object",
		"Page", "Place", "Profile", "Question", "Relationship", "Tombstone", "Video"},
}

// publicForms is the public collection, in the forms servers write it.
var publicForms = []string{"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}

// TestHandWrittenPayloads puts the payloads in testdata, written here in
// the shapes that matter, through the same checks; it runs without the
// shared corpus. These outcomes are ours to know, so they are listed.
func TestHandWrittenPayloads(t *testing.T) {
	fixtures := readFixtures(t, "testdata", catActor, catObject, catActivity, catWebFinger, catBroken)
	run := newFixtureRun(t)
	got := run.checkAll(t, fixtures)
	want := map[string]string{
		"actors/mastodon-person.json":        "actors: read",
		"actors/lemmy-group-no-context.json": "actors: read",
		"objects/note-contentmap.json":       "objects: stored (public)",
		"activities/create-note.json":        "activities: accepted, stored",
		"activities/undo-follow.json":        "activities: accepted, stored",
		"activities/emoji-react.json":        "activities: accepted, unknown type ignored",
		"broken/truncated-follow.json":       "broken: refused with 400",
		"broken/like-array.json":             "broken: refused with 400",
		"webfinger/ada.json":                 "webfinger: self link read",
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
	for _, c := range []struct{ category, outcome, name string }{
		{tallyEmbeddedPosts, "stored (followers)", "activities/create-note.json"},
		{tallyObjectOf, "an embedded Note", "activities/create-note.json"},
		{tallyObjectOf, "an embedded Follow", "activities/undo-follow.json"},
		{tallyNoContext, catActor, "actors/lemmy-group-no-context.json"},
	} {
		if !slices.Contains(run.tally[c.category][c.outcome], c.name) {
			t.Errorf("%s: want %q under %q, have %v", c.name, c.outcome, c.category, run.tally[c.category])
		}
	}
	run.log(t, "testdata")
}

// TestFixtureCorpus reads every document of the shared corpus: every
// one must be accounted for with an outcome its content calls for.
func TestFixtureCorpus(t *testing.T) {
	root := corpusDir(t)
	fixtures := readFixtures(t, root)
	run := newFixtureRun(t)
	outcomes := run.checkAll(t, fixtures)
	if len(outcomes) != len(fixtures) {
		t.Errorf("%d of %d documents were accounted for", len(outcomes), len(fixtures))
	}
	run.log(t, root)
}

// corpusDir finds the shared corpus; without it the test is skipped,
// except on CI, which always has it.
func corpusDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv(fixturesEnv); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			t.Fatalf("%s is set but unusable: %v", fixturesEnv, err)
		}
		return dir
	}
	dir := filepath.Join("..", "..", "shared", "fixtures")
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the shared fixture corpus is not installed: %s does not exist and %s is not set", dir, fixturesEnv)
	}
	t.Skipf("the shared fixture corpus is not installed: %s does not exist and %s is not set", dir, fixturesEnv)
	return ""
}

// fixture is one JSON document, named by its path under the corpus.
type fixture struct {
	name string
	body []byte
}

// readFixtures reads every .json file under the directories; other files
// (INDEX.tsv, README.md) are not documents.
func readFixtures(t *testing.T, root string, dirs ...string) []fixture {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	var out []fixture
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(file string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(file), ".json") {
				return err
			}
			body, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, file)
			out = append(out, fixture{name: filepath.ToSlash(rel), body: body})
			return err
		})
		if err != nil {
			t.Fatalf("read fixtures: %v", err)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no JSON documents under %s", root)
	}
	return out
}

// fixtureRun holds what the checks share: a database template, the two
// inboxes and the tally of outcomes.
type fixtureRun struct {
	ctx      context.Context
	template []byte // a freshly made database file, copied for each check
	key      *rsa.PrivateKey
	keyPEM   string
	accepts  *fixtureInbox // signed deliveries of valid activities
	refuses  *fixtureInbox // broken deliveries; must stay empty
	handled  map[string]bool
	tally    fixtureTally
	storedID map[string]bool // activity ids the accepting inbox has stored
	failed   map[string]bool // documents whose check failed
}

func newFixtureRun(t *testing.T) *fixtureRun {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	r := &fixtureRun{
		ctx:      context.Background(),
		key:      key,
		keyPEM:   string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
		handled:  map[string]bool{},
		tally:    fixtureTally{},
		storedID: map[string]bool{},
		failed:   map[string]bool{},
	}
	r.template = databaseTemplate(t)
	for _, inbox := range []**fixtureInbox{&r.accepts, &r.refuses} {
		db := r.freshDB(t)
		t.Cleanup(func() { db.Close() })
		*inbox = newFixtureInbox(t, db)
	}
	for typ := range r.accepts.fed.handlers() {
		r.handled[typ] = true
	}
	return r
}

// databaseTemplate makes a database once (migrations, instance key) so
// that each check can start from a copy of it in a few milliseconds.
func databaseTemplate(t *testing.T) []byte {
	t.Helper()
	dbFile := filepath.Join(t.TempDir(), "template.db")
	db, err := storage.Open(context.Background(), dbFile, fixtureSite)
	if err != nil {
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

// freshDB opens a copy of the template in a directory of its own; the
// caller closes it.
func (r *fixtureRun) freshDB(t testing.TB) *storage.DB {
	t.Helper()
	dbFile := filepath.Join(t.TempDir(), "tidings.db")
	if err := os.WriteFile(dbFile, r.template, 0o600); err != nil {
		t.Fatalf("copy the database: %v", err)
	}
	db, err := storage.Open(r.ctx, dbFile, fixtureSite)
	if err != nil {
		t.Fatalf("open the database: %v", err)
	}
	return db
}

// docT reports the failures of one document's check under its name. Its
// Fatalf ends that document's check only (checkOne recovers the stop), so
// one document cannot hide the others.
type docT struct {
	*testing.T
	name string
	run  *fixtureRun
}

// stopDoc is the panic that ends one document's check.
type stopDoc struct{}

func (t docT) Errorf(format string, args ...any) {
	t.T.Helper()
	t.run.failed[t.name] = true
	t.T.Errorf("%s: %s", t.name, fmt.Sprintf(format, args...))
}

func (t docT) Fatalf(format string, args ...any) {
	t.T.Helper()
	t.Errorf(format, args...)
	panic(stopDoc{})
}

// categoryOrder is the order in which categories are checked and summed up.
var categoryOrder = []string{catActor, catObject, catActivity, catCollection, catWebFinger, catNodeInfo, catBroken}

// checkAll checks the documents, one subtest per category, and returns
// each document's outcome, "category: result", by name. A document whose
// check stopped has none.
func (r *fixtureRun) checkAll(t *testing.T, fixtures []fixture) map[string]string {
	byCategory := map[string][]fixture{}
	for _, fx := range fixtures {
		category, _ := documentCategory(fx.body)
		byCategory[category] = append(byCategory[category], fx)
	}
	outcomes := map[string]string{}
	for _, category := range categoryOrder {
		if len(byCategory[category]) == 0 {
			continue
		}
		t.Run(category, func(t *testing.T) {
			for _, fx := range byCategory[category] {
				result := r.checkOne(docT{T: t, name: fx.name, run: r}, fx)
				if result == "" {
					continue // the check stopped, and said why
				}
				r.tally.add(category, result, fx.name)
				outcomes[fx.name] = category + ": " + result
			}
		})
	}
	return outcomes
}

// checkOne checks one document as its category calls for.
func (r *fixtureRun) checkOne(t docT, fx fixture) (result string) {
	defer func() {
		if p := recover(); p != nil {
			if _, stop := p.(stopDoc); !stop {
				panic(p)
			}
		}
	}()
	category, raw := documentCategory(fx.body)
	if filed := filedCategory(fx.name); filed != "" && filed != category {
		t.Errorf("filed under %s, but the document reads as %s", filed, category)
	}
	if raw != nil && raw["@context"] == nil && category != catWebFinger && category != catNodeInfo {
		r.tally.add(tallyNoContext, category, fx.name)
	}
	switch category {
	case catActor:
		return r.checkActor(t, fx, raw)
	case catObject:
		return r.checkObject(t, fx, raw)
	case catActivity:
		return r.checkActivity(t, fx, raw)
	case catCollection:
		return r.checkCollection(t, fx, raw)
	case catWebFinger:
		return r.checkWebFinger(t, fx, raw)
	case catNodeInfo:
		return checkNodeInfo(t, raw)
	}
	return r.checkBroken(t, fx)
}

// documentCategory decides what a document is from its content: its type, or
// for WebFinger and NodeInfo, their fields. Anything that is not a JSON
// object with a type (or one of those) is broken.
func documentCategory(body []byte) (string, map[string]any) {
	raw := jsonObject(body)
	if raw == nil {
		return catBroken, nil
	}
	if _, typed := raw["type"]; !typed {
		switch {
		case raw["software"] != nil || jrdLinksTo(raw, "http://nodeinfo.diaspora.software/ns/schema/"):
			return catNodeInfo, raw
		case raw["subject"] != nil || raw["links"] != nil:
			return catWebFinger, raw
		}
		return catBroken, raw
	}
	types := jsonTypes(raw["type"])
	if len(types) == 0 {
		return catBroken, raw
	}
	for _, category := range []string{catActor, catActivity, catCollection, catObject} {
		for _, typ := range types {
			if slices.Contains(as2Vocabulary[category], typ) {
				return category, raw
			}
		}
	}
	if raw["actor"] != nil { // an activity of an extension: EmojiReact, Lock
		return catActivity, raw
	}
	return catObject, raw
}

// filedCategory is the category the corpus files a document under (its
// directory), or "" for a directory that names none.
func filedCategory(name string) string {
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch {
		case strings.HasPrefix(dir, "activities"):
			return catActivity
		case dir == catActor || dir == catObject || dir == catCollection || dir == catWebFinger ||
			dir == catNodeInfo || dir == catBroken:
			return dir
		}
	}
	return ""
}

// fixtureTally counts outcomes: category, then outcome, then files.
type fixtureTally map[string]map[string][]string

func (tl fixtureTally) add(category, outcome, name string) {
	if tl[category] == nil {
		tl[category] = map[string][]string{}
	}
	tl[category][outcome] = append(tl[category][outcome], name)
}

// Tallies beside the categories.
const (
	tallyNoContext     = "no @context (read as ActivityStreams)"
	tallyObjectOf      = "objects of handled activities (objectOf)"
	tallyEmbeddedPosts = "posts embedded in activities"
	tallyBrokenCopies  = "broken copies of valid activities (unsigned)"
)

// log writes the summary: per category, each outcome with its count and,
// when they are few, the documents; the categories come last, then the
// documents whose check failed.
func (r *fixtureRun) log(t *testing.T, root string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "outcomes for %s:", root)
	total := 0
	for _, category := range append([]string{tallyBrokenCopies, tallyNoContext, tallyObjectOf, tallyEmbeddedPosts}, categoryOrder...) {
		outcomes := r.tally[category]
		n := 0
		for _, files := range outcomes {
			n += len(files)
		}
		if n == 0 {
			continue
		}
		if slices.Contains(categoryOrder, category) {
			total += n
		}
		fmt.Fprintf(&b, "\n%s: %d", category, n)
		for _, outcome := range sortedNames(outcomes) {
			files := outcomes[outcome]
			fmt.Fprintf(&b, "\n    %3d %s", len(files), outcome)
			if len(files) <= 8 && category != tallyBrokenCopies {
				fmt.Fprintf(&b, ": %s", strings.Join(files, ", "))
			}
		}
	}
	fmt.Fprintf(&b, "\n%d documents accounted for", total)
	if len(r.failed) > 0 {
		fmt.Fprintf(&b, "; the checks of %d failed: %s", len(r.failed), strings.Join(sortedNames(r.failed), ", "))
	}
	t.Log(b.String())
}

func sortedNames[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Reading JSON values without go-fed, for the expectations.
