package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestFlagAcrossInstances: bob, on B, flags a post of A's subwiki and
// asks to forward it: B sends it in Lemmy's shape, from bob to the
// subwiki, and it lands in that subwiki's queue on A with his reason.
// He flags alice's account too: B sends Mastodon's shape, from B's
// instance actor, and it lands in A's instance queue.
func TestFlagAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	member(t, a, "alice")
	bob := member(t, b, "bob")
	alice := memberOf(t, a, "alice")
	admin := createAdmin(t, a, "ada")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "town", Title: "Town"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	followRemote(t, bob, "@town@"+a.Config.Server.Domain)
	waitFor(t, "bob following s/town on A", 15*time.Second, func() bool {
		n, _, _ := a.DB.FollowCounts(ctx, s.ID)
		return n == 2 // alice, who created it, and bob
	})
	groupOnB := remoteActor(t, b, "@town@"+a.Config.Server.Domain)
	waitFor(t, "bob's membership accepted on B", 15*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(ctx, memberOf(t, b, "bob").ID, groupOnB.ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	post, err := a.DB.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, SubwikiID: s.ID, Kind: storage.KindNews,
		Headline: "Bridge closed for good", LinkURL: "https://news.example/bridge"})
	if err != nil {
		t.Fatal(err)
	}
	var onB *storage.Post
	waitFor(t, "the post on B", 15*time.Second, func() bool {
		onB, err = b.DB.PostByURI(ctx, post.URI)
		return err == nil
	})

	page := bob.get("/posts/" + onB.ID)
	wantBody(t, page, `action="/posts/`+onB.ID+`/flag"`, `name="forward" value="1" checked`)
	p := bob.post("/posts/"+onB.ID+"/flag", url.Values{"category": {"misleading_headline"},
		"comment": {"Only closed for a week."}, "forward": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)

	waitFor(t, "the flag in s/town's queue on A", 15*time.Second, func() bool {
		q, err := a.DB.FlagQueue(ctx, alice.ID, s.ID)
		return err == nil && len(q) == 1
	})
	q, _ := a.DB.FlagQueue(ctx, alice.ID, s.ID)
	f := q[0].Flags[0]
	if q[0].TargetURI != post.URI || f.Comment != "Misleading headline: Only closed for a week." || !f.Remote ||
		f.Reporter == nil || f.Reporter.URI != actorOf(t, b, "bob").URI {
		t.Errorf("on A the flag is %+v about %s, want bob's reason about the post", f, q[0].TargetURI)
	}
	wantBody(t, member(t, a, "max").get("/flags"), "You have not flagged anything.")

	// The account, from its profile on B.
	aliceOnB := remoteActor(t, b, "@alice@"+a.Config.Server.Domain)
	p = bob.post("/flag/account", url.Values{"actor": {aliceOnB.ID}, "category": {"spam"}, "forward": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	waitFor(t, "the account's flag in A's instance queue", 15*time.Second, func() bool {
		q, err := a.DB.FlagQueue(ctx, memberOf(t, a, "ada").ID, "")
		return err == nil && len(q) == 1
	})
	wantBody(t, admin.get("/admin/flags"), "@alice@"+a.Config.Server.Domain, "Other: 1", "<blockquote>Spam</blockquote>",
		"(from another server)")
}
