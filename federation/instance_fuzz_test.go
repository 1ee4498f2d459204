package federation

// The instance the fuzz targets of federation start from: a database made
// once and copied for each input, with a member, a subwiki with a post,
// and remote accounts she follows, with their posts.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// fuzzInstance is the instance each delivery starts from, as a
// database file, and the key every remote actor signs with.
type fuzzInstance struct {
	db        databaseFile
	key       ed25519.PrivateKey
	keyPEM    string
	localPost string // the id of alice's post in the subwiki
	before    map[string]*storage.Post
}

func newFuzzInstance(tb testing.TB) *fuzzInstance {
	tb.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	inst := &fuzzInstance{key: key, keyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
	inst.db = newDatabaseFile(tb, func(db *storage.DB) { inst.populate(tb, db) })
	return inst
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
func (inst *fuzzInstance) populate(tb testing.TB, db *storage.DB) {
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
	inst.localPost = post.URI
	actors := map[string]*storage.Actor{}
	for _, a := range []struct{ uri, kind, name string }{
		{fuzzCarol, storage.KindPerson, "carol"}, {fuzzGroup, storage.KindGroup, "news"}, {fuzzDave, storage.KindPerson, "dave"},
	} {
		actors[a.uri], err = db.SaveRemoteActor(ctx, inst.stubActor(a.uri, a.kind, a.name))
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
	inst.before = map[string]*storage.Post{}
	for _, uri := range []string{fuzzCarolPost, fuzzDavePost, inst.localPost} {
		inst.before[uri], err = db.PostByURI(ctx, uri)
		must(err)
	}
}

// stubActor is a remote actor whose key is the instance's.
func (inst *fuzzInstance) stubActor(uri, kind, name string) storage.RemoteActor {
	return storage.RemoteActor{URI: uri, Kind: kind, Username: name, Inbox: uri + "/inbox",
		Followers: uri + "/followers", KeyID: uri + "#main-key", PublicKeyPEM: inst.keyPEM}
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
