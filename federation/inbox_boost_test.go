package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// fixedDocuments serves fixed ActivityPub documents by path on loopback.
func fixedDocuments(t *testing.T, docs func(base string) map[string]any) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := docs(srv.URL)[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestABoostBringsOnlyAPostForEveryoneByItsOwnServer: bob, whom alice
// follows, boosts posts this server does not have. Only the one for
// everyone, attributed to an account of its own server, is fetched and
// kept; one for followers, one claiming another server's author, one
// that is not there and one that is not a post are not, and change
// nothing. A boost by an account nobody here follows fetches nothing.
func TestABoostBringsOnlyAPostForEveryoneByItsOwnServer(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	bob, stranger := b.member("bob"), b.member("stranger")
	alice := a.member(t, "alice")
	bobHere := a.local(t, bob)
	f, err := a.db.Follow(ctx, alice.ID, bobHere.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.ReceiveAccept(ctx, bobHere.ID, f.ActivityURI, alice.ID); err != nil {
		t.Fatal(err)
	}
	key := publicPEM(t, inboxTestKeys()[0])
	var fetched atomic.Int32
	elsewhere := fixedDocuments(t, func(base string) map[string]any {
		fetched.Add(1)
		note := func(id, to string, author string) map[string]any {
			return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": base + id, "type": "Note",
				"attributedTo": author, "content": "<p>Words</p>", "to": []string{to}, "published": "2026-12-01T10:00:00Z"}
		}
		eve := base + "/users/eve"
		return map[string]any{
			"/users/eve": map[string]any{"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
				"id": eve, "type": "Person", "preferredUsername": "eve", "inbox": eve + "/inbox",
				"publicKey": map[string]any{"id": eve + "#main-key", "owner": eve, "publicKeyPem": key}},
			"/notes/public":    note("/notes/public", "https://www.w3.org/ns/activitystreams#Public", eve),
			"/notes/followers": note("/notes/followers", eve+"/followers", eve),
			"/notes/stolen":    note("/notes/stolen", "https://www.w3.org/ns/activitystreams#Public", bob.URI),
		}
	})
	for _, path := range []string{"/notes/followers", "/notes/stolen", "/notes/missing", "/users/eve"} {
		b.send(a, bob, b.activity("Announce", bob, elsewhere.URL+path))
	}
	a.drain(t)
	for _, path := range []string{"/notes/followers", "/notes/stolen", "/notes/missing"} {
		if _, err := a.db.PostByURI(ctx, elsewhere.URL+path); storage.ErrorCode(err) != storage.ENotFound {
			t.Errorf("after a boost of %s: %v, want it not kept", path, err)
		}
	}

	before := fetched.Load()
	b.send(a, stranger, b.activity("Announce", stranger, elsewhere.URL+"/notes/public"))
	a.drain(t)
	if n := fetched.Load(); n != before {
		t.Errorf("a boost by an account nobody here follows made %d fetches", n-before)
	}
	if _, err := a.db.PostByURI(ctx, elsewhere.URL+"/notes/public"); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("a boost by an account nobody here follows kept the post: %v", err)
	}

	b.send(a, bob, b.activity("Announce", bob, elsewhere.URL+"/notes/public"))
	a.drain(t)
	p, err := a.db.PostByURI(ctx, elsewhere.URL+"/notes/public")
	if err != nil {
		t.Fatalf("bob's boost of a public post did not bring it: %v", err)
	}
	if p.AnnounceCount != 1 {
		t.Errorf("boosts = %d, want 1", p.AnnounceCount)
	}
	feed, err := a.db.HomeFeed(ctx, alice.ID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Posts) != 1 || feed.Posts[0].ID != p.ID || feed.Posts[0].Boost == nil {
		t.Errorf("alice's feed = %+v, want bob's boost of the post", feed.Posts)
	}
}
