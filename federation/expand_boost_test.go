package federation

import (
	"context"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestABoostIsAnnouncedAsMastodonSendsAReblog: alice boosts a post of
// carol, elsewhere, and takes the boost back. Her follower's server and
// carol's get an Announce of the post by id, to Public and cc alice's
// followers and carol, then its Undo naming the same Announce.
func TestABoostIsAnnouncedAsMastodonSendsAReblog(t *testing.T) {
	in := newOutboxTestInstance(t)
	ctx := context.Background()
	carol := in.remoteActor(t, "carol")
	post, err := in.db.SaveRemotePost(ctx, storage.RemotePost{URI: carol.URI + "/posts/1", AuthorID: carol.ID,
		Kind: storage.KindDiscussion, Headline: "Bridge reopens", Content: "<p>T</p>", Visibility: storage.Public})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.db.BoostPost(ctx, in.alice.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.db.UnboostPost(ctx, in.alice.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)

	got := in.remote.objects()
	in.remote.mu.Lock()
	defer in.remote.mu.Unlock()
	in.remote.received = in.remote.received[1:] // bob's Accept
	if len(in.remote.received) != 2 {
		t.Fatalf("received %v, want the Announce and its Undo, once each for the shared inbox", got)
	}
	boost, undo := in.remote.received[0], in.remote.received[1]
	aliceURI := in.db.Site.ActorURI("alice")
	id, _ := boost["id"].(string)
	if boost["type"] != "Announce" || boost["actor"] != aliceURI || boost["object"] != post.URI ||
		!strings.HasPrefix(id, aliceURI+"#boosts/") || boost["published"] == nil {
		t.Errorf("announce = %v", boost)
	}
	if to := strings.Join(stringsOf(boost["to"]), " "); to != publicCollection {
		t.Errorf("to = %q, want only Public", to)
	}
	if cc := strings.Join(stringsOf(boost["cc"]), " "); cc != aliceURI+"/followers "+carol.URI {
		t.Errorf("cc = %q, want alice's followers and carol", cc)
	}
	inner, _ := undo["object"].(map[string]any)
	if undo["type"] != "Undo" || undo["actor"] != aliceURI || undo["id"] != id+"/undo" ||
		inner["type"] != "Announce" || inner["id"] != id || inner["object"] != post.URI {
		t.Errorf("undo = %v, want the Undo of %s", undo, id)
	}
}

// stringsOf reads a JSON value that is one string or a list of them.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, s := range v {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
