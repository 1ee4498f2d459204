package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestHeadlineCorrectionAcrossInstances: a member of B corrects the
// headline of a post on A; A decides and accepts; the Fedify peer, a
// follower of the author, gets the author's Update with the new name and
// a newer updated time; C, following the subwiki, shows revision 2 with
// B's member as editor. A locked headline refuses a proposal, and B
// shows why.
func TestHeadlineCorrectionAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	c := startInstance(t, federating)
	a.DB.Corrections.MinAccountAge = 0
	member(t, a, "alice")
	bob := member(t, b, "bob")
	carol := member(t, c, "carol")
	alice := memberOf(t, a, "alice")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "health", Title: "Health"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	peer := startFedifyPeer(t, "--name", "watcher")
	if status, body := peer.control(t, "/_control/follow", map[string]any{"target": "alice@" + a.Config.Server.Domain}); status != 202 {
		t.Fatalf("peer follow: %d %s", status, body)
	}
	handle := "@health@" + a.Config.Server.Domain
	followRemote(t, bob, handle)
	followRemote(t, carol, handle)
	waitFor(t, "bob, carol and the peer following on A", 15*time.Second, func() bool {
		n, _, _ := a.DB.FollowCounts(ctx, s.ID)
		m, _, _ := a.DB.FollowCounts(ctx, alice.ID)
		return n == 3 && m == 1
	})

	post, err := a.DB.Publish(ctx, storage.PostCreate{AuthorID: alice.ID, SubwikiID: s.ID, Kind: storage.KindNews,
		Headline: "Coffee cures cancer", LinkURL: "https://news.example/coffee"})
	if err != nil {
		t.Fatal(err)
	}
	var onB *storage.Post
	waitFor(t, "the post on B and C", 15*time.Second, func() bool {
		var errC error
		onB, err = b.DB.PostByURI(ctx, post.URI)
		_, errC = c.DB.PostByURI(ctx, post.URI)
		return err == nil && errC == nil
	})
	if authority, _ := b.DB.CorrectionAuthority(ctx, onB.ID); authority != storage.AuthorityOrigin {
		t.Fatalf("on B the correction authority is %q, want the origin", authority)
	}

	// Bob proposes a correction from B; A applies it and accepts.
	prop, err := b.DB.ProposeHeadline(ctx, storage.HeadlineEdit{PostID: onB.ID, EditorID: memberOf(t, b, "bob").ID,
		BaseRevision: 1, Headline: "Coffee linked to lower risk of one cancer", Reason: "The study found an association, not a cure.",
		SourceURL: "https://journal.example/coffee"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "A's Accept of bob's proposal on B", 15*time.Second, func() bool {
		p, _ := b.DB.ProposalByID(ctx, prop.ID)
		return p.State == storage.ProposalAccepted
	})
	onA, _ := a.DB.PostByID(ctx, post.ID)
	if onA.Headline != "Coffee linked to lower risk of one cancer" || onA.Revision != 2 {
		t.Fatalf("on A: %q revision %d", onA.Headline, onA.Revision)
	}

	// The peer, following alice, gets her Update with the new name.
	defer func() {
		if t.Failed() {
			for _, u := range peer.inbox(t, "") {
				t.Logf("peer got %s %s object %s name %q updated %q", u.Type, u.ID, u.ObjectID, u.Name, u.Updated)
			}
		}
	}()
	waitFor(t, "the peer's Update with the new headline", 15*time.Second, func() bool {
		for _, u := range peer.inbox(t, "Update") {
			if u.ObjectID == post.URI && u.Name == "Coffee linked to lower risk of one cancer" && u.Updated != "" {
				updated, err := time.Parse(time.RFC3339, u.Updated)
				return err == nil && updated.After(post.Published.Truncate(time.Second))
			}
		}
		return false
	})

	// C, through the subwiki, has revision 2 with bob as its editor.
	waitFor(t, "revision 2 on C", 15*time.Second, func() bool {
		revs, _ := c.DB.HeadlineHistory(ctx, mustPostByURI(t, c, post.URI).ID)
		return len(revs) == 2
	})
	revs, _ := c.DB.HeadlineHistory(ctx, mustPostByURI(t, c, post.URI).ID)
	if r := revs[1]; r.Editor == nil || r.Editor.Username != "bob" || !strings.Contains(r.Editor.Host, b.Config.Server.Domain) ||
		r.Reason != "The study found an association, not a cure." || r.SourceURL != "https://journal.example/coffee" {
		t.Errorf("revision 2 on C: %+v (editor %+v)", r, r.Editor)
	}
	waitFor(t, "revision 2 on B", 15*time.Second, func() bool {
		p, _ := b.DB.PostByID(ctx, onB.ID)
		return p.Revision == 2
	})

	// Alice locks the headline on A; a proposal from B is rejected, and B
	// keeps the reason to show bob.
	if err := a.DB.LockHeadline(ctx, alice.ID, post.ID, true, "Settled after review"); err != nil {
		t.Fatal(err)
	}
	prop, err = b.DB.ProposeHeadline(ctx, storage.HeadlineEdit{PostID: onB.ID, EditorID: memberOf(t, b, "bob").ID,
		BaseRevision: 2, Headline: "Coffee and cancer: it is complicated", Reason: "Nuance."})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "A's Reject on B", 15*time.Second, func() bool {
		p, _ := b.DB.ProposalByID(ctx, prop.ID)
		return p.State == storage.ProposalRejected && strings.Contains(p.Answer, "locked")
	})
	if p, _ := a.DB.PostByID(ctx, post.ID); p.Revision != 2 {
		t.Errorf("a locked headline changed: revision %d", p.Revision)
	}
	// The subwiki passes the Lock on: C's copy is locked too, with the
	// reason, so members there are told before they try.
	waitFor(t, "the lock on C", 15*time.Second, func() bool {
		p := mustPostByURI(t, c, post.URI)
		return p.Locked && p.LockReason == "Settled after review"
	})
	if err := a.DB.LockHeadline(ctx, alice.ID, post.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the unlock on B and C", 15*time.Second, func() bool {
		return !mustPostByURI(t, b, post.URI).Locked && !mustPostByURI(t, c, post.URI).Locked
	})

	// Bob on B and carol on C both propose against revision 2. A takes
	// the first and refuses the other as stale; its member sees why.
	fromB, err := b.DB.ProposeHeadline(ctx, storage.HeadlineEdit{PostID: onB.ID, EditorID: memberOf(t, b, "bob").ID,
		BaseRevision: 2, Headline: "Coffee drinkers had less liver cancer", Reason: "Closer to the study."})
	if err != nil {
		t.Fatal(err)
	}
	onC := mustPostByURI(t, c, post.URI)
	fromC, err := c.DB.ProposeHeadline(ctx, storage.HeadlineEdit{PostID: onC.ID, EditorID: memberOf(t, c, "carol").ID,
		BaseRevision: 2, Headline: "Study links coffee with less liver cancer", Reason: "Say it is one study."})
	if err != nil {
		t.Fatal(err)
	}
	var answerB, answerC *storage.Proposal
	waitFor(t, "A's answers to both proposals", 15*time.Second, func() bool {
		answerB, _ = b.DB.ProposalByID(ctx, fromB.ID)
		answerC, _ = c.DB.ProposalByID(ctx, fromC.ID)
		return answerB.State != storage.ProposalPending && answerC.State != storage.ProposalPending
	})
	won, lost, loser := answerB, answerC, c
	if answerC.State == storage.ProposalAccepted {
		won, lost, loser = answerC, answerB, b
	}
	if won.State != storage.ProposalAccepted || lost.State != storage.ProposalRejected ||
		!strings.Contains(lost.Answer, "corrected the headline meanwhile") || !strings.Contains(lost.Answer, won.Headline) {
		t.Fatalf("answers: B %s %q, C %s %q; want one accepted and the other stale", answerB.State, answerB.Answer, answerC.State, answerC.Answer)
	}
	if p, _ := a.DB.PostByID(ctx, post.ID); p.Revision != 3 || p.Headline != won.Headline {
		t.Errorf("on A: %q revision %d, want %q revision 3", p.Headline, p.Revision, won.Headline)
	}
	history := newVisitor(t, loser).get("/posts/" + lost.PostID + "/history")
	wantBody(t, history, "declined it: Someone corrected the headline meanwhile")
}

