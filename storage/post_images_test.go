package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestPostImages(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	upload := func(n int, alt string) Attachment {
		return Attachment{URL: db.Site.UploadURL(fmt.Sprintf("%032x.jpg", n)), MediaType: "image/jpeg",
			Alt: alt, Width: 640, Height: 480}
	}

	p, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindNews, Headline: "Harbour",
		LinkURL: "https://news.example/harbour", Images: []Attachment{upload(1, " Boats at dawn "), upload(2, "")}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Attachment{{0, upload(1, "").URL, "image/jpeg", "Boats at dawn", 640, 480},
		{1, upload(2, "").URL, "image/jpeg", "", 640, 480}}
	for _, load := range []func() (*Post, error){
		func() (*Post, error) { return db.PostByID(ctx, p.ID) },
		func() (*Post, error) { return db.VisiblePost(ctx, Stranger, p.ID) },
	} {
		got, err := load()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Attachments, want) {
			t.Errorf("attachments = %+v, want %+v", got.Attachments, want)
		}
	}

	c, err := db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: p.ID, Text: "Another view.",
		Images: []Attachment{upload(3, "The pier")}})
	if err != nil {
		t.Fatal(err)
	}
	thread, _ := db.Thread(ctx, Stranger, p.ID)
	if len(thread) != 1 || len(thread[0].Attachments) != 1 || thread[0].Attachments[0].Alt != "The pier" {
		t.Errorf("thread = %+v, want the comment with its image", thread)
	}

	// Refused: nothing is published.
	five := []Attachment{upload(4, ""), upload(5, ""), upload(6, ""), upload(7, ""), upload(8, "")}
	for _, tc := range []struct {
		name   string
		images []Attachment
	}{
		{"too many", five},
		{"not uploaded here", []Attachment{{URL: "https://elsewhere.example/a.jpg", MediaType: "image/jpeg"}}},
		{"not a type uploads make", []Attachment{{URL: upload(9, "").URL, MediaType: "image/svg+xml"}}},
		{"too long a description", []Attachment{upload(10, strings.Repeat("d", MaxAltLength+1))}},
		{"a control character", []Attachment{upload(11, "a\x00b")}},
	} {
		_, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: tc.name,
			Text: "text", Images: tc.images})
		wantCode(t, err, EInvalid)
		_, err = db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: p.ID, Text: tc.name, Images: tc.images})
		wantCode(t, err, EInvalid)
	}
	thread, _ = db.Thread(ctx, Stranger, p.ID)
	if n, _ := db.CountPostsBy(ctx, alice.ID, alice.ID); n != 1 || len(thread) != 1 {
		t.Errorf("posts by alice = %d, comments = %d, want 1 and 1 (nothing refused was kept)", n, len(thread))
	}

	// Deleting a post names its uploads, whose files then go.
	uploads, err := db.DeletePostUploads(ctx, alice.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{upload(1, "").URL, upload(2, "").URL}; !slices.Equal(uploads, want) {
		t.Errorf("uploads of the deleted post = %v, want %v", uploads, want)
	}
	uploads, err = db.DeletePostUploads(ctx, alice.ID, c.ID)
	if err != nil || len(uploads) != 1 {
		t.Errorf("uploads of the deleted comment = %v (%v), want one", uploads, err)
	}
}

// TestPostOfImagesAlone: a discussion or a comment may carry images and
// no text; without either it is refused with ErrEmptyPost, and an edit
// may take away the text only of a post that has images.
func TestPostOfImagesAlone(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	image := func(n int) []Attachment {
		return []Attachment{{URL: db.Site.UploadURL(fmt.Sprintf("%032x.jpg", n)), MediaType: "image/jpeg", Width: 64, Height: 48}}
	}
	p, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "The harbour", Images: image(1)})
	if err != nil {
		t.Fatalf("discussion of an image alone: %v", err)
	}
	if _, err := db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: p.ID, Text: "  ", Images: image(2)}); err != nil {
		t.Fatalf("comment of an image alone: %v", err)
	}
	before, _ := db.CountLocalPosts(ctx)
	_, err = db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "Nothing", Text: " "})
	if err != ErrEmptyPost {
		t.Errorf("discussion of nothing: %v, want ErrEmptyPost", err)
	}
	_, err = db.Comment(ctx, CommentCreate{AuthorID: alice.ID, ParentID: p.ID})
	if err != ErrEmptyPost {
		t.Errorf("comment of nothing: %v, want ErrEmptyPost", err)
	}
	if after, _ := db.CountLocalPosts(ctx); after != before {
		t.Errorf("%d posts stored by refusals", after-before)
	}

	if _, err := db.EditPost(ctx, PostEdit{MemberID: alice.ID, PostID: p.ID, Text: ""}); err != nil {
		t.Errorf("edit of an image post to no text: %v", err)
	}
	words, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "Words", Text: "Only words."})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.EditPost(ctx, PostEdit{MemberID: alice.ID, PostID: words.ID, Text: ""})
	wantCode(t, err, EInvalid)
}
