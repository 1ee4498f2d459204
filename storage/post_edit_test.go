package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestContentWarningChecks: a content warning of a post, a comment or an
// edit is one line of at most MaxContentWarningLength characters, with
// its spaces folded; nothing else is taken.
func TestContentWarningChecks(t *testing.T) {
	tests := []struct {
		name, warning, want string
		code                string
	}{
		{"none", "", "", ""},
		{"spaces folded", "  Spoilers\n for   the finale ", "Spoilers for the finale", ""},
		{"at the limit", strings.Repeat("é", MaxContentWarningLength), strings.Repeat("é", MaxContentWarningLength), ""},
		{"too long", strings.Repeat("a", MaxContentWarningLength+1), "", EInvalid},
		{"control character", "war\x00", "", EInvalid},
		{"not text", "\xff\xfe", "", EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkContentWarning(tt.warning)
			if code := ErrorCode(err); code != tt.code {
				t.Fatalf("checkContentWarning(%q) error = %v, want code %q", tt.warning, err, tt.code)
			}
			if err == nil && got != tt.want {
				t.Errorf("checkContentWarning(%q) = %q, want %q", tt.warning, got, tt.want)
			}
		})
	}
}

// TestCommentWithContentWarning: a comment carries the warning it was
// written with, and is sensitive; one with a warning that breaks the
// rules is refused and not stored.
func TestCommentWithContentWarning(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	post, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindDiscussion, Headline: "The finale", Text: "Talk."})
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "He dies.", ContentWarning: " Spoilers\n"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.PostByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentWarning != "Spoilers" || !got.Sensitive {
		t.Errorf("comment's warning = %q, sensitive %v; want %q, true", got.ContentWarning, got.Sensitive, "Spoilers")
	}
	_, err = db.Comment(ctx, CommentCreate{AuthorID: bob.ID, ParentID: post.ID, Text: "x",
		ContentWarning: strings.Repeat("a", MaxContentWarningLength+1)})
	wantCode(t, err, EInvalid)
	if thread, _ := db.Thread(ctx, Stranger, post.ID); len(thread) != 1 {
		t.Errorf("thread has %d comments after a refused one, want 1", len(thread))
	}
}

// TestEditPostContentWarning: the author sets, changes and takes away a
// post's content warning with its text; each edit is sent on as an
// Update. An edit that breaks the rules, or is not the author's, changes
// nothing.
func TestEditPostContentWarning(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	bob := mustCreateMember(t, db, "bob")
	post, err := db.Publish(ctx, PostCreate{AuthorID: alice.ID, Kind: KindNews, Headline: "Storm",
		LinkURL: "https://news.example/storm", Text: "Photos of damage."})
	if err != nil {
		t.Fatal(err)
	}
	updates := func() int {
		events, err := db.PendingOutbox(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Kind == EventUpdatePost && e.SubjectID == post.ID {
				n++
			}
		}
		return n
	}
	steps := []struct {
		warning, want string
		sensitive     bool
	}{
		{"Injuries  shown", "Injuries shown", true},
		{"Injuries", "Injuries", true},
		{"", "", false},
	}
	for i, step := range steps {
		clock.Advance(2 * time.Second)
		p, err := db.EditPost(ctx, PostEdit{MemberID: alice.ID, PostID: post.ID, Text: "Photos.", ContentWarning: step.warning})
		if err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
		got, _ := db.PostByID(ctx, post.ID)
		for _, q := range []*Post{p, got} {
			if q.ContentWarning != step.want || q.Sensitive != step.sensitive || q.Source != "Photos." {
				t.Errorf("after edit %d: warning %q, sensitive %v, source %q; want %q, %v, %q",
					i, q.ContentWarning, q.Sensitive, q.Source, step.want, step.sensitive, "Photos.")
			}
		}
		if got, want := updates(), i+1; got != want {
			t.Errorf("after edit %d: %d Updates waiting, want %d", i, got, want)
		}
	}
	_, err = db.EditPost(ctx, PostEdit{MemberID: alice.ID, PostID: post.ID, Text: "x",
		ContentWarning: strings.Repeat("a", MaxContentWarningLength+1)})
	wantCode(t, err, EInvalid)
	_, err = db.EditPost(ctx, PostEdit{MemberID: bob.ID, PostID: post.ID, Text: "x", ContentWarning: "Mine now"})
	wantCode(t, err, EForbidden)
	got, _ := db.PostByID(ctx, post.ID)
	if got.ContentWarning != "" || got.Source != "Photos." {
		t.Errorf("refused edits changed the post: warning %q, source %q", got.ContentWarning, got.Source)
	}
	if n := updates(); n != len(steps) {
		t.Errorf("refused edits sent %d Updates", n-len(steps))
	}
}
