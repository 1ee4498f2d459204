package storage

import (
	"context"
	"testing"
)

// TestRevisionCredit: whom a revision another server reports is credited
// to, by who vouches for it and whom it names.
func TestRevisionCredit(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	bob := saveRemote(t, w.db, "bob", "other.example")
	olga := saveRemote(t, w.db, "olga", "other.example")
	zed := saveRemote(t, w.db, "zed", "third.example")
	group := saveRemote(t, w.db, "news", "groups.example")
	gina := saveRemote(t, w.db, "gina", "groups.example")
	// A post of another Tidings, whose history its origin keeps, and a
	// post elsewhere filed under a remote subwiki, which decides on it.
	origin, err := w.db.SaveRemotePost(ctx, RemotePost{URI: bob.URI + "/p/1", AuthorID: bob.ID, Visibility: Public,
		Kind: KindDiscussion, Headline: "Bridge collapses", Content: "x", HistoryURI: bob.URI + "/p/1/history"})
	if err != nil {
		t.Fatal(err)
	}
	inGroup, err := w.db.SaveRemotePost(ctx, RemotePost{URI: zed.URI + "/n/1", AuthorID: zed.ID, Visibility: Public,
		Kind: KindDiscussion, Headline: "Flood warning", Content: "x", SubwikiID: group.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ProposeHeadline(ctx, HeadlineEdit{PostID: origin.ID, EditorID: w.carol.ID, BaseRevision: 1,
		Headline: "Bridge partly closed", Reason: "One lane."}); err != nil {
		t.Fatal(err)
	}
	refused, err := w.db.ProposeHeadline(ctx, HeadlineEdit{PostID: origin.ID, EditorID: w.bob.ID, BaseRevision: 1,
		Headline: "Bridge closed for repairs", Reason: "Repairs."})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.AnswerProposal(ctx, bob.ID, refused.ActivityURI, false, "No."); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name             string
		post             *Post
		voucher          *Actor
		headline, editor string
		want             string
	}{
		{"the origin names nobody", origin, bob, "A", "", bob.ID},
		{"the origin names one of its own", origin, bob, "A", olga.ID, olga.ID},
		{"the origin names someone elsewhere", origin, bob, "A", zed.ID, zed.ID},
		{"the origin names a member here who proposed it", origin, bob, "Bridge partly closed", w.carol.ID, w.carol.ID},
		{"the origin names a member here for another headline", origin, bob, "Bridge gone", w.carol.ID, bob.ID},
		{"the origin names a member here who never proposed", origin, bob, "Bridge partly closed", w.alice.ID, bob.ID},
		{"the origin names a member here whose proposal it refused", origin, bob, "Bridge closed for repairs", w.bob.ID, bob.ID},
		{"the subwiki names one of its own", inGroup, group, "A", gina.ID, gina.ID},
		{"the subwiki names someone elsewhere", inGroup, group, "A", olga.ID, group.ID},
		{"the subwiki names the post's author", inGroup, group, "A", zed.ID, group.ID},
		{"the subwiki names a member here", inGroup, group, "A", w.alice.ID, group.ID},
		{"the subwiki names nobody", inGroup, group, "A", "", group.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			err := w.db.read(ctx, func(tx *Tx) (err error) {
				got, err = tx.creditFor(ctx, tt.post, tt.headline, tt.editor, tt.voucher.ID)
				return err
			})
			if err != nil || got != tt.want {
				t.Errorf("credited to %s (%v), want %s", got, err, tt.want)
			}
		})
	}
}
