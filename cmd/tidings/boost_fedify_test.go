package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestBoostsWithFedifyPeer: the Fedify peer and alice follow each other.
// Alice's boost of bob's post reaches the peer as an Announce of the
// post, which Fedify verified and read; taking it back reaches it as an
// Undo of that Announce. The peer's own boost of bob's post is counted
// on Tidings, bob is told, and alice's home feed lists it as the peer's.
func TestBoostsWithFedifyPeer(t *testing.T) {
	findNode(t)
	ctx := context.Background()
	inst, _ := startInteropInstance(t)
	peer := startFedifyPeer(t, "--name", "echo")
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	aliceActor, bobActor := actorOf(t, inst, "alice"), actorOf(t, inst, "bob")

	interopControl(t, peer, "follow", map[string]string{"target": "alice@" + inst.Config.Server.Domain})
	waitFor(t, "the peer among alice's followers", interopWait, func() bool { return followersOf(t, inst, "alice") == 1 })
	followRemote(t, alice, "@"+peer.Handle)
	remote := remoteActor(t, inst, "@"+peer.Handle)
	waitFor(t, "alice's follow of the peer accepted", interopWait, func() bool {
		f, err := inst.DB.FollowBetween(ctx, aliceActor.ID, remote.ID)
		return err == nil && f != nil && f.State == storage.FollowAccepted
	})

	bob.get("/")
	wantStatus(t, bob.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Library opens on Sundays"},
		"text": {"From next month."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, inst, "bob")

	if err := inst.DB.BoostPost(ctx, aliceActor.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	announce := interopWaitActivity(t, peer, "the peer to receive alice's Announce", "Announce", func(a peerActivity) bool {
		return a.Actor == aliceActor.URI && a.ObjectID == post.URI
	})
	if err := inst.DB.UnboostPost(ctx, aliceActor.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	interopWaitActivity(t, peer, "the peer to receive the Undo of alice's Announce", "Undo", func(a peerActivity) bool {
		return a.Actor == aliceActor.URI && a.ObjectID == announce.ID
	})

	interopControl(t, peer, "announce", map[string]string{"object": post.URI})
	waitFor(t, "the peer's boost counted on Tidings", interopWait, func() bool {
		p, err := inst.DB.PostByID(ctx, post.ID)
		return err == nil && p.AnnounceCount == 1
	})
	feed, err := inst.DB.HomeFeed(ctx, aliceActor.ID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Posts) == 0 || feed.Posts[0].ID != post.ID || feed.Posts[0].Boost == nil || feed.Posts[0].Boost.Booster.ID != remote.ID {
		t.Errorf("alice's feed starts with %v, want bob's post boosted by the peer", entryNamesOf(feed.Posts))
	}
	notices, err := inst.DB.Notifications(ctx, bobActor.ID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if !hasNotice(notices.Notifications, storage.NotifyBoost, remote.ID) {
		t.Errorf("bob was not told of the peer's boost")
	}
}

// entryNamesOf names a feed's entries for a failure message.
func entryNamesOf(posts []*storage.Post) []string {
	var out []string
	for _, p := range posts {
		name := p.Headline
		if p.Boost != nil {
			name += " (boosted by " + p.Boost.Booster.URI + ")"
		}
		out = append(out, name)
	}
	return out
}
