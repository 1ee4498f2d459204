package storage

import (
	"context"
	"fmt"
	"testing"
)

// publishNews publishes a news post by the member.
func publishNews(t *testing.T, db *DB, authorID, headline string) *Post {
	t.Helper()
	p, err := db.Publish(context.Background(), PostCreate{AuthorID: authorID, Kind: KindNews,
		Headline: headline, LinkURL: "https://example.org/" + headline})
	if err != nil {
		t.Fatalf("publish %q: %v", headline, err)
	}
	return p
}

// countKinds counts the pending outbox events of each kind.
func countKinds(t *testing.T, db *DB) map[string]int {
	t.Helper()
	kinds := map[string]int{}
	for _, kind := range outboxKinds(t, db) {
		kinds[kind]++
	}
	return kinds
}

func TestPinAndUnpin(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	first := publishNews(t, db, alice.ID, "first")
	second := publishNews(t, db, alice.ID, "second")

	if err := db.PinPost(ctx, alice.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.PinPost(ctx, alice.ID, second.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.PinPost(ctx, alice.ID, second.ID); err != nil { // again: nothing changes
		t.Fatalf("pinning a pinned post: %v", err)
	}
	if got, want := countKinds(t, db)[EventPinPost], 2; got != want {
		t.Errorf("pin events = %d, want %d", got, want)
	}
	pinned, err := db.PinnedPosts(ctx, Stranger, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pinned) != 2 || pinned[0].ID != second.ID || pinned[1].ID != first.ID {
		t.Fatalf("pinned = %v, want the last pinned first", postIDs(pinned))
	}
	if pinned[0].Author == nil || pinned[0].Author.Username != "alice" {
		t.Errorf("pinned posts come without their author")
	}
	if ok, err := db.IsPinned(ctx, alice.ID, first.ID); err != nil || !ok {
		t.Errorf("IsPinned = %v, %v; want true", ok, err)
	}

	if err := db.UnpinPost(ctx, alice.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.UnpinPost(ctx, alice.ID, first.ID); err != nil {
		t.Fatalf("unpinning a post not pinned: %v", err)
	}
	if got, want := countKinds(t, db)[EventUnpinPost], 1; got != want {
		t.Errorf("unpin events = %d, want %d", got, want)
	}
	if ok, _ := db.IsPinned(ctx, alice.ID, first.ID); ok {
		t.Errorf("still pinned after unpinning")
	}
}

func TestPinRules(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	bobs := publishNews(t, db, bob.ID, "bobs")
	err := db.PinPost(ctx, alice.ID, bobs.ID)
	wantCode(t, err, EForbidden)
	wantCode(t, db.PinPost(ctx, alice.ID, "no-such-post"), ENotFound)

	private := publishNews(t, db, alice.ID, "private")
	if _, err := db.writer.ExecContext(ctx, `UPDATE posts SET visibility = ? WHERE id = ?`, Followers, private.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.PinPost(ctx, alice.ID, private.ID), EInvalid)

	for i := range MaxPins {
		if err := db.PinPost(ctx, alice.ID, publishNews(t, db, alice.ID, fmt.Sprint("n", i)).ID); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, db.PinPost(ctx, alice.ID, publishNews(t, db, alice.ID, "one-too-many").ID), EConflict)
	if got := countKinds(t, db)[EventPinPost]; got != MaxPins {
		t.Errorf("pin events = %d, want %d: a refused pin sent something", got, MaxPins)
	}
}

func TestDeletingAPostUnpinsIt(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	p := publishNews(t, db, alice.ID, "gone")
	if err := db.PinPost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeletePost(ctx, alice.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	pinned, err := db.PinnedPosts(ctx, alice.ID, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pinned) != 0 {
		t.Errorf("pinned after delete = %v, want none", postIDs(pinned))
	}
	// The freed place counts again.
	for i := range MaxPins {
		if err := db.PinPost(ctx, alice.ID, publishNews(t, db, alice.ID, fmt.Sprint("n", i)).ID); err != nil {
			t.Fatalf("pin %d after a pinned post was deleted: %v", i, err)
		}
	}
}

func postIDs(posts []*Post) []string {
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	return ids
}
