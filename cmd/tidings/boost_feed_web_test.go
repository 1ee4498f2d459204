package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
	"github.com/tidings-social/tidings/web"
)

// TestHomeFeedOlderLinkAcrossABoost: carol follows bob, who posted,
// then boosted alice's older post, then posted a page's worth less one.
// Her first page ends with the boost, under its "boosted" line; its
// Older link names the boost's entry, and leads to bob's first post
// alone, not again to what the first page listed.
func TestHomeFeedOlderLinkAcrossABoost(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, nil)
	carol := member(t, inst, "carol")
	for _, name := range []string{"alice", "bob"} {
		if _, err := inst.DB.CreateMember(ctx, storage.MemberCreate{Username: name, Email: name + "@example.org",
			Password: "a long password"}); err != nil {
			t.Fatal(err)
		}
	}
	alice, bob, carolID := actorOf(t, inst, "alice"), actorOf(t, inst, "bob"), actorOf(t, inst, "carol").ID
	if _, err := inst.DB.Follow(ctx, carolID, bob.ID); err != nil {
		t.Fatal(err)
	}
	publish := func(author *storage.Actor, headline string) *storage.Post {
		p, err := inst.DB.Publish(ctx, storage.PostCreate{AuthorID: author.ID, Kind: storage.KindDiscussion,
			Headline: headline, Text: "Text."})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := publish(alice, "Alice's older news")
	publish(bob, "Bob's first post")
	if err := inst.DB.BoostPost(ctx, bob.ID, old.ID); err != nil {
		t.Fatal(err)
	}
	for i := range web.FeedPageSize - 1 {
		publish(bob, fmt.Sprintf("Bob's post number %d.", i))
	}

	first := carol.get("/")
	wantStatus(t, first, http.StatusOK)
	wantBody(t, first, `<a href="/@bob">bob</a> boosted`, "Alice&#39;s older news", "Bob&#39;s post number 0.")
	if strings.Contains(first.Body, "Bob&#39;s first post") {
		t.Error("the first page has more than a page of entries")
	}
	if strings.Index(first.Body, "Bob&#39;s post number 0.") > strings.Index(first.Body, "Alice&#39;s older news") {
		t.Error("the boost is not the oldest entry on the first page")
	}
	feed, err := inst.DB.HomeFeed(ctx, carolID, "", web.FeedPageSize)
	if err != nil {
		t.Fatal(err)
	}
	last := feed.Posts[len(feed.Posts)-1]
	if last.Boost == nil {
		t.Fatalf("the last entry of the first page is %q, not the boost", last.Headline)
	}
	_, after, ok := strings.Cut(first.Body, `<a href="/?before=`)
	if !ok {
		t.Fatalf("no Older link on the first page:\n%s", first.Body)
	}
	cursor, _, _ := strings.Cut(after, `"`)
	if got, want := cursor, last.Boost.ID; got != want {
		t.Errorf("the Older link's cursor = %q, want the boost's entry id %q", got, want)
	}

	older := carol.get("/?before=" + cursor)
	wantStatus(t, older, http.StatusOK)
	wantBody(t, older, "Bob&#39;s first post")
	for _, was := range []string{"boosted", "Alice&#39;s older news", "Bob&#39;s post number", `href="/?before=`} {
		if strings.Contains(older.Body, was) {
			t.Errorf("the older page has %q", was)
		}
	}
}
