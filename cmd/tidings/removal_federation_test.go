package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestRemovalAcrossInstances: bob, on B, posts into s/town on A; alice,
// its moderator on A, removes the post from its page with a reason. The
// post goes from A, from B (bob's server, told straight) and from C
// (which follows the subwiki, told by its Announce); the page of the
// post on A and B says why; A's public log shows the removal, B's
// instance log too.
func TestRemovalAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	c := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	carol := member(t, c, "carol")
	createSubwiki(t, alice, "town", "Town", nil)
	handle := "@town@" + a.Config.Server.Domain
	followRemote(t, bob, handle)
	followRemote(t, carol, handle)
	groupOnB := remoteActor(t, b, handle)
	groupOnC := remoteActor(t, c, handle)
	waitFor(t, "bob and carol in s/town", 10*time.Second, func() bool {
		fb, _ := b.DB.FollowBetween(ctx, memberOf(t, b, "bob").ID, groupOnB.ID)
		fc, _ := c.DB.FollowBetween(ctx, memberOf(t, c, "carol").ID, groupOnC.ID)
		return fb != nil && fb.State == storage.FollowAccepted && fc != nil && fc.State == storage.FollowAccepted
	})

	post, err := b.DB.Publish(ctx, storage.PostCreate{AuthorID: memberOf(t, b, "bob").ID, SubwikiID: groupOnB.ID,
		Kind: storage.KindDiscussion, Headline: "Cheap pills here", Text: "Buy them now."})
	if err != nil {
		t.Fatal(err)
	}
	var onA *storage.Post
	waitFor(t, "bob's post on A and C", 10*time.Second, func() bool {
		onA, _ = a.DB.PostByURI(ctx, post.URI)
		_, errC := c.DB.PostByURI(ctx, post.URI)
		return onA != nil && errC == nil
	})
	onC, _ := c.DB.PostByURI(ctx, post.URI)

	alice.get("/posts/" + onA.ID)
	wantStatus(t, alice.post("/posts/"+onA.ID+"/remove", url.Values{"reason": {"Advertising is not news"}}), http.StatusSeeOther)
	waitFor(t, "the post gone from B and C", 10*time.Second, func() bool {
		_, errB := b.DB.PostByURI(ctx, post.URI)
		_, errC := c.DB.PostByURI(ctx, post.URI)
		return storage.ErrorCode(errB) == storage.ENotFound && storage.ErrorCode(errC) == storage.ENotFound
	})
	for _, at := range []struct {
		inst *instance
		id   string
	}{{a, onA.ID}, {b, post.ID}, {c, onC.ID}} {
		p := newVisitor(t, at.inst).get("/posts/" + at.id)
		wantStatus(t, p, http.StatusGone)
		wantBody(t, p, "Removed by the moderators: Advertising is not news")
	}
	log := newVisitor(t, a).get("/s/town/log")
	wantBody(t, log, "@alice", "removed", "Cheap pills here", "Advertising is not news")
	entries, err := b.DB.ModerationLog(ctx, "", "", 10)
	if err != nil || len(entries) != 1 || entries[0].Action != storage.ModRemovePost ||
		entries[0].Reason != "Advertising is not news" || entries[0].Actor == nil || entries[0].Actor.Username != "alice" {
		t.Errorf("B's instance log = %v, %v; want alice's removal", entries, err)
	}

}
