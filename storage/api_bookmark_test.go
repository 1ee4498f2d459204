package storage

import (
	"context"
	"testing"
	"time"
)

// bookmarkCount counts the rows of bookmarks, whoever's.
func bookmarkCount(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.reader.QueryRowContext(context.Background(), `SELECT count(*) FROM bookmarks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBookmarksPageNewestBookmarkFirst(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	posts := publishMany(t, db, clock, alice, 4)
	// Bookmarked in an order unlike the posts' own: 2, 0, 3, 1.
	for _, i := range []int{2, 0, 3, 1} {
		clock.Advance(time.Second)
		if err := db.Bookmark(ctx, bob.ID, posts[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	// Bookmarking again changes nothing, not even the place in the list.
	if err := db.Bookmark(ctx, bob.ID, posts[2].ID); err != nil {
		t.Fatal(err)
	}
	all, err := db.BookmarksPage(ctx, bob.ID, IDPage{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := timelineIDs(all), ids([]*Post{posts[1], posts[3], posts[0], posts[2]}); !equalStrings(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}

	first, err := db.BookmarksPage(ctx, bob.ID, IDPage{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := timelineIDs(first), ids([]*Post{posts[1], posts[3]}); !equalStrings(got, want) {
		t.Errorf("first page %v, want %v", got, want)
	}
	next, err := db.BookmarksPage(ctx, bob.ID, IDPage{MaxID: first.Oldest, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := timelineIDs(next), ids([]*Post{posts[0], posts[2]}); !equalStrings(got, want) {
		t.Errorf("next page %v, want %v", got, want)
	}
	back, err := db.BookmarksPage(ctx, bob.ID, IDPage{MinID: next.Newest, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := timelineIDs(back), ids([]*Post{posts[3]}); !equalStrings(got, want) {
		t.Errorf("page right after %s: %v, want %v", next.Newest, got, want)
	}
	if mine, err := db.BookmarksPage(ctx, alice.ID, IDPage{}); err != nil || len(mine.Posts) != 0 {
		t.Errorf("alice's bookmarks = %v (%v), want none: bob's are his", timelineIDs(mine), err)
	}

	if err := db.Unbookmark(ctx, bob.ID, posts[3].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Unbookmark(ctx, bob.ID, posts[3].ID); err != nil {
		t.Errorf("unbookmarking again: %v, want nothing changed", err)
	}
	wantCode(t, db.Bookmark(ctx, bob.ID, "01NOPE"), ENotFound)
	facts, err := db.FactsOf(ctx, bob.ID, posts)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, true, false} {
		if facts.Bookmarked[posts[i].ID] != want {
			t.Errorf("post %d bookmarked %v, want %v", i, !want, want)
		}
	}
}

func TestBookmarksGoWithPostAndMember(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	posts := publishMany(t, db, clock, alice, 2)
	for _, m := range []*Member{alice, bob} {
		for _, p := range posts {
			if err := db.Bookmark(ctx, m.ID, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.DeletePost(ctx, alice.ID, posts[0].ID); err != nil {
		t.Fatal(err)
	}
	if got, want := bookmarkCount(t, db), 2; got != want {
		t.Errorf("after the post's deletion %d bookmarks, want %d", got, want)
	}
	if _, err := db.RequestAccountDeletion(ctx, bob.ID, "correct horse", 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	clock.Advance(7*24*time.Hour + time.Minute)
	if d, err := db.DeleteDueAccount(ctx); err != nil || d == nil {
		t.Fatalf("deleting bob: %v, %v", d, err)
	}
	if got, want := bookmarkCount(t, db), 1; got != want {
		t.Errorf("after bob's deletion %d bookmarks, want %d (alice's)", got, want)
	}
}

// TestExportBookmarksAndApps: a member's archive lists their bookmarks,
// oldest first, and the apps holding live access, without another
// member's and without a revoked app.
func TestExportBookmarksAndApps(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	posts := publishMany(t, db, clock, bob, 3)
	for _, i := range []int{2, 0} {
		clock.Advance(time.Second)
		if err := db.Bookmark(ctx, alice.ID, posts[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Bookmark(ctx, bob.ID, posts[1].ID); err != nil {
		t.Fatal(err)
	}
	got, next, err := db.ExportBookmarks(ctx, alice.ID, "")
	if err != nil || next != "" {
		t.Fatalf("ExportBookmarks = %v, %q, %v", got, next, err)
	}
	if len(got) != 2 || got[0].PostURI != posts[2].URI || got[1].PostURI != posts[0].URI ||
		got[0].PostURL != posts[2].URL || got[0].Headline != posts[2].Headline || !got[0].BookmarkedAt.Before(got[1].BookmarkedAt) {
		t.Errorf("alice's bookmarks = %+v, want posts 2 then 0", got)
	}

	app := func(name, member, scopes string) *OAuthApp {
		a, err := db.CreateOAuthApp(ctx, OAuthAppCreate{Name: name, Website: "https://app.example",
			RedirectURIs: []string{OutOfBandRedirect}, Scopes: "read write"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.IssueMemberToken(ctx, a.ID, member, scopes); err != nil {
			t.Fatal(err)
		}
		return a
	}
	app("Reader", alice.ID, "read")
	revoked := app("Old client", alice.ID, "read write")
	app("Bob's", bob.ID, "read")
	if err := db.RevokeAuthorizedApp(ctx, alice.ID, revoked.ID); err != nil {
		t.Fatal(err)
	}
	apps, err := db.ExportApps(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 || apps[0].Name != "Reader" || apps[0].Website != "https://app.example" ||
		len(apps[0].Scopes) != 1 || apps[0].Scopes[0] != "read" || apps[0].AuthorizedAt.IsZero() {
		t.Errorf("alice's apps = %+v, want Reader alone", apps)
	}
}
