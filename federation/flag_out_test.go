package federation

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestForwardedFlagShapes: a flag of a post in a remote community, by an
// author of another server, goes out twice: in Lemmy's shape from the
// member to the community's inbox, and in Mastodon's shape from the
// instance actor to the author's inbox.
func TestForwardedFlagShapes(t *testing.T) {
	ctx := context.Background()
	in := newInboxTestInstance(t)
	key := publicPEM(t, inboxTestKeys()[0])
	save := func(uri, kind string) *storage.Actor {
		a, err := in.db.SaveRemoteActor(ctx, storage.RemoteActor{URI: uri, Kind: kind, Username: "x",
			Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: key})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	group := save("https://lemmy.example/c/news", storage.KindGroup)
	author := save("https://social.example/users/bob", storage.KindPerson)
	post, err := in.db.SaveRemotePost(ctx, storage.RemotePost{URI: "https://social.example/notes/1", AuthorID: author.ID,
		Visibility: storage.Public, Content: "<p>hi</p>", SubwikiID: group.ID, Published: in.db.Now()})
	if err != nil {
		t.Fatal(err)
	}
	alice := in.member(t, "alice")
	if _, err := in.db.FlagItem(ctx, storage.FlagCreate{ReporterID: alice.ID, PostID: post.ID, Category: storage.FlagSpam,
		Comment: "Ads", Forward: true}); err != nil {
		t.Fatal(err)
	}
	events, err := in.db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for _, e := range events {
		body, inboxes, err := in.fed.build(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		m["inboxes"] = inboxes
		got[e.Kind] = m
	}
	lemmy, mastodon := got[storage.EventFlagGroup], got[storage.EventFlagAccount]
	if lemmy == nil || mastodon == nil {
		t.Fatalf("events built: %v; want both shapes", got)
	}
	if lemmy["type"] != "Flag" || lemmy["actor"] != alice.URI || lemmy["object"] != post.URI ||
		lemmy["audience"] != group.URI || lemmy["summary"] != "Spam: Ads" || jsonIRI(lemmy["to"]) != group.URI ||
		!slices.Equal(lemmy["inboxes"].([]string), []string{group.Inbox}) {
		t.Errorf("Lemmy's shape = %v", lemmy)
	}
	if mastodon["type"] != "Flag" || mastodon["actor"] != in.fed.cfg.Site.InstanceActorURI() ||
		!slices.Equal(jsonIRIs(mastodon["object"]), []string{author.URI, post.URI}) || mastodon["content"] != "Spam: Ads" ||
		!slices.Equal(mastodon["inboxes"].([]string), []string{author.Inbox}) {
		t.Errorf("Mastodon's shape = %v", mastodon)
	}
}
