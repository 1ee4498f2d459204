package storage

import (
	"context"
	"slices"
	"testing"
)

// The news feeds of a subwiki and of an author hold public posts only:
// unlisted, followers-only and direct posts of carl in s/town are left
// out, as are comments; a suspended author's posts go with him.
func TestNewsFeedsListPublicPostsOnly(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	db := w.db
	sub, err := db.PublicSubwikiFeed(ctx, w.town.ID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(sub.Posts), []string{w.tops[Public].ID, w.root.ID}; !slices.Equal(got, want) {
		t.Errorf("s/town's news feed = %v, want %v (carl's public post, mia's)", got, want)
	}
	carls, err := db.PublicPostsBy(ctx, w.carl.ID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(carls.Posts), []string{w.tops[Public].ID}; !slices.Equal(got, want) {
		t.Errorf("carl's news feed = %v, want %v", got, want)
	}
	// Each page is whole: the cursor goes on where the last one ended.
	first, err := db.PublicSubwikiFeed(ctx, w.town.ID, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	rest, err := db.PublicSubwikiFeed(ctx, w.town.ID, first.Next, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := append(ids(first.Posts), ids(rest.Posts)...); !slices.Equal(got, ids(sub.Posts)) {
		t.Errorf("paged s/town's news feed = %v, want %v", got, ids(sub.Posts))
	}

	mia := w.members["mia"]
	if _, err := db.SuspendMember(ctx, w.members["ruth"].ID, "mia", "Spam"); err != nil {
		t.Fatal(err)
	}
	if page, err := db.PublicPostsBy(ctx, mia.ID, "", 50); err != nil || len(page.Posts) != 0 {
		t.Errorf("suspended mia's news feed: %v, %v; want empty", ids(page.Posts), err)
	}
	if page, err := db.PublicSubwikiFeed(ctx, w.town.ID, "", 50); err != nil || slices.Contains(ids(page.Posts), w.root.ID) {
		t.Errorf("s/town's news feed with mia suspended: %v, %v; want without her post", ids(page.Posts), err)
	}
}

// CurrentRevisions gives the revision of each corrected post as it was
// read, with its editor, and nothing for a post never corrected.
func TestCurrentRevisions(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	db := w.db
	db.Corrections.MinAccountAge = 0
	finn := w.members["finn"]
	if _, err := db.ReviseHeadline(ctx, HeadlineEdit{PostID: w.root.ID, EditorID: finn.ID, BaseRevision: 1,
		Headline: "Town hall meets tomorrow", Reason: "Moved."}); err != nil {
		t.Fatal(err)
	}
	corrected, err := db.PostByID(ctx, w.root.ID)
	if err != nil {
		t.Fatal(err)
	}
	revs, err := db.CurrentRevisions(ctx, []*Post{corrected, w.tops[Public]})
	if err != nil {
		t.Fatal(err)
	}
	r := revs[w.root.ID]
	if len(revs) != 1 || r == nil {
		t.Fatalf("current revisions = %v, want the corrected post's only", revs)
	}
	if r.Number != 2 || r.Headline != "Town hall meets tomorrow" || r.Editor == nil || r.Editor.ID != finn.ID ||
		!r.CreatedAt.Equal(db.Now()) {
		t.Errorf("current revision = %+v, want number 2 by finn now", r)
	}
	// A correction after the post was read does not change what it was.
	if _, err := db.ReviseHeadline(ctx, HeadlineEdit{PostID: w.root.ID, EditorID: w.members["ada"].ID, BaseRevision: 2,
		Headline: "Town hall meets on Friday", Reason: "Moved again."}); err != nil {
		t.Fatal(err)
	}
	if revs, err := db.CurrentRevisions(ctx, []*Post{corrected}); err != nil || revs[w.root.ID] == nil ||
		revs[w.root.ID].Headline != "Town hall meets tomorrow" {
		t.Errorf("revisions of the post as read before its second correction = %v, %v; want the first", revs, err)
	}
}
