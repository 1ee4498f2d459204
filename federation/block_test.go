package federation

import (
	"context"
	"slices"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestBlockGoesOutAsMastodonSendsIt: a member's Block of a remote account
// goes to that account's inbox with the member as actor and the account
// as object, its Undo names it, and the member's posts no longer go to
// the blocked follower.
func TestBlockGoesOutAsMastodonSendsIt(t *testing.T) {
	ctx := context.Background()
	in := newOutboxTestInstance(t)
	bob, err := in.db.ActorByURI(ctx, in.remote.URL+"/users/bob")
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := in.db.ActorByID(ctx, in.alice.ID)
	in.fed.expandOutbox(ctx) // the Accept of bob's follow
	in.deliverDue(t)
	in.remote.received = nil

	if err := in.db.Block(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, Kind: storage.KindDiscussion,
		Headline: "Not for bob", Text: "He blocked nothing; alice blocked him."}); err != nil {
		t.Fatal(err)
	}
	if err := in.db.Unblock(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)

	got := in.remote.objects()
	if len(got) != 2 {
		t.Fatalf("received %q, want a Block and its Undo only", got)
	}
	in.remote.mu.Lock()
	block, undo := in.remote.received[0], in.remote.received[1]
	in.remote.mu.Unlock()
	if block["type"] != "Block" || block["actor"] != alice.URI || block["object"] != bob.URI || block["id"] == "" {
		t.Errorf("block = %v", block)
	}
	inner, _ := undo["object"].(map[string]any)
	if undo["type"] != "Undo" || undo["actor"] != alice.URI || inner["id"] != block["id"] ||
		inner["type"] != "Block" || inner["object"] != bob.URI {
		t.Errorf("undo = %v", undo)
	}
}

// TestIncomingBlockEndsFollows: a Mastodon-shaped Block from another
// server's member ends the follows between it and our member both ways;
// a Block with a target (a ban) is not a member's block; an Undo lifts it.
func TestIncomingBlockEndsFollows(t *testing.T) {
	ctx := context.Background()
	home, other := newInboxTestInstance(t), newPeer(t)
	alice := home.member(t, "alice")
	bob := other.member("bob")
	bobHere := home.local(t, bob)
	follow := func() {
		t.Helper()
		if _, err := home.db.ReceiveFollow(ctx, bobHere.ID, alice.ID, other.id("follows")); err != nil {
			t.Fatal(err)
		}
	}
	follows := func() bool {
		f, err := home.db.FollowBetween(ctx, bobHere.ID, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		return f != nil
	}
	follow()

	ban := other.activity("Block", bob, alice.URI)
	ban["target"] = other.fed.cfg.Site.ActorURI("town")
	other.send(home, bob, ban)
	home.drain(t)
	if !follows() {
		t.Fatal("a ban with a target ended bob's follow of alice")
	}

	block := other.activity("Block", bob, alice.URI)
	other.send(home, bob, block)
	home.drain(t)
	if follows() {
		t.Fatal("bob still follows alice after blocking her")
	}
	if state, _ := home.db.MuteStateOf(ctx, alice.ID, bobHere.ID); !state.BlockedBy {
		t.Errorf("alice's state towards bob = %+v", state)
	}
	inboxes, err := home.db.FollowerInboxes(ctx, alice.ID)
	if err != nil || slices.Contains(inboxes, bobHere.Inbox) || slices.Contains(inboxes, bobHere.SharedInbox) {
		t.Errorf("alice's posts still go to %v (%v)", inboxes, err)
	}

	undo := other.activity("Undo", bob, block)
	other.send(home, bob, undo)
	home.drain(t)
	if state, _ := home.db.MuteStateOf(ctx, alice.ID, bobHere.ID); state.BlockedBy {
		t.Error("bob's Undo did not lift his block")
	}
	follow()
	if !follows() {
		t.Error("bob cannot follow alice after lifting his block")
	}
}

// TestMentionOfABlockerIsNotDelivered: bob, on another server, blocked
// alice; her post that mentions him does not go to him, as Mastodon does
// not let a blocked account reach whoever blocked it.
func TestMentionOfABlockerIsNotDelivered(t *testing.T) {
	ctx := context.Background()
	in := newOutboxTestInstance(t)
	bob, err := in.db.ActorByURI(ctx, in.remote.URL+"/users/bob")
	if err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx) // the Accept of bob's follow
	in.deliverDue(t)
	in.remote.received = nil
	if err := in.db.ReceiveBlock(ctx, bob.ID, in.alice.ID, in.remote.URL+"/blocks/1"); err != nil {
		t.Fatal(err)
	}
	handle := bob.Username + "@" + bob.Host
	if _, err := in.db.Publish(ctx, storage.PostCreate{AuthorID: in.alice.ID, Kind: storage.KindDiscussion,
		Headline: "A question", Text: "@" + handle + " what do you think?",
		Mentions: []storage.Mention{{Handle: handle, URI: bob.URI, URL: bob.URI}}}); err != nil {
		t.Fatal(err)
	}
	in.fed.expandOutbox(ctx)
	in.deliverDue(t)
	if got := in.remote.objects(); len(got) != 0 {
		t.Errorf("bob, who blocked alice, received %q", got)
	}
}
