package federation

import (
	"context"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestRemovalFromAnotherServer: a Delete of a post in a community
// elsewhere, by someone who is not its author, is applied only when the
// community lists them as a moderator; the reason is kept and logged.
func TestRemovalFromAnotherServer(t *testing.T) {
	ctx := context.Background()
	a, b := newInboxTestInstance(t), newPeer(t)
	max, eve, carl := b.member("max"), b.member("eve"), b.member("carl")
	pills := b.subwiki("pills", max)
	author, group := a.local(t, carl), a.local(t, pills)
	post, err := a.db.SaveRemotePost(ctx, storage.RemotePost{URI: b.id("posts"), AuthorID: author.ID,
		Kind: storage.KindDiscussion, Headline: "Cheap pills", Content: "<p>Buy</p>", Visibility: storage.Public,
		SubwikiID: group.ID, Published: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	removal := func(as *storage.Actor, reason string) map[string]any {
		act := b.activity("Delete", as, post.URI)
		act["summary"], act["audience"], act["cc"] = reason, pills.URI, []string{pills.URI}
		return act
	}

	b.send(a, eve, removal(eve, "I want it gone"))
	a.drain(t)
	if _, err := a.db.PostByURI(ctx, post.URI); err != nil {
		t.Fatalf("after a Delete by eve, no moderator: %v, want the post kept", err)
	}
	b.send(a, max, removal(max, "Advertising"))
	a.drain(t)
	if _, err := a.db.PostByURI(ctx, post.URI); storage.ErrorCode(err) != storage.ENotFound {
		t.Fatalf("after the moderator's Delete: %v, want the post gone", err)
	}
	rm, err := a.db.Removal(ctx, post.ID)
	if err != nil || rm.Reason != "Advertising" {
		t.Errorf("the removal kept: %+v, %v; want the moderator's reason", rm, err)
	}
	log, err := a.db.ModerationLog(ctx, "", "", 10)
	if err != nil || len(log) != 1 || log[0].Actor == nil || log[0].Actor.URI != max.URI || log[0].Reason != "Advertising" {
		t.Errorf("the instance's log = %v, %v; want max's removal", log, err)
	}
}
