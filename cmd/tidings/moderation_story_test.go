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

// TestModerationStoryAcrossInstances is the story, from the web
// on both instances: bob, a member of B, flags a post in s/town on A and
// forwards the flag; alice, town's moderator on A, finds it in town's
// queue and removes the post with a reason; the removal reaches B, where
// the post is gone and bob's flag reads actioned; town's public log on A
// shows the removal; alice bans bob, and his later post into town is
// refused.
func TestModerationStoryAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	dora := member(t, a, "dora")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "town", Title: "Town"}, memberOf(t, a, "alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	town := "@town@" + a.Config.Server.Domain
	followRemote(t, bob, town)
	groupOnB := remoteActor(t, b, town)
	waitFor(t, "bob's membership of s/town", 15*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(ctx, memberOf(t, b, "bob").ID, groupOnB.ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	post := publish(t, dora, url.Values{"kind": {"news"}, "headline": {"Miracle cure found in tap water"},
		"link": {"https://news.example/cure"}, "subwiki": {s.ID}})
	onA, err := a.DB.PostByID(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	var onB *storage.Post
	waitFor(t, "dora's post on B", 15*time.Second, func() bool {
		onB, err = b.DB.PostByURI(ctx, onA.URI)
		return err == nil
	})

	// bob flags it from its page on B.
	bob.get("/posts/" + onB.ID)
	wantStatus(t, bob.post("/posts/"+onB.ID+"/flag", url.Values{"category": {"false_news"},
		"comment": {"No study says so."}, "forward": {"1"}}), http.StatusSeeOther)
	wantBody(t, bob.get("/flags"), "Miracle cure found in tap water", "open")

	// alice finds it in town's queue and removes the post.
	waitFor(t, "bob's flag in town's queue on A", 15*time.Second, func() bool {
		return containsBody(alice.get("/s/town/flags"), "No study says so.")
	})
	alice.get("/posts/" + onA.ID)
	wantStatus(t, alice.post("/posts/"+onA.ID+"/remove", url.Values{"reason": {"False news: no such study"}}),
		http.StatusSeeOther)
	wantBody(t, newVisitor(t, a).get("/s/town/log"), "Miracle cure found in tap water", "False news: no such study")

	// On B the post is gone and bob's flag was acted on.
	waitFor(t, "the removal on B", 15*time.Second, func() bool {
		_, err := b.DB.PostByURI(ctx, onA.URI)
		return storage.ErrorCode(err) == storage.ENotFound
	})
	wantBody(t, bob.get("/flags"), "actioned")

	// alice bans bob; his next post into town is refused on B.
	alice.get("/s/town/bans")
	wantStatus(t, alice.post("/s/town/bans", url.Values{"account": {"@bob@" + b.Config.Server.Domain},
		"reason": {"Spreads false news"}}), http.StatusSeeOther)
	waitFor(t, "the ban on B", 15*time.Second, func() bool {
		ban, _ := b.DB.CurrentBan(ctx, memberOf(t, b, "bob").ID, groupOnB.ID)
		return ban != nil
	})
	bob.get("/")
	refused := bob.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"They silence the truth"},
		"text": {"Share this."}, "subwiki": {groupOnB.ID}})
	if refused.Status != http.StatusForbidden {
		t.Errorf("bob's post into town after the ban: status %d, want 403", refused.Status)
	}
	wantBody(t, refused, "Spreads false news")
	wantBody(t, newVisitor(t, a).get("/s/town/log"), "Spreads false news")
}

// containsBody reports whether the page's body holds the text.
func containsBody(p page, text string) bool {
	return len(p.Body) > 0 && strings.Contains(p.Body, text)
}
