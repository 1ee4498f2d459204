package federation

import (
	"context"
	"slices"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// follower reports the follow of bob (on the peer) to alice, or nil.
func follower(t *testing.T, a *inboxTestInstance, bob *storage.Actor) *storage.Follow {
	t.Helper()
	ctx := context.Background()
	here, err := a.db.ActorByURI(ctx, bob.URI)
	if storage.ErrorCode(err) == storage.ENotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.db.FollowBetween(ctx, here.ID, a.member(t, "alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestUndoneFollowLeavesNoGhostFollower(t *testing.T) {
	t.Run("the Undo arrives first", func(t *testing.T) {
		a, b := newInboxTestInstance(t), newPeer(t)
		bob := b.member("bob")
		follow := b.activity("Follow", bob, a.fed.cfg.Site.ActorURI("alice"))
		b.send(a, bob, b.activity("Undo", bob, follow))
		b.send(a, bob, follow)
		a.drain(t)
		if f := follower(t, a, bob); f != nil {
			t.Errorf("after Undo(Follow) and then its Follow, bob follows alice: %+v; want no follow", f)
		}
	})
	t.Run("the Undo arrives while its Follow is handled", func(t *testing.T) {
		a, b := newInboxTestInstance(t), newPeer(t)
		bob := b.member("bob")
		follow := b.activity("Follow", bob, a.fed.cfg.Site.ActorURI("alice"))
		undo := b.activity("Undo", bob, follow)
		var taken []string
		a.fed.inboxHook = func(ctx context.Context, in *storage.Inbound) {
			if in.ActivityURI != follow["id"] {
				return
			}
			// The Undo arrives now, and another worker looks for work.
			b.send(a, bob, undo)
			claimed, err := a.db.ClaimInbound(ctx, 8, inboxLease)
			if err != nil {
				t.Error(err)
			}
			for _, other := range claimed {
				taken = append(taken, other.ActivityURI)
				a.db.RetryInbound(ctx, other.ID, "handed back", a.fed.now())
			}
		}
		b.send(a, bob, follow)
		a.drain(t)
		if slices.Contains(taken, undo["id"].(string)) {
			t.Errorf("another worker took the Undo while its Follow was being handled")
		}
		if f := follower(t, a, bob); f != nil {
			t.Errorf("after Follow and Undo(Follow), bob follows alice: %+v; want no follow", f)
		}
	})
}

func TestReactionUndoneBeforeItArrived(t *testing.T) {
	for _, kind := range []string{"Like", "Announce"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			a, b := newInboxTestInstance(t), newPeer(t)
			bob := b.member("bob")
			post, err := a.db.CreatePost(ctx, a.member(t, "alice").ID, "The river is rising.")
			if err != nil {
				t.Fatal(err)
			}
			reaction := b.activity(kind, bob, post.URI)
			b.send(a, bob, b.activity("Undo", bob, reaction))
			b.send(a, bob, reaction)
			a.drain(t)
			if got := reactions(t, a, post.URI, kind); got != 0 {
				t.Errorf("after Undo(%s) and then its %s, the post counts %d; want 0", kind, kind, got)
			}
			// A new one, with another id, counts.
			b.send(a, bob, b.activity(kind, bob, post.URI))
			a.drain(t)
			if got := reactions(t, a, post.URI, kind); got != 1 {
				t.Errorf("after a new %s, the post counts %d; want 1", kind, got)
			}
		})
	}
}

func reactions(t *testing.T, a *inboxTestInstance, uri, kind string) int {
	t.Helper()
	p, err := a.db.PostByURI(context.Background(), uri)
	if err != nil {
		t.Fatal(err)
	}
	if kind == "Like" {
		return p.LikeCount
	}
	return p.AnnounceCount
}

func TestOrderKey(t *testing.T) {
	const bob, tamsin, group = "https://b.example/users/bob", "https://b.example/users/tamsin", "https://b.example/s/tech"
	const alice, note = "https://a.example/users/alice", "https://b.example/posts/1"
	follow := map[string]any{"id": "https://b.example/f/1", "type": "Follow", "actor": bob, "object": alice}
	like := map[string]any{"id": "https://b.example/l/1", "type": "Like", "actor": bob, "object": note}
	tamsinLike := map[string]any{"id": "https://b.example/l/2", "type": "Like", "actor": map[string]any{"id": tamsin}, "object": note}
	create := map[string]any{"id": "https://b.example/c/1", "type": "Create", "actor": bob,
		"object": map[string]any{"id": note, "type": "Note"}}
	ourFollow := map[string]any{"id": "https://a.example/activities/1", "type": "Follow", "actor": alice, "object": bob}
	tests := []struct {
		name     string
		activity map[string]any
		actor    string
		want     string
	}{
		{"Follow", follow, bob, bob + " " + alice},
		{"Undo(Follow)", map[string]any{"type": "Undo", "actor": bob, "object": follow}, bob, bob + " " + alice},
		{"Accept(Follow)", map[string]any{"type": "Accept", "actor": bob, "object": ourFollow}, bob, bob + " " + alice + " " + bob},
		{"Reject(Follow)", map[string]any{"type": "Reject", "actor": bob, "object": ourFollow}, bob, bob + " " + alice + " " + bob},
		{"Like", like, bob, bob + " " + note},
		{"Undo(Like)", map[string]any{"type": "Undo", "actor": bob, "object": like}, bob, bob + " " + note},
		{"Undo by id", map[string]any{"type": "Undo", "object": "https://b.example/l/1"}, bob, bob + " https://b.example/l/1"},
		{"Create", create, bob, bob + " " + note},
		{"Delete of a tombstone", map[string]any{"type": "Delete", "object": map[string]any{"id": note, "type": "Tombstone"}}, bob, bob + " " + note},
		{"Announce(Create)", map[string]any{"type": "Announce", "object": create}, group, group + " " + bob + " " + note},
		{"Announce(Like) of another member", map[string]any{"type": "Announce", "object": tamsinLike}, group, group + " " + tamsin + " " + note},
		{"Announce(Undo(Like))", map[string]any{"type": "Announce", "object": map[string]any{"type": "Undo", "actor": bob, "object": like}}, group, group + " " + bob + " " + note},
		{"Announce by id", map[string]any{"type": "Announce", "object": note}, bob, bob + " " + note},
		{"Lock", map[string]any{"type": "Announce", "object": map[string]any{"type": "Lock", "actor": bob, "object": note}}, group, group + " " + bob + " " + note},
		{"Offer of a post", map[string]any{"type": "Offer", "object": map[string]any{"id": note, "type": "Page"}}, bob, bob + " " + note},
		{"an object in a list of one", map[string]any{"type": "Like", "object": []any{note}}, bob, bob + " " + note},
		{"two objects", map[string]any{"type": "Like", "object": []any{note, alice}}, bob, ""},
		{"no object", map[string]any{"type": "Like"}, bob, ""},
		{"an object without id", map[string]any{"type": "Create", "object": map[string]any{"type": "Note"}}, bob, ""},
		{"an object of a strange kind", map[string]any{"type": "Like", "object": 42.0}, bob, ""},
	}
	for _, tt := range tests {
		if got := orderKey(tt.activity, tt.actor); got != tt.want {
			t.Errorf("%s: orderKey = %q, want %q", tt.name, got, tt.want)
		}
	}
}
