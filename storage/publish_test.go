package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestPublishNewsAndDiscussion(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	s := mustCreateSubwiki(t, db, "climate", alice, false)
	bobActor, _ := db.ActorByID(ctx, bob.ID)

	p, err := db.Publish(ctx, PostCreate{
		AuthorID: alice.ID, SubwikiID: s.ID, Kind: KindNews,
		Headline: "  River  levels\\n rise ", LinkURL: "https://news.example/river",
		Text:     "Worth reading, @bob. **Bold** <script>x</script>",
		Mentions: []Mention{{Handle: "bob", URI: bobActor.URI, URL: bobActor.URL}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Headline != `River levels\n rise` || p.Kind != KindNews || p.Revision != 1 || p.SubwikiID != s.ID {
		t.Errorf("post = %+v", p)
	}
	if !strings.Contains(p.Content, "<strong>Bold</strong>") || strings.Contains(p.Content, "<script") ||
		!strings.Contains(p.Content, `href="`+bobActor.URL+`"`) {
		t.Errorf("content = %s", p.Content)
	}
	notes, _ := noticeList(db.Notifications(ctx, bob.ID, "", 10))
	if len(notes) != 1 || notes[0].Kind != NotifyMention || notes[0].Post.ID != p.ID || notes[0].Actor.ID != alice.ID {
		t.Errorf("bob's notifications = %+v", notes)
	}
	if n, _ := db.UnreadNotifications(ctx, bob.ID); n != 0 {
		t.Errorf("unread after reading = %d", n)
	}
	// The group announces the Create, and the bare post for Mastodon.
	events, _ := db.PendingOutbox(ctx, 100)
	last := events[len(events)-3:]
	if last[0].Kind != EventCreatePost || last[1].Kind != EventGroupAnnounce || last[1].Payload.InnerEventID != last[0].ID ||
		last[2].Kind != EventGroupAnnounce || last[2].Payload.ObjectURI != p.URI || last[1].ActorID != s.ID {
		t.Errorf("outbox = %+v %+v %+v", last[0], last[1], last[2])
	}

	for name, bad := range map[string]PostCreate{
		"no headline":         {AuthorID: alice.ID, Kind: KindNews, LinkURL: "https://x.example"},
		"long headline":       {AuthorID: alice.ID, Kind: KindNews, Headline: strings.Repeat("h", 201), LinkURL: "https://x.example"},
		"news without link":   {AuthorID: alice.ID, Kind: KindNews, Headline: "h"},
		"bad link":            {AuthorID: alice.ID, Kind: KindNews, Headline: "h", LinkURL: "javascript:alert(1)"},
		"discussion, no text": {AuthorID: alice.ID, Kind: KindDiscussion, Headline: "h"},
		"unknown kind":        {AuthorID: alice.ID, Kind: "poll", Headline: "h", Text: "t"},
		"subwiki that is not": {AuthorID: alice.ID, Kind: KindDiscussion, Headline: "h", Text: "t", SubwikiID: bob.ID},
	} {
		if _, err := db.Publish(ctx, bad); err == nil {
			t.Errorf("%s: published", name)
		}
	}
	revs, err := db.HeadlineHistory(ctx, p.ID)
	if err != nil || len(revs) != 1 || revs[0].Headline != p.Headline || revs[0].Number != 1 || revs[0].Editor.ID != alice.ID {
		t.Errorf("history = %+v, %v", revs, err)
	}
}

func TestCommentsAndThread(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	post, _ := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "Question", Text: "Why?"})
	clock.Advance(time.Second)
	c1, err := db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "Because."})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	c2, err := db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: c1.ID, Text: "Thanks!"})
	if err != nil {
		t.Fatal(err)
	}
	if c2.RootID != post.ID || c2.ParentID != c1.ID || c2.InReplyTo != c1.URI || c2.Kind != KindComment {
		t.Errorf("reply = %+v", c2)
	}
	thread, _ := db.Thread(ctx, Stranger, post.ID)
	if len(thread) != 2 || thread[0].ID != c1.ID || thread[1].ID != c2.ID || thread[0].Author.Username != "bob" {
		t.Errorf("thread = %v", thread)
	}
	got, _ := db.PostByID(ctx, post.ID)
	if got.CommentCount != 2 {
		t.Errorf("comment count = %d", got.CommentCount)
	}
	for _, who := range []*Member{alice, bob} {
		notes, _ := noticeList(db.Notifications(ctx, who.ID, "", 10))
		if len(notes) != 1 || notes[0].Kind != NotifyReply {
			t.Errorf("%s's notifications = %+v", who.Username, notes)
		}
	}
	// Comments stay out of feeds.
	feed, _ := db.HomeFeed(ctx, alice.ID, "", 10)
	if len(feed.Posts) != 1 || feed.Posts[0].ID != post.ID {
		t.Errorf("feed = %v", feed.Posts)
	}
	if err := db.DeletePost(ctx, bob.ID, c1.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PostByID(ctx, post.ID); got.CommentCount != 1 {
		t.Errorf("comment count after delete = %d", got.CommentCount)
	}
	_, err = db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "  "})
	wantCode(t, err, EInvalid)
	_, err = db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: "none", Text: "x"})
	wantCode(t, err, ENotFound)
}

