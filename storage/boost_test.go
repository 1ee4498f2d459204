package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBoostCountsOnceTellsTheAuthorAndIsSent(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	post, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "H", Text: "T"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := db.BoostPost(ctx, bob.ID, post.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := db.PostByID(ctx, post.ID); got.AnnounceCount != 1 {
		t.Errorf("boosts = %d, want 1", got.AnnounceCount)
	}
	boosted, err := db.BoostedBy(ctx, bob.ID, []string{post.ID})
	if err != nil || !boosted[post.ID] {
		t.Errorf("boosted = %v, %v", boosted, err)
	}
	if liked, _ := db.LikedBy(ctx, bob.ID, []string{post.ID}); liked[post.ID] {
		t.Error("a boost counts as a like")
	}
	kinds := outboxKinds(t, db)
	if kinds[len(kinds)-1] != EventBoost {
		t.Errorf("outbox = %v, want a boost last", kinds)
	}
	events, _ := db.PendingOutbox(ctx, 100)
	boost := events[len(events)-1]
	if boost.ActorID != bob.ID || boost.Payload.ObjectURI != post.URI || boost.Payload.TargetActorID != alice.ID ||
		!strings.HasPrefix(boost.Payload.ActivityURI, db.Site.ActorURI(bob.Username)+"#boosts/") {
		t.Errorf("boost event = %+v", boost)
	}
	list, err := noticeList(db.Notifications(ctx, alice.ID, "", 10))
	if err != nil || len(list) != 1 || list[0].Kind != NotifyBoost || list[0].Actor.ID != bob.ID {
		t.Fatalf("alice's notices = %v, %v; want one boost by bob", list, err)
	}

	if err := db.UnboostPost(ctx, bob.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PostByID(ctx, post.ID); got.AnnounceCount != 0 {
		t.Errorf("boosts after unboost = %d", got.AnnounceCount)
	}
	events, _ = db.PendingOutbox(ctx, 100)
	undo := events[len(events)-1]
	if undo.Kind != EventUndoBoost || undo.Payload.ActivityURI != boost.Payload.ActivityURI {
		t.Errorf("undo event = %+v, want the undo of %s", undo, boost.Payload.ActivityURI)
	}
	if err := db.UnboostPost(ctx, bob.ID, post.ID); err != nil {
		t.Errorf("unboosting twice: %v", err)
	}
	if n := len(outboxKinds(t, db)); n != len(events) {
		t.Errorf("unboosting what is not boosted sent something: %d events, want %d", n, len(events))
	}
}

func TestOnlyPostsForEveryoneMayBeBoosted(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	bob := mustCreateMember(t, db, "bob")
	carl := saveRemote(t, db, "carl", "carl.example")
	if _, err := db.Follow(ctx, bob.ID, carl.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.ReceiveAccept(ctx, carl.ID, "", bob.ID); err != nil {
		t.Fatal(err)
	}
	private, err := db.SaveRemotePost(ctx, RemotePost{URI: "https://carl.example/posts/1", AuthorID: carl.ID,
		Kind: KindDiscussion, Headline: "For followers", Content: "<p>T</p>", Visibility: Followers,
		Recipients: []string{"https://carl.example/users/carl/followers"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.VisiblePost(ctx, bob.ID, private.ID); err != nil {
		t.Fatalf("bob cannot see the post he is to try boosting: %v", err)
	}
	before := len(outboxKinds(t, db))
	if err := db.BoostPost(ctx, bob.ID, private.ID); ErrorCode(err) != EForbidden {
		t.Errorf("boosting a followers-only post: %v, want EForbidden", err)
	}
	if got, _ := db.PostByID(ctx, private.ID); got.AnnounceCount != 0 {
		t.Errorf("boosts = %d after a refusal", got.AnnounceCount)
	}
	if n := len(outboxKinds(t, db)); n != before {
		t.Errorf("a refused boost was sent")
	}
	dana := mustCreateMember(t, db, "dana")
	if err := db.BoostPost(ctx, dana.ID, private.ID); ErrorCode(err) != ENotFound {
		t.Errorf("boosting a post one may not see: %v, want ENotFound", err)
	}
}

func TestHomeFeedListsBoostsAsEntriesOfTheirOwn(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob, carol := bobsFollower(t, db)
	old, _ := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "Old news", Text: "T"})
	clock.Advance(time.Minute)
	own, _ := db.Publish(ctx, PostCreate{AuthorID: bob.ID, Kind: KindDiscussion, Headline: "Bob's", Text: "T"})
	clock.Advance(time.Minute)
	if err := db.BoostPost(ctx, bob.ID, old.ID); err != nil {
		t.Fatal(err)
	}

	feed, err := db.HomeFeed(ctx, carol.ID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Posts) != 2 || feed.Posts[0].ID != old.ID || feed.Posts[1].ID != own.ID {
		t.Fatalf("carol's feed = %v, want the boost of alice's post, then bob's post", entryNames(feed.Posts))
	}
	entry := feed.Posts[0]
	if entry.Boost == nil || entry.Boost.Booster.ID != bob.ID || entry.EntryID() == old.ID || entry.EntryID() <= own.ID {
		t.Fatalf("boost entry = %+v, want bob's, with an id newer than bob's post", entry.Boost)
	}
	if feed.Posts[1].Boost != nil {
		t.Error("bob's own post is listed as a boost")
	}

	// A page of one entry at a time pages by the entries' ids.
	first, _ := db.HomeFeed(ctx, carol.ID, "", 1)
	if len(first.Posts) != 1 || first.Posts[0].Boost == nil || first.Next != entry.EntryID() {
		t.Fatalf("first page = %v next %q, want the boost, next %q", entryNames(first.Posts), first.Next, entry.EntryID())
	}
	second, _ := db.HomeFeed(ctx, carol.ID, first.Next, 1)
	if len(second.Posts) != 1 || second.Posts[0].ID != own.ID {
		t.Fatalf("second page = %v, want bob's post", entryNames(second.Posts))
	}

	// Alice's own feed holds her post once, by its newest entry.
	if _, err := db.Follow(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	mine, _ := db.HomeFeed(ctx, alice.ID, "", 20)
	if n := countPost(mine.Posts, old.ID); n != 1 || mine.Posts[0].Boost == nil {
		t.Errorf("alice's feed lists her boosted post %d times, first %+v", n, mine.Posts[0].Boost)
	}

	// Muting the booster takes their boosts away; so does unboosting.
	if err := db.Mute(ctx, carol.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if muted, _ := db.HomeFeed(ctx, carol.ID, "", 20); countPost(muted.Posts, old.ID) != 0 {
		t.Error("a muted account's boost is in the feed")
	}
	if err := db.UnboostPost(ctx, bob.ID, old.ID); err != nil {
		t.Fatal(err)
	}
	if unboosted, _ := db.HomeFeed(ctx, alice.ID, "", 20); unboosted.Posts[0].Boost != nil {
		t.Error("an undone boost is still in the feed")
	}
}

func TestBoostsOfPostsOneMayNotSeeAreNotInTheFeed(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice, bob, carol := bobsFollower(t, db)
	post, _ := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "H", Text: "T"})
	if err := db.BoostPost(ctx, bob.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Block(ctx, alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	feed, err := db.HomeFeed(ctx, carol.ID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	if countPost(feed.Posts, post.ID) != 0 {
		t.Error("carol sees, through bob's boost, a post of alice, who blocked her")
	}
}

// bobsFollower makes alice, bob and carol, who follows bob.
func bobsFollower(t *testing.T, db *DB) (alice, bob, carol *Member) {
	t.Helper()
	alice, bob, carol = mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob"), mustCreateMember(t, db, "carol")
	if _, err := db.Follow(context.Background(), carol.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	return alice, bob, carol
}

// countPost counts the entries of a post.
func countPost(posts []*Post, id string) int {
	n := 0
	for _, p := range posts {
		if p.ID == id {
			n++
		}
	}
	return n
}

// entryNames names the entries of a feed: a headline, or a boost of one.
func entryNames(posts []*Post) []string {
	var out []string
	for _, p := range posts {
		h := p.Headline
		if p.Boost != nil {
			h = "boost of " + h
		}
		out = append(out, h)
	}
	return out
}

func TestAnAccountsStatusesListItsBoosts(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	first, _ := db.Publish(ctx, PostCreate{AuthorID: bob.ID, Kind: KindDiscussion, Headline: "First", Text: "T"})
	clock.Advance(time.Minute)
	news, _ := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "News", Text: "T"})
	clock.Advance(time.Minute)
	if err := db.BoostPost(ctx, bob.ID, news.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	last, _ := db.Publish(ctx, PostCreate{AuthorID: bob.ID, Kind: KindDiscussion, Headline: "Last", Text: "T"})

	all, err := db.ActorPosts(ctx, Stranger, bob.ID, ActorPostFilter{}, IDPage{})
	if err != nil {
		t.Fatal(err)
	}
	if got := entryNames(all.Posts); len(got) != 3 || got[0] != "Last" || got[1] != "boost of News" || got[2] != "First" {
		t.Fatalf("bob's statuses = %v, want Last, the boost of News, First", got)
	}
	boost := all.Posts[1].EntryID()
	if all.Newest != last.ID || all.Oldest != first.ID {
		t.Errorf("bounds = %s..%s, want %s..%s", all.Newest, all.Oldest, last.ID, first.ID)
	}
	older, _ := db.ActorPosts(ctx, Stranger, bob.ID, ActorPostFilter{}, IDPage{MaxID: last.ID, Limit: 1})
	if got := entryNames(older.Posts); len(got) != 1 || got[0] != "boost of News" || older.Oldest != boost {
		t.Errorf("one before Last = %v (oldest %s), want the boost", got, older.Oldest)
	}
	after, _ := db.ActorPosts(ctx, Stranger, bob.ID, ActorPostFilter{}, IDPage{MinID: first.ID, Limit: 1})
	if got := entryNames(after.Posts); len(got) != 1 || got[0] != "boost of News" {
		t.Errorf("one after First = %v, want the boost", got)
	}
	without, _ := db.ActorPosts(ctx, Stranger, bob.ID, ActorPostFilter{ExcludeReblogs: true}, IDPage{})
	if got := entryNames(without.Posts); len(got) != 2 {
		t.Errorf("without reblogs = %v, want bob's two posts", got)
	}

	entry, err := db.BoostEntry(ctx, Stranger, boost)
	if err != nil || entry.ID != news.ID || entry.Boost.Booster.ID != bob.ID {
		t.Fatalf("BoostEntry = %+v, %v", entry, err)
	}
	if mine, err := db.MemberBoostEntry(ctx, bob.ID, news.ID); err != nil || mine.EntryID() != boost {
		t.Errorf("MemberBoostEntry = %v, %v", mine, err)
	}
	if _, err := db.BoostEntry(ctx, Stranger, news.ID); ErrorCode(err) != ENotFound {
		t.Errorf("a post's id as a boost's: %v, want ENotFound", err)
	}
}

// TestBothHomeBoostPlansAgree: the two ways the home feed finds boosts
// (withHomeBoosts) find the same ones, for spans of every width.
func TestBothHomeBoostPlansAgree(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	carol := mustCreateMember(t, db, "carol")
	var members []*Member
	for _, name := range []string{"ana", "ben", "cy", "di", "ed"} {
		m := mustCreateMember(t, db, name)
		members = append(members, m)
	}
	for _, m := range members[:3] { // carol follows ana, ben and cy, and mutes cy
		if _, err := db.Follow(ctx, carol.ID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Mute(ctx, carol.ID, members[2].ID); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 12 {
		p, err := db.Publish(ctx, PostCreate{AuthorID: members[i%5].ID, Kind: KindDiscussion, Headline: fmt.Sprint("Post ", i), Text: "T"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
		clock.Advance(time.Minute)
		for j, booster := range append(members, carol) {
			if (i+j)%3 == 0 {
				if err := db.BoostPost(ctx, booster.ID, p.ID); err != nil {
					t.Fatal(err)
				}
				clock.Advance(time.Second)
			}
		}
	}
	found := func(cond string, span IDPage) []string {
		var out []string
		err := db.read(ctx, func(tx *Tx) error {
			entries, _, err := tx.boostEntries(ctx, carol.ID, cond, span, carol.ID, carol.ID, carol.ID)
			for _, e := range entries {
				out = append(out, e.EntryID())
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	checked := 0
	for i := range ids {
		for j := i; j < len(ids); j++ {
			span := IDPage{SinceID: ids[i], MaxID: ids[j], Limit: 50}
			bySource, walked := found(homeBoostersCond, span), found(homeBoostersWalked, span)
			if !slices.Equal(bySource, walked) {
				t.Fatalf("span %d..%d: by source %v, walked %v", i, j, bySource, walked)
			}
			checked += len(walked)
		}
	}
	if checked == 0 {
		t.Fatal("no span held a boost: the test checks nothing")
	}
}

// TestABoostIsHiddenWhereItsBoosterIsInABlock: a boost is its booster's,
// hidden as their posts are from whom they block and who blocks them,
// wherever it is listed: alone, on their profile, in a home feed.
func TestABoostIsHiddenWhereItsBoosterIsInABlock(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	blocked := mustCreateMember(t, db, "carol")
	blocking := mustCreateMember(t, db, "dan")
	post, _ := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "H", Text: "T"})
	if err := db.BoostPost(ctx, bob.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	entry, err := db.MemberBoostEntry(ctx, bob.ID, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Block(ctx, bob.ID, blocked.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Block(ctx, blocking.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	for _, viewer := range []*Member{blocked, blocking} {
		if _, err := db.BoostEntry(ctx, viewer.ID, entry.EntryID()); ErrorCode(err) != ENotFound {
			t.Errorf("%s: BoostEntry = %v, want ENotFound", viewer.Username, err)
		}
		profile, err := db.ProfileFeed(ctx, viewer.ID, bob.ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		if got := entryNames(profile.Posts); len(got) != 0 {
			t.Errorf("%s: bob's profile lists %v, want nothing", viewer.Username, got)
		}
	}
	if _, err := db.BoostEntry(ctx, alice.ID, entry.EntryID()); err != nil {
		t.Errorf("alice, in no block: BoostEntry = %v", err)
	}
}
