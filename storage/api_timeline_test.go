package storage

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// publishMany publishes n discussions by the member, a second apart,
// oldest first.
func publishMany(t *testing.T, db *DB, clock *testClock, m *Member, n int) []*Post {
	t.Helper()
	var posts []*Post
	for i := range n {
		clock.Advance(time.Second)
		p, err := db.Publish(context.Background(), PostCreate{AuthorID: m.ID, Kind: KindDiscussion,
			Headline: fmt.Sprintf("Post %d", i), Text: fmt.Sprintf("Text %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	return posts
}

func timelineIDs(tl *Timeline) []string { return ids(tl.Posts) }

func TestHomeTimelinePages(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	posts := publishMany(t, db, clock, alice, MaxPageLimit+30)
	n := len(posts)

	for _, tc := range []struct {
		name string
		page IDPage
		want []*Post
	}{
		{"newest", IDPage{Limit: 3}, []*Post{posts[n-1], posts[n-2], posts[n-3]}},
		{"before max_id", IDPage{MaxID: posts[10].ID, Limit: 2}, []*Post{posts[9], posts[8]}},
		{"since_id takes the newest", IDPage{SinceID: posts[5].ID, Limit: 2}, []*Post{posts[n-1], posts[n-2]}},
		{"since_id near the top", IDPage{SinceID: posts[n-2].ID, Limit: 5}, []*Post{posts[n-1]}},
		// min_id reads past a page of HomeFeed to reach the post.
		{"min_id takes the next", IDPage{MinID: posts[5].ID, Limit: 3}, []*Post{posts[8], posts[7], posts[6]}},
		{"min_id and max_id", IDPage{MinID: posts[5].ID, MaxID: posts[8].ID, Limit: 5}, []*Post{posts[7], posts[6]}},
		{"min_id at the top", IDPage{MinID: posts[n-1].ID}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := db.HomeTimeline(ctx, alice.ID, tc.page)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := timelineIDs(tl), ids(tc.want); !equalStrings(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if len(tc.want) > 0 && (tl.Newest != tc.want[0].ID || tl.Oldest != tc.want[len(tc.want)-1].ID) {
				t.Errorf("bounds %s..%s, want the page's ends", tl.Newest, tl.Oldest)
			}
		})
	}
}

func TestTimelinesLeaveOutMutedWordsButKeepBounds(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	posts := publishMany(t, db, clock, alice, 3)
	if err := db.MuteWord(ctx, bob.ID, "Text 2"); err != nil {
		t.Fatal(err)
	}
	tl, err := db.PublicTimeline(ctx, bob.ID, true, false, IDPage{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(timelineIDs(tl), ids([]*Post{posts[1]})) || tl.Newest != posts[2].ID || tl.Oldest != posts[1].ID {
		t.Errorf("page %v from %s to %s, want post 1 alone, bounded by posts 2 and 1", timelineIDs(tl), tl.Newest, tl.Oldest)
	}
	tl, err = db.PublicTimeline(ctx, Stranger, false, true, IDPage{})
	if err != nil || len(tl.Posts) != 0 {
		t.Errorf("remote timeline = %v (%v), want none of the local posts", tl, err)
	}
}

func TestActorPostsFilters(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	posts := publishMany(t, db, clock, alice, 1)
	clock.Advance(time.Second)
	tagged, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "Tagged",
		Text: "About #rivers"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	comment, err := db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: posts[0].ID, Text: "Me again"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		filter ActorPostFilter
		want   []*Post
	}{
		{"all", ActorPostFilter{}, []*Post{comment, tagged, posts[0]}},
		{"no replies", ActorPostFilter{ExcludeReplies: true}, []*Post{tagged, posts[0]}},
		{"tagged", ActorPostFilter{Tagged: "Rivers"}, []*Post{tagged}},
		{"media", ActorPostFilter{OnlyMedia: true}, nil},
	} {
		tl, err := db.ActorPosts(ctx, Stranger, alice.ID, tc.filter, IDPage{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := timelineIDs(tl), ids(tc.want); !equalStrings(got, want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
	}
}

func TestFactsOfPosts(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	posts := publishMany(t, db, clock, alice, 2)
	reply, err := db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: posts[0].ID, Text: "Yes #rivers"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.LikePost(ctx, bob.ID, posts[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.PinPost(ctx, alice.ID, posts[0].ID); err != nil {
		t.Fatal(err)
	}
	all := []*Post{posts[0], posts[1], reply}
	f, err := db.FactsOf(ctx, bob.ID, all)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Liked[posts[1].ID] || f.Liked[posts[0].ID] || f.Pinned[posts[0].ID] {
		t.Errorf("bob's facts: liked %v, pinned %v; want post 1 liked, nothing pinned", f.Liked, f.Pinned)
	}
	if f.ParentAuthors[reply.ID] != alice.ID || len(f.Tags[reply.ID]) != 1 || f.Tags[reply.ID][0] != "rivers" {
		t.Errorf("reply's parent author %q, tags %v; want alice, [rivers]", f.ParentAuthors[reply.ID], f.Tags[reply.ID])
	}
	if f, err = db.FactsOf(ctx, alice.ID, all); err != nil || !f.Pinned[posts[0].ID] || f.Liked[posts[1].ID] {
		t.Errorf("alice's facts: pinned %v, liked %v (%v); want post 0 pinned, nothing liked", f.Pinned, f.Liked, err)
	}
	likers, err := db.Reactors(ctx, Stranger, posts[1].ID, Like, IDPage{})
	if err != nil || len(likers) != 1 || likers[0].ID != bob.ID {
		t.Errorf("likers = %v (%v), want bob", likers, err)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	p := publishMany(t, db, clock, alice, 1)[0]
	if err := db.RememberIdempotencyKey(ctx, alice.ID, "k", p.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		member, key, want string
		after             time.Duration
	}{
		{alice.ID, "k", p.ID, 0},
		{bob.ID, "k", "", 0},
		{alice.ID, "other", "", 0},
		{alice.ID, "k", p.ID, 59 * time.Minute},
		{alice.ID, "k", "", 2 * time.Minute},
	} {
		clock.Advance(tc.after)
		got, err := db.IdempotentPost(ctx, tc.member, tc.key)
		if err != nil || got != tc.want {
			t.Errorf("key %q of %s after %v = %q (%v), want %q", tc.key, tc.member, tc.after, got, err, tc.want)
		}
	}
	_, err := db.IdempotentPost(ctx, alice.ID, "")
	wantCode(t, err, EInvalid)
}
