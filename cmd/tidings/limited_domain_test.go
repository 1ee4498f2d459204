package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestLimitedDomainAcrossInstances: A limits B. Bob's follows of A's
// member and subwiki wait for approval; his post into A's subwiki is
// kept there but reaches Alice, a member of it, only once she follows
// him; strangers on the subwiki's page do not see it.
func TestLimitedDomainAcrossInstances(t *testing.T) {
	ctx := context.Background()
	b := startInstance(t, federating)
	a := startInstance(t, func(c *Config) {
		federating(c)
		c.Federation.LimitedDomains = []string{b.Config.Server.Domain}
	})
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate", Description: "Climate news"},
		memberOf(t, a, "alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	handle := "@climate@" + a.Config.Server.Domain

	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	followRemote(t, bob, handle)
	var bobOnA *storage.Actor
	waitFor(t, "bob's follows on A", 10*time.Second, func() bool {
		bobOnA, err = a.DB.ActorByURI(ctx, actorOf(t, b, "bob").URI)
		if err != nil {
			return false
		}
		f1, _ := a.DB.FollowBetween(ctx, bobOnA.ID, memberOf(t, a, "alice").ID)
		f2, _ := a.DB.FollowBetween(ctx, bobOnA.ID, s.ID)
		return f1 != nil && f2 != nil
	})
	for _, target := range []string{memberOf(t, a, "alice").ID, s.ID} {
		if f, _ := a.DB.FollowBetween(ctx, bobOnA.ID, target); f.State != storage.FollowPending {
			t.Errorf("bob's follow of %s on A is %s, want pending", target, f.State)
		}
	}
	if err := a.DB.DecideJoin(ctx, memberOf(t, a, "alice").ID, s.ID, bobOnA.ID, true); err != nil {
		t.Fatal(err)
	}
	groupOnB := remoteActor(t, b, handle)
	waitFor(t, "bob's membership accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(ctx, memberOf(t, b, "bob").ID, groupOnB.ID)
		return f != nil && f.State == storage.FollowAccepted
	})

	post, err := b.DB.Publish(ctx, storage.PostCreate{AuthorID: memberOf(t, b, "bob").ID, SubwikiID: groupOnB.ID,
		Kind: storage.KindDiscussion, Headline: "Loud news from B", Text: "Read all about it."})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob's post on A", 10*time.Second, func() bool {
		_, err := a.DB.PostByURI(ctx, post.URI)
		return err == nil
	})
	if _, ok := postsInFeed(t, a, "alice")["Loud news from B"]; ok {
		t.Error("the limited account's post is in alice's home feed through the subwiki")
	}
	if page := newVisitor(t, a).get("/s/climate"); page.Status != http.StatusOK || strings.Contains(page.Body, "Loud news from B") {
		t.Error("a stranger sees the limited account's post on the subwiki's page")
	}

	followRemote(t, alice, "@bob@"+b.Config.Server.Domain)
	waitFor(t, "alice's follow of bob accepted", 10*time.Second, func() bool {
		f, _ := a.DB.FollowBetween(ctx, memberOf(t, a, "alice").ID, bobOnA.ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	if _, ok := postsInFeed(t, a, "alice")["Loud news from B"]; !ok {
		t.Error("the limited account's post is not in the feed of alice, who follows him")
	}
}
