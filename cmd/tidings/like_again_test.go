package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestLikeAgainAfterUnlike: bob on B likes alice's post on A, takes the
// like back and likes it again; A counts the second like, which it would
// refuse as undone if it had the id of the first.
func TestLikeAgainAfterUnlike(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	aliceID := actorOf(t, a, "alice").ID
	waitFor(t, "bob's follow on A", 10*time.Second, func() bool {
		n, _ := a.DB.UnreadNotifications(ctx, aliceID)
		return n == 1
	})

	alice.get("/")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Bridge reopens"},
		"text": {"After two years."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, a, "alice")
	onB := arrivedOn(t, b, "alice's post on B", post.URI)
	likes := func(want int) func() bool {
		return func() bool {
			p, err := a.DB.PostByID(ctx, post.ID)
			return err == nil && p.LikeCount == want
		}
	}
	bob.get("/posts/" + onB.ID)
	wantStatus(t, bob.post("/posts/"+onB.ID+"/like", nil), http.StatusSeeOther)
	waitFor(t, "the like on A", 10*time.Second, likes(1))
	wantStatus(t, bob.post("/posts/"+onB.ID+"/unlike", nil), http.StatusSeeOther)
	waitFor(t, "the Undo on A", 10*time.Second, likes(0))
	wantStatus(t, bob.post("/posts/"+onB.ID+"/like", nil), http.StatusSeeOther)
	waitFor(t, "the second like on A", 10*time.Second, likes(1))
}
