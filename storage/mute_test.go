package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// discuss publishes a discussion by the member, in the subwiki if given.
func discuss(t *testing.T, db *DB, author *Member, subwikiID, headline string, mentions ...*Actor) *Post {
	t.Helper()
	c := PostCreate{AuthorID: author.ID, SubwikiID: subwikiID, Kind: KindDiscussion, Headline: headline, Text: "Text of " + headline}
	for _, m := range mentions {
		c.Mentions = append(c.Mentions, Mention{Handle: m.Username, URI: m.URI, URL: m.URL})
	}
	p, err := db.Publish(context.Background(), c)
	if err != nil {
		t.Fatalf("publish %q: %v", headline, err)
	}
	return p
}

// headlines lists the headlines of a page.
func headlines(page *FeedPage) []string {
	var list []string
	for _, p := range page.Posts {
		list = append(list, p.Headline)
	}
	return list
}

func TestMutesLeaveFeeds(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice, bob, carl := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob"), mustCreateMember(t, db, "carl")
	town := mustCreateSubwiki(t, db, "town", carl, false)
	mustFollow := func(follower, followee string) {
		if _, err := db.Follow(ctx, follower, followee); err != nil {
			t.Fatal(err)
		}
	}
	mustFollow(alice.ID, bob.ID)
	mustFollow(alice.ID, town.ID)
	discuss(t, db, bob, "", "Bob at home")
	discuss(t, db, carl, town.ID, "Carl in town")
	discuss(t, db, bob, town.ID, "Bob in town")

	feeds := func() (home, townFeed []string) {
		h, err := db.HomeFeed(ctx, alice.ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.SubwikiFeed(ctx, alice.ID, town.ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		return headlines(h), headlines(s)
	}
	for _, step := range []struct {
		name           string
		act            func() error
		home, townFeed []string
	}{
		{"nothing muted", func() error { return nil },
			[]string{"Bob in town", "Carl in town", "Bob at home"}, []string{"Bob in town", "Carl in town"}},
		{"bob muted", func() error { return db.Mute(ctx, alice.ID, bob.ID) },
			[]string{"Carl in town"}, []string{"Carl in town"}},
		{"town muted too", func() error { return db.Mute(ctx, alice.ID, town.ID) },
			nil, []string{"Carl in town"}},
		{"bob unmuted", func() error { return db.Unmute(ctx, alice.ID, bob.ID) },
			[]string{"Bob in town", "Bob at home"}, []string{"Bob in town", "Carl in town"}},
	} {
		if err := step.act(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		home, townFeed := feeds()
		if !slices.Equal(home, step.home) {
			t.Errorf("%s: home = %q, want %q", step.name, home, step.home)
		}
		if !slices.Equal(townFeed, step.townFeed) {
			t.Errorf("%s: town = %q, want %q", step.name, townFeed, step.townFeed)
		}
	}
	// Bob's feed is his own: alice's mutes do not touch it.
	if h, _ := db.HomeFeed(ctx, bob.ID, "", 20); len(h.Posts) != 2 {
		t.Errorf("bob's home = %q", headlines(h))
	}
	wantCode(t, db.Mute(ctx, alice.ID, alice.ID), EInvalid)
}

func TestMutedAccountsDoNotNotify(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	aliceActor, _ := db.ActorByID(ctx, alice.ID)
	discuss(t, db, bob, "", "Before the mute", aliceActor)
	if err := db.Mute(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	discuss(t, db, bob, "", "After the mute", aliceActor)
	if n, _ := db.UnreadNotifications(ctx, alice.ID); n != 0 {
		t.Errorf("unread from a muted account = %d, want 0", n)
	}
	if list, _ := noticeList(db.Notifications(ctx, alice.ID, "", 10)); len(list) != 0 {
		t.Errorf("notifications from a muted account: %d", len(list))
	}
	if err := db.Unmute(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	// The notice from before the mute shows again; none was made during it.
	if list, _ := noticeList(db.Notifications(ctx, alice.ID, "", 10)); len(list) != 1 || list[0].Post.Headline != "Before the mute" {
		t.Errorf("notifications after unmuting = %d", len(list))
	}
}

func TestMutedWords(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	if _, err := db.Follow(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		discuss(t, db, bob, "", fmt.Sprintf("Football scores %d", i))
	}
	discuss(t, db, bob, "", "Footballers strike")
	discuss(t, db, bob, "", "Rain tomorrow")
	for _, w := range []string{"  FOOTBALL ", "football"} {
		if err := db.MuteWord(ctx, alice.ID, w); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, db.MuteWord(ctx, alice.ID, "  "), EInvalid)
	wantCode(t, db.MuteWord(ctx, alice.ID, "!!"), EInvalid)
	if list, _ := db.Mutes(ctx, alice.ID); !slices.Equal(list.Words, []string{"football"}) {
		t.Errorf("words = %q", list.Words)
	}
	// Pages of two fill past the muted posts and end where the feed ends.
	var got []string
	before := ""
	for range 5 {
		page, err := db.HomeFeed(ctx, alice.ID, before, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, headlines(page)...)
		if before = page.Next; before == "" {
			break
		}
	}
	if want := []string{"Rain tomorrow", "Footballers strike"}; !slices.Equal(got, want) {
		t.Errorf("home with football muted = %q, want %q", got, want)
	}
	if err := db.UnmuteWord(ctx, alice.ID, "Football"); err != nil {
		t.Fatal(err)
	}
	if page, _ := db.HomeFeed(ctx, alice.ID, "", 20); len(page.Posts) != 9 {
		t.Errorf("home after unmuting = %d posts, want 9", len(page.Posts))
	}
}

// TestMutedWordPattern: whole words, any case, phrases across spaces.
func TestMutedWordPattern(t *testing.T) {
	for _, c := range []struct {
		words []string
		text  string
		want  bool
	}{
		{[]string{"war"}, "War ends", true},
		{[]string{"war"}, "Software update", false},
		{[]string{"war"}, "after the war.", true},
		{[]string{"c++"}, "Learning C++ today", true},
		{[]string{"new york"}, "New\n York rally", true},
		{[]string{"new york"}, "New Yorker", false},
		{[]string{"élan"}, "Son ÉLAN vital", true},
		{[]string{"rain", "snow"}, "Snow day", true},
	} {
		if got := mutedWordsPattern(c.words).MatchString(c.text); got != c.want {
			t.Errorf("%q in %q: got %v, want %v", c.words, c.text, got, c.want)
		}
	}
}
