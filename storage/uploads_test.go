package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

func TestUnusedUploads(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	name := func(n int) string { return fmt.Sprintf("%032x.jpg", n) }
	if _, err := db.SetProfileImage(ctx, alice.ID, MediaAvatar, db.Site.UploadURL(name(1))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetProfileImage(ctx, alice.ID, MediaHeader, db.Site.UploadURL(name(2))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "h", Text: "t",
		Images: []Attachment{{URL: db.Site.UploadURL(name(3)), MediaType: "image/jpeg"}}}); err != nil {
		t.Fatal(err)
	}
	// A post stored under the instance's address of before (http, not https).
	old := testSite
	old.Scheme = "http"
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO post_attachments (post_id, position, url)
		SELECT id, 1, ? FROM posts LIMIT 1`, old.UploadURL(name(4))); err != nil {
		t.Fatal(err)
	}
	got, err := db.UnusedUploads(ctx, []string{name(1), name(2), name(3), name(4), name(5), "short.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{name(5)}; !slices.Equal(got, want) {
		t.Errorf("UnusedUploads = %v, want %v", got, want)
	}
}
