package storage

import (
	"context"
	"testing"
	"time"
)

func TestAccountCardsCountWhatEveryoneSees(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "ada", Email: "ada@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	alice, mallory := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "mallory")
	carol := saveRemote(t, db, "carol", "remote.example")
	climate, err := db.CreateSubwiki(ctx, SubwikiCreate{Name: "climate", Title: "Climate"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, SubwikiID: climate.ID, Kind: KindDiscussion, Headline: "One", Text: "1"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(24 * time.Hour)
	if _, err := db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: first.ID, Text: "and more"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePost(ctx, mallory.ID, "Spam"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SuspendMember(ctx, admin.ID, "mallory", "spam"); err != nil {
		t.Fatal(err)
	}
	for i, visibility := range []string{Public, Followers, Direct} {
		if _, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://remote.example/notes/" + visibility, AuthorID: carol.ID,
			Content: "<p>hi</p>", Visibility: visibility, Published: clock.Now().Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Follow(ctx, alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	cards, err := db.AccountCards(ctx, []string{alice.ID, mallory.ID, carol.ID, climate.ID, "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		who                 string
		id                  string
		statuses, followers int
		following           int
		last                time.Time
	}{
		{"alice: a post and a comment", alice.ID, 2, 0, 1, clock.Now()},
		{"suspended mallory", mallory.ID, 0, 0, 0, time.Time{}},
		{"carol: only her public post", carol.ID, 1, 0, 0, clock.Now()},
		{"climate: its post, not the comment", climate.ID, 1, 1, 0, clock.Now().Add(-24 * time.Hour)},
	}
	for _, tt := range tests {
		c := cards[tt.id]
		if c == nil {
			t.Errorf("%s: no card", tt.who)
			continue
		}
		if c.Statuses != tt.statuses || c.Followers != tt.followers || c.Following != tt.following || !c.LastStatus.Equal(tt.last) {
			t.Errorf("%s: statuses %d, followers %d, following %d, last %v; want %d, %d, %d, %v", tt.who,
				c.Statuses, c.Followers, c.Following, c.LastStatus, tt.statuses, tt.followers, tt.following, tt.last)
		}
	}
	if _, ok := cards["nobody"]; ok || len(cards) != 4 {
		t.Errorf("cards = %v, want the four accounts", cards)
	}
}