func TestLikes(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	post, _ := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "H", Text: "T"})
	for i := 0; i < 2; i++ {
		if err := db.LikePost(ctx, bob.ID, post.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := db.PostByID(ctx, post.ID); got.LikeCount != 1 {
		t.Errorf("likes = %d", got.LikeCount)
	}
	liked, _ := db.LikedBy(ctx, bob.ID, []string{post.ID, "other"})
	if !liked[post.ID] || liked["other"] {
		t.Errorf("liked = %v", liked)
	}
	if err := db.UnlikePost(ctx, bob.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PostByID(ctx, post.ID); got.LikeCount != 0 {
		t.Errorf("likes after unlike = %d", got.LikeCount)
	}
	kinds := outboxKinds(t, db)
	if kinds[len(kinds)-2] != EventLike || kinds[len(kinds)-1] != EventUndoLike {
		t.Errorf("outbox = %v", kinds)
	}
}

func TestHomeFeedIncludesJoinedSubwikis(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	carol := mustCreateMember(t, db, "carol")
	s := mustCreateSubwiki(t, db, "science", carol, false)
	other := mustCreateSubwiki(t, db, "sports", carol, false)
	if _, err := db.Follow(ctx, alice.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	var want []string
	publish := func(author *Member, subwiki string, keep bool) {
		clock.Advance(time.Second)
		p, err := db.Publish(ctx, PostCreate{AuthorID: author.ID, SubwikiID: subwiki, Kind: KindDiscussion, Headline: "H", Text: "T"})
		if err != nil {
			t.Fatal(err)
		}
		if keep {
			want = append([]string{p.ID}, want...)
		}
	}
	publish(bob, s.ID, true)      // in a joined subwiki, by someone alice does not follow
	publish(bob, other.ID, false) // elsewhere
	publish(alice, "", true)      // her own
	publish(carol, other.ID, false)
	feed, _ := db.HomeFeed(ctx, alice.ID, "", 10)
	var got []string
	for _, p := range feed.Posts {
		got = append(got, p.ID)
		if p.SubwikiID == s.ID && (p.Subwiki == nil || p.Subwiki.Username != "science") {
			t.Errorf("subwiki not filled: %+v", p.Subwiki)
		}
	}
	if !equalStrings(got, want) {
		t.Errorf("feed = %v, want %v", got, want)
	}
	sf, _ := db.SubwikiFeed(ctx, Stranger, other.ID, "", 10)
	if len(sf.Posts) != 2 {
		t.Errorf("subwiki feed has %d posts", len(sf.Posts))
	}
}
