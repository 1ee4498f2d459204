package storage

import (
	"context"
	"strings"
	"testing"
)

// Corrected and CorrectedBy follow the headline: the editor of the
// current revision while it differs from the original, nothing after a
// revert to it.
func TestCorrectedByTheCurrentEditor(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	read := func() *Post {
		t.Helper()
		p, err := w.db.VisiblePost(ctx, w.carol.ID, w.post.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := read(); p.Corrected() || p.CorrectedBy != nil {
		t.Errorf("a new post: corrected %v by %v", p.Corrected(), p.CorrectedBy)
	}
	if _, err := w.edit(w.bob, 1, "Early trial shows modest effect"); err != nil {
		t.Fatal(err)
	}
	if p := read(); !p.Corrected() || p.CorrectedBy == nil || p.CorrectedBy.ID != w.bob.ID {
		t.Errorf("after bob's correction: corrected %v by %+v, want bob", p.Corrected(), p.CorrectedBy)
	}
	if _, err := w.edit(w.mod, 2, "Early trial shows a small effect"); err != nil {
		t.Fatal(err)
	}
	page, err := w.db.SubwikiFeed(ctx, Stranger, w.subwiki.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Posts) != 1 || page.Posts[0].CorrectedBy == nil || page.Posts[0].CorrectedBy.ID != w.mod.ID {
		t.Errorf("in the feed, the corrector is not the editor of the current revision, dana")
	}
	_, err = w.db.ReviseHeadline(ctx, HeadlineEdit{PostID: w.post.ID, EditorID: w.alice.ID, BaseRevision: 3, RevertTo: 1, Reason: "It was right."})
	if err != nil {
		t.Fatal(err)
	}
	if p := read(); p.Revision != 4 || p.Corrected() || p.CorrectedBy != nil {
		t.Errorf("after the revert to the original: revision %d, corrected %v by %v", p.Revision, p.Corrected(), p.CorrectedBy)
	}
}

func TestCheckLinkDescription(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"  Satellite images\n show   the retreat. ", "Satellite images show the retreat.", true},
		{strings.Repeat("é", MaxLinkDescriptionLength), strings.Repeat("é", MaxLinkDescriptionLength), true},
		{strings.Repeat("é", MaxLinkDescriptionLength+1), "", false},
		{"bell\x07", "", false},
		{"bad \xff utf-8", "", false},
	}
	for _, tt := range tests {
		got, err := checkLinkDescription(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("checkLinkDescription(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && ErrorCode(err) != EInvalid {
			t.Errorf("checkLinkDescription(%q): code %q, want %q", tt.in, ErrorCode(err), EInvalid)
		}
	}
}

// The compose form's default place is the group of the member's newest
// post; comments do not count.
func TestLastSubwikiPostedTo(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	for _, tt := range []struct {
		who  *Member
		want string
	}{{w.alice, w.subwiki.ID}, {w.bob, ""}} {
		if got, err := w.db.LastSubwikiPostedTo(ctx, tt.who.ID); err != nil || got != tt.want {
			t.Errorf("last subwiki of %s = %q, %v; want %q", tt.who.Username, got, err, tt.want)
		}
	}
	if _, err := w.db.Publish(ctx, PostCreate{AuthorID: w.alice.ID, Kind: KindDiscussion, Headline: "Mine", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Comment(ctx, CommentCreate{AuthorID: w.alice.ID, ParentID: w.post.ID, Text: "A reply"}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.db.LastSubwikiPostedTo(ctx, w.alice.ID); err != nil || got != "" {
		t.Errorf("after a profile post and a comment in the subwiki: %q, %v; want the profile", got, err)
	}
}

func TestSubwikisToJoin(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	empty := mustCreateSubwiki(t, w.db, "arts", w.mod, false)
	quiet := mustCreateSubwiki(t, w.db, "zoology", w.mod, false)
	if _, err := w.db.Follow(ctx, w.carol.ID, quiet.ID); err != nil {
		t.Fatal(err)
	}
	list, err := w.db.SubwikisToJoin(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range list {
		got = append(got, l.Name)
	}
	// science: alice, bob and its moderator; zoology: its moderator and carol.
	if want := []string{w.subwiki.Name, quiet.Name, empty.Name}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("subwikis to join = %v, want %v", got, want)
	}
	if list, _ := w.db.SubwikisToJoin(ctx, 1); len(list) != 1 {
		t.Errorf("limit 1 gave %d subwikis", len(list))
	}
}
