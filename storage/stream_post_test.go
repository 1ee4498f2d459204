package storage

import (
	"context"
	"slices"
	"testing"
)

// A post is streamed on a timeline to a viewer exactly when the
// timeline lists it for them: StreamedPost asks the timelines' own rules
// of one post. Checked for every post, viewer and timeline of the
// visibility world, with a muted account and a muted word.
func TestStreamedPostAgreesWithTimelines(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	db := w.db
	if err := db.Mute(ctx, w.members["max"].ID, w.carl.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MuteWord(ctx, w.members["mia"].ID, "agenda"); err != nil {
		t.Fatal(err)
	}
	tagged, err := db.Publish(ctx, PostCreate{AuthorID: w.members["finn"].ID, Kind: KindDiscussion,
		Headline: "Floods", Text: "The #rivers rise"})
	if err != nil {
		t.Fatal(err)
	}
	posts := []*Post{w.root, tagged}
	for _, v := range allVisibilities {
		posts = append(posts, w.tops[v], w.comments[v])
	}
	timelines := []struct {
		stream Stream
		list   func(viewerID string) (*Timeline, error)
	}{
		{Stream{Kind: StreamHome}, func(v string) (*Timeline, error) { return db.HomeTimeline(ctx, v, IDPage{Limit: 200}) }},
		{Stream{Kind: StreamPublic}, func(v string) (*Timeline, error) {
			return db.PublicTimeline(ctx, v, false, false, IDPage{Limit: 200})
		}},
		{Stream{Kind: StreamPublic, Local: true}, func(v string) (*Timeline, error) {
			return db.PublicTimeline(ctx, v, true, false, IDPage{Limit: 200})
		}},
		{Stream{Kind: StreamPublic, Remote: true}, func(v string) (*Timeline, error) {
			return db.PublicTimeline(ctx, v, false, true, IDPage{Limit: 200})
		}},
		{Stream{Kind: StreamTag, Tag: "Rivers"}, func(v string) (*Timeline, error) {
			return db.TagTimeline(ctx, v, "Rivers", IDPage{Limit: 200})
		}},
		{Stream{Kind: StreamSubwiki, SubwikiID: w.town.ID}, func(v string) (*Timeline, error) {
			return db.SubwikiTimeline(ctx, v, w.town.ID, IDPage{Limit: 200})
		}},
	}
	for viewer, viewerID := range w.viewers {
		if viewer == "stranger" || viewer == "author" {
			continue // streams are members' own
		}
		for _, tl := range timelines {
			listed, err := tl.list(viewerID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range posts {
				want := slices.Contains(ids(listed.Posts), p.ID)
				got, err := db.StreamedPost(ctx, viewerID, p.ID, tl.stream)
				if err != nil && ErrorCode(err) != ENotFound {
					t.Fatal(err)
				}
				if (got != nil) != want || (got != nil && got.ID != p.ID) {
					t.Errorf("%s streamed %q (%s %s) on %+v: %v, want %v", viewer, p.Headline, p.Visibility, p.Kind, tl.stream, got != nil, want)
				}
			}
		}
	}
}

// Every committed change is told once its transaction commits, in
// order; a write that fails tells nothing.
func TestOnChangeTellsCommittedChanges(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	var got []Change
	db.OnChange(func(c Change) { got = append(got, c) })
	mia, finn := mustCreateMember(t, db, "mia"), mustCreateMember(t, db, "finn")
	p, err := db.Publish(ctx, PostCreate{AuthorID: mia.ID, Kind: KindDiscussion, Headline: "Floods", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.EditPost(ctx, PostEdit{MemberID: finn.ID, PostID: p.ID, Text: "not mine"}); ErrorCode(err) != EForbidden {
		t.Fatalf("edit by another: %v, want forbidden", err)
	}
	if _, err := db.EditPost(ctx, PostEdit{MemberID: mia.ID, PostID: p.ID, Text: "y"}); err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, finn.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeletePost(ctx, mia.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, len(got))
	for i, c := range got {
		kinds[i] = c.Kind
		if c.Kind != ChangeNotified && c.PostID != p.ID {
			t.Errorf("change %d names post %q, want %s", i, c.PostID, p.ID)
		}
	}
	want := []string{ChangePostCreated, ChangePostUpdated, ChangeNotified, ChangePostDeleted}
	if !slices.Equal(kinds, want) {
		t.Fatalf("changes = %v, want %v", kinds, want)
	}
	if n := got[2]; n.MemberID != mia.ID || n.NotificationID == "" {
		t.Errorf("notice change = %+v, want one of mia's notices", n)
	}
	if d := got[3]; !d.Listed || d.Audience != nil {
		t.Errorf("deletion of a public post = %+v, want listed with no audience", d)
	}
}

// The deletion of a post not for everyone names those who could see it.
func TestDeletedPostAudience(t *testing.T) {
	ctx := context.Background()
	w := newVisibilityWorld(t)
	var got []Change
	w.db.OnChange(func(c Change) { got = append(got, c) })
	if err := w.db.DeleteRemotePost(ctx, w.carl.ID, w.tops[Followers].URI, ""); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != ChangePostDeleted || got[0].Listed {
		t.Fatalf("changes = %+v, want one deletion of an unlisted post", got)
	}
	audience := slices.Sorted(slices.Values(got[0].Audience))
	want := slices.Sorted(slices.Values([]string{w.members["finn"].ID, w.members["ada"].ID}))
	if !slices.Equal(audience, want) {
		t.Errorf("audience = %v, want the follower and the addressee %v", audience, want)
	}
}