func mustPostByURI(t *testing.T, inst *instance, uri string) *storage.Post {
	t.Helper()
	p, err := inst.DB.PostByURI(context.Background(), uri)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSubwikiDecidesForPostsWithoutHistory: a note the Fedify peer posts
// into a subwiki on A (its origin takes no corrections) is corrected on
// A, the subwiki's server; C, following the subwiki, gets the revision
// with its editor.
func TestSubwikiDecidesForPostsWithoutHistory(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	c := startInstance(t, federating)
	a.DB.Corrections.MinAccountAge = 0
	member(t, a, "dana")
	carol := member(t, c, "carol")
	dana := memberOf(t, a, "dana")
	s, err := a.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "town", Title: "Town"}, dana.ID)
	if err != nil {
		t.Fatal(err)
	}
	group := a.Config.Server.Scheme + "://" + a.Config.Server.Domain + "/s/town"
	followRemote(t, carol, "@town@"+a.Config.Server.Domain)
	waitFor(t, "carol in the subwiki", 15*time.Second, func() bool {
		n, _, _ := a.DB.FollowCounts(ctx, s.ID)
		return n == 2
	})

	peer := startFedifyPeer(t, "--name", "resident")
	status, body := peer.control(t, "/_control/post", map[string]any{
		"content": `<p><span class="h-card"><a href="` + group + `" class="u-url mention">@<span>town</span></a></span> Mayor resigns!</p><p>Actually, only from one committee.</p>`,
		"mention": group,
	})
	if status != 202 {
		t.Fatalf("the peer could not post: %d %s", status, body)
	}
	var sent struct{ ID string }
	json.Unmarshal(body, &sent)
	waitFor(t, "the note in the subwiki on A and on C", 15*time.Second, func() bool {
		_, errA := a.DB.PostByURI(ctx, sent.ID)
		_, errC := c.DB.PostByURI(ctx, sent.ID)
		return errA == nil && errC == nil
	})
	onA := mustPostByURI(t, a, sent.ID)
	if authority, _ := a.DB.CorrectionAuthority(ctx, onA.ID); authority != storage.AuthorityHere {
		t.Fatalf("on A the authority is %q, want here (the subwiki's server)", authority)
	}
	if _, err := a.DB.ReviseHeadline(ctx, storage.HeadlineEdit{PostID: onA.ID, EditorID: dana.ID, BaseRevision: 1,
		Headline: "Mayor leaves one committee", Reason: "The mayor did not resign."}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "revision 2 on C", 15*time.Second, func() bool {
		return mustPostByURI(t, c, sent.ID).Revision == 2
	})
	revs, _ := c.DB.HeadlineHistory(ctx, mustPostByURI(t, c, sent.ID).ID)
	if r := revs[1]; r.Headline != "Mayor leaves one committee" || r.Editor == nil || r.Editor.Username != "dana" ||
		r.Reason != "The mayor did not resign." {
		t.Errorf("revision 2 on C: %+v", r)
	}
}
