package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestPendingMediaIsTakenOnceOrPruned(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice, bob := mustCreateMember(t, db, "alice"), mustCreateMember(t, db, "bob")
	name := func(n int) string { return fmt.Sprintf("%032x.jpg", n) }
	image := func(n int) Attachment {
		return Attachment{URL: db.Site.UploadURL(name(n)), MediaType: "image/jpeg", Width: 4, Height: 3, Alt: "Pier"}
	}
	kept, err := db.SavePendingMedia(ctx, alice.ID, image(1))
	if err != nil {
		t.Fatal(err)
	}
	left, err := db.SavePendingMedia(ctx, alice.ID, image(2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePendingMedia(ctx, alice.ID, Attachment{URL: "https://elsewhere.example/x.jpg", MediaType: "image/jpeg"}); ErrorCode(err) != EInvalid {
		t.Errorf("media from elsewhere: %v, want EInvalid", err)
	}
	if unused, _ := db.UnusedUploads(ctx, []string{name(1), name(2)}); len(unused) != 0 {
		t.Errorf("unused while waiting = %v, want none", unused)
	}
	if _, err := db.Publish(ctx, PostCreate{AuthorID: bob.ID, Kind: KindDiscussion, Headline: "h", Text: "t",
		MediaIDs: []string{kept.ID}}); ErrorCode(err) != EInvalid {
		t.Errorf("bob takes alice's media: %v, want EInvalid", err)
	}
	p, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "h", Text: "t",
		MediaIDs: []string{kept.ID}})
	if err != nil {
		t.Fatal(err)
	}
	post, err := db.PostByID(ctx, p.ID)
	if err != nil || len(post.Attachments) != 1 || post.Attachments[0].Alt != "Pier" || post.Attachments[0].URL != image(1).URL {
		t.Fatalf("the post's images = %+v (%v), want the media", post.Attachments, err)
	}
	if _, err := db.PendingMediaByID(ctx, alice.ID, kept.ID); ErrorCode(err) != ENotFound {
		t.Errorf("media once taken: %v, want ENotFound", err)
	}

	clock.Advance(pendingMediaKept + time.Minute)
	pruned, err := db.Prune(ctx, Retention{}, 100)
	if err != nil || pruned.PendingMedia != 1 {
		t.Errorf("pruned %+v (%v), want the media left waiting", pruned, err)
	}
	if _, err := db.PendingMediaByID(ctx, alice.ID, left.ID); ErrorCode(err) != ENotFound {
		t.Errorf("media left a day: %v, want ENotFound", err)
	}
	if unused, _ := db.UnusedUploads(ctx, []string{name(1), name(2)}); !slices.Equal(unused, []string{name(2)}) {
		t.Errorf("unused after the day = %v, want the media left only", unused)
	}
}
