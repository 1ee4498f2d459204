package main

import (
	"context"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// memberOf returns the stored member of the instance.
func memberOf(t *testing.T, inst *instance, name string) *storage.Member {
	t.Helper()
	m, err := inst.DB.MemberByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// postsInFeed returns the headlines of a member's home feed.
func postsInFeed(t *testing.T, inst *instance, name string) map[string]*storage.Post {
	t.Helper()
	feed, err := inst.DB.HomeFeed(context.Background(), memberOf(t, inst, name).ID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	byHeadline := map[string]*storage.Post{}
	for _, p := range feed.Posts {
		byHeadline[p.Headline] = p
	}
	return byHeadline
}

func TestSubwikiAcrossThreeInstances(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	c := startInstance(t, federating)
	member(t, a, "alice")
	bob := member(t, b, "bob")
	carol := member(t, c, "carol")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate", Description: "Weather and climate news"},
		memberOf(t, a, "alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	handle := "@climate@" + a.Config.Server.Domain

	// Bob (on B) and Carol (on C) join the subwiki on A.
	followRemote(t, bob, handle)
	followRemote(t, carol, handle)
	waitFor(t, "two remote members of the subwiki on A", 10*time.Second, func() bool {
		n, _, _ := a.DB.FollowCounts(ctx, s.ID)
		return n == 3 // alice, who created it, bob and carol
	})
	groupOnB := remoteActor(t, b, handle)
	groupOnC := remoteActor(t, c, handle)
	if groupOnB.Kind != storage.KindGroup || groupOnB.DisplayName != "Climate" {
		t.Fatalf("the group as B knows it: %+v", groupOnB)
	}
	waitFor(t, "bob's membership accepted on B", 10*time.Second, func() bool {
		f, _ := b.DB.FollowBetween(ctx, memberOf(t, b, "bob").ID, groupOnB.ID)
		return f != nil && f.State == storage.FollowAccepted
	})
	waitFor(t, "carol's membership accepted on C", 10*time.Second, func() bool {
		f, _ := c.DB.FollowBetween(ctx, memberOf(t, c, "carol").ID, groupOnC.ID)
		return f != nil && f.State == storage.FollowAccepted
	})

	// Bob posts news into the subwiki from B. A keeps it in the subwiki and
	// announces it; C gets it from A's Announce, in Carol's feed.
	post, err := b.DB.Publish(ctx, storage.PostCreate{AuthorID: memberOf(t, b, "bob").ID, SubwikiID: groupOnB.ID,
		Kind: storage.KindNews, Headline: "Glacier retreat doubles", LinkURL: "https://news.example/glaciers",
		Text: "A **new** survey."})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the post in the subwiki on A", 10*time.Second, func() bool {
		feed, _ := a.DB.SubwikiFeed(ctx, storage.Stranger, s.ID, "", 10)
		return len(feed.Posts) == 1
	})
	onA, _ := a.DB.PostByURI(ctx, post.URI)
	if onA.Kind != storage.KindNews || onA.Headline != "Glacier retreat doubles" || onA.LinkURL != "https://news.example/glaciers" {
		t.Errorf("the post on A: %+v", onA)
	}
	waitFor(t, "the post in carol's feed on C", 10*time.Second, func() bool {
		p := postsInFeed(t, c, "carol")["Glacier retreat doubles"]
		return p != nil && p.SubwikiID == groupOnC.ID
	})

	// Carol comments from C: the comment reaches the subwiki on A and, passed
	// on by A, bob's server B, in the post's thread.
	carolsCopy, _ := c.DB.PostByURI(ctx, post.URI)
	if _, err := c.DB.Comment(ctx, storage.CommentCreate{AuthorID: memberOf(t, c, "carol").ID,
		ParentID: carolsCopy.ID, Text: "Alarming."}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "carol's comment in the thread on B", 10*time.Second, func() bool {
		thread, _ := b.DB.Thread(ctx, storage.Stranger, post.ID)
		return len(thread) == 1 && thread[0].Author.Username == "carol"
	})
	waitFor(t, "carol's comment in the thread on A", 10*time.Second, func() bool {
		thread, _ := a.DB.Thread(ctx, storage.Stranger, onA.ID)
		return len(thread) == 1
	})

	// Alice, on A, likes the post: bob's server counts it.
	if err := a.DB.LikePost(ctx, memberOf(t, a, "alice").ID, onA.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "alice's like counted on B", 10*time.Second, func() bool {
		p, _ := b.DB.PostByID(ctx, post.ID)
		return p.LikeCount == 1
	})

	// Bob deletes the post: it goes from A and, through A, from C.
	if err := b.DB.DeletePost(ctx, memberOf(t, b, "bob").ID, post.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the post deleted on A and C", 10*time.Second, func() bool {
		_, errA := a.DB.PostByURI(ctx, post.URI)
		_, errC := c.DB.PostByURI(ctx, post.URI)
		return storage.ErrorCode(errA) == storage.ENotFound && storage.ErrorCode(errC) == storage.ENotFound
	})
}
