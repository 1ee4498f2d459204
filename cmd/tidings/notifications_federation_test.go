package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestRemoteDoingsNotify: bob, on another instance, follows alice, likes
// her post and corrects its headline; A tells alice of each, naming bob
// by his full handle, and takes the like's notice back when bob unlikes
// before she looked.
func TestRemoteDoingsNotify(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	a.DB.Corrections = storage.CorrectionPolicy{Who: storage.EditableAnyone, MaxPerHour: 10}
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	bobHandle := "@bob@" + b.Config.Server.Domain

	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	aliceID := actorOf(t, a, "alice").ID
	waitFor(t, "alice told of bob's follow", 10*time.Second, func() bool {
		n, _ := a.DB.UnreadNotifications(ctx, aliceID)
		return n == 1
	})

	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Dam opens its gates"},
		"text": {"Water levels will rise."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, a, "alice")
	onB := arrivedOn(t, b, "alice's post on B", post.URI)
	bob.get("/posts/" + onB.ID)
	wantStatus(t, bob.post("/posts/"+onB.ID+"/like", nil), http.StatusSeeOther)
	bob.get("/posts/" + onB.ID + "/headline")
	wantStatus(t, bob.post("/posts/"+onB.ID+"/headline", url.Values{"base_revision": {"1"},
		"headline": {"Dam opens two of its gates"}, "reason": {"Only two of six."}}), http.StatusSeeOther)
	waitFor(t, "alice told of bob's like and correction", 10*time.Second, func() bool {
		n, _ := a.DB.UnreadNotifications(ctx, aliceID)
		return n == 3
	})
	notes := alice.get("/notifications")
	wantBody(t, notes, "<strong>"+bobHandle+"</strong></a>", "followed you", "liked your post",
		"corrected the headline of your post to", "“Dam opens two of its gates”</a> (revision 2): Only two of six.")
	if strings.Count(notes.Body, "<strong>"+bobHandle+"</strong>") != 3 {
		t.Errorf("bob is not named in each of the three notices:\n%s", notes.Body)
	}

	// Bob likes another post and takes it back before alice looks: the
	// notice goes with the like.
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Roads flooded"},
		"text": {"Stay home."}, "action": {"publish"}}), http.StatusSeeOther)
	second := latestPost(t, a, "alice")
	onB = arrivedOn(t, b, "the second post on B", second.URI)
	bob.get("/posts/" + onB.ID)
	wantStatus(t, bob.post("/posts/"+onB.ID+"/like", nil), http.StatusSeeOther)
	waitFor(t, "alice told of the like", 10*time.Second, func() bool {
		n, _ := a.DB.UnreadNotifications(ctx, aliceID)
		return n == 1
	})
	wantStatus(t, bob.post("/posts/"+onB.ID+"/unlike", nil), http.StatusSeeOther)
	waitFor(t, "the Undo of the like on A", 10*time.Second, func() bool {
		p, _ := a.DB.PostByID(ctx, second.ID)
		return p.LikeCount == 0
	})
	if n, _ := a.DB.UnreadNotifications(ctx, aliceID); n != 0 {
		t.Errorf("unread after the like was undone = %d, want 0", n)
	}
}
