package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestABoostTravels: bob on B boosts alice's post from A, and dave on A
// follows bob. On A the post counts the boost, alice is told of it, and
// dave's home feed lists the post as boosted by bob; when bob takes the
// boost back, all three are undone.
func TestABoostTravels(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	dave := member(t, a, "dave")
	bob := member(t, b, "bob")
	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	bobOnA, daveID := followAcross(t, dave, a, "dave", b, "bob")

	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Bridge reopens"},
		"text": {"After two years."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, a, "alice")
	onB := arrivedOn(t, b, "alice's post on B", post.URI)
	if err := b.DB.BoostPost(ctx, actorOf(t, b, "bob").ID, onB.ID); err != nil {
		t.Fatal(err)
	}

	boosts := func(want int) func() bool {
		return func() bool {
			p, err := a.DB.PostByID(ctx, post.ID)
			return err == nil && p.AnnounceCount == want
		}
	}
	waitFor(t, "the boost on A", 10*time.Second, boosts(1))
	feed, err := a.DB.HomeFeed(ctx, daveID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Posts) == 0 || feed.Posts[0].ID != post.ID || feed.Posts[0].Boost == nil ||
		feed.Posts[0].Boost.Booster.ID != bobOnA.ID {
		t.Fatalf("dave's feed starts with %+v, want alice's post boosted by bob", feed.Posts)
	}
	aliceID := actorOf(t, a, "alice").ID
	notices, err := a.DB.Notifications(ctx, aliceID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if !hasNotice(notices.Notifications, storage.NotifyBoost, bobOnA.ID) {
		t.Errorf("alice was not told of bob's boost: %+v", notices.Notifications)
	}

	if err := b.DB.UnboostPost(ctx, actorOf(t, b, "bob").ID, onB.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the Undo on A", 10*time.Second, boosts(0))
	if feed, _ := a.DB.HomeFeed(ctx, daveID, "", 20); len(feed.Posts) > 0 && feed.Posts[0].Boost != nil {
		t.Error("dave's feed still lists the undone boost")
	}
}

// followAcross has the visitor, follower on from, follow name on to,
// and waits until the follow is accepted; it returns the followed
// account as from has it, and the follower's id.
func followAcross(t *testing.T, v *visitor, from *instance, follower string, to *instance, name string) (*storage.Actor, string) {
	t.Helper()
	ctx := context.Background()
	followRemote(t, v, "@"+name+"@"+to.Config.Server.Domain)
	followed, err := from.DB.ActorByURI(ctx, actorOf(t, to, name).URI)
	if err != nil {
		t.Fatal(err)
	}
	followerID := actorOf(t, from, follower).ID
	waitFor(t, follower+"'s follow of "+name+" accepted", 10*time.Second, func() bool {
		rels, err := from.DB.Relationships(ctx, followerID, []string{followed.ID})
		return err == nil && rels[followed.ID].Following
	})
	return followed, followerID
}

// hasNotice reports whether one of the notices is of the kind, by the actor.
func hasNotice(list []*storage.Notification, kind, actorID string) bool {
	for _, n := range list {
		if n.Kind == kind && n.Actor != nil && n.Actor.ID == actorID {
			return true
		}
	}
	return false
}

// TestABoostBringsThePostAlong: dave on A follows bob on B, who boosts
// a post of carol on C, whom nobody on A follows. A fetches the post
// from C, and dave's home feed lists it as boosted by bob.
func TestABoostBringsThePostAlong(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	c := startInstance(t, federating)
	dave := member(t, a, "dave")
	bob := member(t, b, "bob")
	carol := member(t, c, "carol")
	followRemote(t, bob, "@carol@"+c.Config.Server.Domain)
	bobOnA, daveID := followAcross(t, dave, a, "dave", b, "bob")

	carol.get("/")
	wantStatus(t, carol.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Ferry timetable changes"},
		"text": {"From Monday."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, c, "carol")
	onB := arrivedOn(t, b, "carol's post on B", post.URI)
	if _, err := a.DB.PostByURI(ctx, post.URI); err == nil {
		t.Fatal("A has carol's post before anyone boosted it")
	}
	if err := b.DB.BoostPost(ctx, actorOf(t, b, "bob").ID, onB.ID); err != nil {
		t.Fatal(err)
	}
	onA := arrivedOn(t, a, "carol's post on A, through bob's boost", post.URI)
	waitFor(t, "dave's feed to list the boost", 10*time.Second, func() bool {
		feed, err := a.DB.HomeFeed(ctx, daveID, "", 20)
		return err == nil && len(feed.Posts) > 0 && feed.Posts[0].ID == onA.ID && feed.Posts[0].Boost != nil &&
			feed.Posts[0].Boost.Booster.ID == bobOnA.ID
	})
}
