package storage

import (
	"context"
	"testing"
)

// TestRemovePost: a moderator of the post's subwiki removes a member's
// post with a reason; it is gone, its page can say why, the subwiki's
// log shows it once however often it is removed, a Delete goes out, and
// the comments on it stay.
func TestRemovePost(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	mod := mustCreateMember(t, db, "max")
	author := mustCreateMember(t, db, "mia")
	other := mustCreateMember(t, db, "oli")
	town := mustCreateSubwiki(t, db, "town", mod, false)
	post, err := db.Publish(ctx, PostCreate{AuthorID: author.ID, SubwikiID: town.ID, Kind: KindDiscussion,
		Headline: "Miracle cure found", Text: "Buy now."})
	if err != nil {
		t.Fatal(err)
	}
	comment, err := db.Comment(ctx, CommentCreate{AuthorID: other.ID, ParentID: post.ID, Text: "This is spam."})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, by, id, reason string
		code                 string
	}{
		{"no reason", mod.ID, post.ID, "  ", EInvalid},
		{"not a moderator", other.ID, post.ID, "Spam", EForbidden},
		{"the author", author.ID, post.ID, "Spam", EForbidden},
		{"no such post", mod.ID, "nope", "Spam", ENotFound},
	} {
		if err := db.RemovePost(ctx, tc.by, tc.id, tc.reason); ErrorCode(err) != tc.code {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.code)
		}
	}
	for i := 0; i < 2; i++ {
		if err := db.RemovePost(ctx, mod.ID, post.ID, "Spam: advertising"); err != nil {
			t.Fatalf("removal %d: %v", i+1, err)
		}
	}
	if err := db.RemovePost(ctx, other.ID, post.ID, "Spam"); ErrorCode(err) != ENotFound {
		t.Errorf("a member removing the removed post: %v, want not found", err)
	}
	if _, err := db.VisiblePost(ctx, author.ID, post.ID); ErrorCode(err) != ENotFound {
		t.Errorf("the removed post, to its author: %v, want not found", err)
	}
	rm, err := db.Removal(ctx, post.ID)
	if err != nil || rm.Reason != "Spam: advertising" || rm.URI != post.URI || rm.SubwikiID != town.ID {
		t.Errorf("Removal = %+v, %v; want the reason, uri and subwiki", rm, err)
	}
	if _, err := db.Removal(ctx, comment.ID); ErrorCode(err) != ENotFound {
		t.Errorf("Removal of the comment = %v, want not found", err)
	}
	if _, err := db.PostByID(ctx, comment.ID); err != nil {
		t.Errorf("the comment on the removed post: %v, want it kept", err)
	}
	log, err := db.ModerationLog(ctx, town.ID, "", 10)
	if err != nil || len(log) != 1 {
		t.Fatalf("the subwiki's log = %v, %v; want one entry", log, err)
	}
	if e := log[0]; e.Action != ModRemovePost || e.Reason != "Spam: advertising" || e.TargetURI != post.URI ||
		e.TargetText != "Miracle cure found" || e.ActorID != mod.ID {
		t.Errorf("log entry = %+v", e)
	}
	events, err := db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	removals := 0
	for _, e := range events {
		if e.Kind == EventRemovePost {
			removals++
			if e.ActorID != mod.ID || e.Payload.ObjectURI != post.URI || e.Payload.Reason != "Spam: advertising" {
				t.Errorf("remove event = %+v", e)
			}
		}
	}
	if removals != 1 {
		t.Errorf("%d remove events, want 1", removals)
	}
}

// TestAdminRemovesProfilePost: a post outside subwikis is the admins'
// to remove, and goes into the instance's log; moderators of a subwiki
// have no say over it.
func TestAdminRemovesProfilePost(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	mod := mustCreateMember(t, db, "max")
	mustCreateSubwiki(t, db, "town", mod, false)
	author := mustCreateMember(t, db, "mia")
	admin, err := db.CreateMember(ctx, MemberCreate{Username: "ruth", Email: "ruth@example.org", Password: "correct horse", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	post, err := db.CreatePost(ctx, author.ID, "Hello")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RemovePost(ctx, mod.ID, post.ID, "Rude"); ErrorCode(err) != EForbidden {
		t.Errorf("a subwiki's moderator removing a profile post: %v, want forbidden", err)
	}
	if err := db.RemovePost(ctx, admin.ID, post.ID, "Rude"); err != nil {
		t.Fatal(err)
	}
	log, err := db.ModerationLog(ctx, "", "", 10)
	if err != nil || len(log) != 1 || log[0].Action != ModRemovePost || log[0].ActorID != admin.ID {
		t.Errorf("the instance's log = %v, %v; want the removal by ruth", log, err)
	}
}
