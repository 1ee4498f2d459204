package storage

import (
	"context"
	"slices"
	"testing"
)

// The public feed holds the members' posts only: not comments, not
// remote posts.
func TestPublicFeed(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	db := w.db
	mia := w.members["mia"]
	own, err := db.Publish(ctx, PostCreate{AuthorID: mia.ID, Kind: KindDiscussion, Headline: "On my profile", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{w.root.ID, own.ID} // not carl's, not comments
	page, err := db.PublicFeed(ctx, Stranger, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range page.Posts {
		got = append(got, p.ID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("public feed = %v, want %v", got, want)
	}
}
