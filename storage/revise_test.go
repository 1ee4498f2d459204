package storage

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// correctionWorld is a subwiki with a post by alice, joined by bob (a
// day old), and carol who did not join.
type correctionWorld struct {
	db                *DB
	clock             *testClock
	alice, bob, carol *Member
	mod               *Member
	subwiki           *Subwiki
	post              *Post
}

func newCorrectionWorld(t *testing.T) *correctionWorld {
	t.Helper()
	db, clock := openTestDB(t)
	ctx := context.Background()
	w := &correctionWorld{db: db, clock: clock}
	w.mod = mustCreateMember(t, db, "dana")
	w.alice = mustCreateMember(t, db, "alice")
	w.bob = mustCreateMember(t, db, "bob")
	w.carol = mustCreateMember(t, db, "carol")
	w.subwiki = mustCreateSubwiki(t, db, "science", w.mod, false)
	for _, m := range []*Member{w.alice, w.bob} {
		if _, err := db.Follow(ctx, m.ID, w.subwiki.ID); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(25 * time.Hour)
	p, err := db.Publish(ctx, PostCreate{AuthorID: w.alice.ID, SubwikiID: w.subwiki.ID, Kind: KindNews,
		Headline: "Miracle cure found", LinkURL: "https://news.example/cure"})
	if err != nil {
		t.Fatal(err)
	}
	w.post = p
	return w
}

func (w *correctionWorld) edit(editor *Member, base int, headline string) (*Revision, error) {
	return w.db.ReviseHeadline(context.Background(), HeadlineEdit{PostID: w.post.ID, EditorID: editor.ID,
		BaseRevision: base, Headline: headline, Reason: "The study says otherwise.", SourceURL: "https://journal.example/1"})
}

func TestReviseHeadline(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	rev, err := w.edit(w.bob, 1, "Early trial shows modest effect")
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 2 || rev.Previous != "Miracle cure found" || rev.Editor.ID != w.bob.ID || rev.LocalOnly ||
		rev.URI != w.post.URI+"/revisions/2" {
		t.Errorf("revision = %+v", rev)
	}
	p, _ := w.db.PostByID(ctx, w.post.ID)
	if p.Headline != "Early trial shows modest effect" || p.Revision != 2 || p.Updated.IsZero() {
		t.Errorf("post = %q rev %d updated %v", p.Headline, p.Revision, p.Updated)
	}
	history, _ := w.db.HeadlineHistory(ctx, w.post.ID)
	if len(history) != 2 || history[1].Reason != "The study says otherwise." || history[1].SourceURL != "https://journal.example/1" ||
		history[1].Previous != "Miracle cure found" {
		t.Errorf("history = %+v", history)
	}
	// The author's Update goes out, and the subwiki passes it on.
	kinds := outboxKinds(t, w.db)
	if kinds[len(kinds)-2] != EventReviseHeadline || kinds[len(kinds)-1] != EventGroupAnnounce {
		t.Errorf("outbox = %v", kinds)
	}

	// A stale edit is refused with the current headline.
	_, err = w.edit(w.alice, 1, "Something else")
	wantCode(t, err, EConflict)
	if !strings.Contains(ErrorMessage(err), "Early trial shows modest effect") {
		t.Errorf("the refusal does not show the current headline: %s", ErrorMessage(err))
	}

	// A revert restores an earlier revision as a new one; nothing is lost.
	rev, err = w.db.ReviseHeadline(ctx, HeadlineEdit{PostID: w.post.ID, EditorID: w.alice.ID, BaseRevision: 2,
		RevertTo: 1, Reason: "The trial was retracted."})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 3 || rev.Headline != "Miracle cure found" || rev.RevertsTo != 1 {
		t.Errorf("revert = %+v", rev)
	}
	if history, _ := w.db.HeadlineHistory(ctx, w.post.ID); len(history) != 3 {
		t.Errorf("history has %d revisions", len(history))
	}
}

func TestCorrectionRules(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	base := 1
	try := func(editor *Member, code string) {
		t.Helper()
		rev, err := w.edit(editor, base, "Headline "+editor.Username+" "+time.Duration(base).String())
		wantCode(t, err, code)
		if err == nil {
			base = rev.Number
		}
	}
	// Default: members of the subwiki whose account is a day old.
	try(w.carol, EForbidden) // not a member
	newcomer := mustCreateMember(t, w.db, "newcomer")
	w.db.Follow(ctx, newcomer.ID, w.subwiki.ID)
	try(newcomer, EForbidden) // too new
	try(w.bob, "")
	try(w.mod, "") // a moderator

	for _, bad := range []HeadlineEdit{
		{Reason: "", Headline: "x"},
		{Reason: "why", Headline: ""},
		{Reason: "why", Headline: strings.Repeat("h", 201)},
		{Reason: "why", Headline: "x", SourceURL: "javascript:alert(1)"},
	} {
		bad.PostID, bad.EditorID, bad.BaseRevision = w.post.ID, w.bob.ID, base
		_, err := w.db.ReviseHeadline(ctx, bad)
		wantCode(t, err, EInvalid)
	}

	// The subwiki's own rule: moderators only. The author may still.
	only := EditableModerators
	if _, err := w.db.UpdateSubwiki(ctx, w.mod.ID, w.subwiki.ID, SubwikiUpdate{EditableBy: &only}); err != nil {
		t.Fatal(err)
	}
	try(w.bob, EForbidden)
	try(w.alice, "")
	try(w.mod, "")

	// Anyone with an old enough account.
	anyone := EditableAnyone
	w.db.UpdateSubwiki(ctx, w.mod.ID, w.subwiki.ID, SubwikiUpdate{EditableBy: &anyone})
	try(w.carol, "")
	try(newcomer, EForbidden)

	// Locked: refused from everyone, the author too, until unlocked.
	wantCode(t, w.db.LockHeadline(ctx, w.bob.ID, w.post.ID, true, "Under review"), EForbidden)
	wantCode(t, w.db.LockHeadline(ctx, w.mod.ID, w.post.ID, true, ""), EInvalid)
	if err := w.db.LockHeadline(ctx, w.mod.ID, w.post.ID, true, "Under review"); err != nil {
		t.Fatal(err)
	}
	try(w.alice, EForbidden)
	try(w.mod, EForbidden)
	if err := w.db.LockHeadline(ctx, w.mod.ID, w.post.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	try(w.carol, "")
}

func TestCorrectionRateLimit(t *testing.T) {
	w := newCorrectionWorld(t)
	w.db.Corrections.MaxPerHour = 3
	base := 1
	for i := 0; i < 3; i++ {
		rev, err := w.edit(w.bob, base, "Take "+string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		base = rev.Number
	}
	_, err := w.edit(w.bob, base, "One too many")
	wantCode(t, err, ERateLimited)
	w.clock.Advance(time.Hour)
	if _, err := w.edit(w.bob, base, "An hour later"); err != nil {
		t.Errorf("after an hour: %v", err)
	}
}

func TestConcurrentCorrectionsOneWins(t *testing.T) {
	w := newCorrectionWorld(t)
	editors := []*Member{w.alice, w.bob, w.mod}
	var wg sync.WaitGroup
	errs := make([]error, len(editors))
	for i, e := range editors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.edit(e, 1, "Version by "+e.Username)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantCode(t, err, EConflict)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent edits on revision 1 succeeded, want 1", won, len(editors))
	}
	if history, _ := w.db.HeadlineHistory(context.Background(), w.post.ID); len(history) != 2 {
		t.Errorf("history has %d revisions, want 2", len(history))
	}
}

func TestCorrectionAuthority(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	if a, _ := w.db.CorrectionAuthority(ctx, w.post.ID); a != AuthorityHere {
		t.Errorf("a local post: %s", a)
	}
	bob := saveRemote(t, w.db, "bob", "social.example")
	note, _ := w.db.SaveRemotePost(ctx, RemotePost{URI: bob.URI + "/n/1", AuthorID: bob.ID, Visibility: Public,
		Kind: KindDiscussion, Headline: "Remote headline", Content: "x", SubwikiID: w.subwiki.ID})
	if a, _ := w.db.CorrectionAuthority(ctx, note.ID); a != AuthorityHere {
		t.Errorf("a remote post in a subwiki of ours: %s", a)
	}
	elsewhere, _ := w.db.SaveRemotePost(ctx, RemotePost{URI: bob.URI + "/n/2", AuthorID: bob.ID, Visibility: Public,
		Kind: KindDiscussion, Headline: "Another", Content: "x"})
	if a, _ := w.db.CorrectionAuthority(ctx, elsewhere.ID); a != AuthorityLocalOnly {
		t.Errorf("a remote post elsewhere: %s", a)
	}
	anyone := EditableAnyone
	w.db.UpdateSubwiki(ctx, w.mod.ID, w.subwiki.ID, SubwikiUpdate{EditableBy: &anyone})
	rev, err := w.db.ReviseHeadline(ctx, HeadlineEdit{PostID: elsewhere.ID, EditorID: w.carol.ID, BaseRevision: 1,
		Headline: "Kept here", Reason: "Misleading."})
	if err != nil || !rev.LocalOnly || rev.URI != "" {
		t.Errorf("local-only correction = %+v, %v", rev, err)
	}
	rev, err = w.db.ReviseHeadline(ctx, HeadlineEdit{PostID: note.ID, EditorID: w.carol.ID, BaseRevision: 1,
		Headline: "Corrected by the subwiki", Reason: "Misleading."})
	if err != nil || rev.LocalOnly || !strings.HasPrefix(rev.URI, "https://tidings.test/posts/") {
		t.Errorf("subwiki correction = %+v, %v", rev, err)
	}
	events, _ := w.db.PendingOutbox(ctx, 100)
	last := events[len(events)-1]
	if last.Kind != EventReviseHeadline || last.ActorID != w.subwiki.ID {
		t.Errorf("the subwiki does not relay the revision: %+v", last)
	}
}

func TestPostsCarryTheFirstHeadlineOnceCorrected(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	if p, _ := w.db.PostByID(ctx, w.post.ID); p.FirstHeadline != "" {
		t.Errorf("an uncorrected post has FirstHeadline %q", p.FirstHeadline)
	}
	w.edit(w.bob, 1, "Early trial shows modest effect")
	feed, _ := w.db.SubwikiFeed(ctx, Stranger, w.subwiki.ID, "", 10)
	if len(feed.Posts) != 1 || feed.Posts[0].FirstHeadline != "Miracle cure found" || feed.Posts[0].Revision != 2 {
		t.Errorf("feed post = %+v", feed.Posts[0])
	}
}

func TestProposeHeadline(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	bob := saveRemote(t, w.db, "bob", "other.example")
	// A post from another Tidings, which takes corrections at its origin.
	p, err := w.db.SaveRemotePost(ctx, RemotePost{URI: bob.URI + "/p/1", AuthorID: bob.ID, Visibility: Public,
		Kind: KindDiscussion, Headline: "Bridge collapses", Content: "x", HistoryURI: bob.URI + "/p/1/history"})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := w.db.CorrectionAuthority(ctx, p.ID); a != AuthorityOrigin {
		t.Fatalf("authority = %s", a)
	}
	_, err = w.db.ReviseHeadline(ctx, HeadlineEdit{PostID: p.ID, EditorID: w.carol.ID, BaseRevision: 1, Headline: "x", Reason: "y"})
	wantCode(t, err, EForbidden)
	prop, err := w.db.ProposeHeadline(ctx, HeadlineEdit{PostID: p.ID, EditorID: w.carol.ID, BaseRevision: 1,
		Headline: "Bridge partly closed", Reason: "Only one lane collapsed."})
	if err != nil {
		t.Fatal(err)
	}
	if prop.State != ProposalPending || !strings.HasPrefix(prop.ActivityURI, "https://tidings.test/activities/") {
		t.Errorf("proposal = %+v", prop)
	}
	if kinds := outboxKinds(t, w.db); kinds[len(kinds)-1] != EventProposeHeadline {
		t.Errorf("outbox = %v", kinds)
	}
	_, err = w.db.ProposeHeadline(ctx, HeadlineEdit{PostID: p.ID, EditorID: w.carol.ID, BaseRevision: 2, Headline: "z", Reason: "y"})
	wantCode(t, err, EConflict)

	// Only the post's server answers.
	stranger := saveRemote(t, w.db, "eve", "evil.example")
	wantCode(t, w.db.AnswerProposal(ctx, stranger.ID, prop.ActivityURI, true, ""), EForbidden)
	if err := w.db.AnswerProposal(ctx, bob.ID, prop.ActivityURI, false, "The base revision is stale."); err != nil {
		t.Fatal(err)
	}
	got, _ := w.db.ProposalByID(ctx, prop.ID)
	if got.State != ProposalRejected || got.Answer != "The base revision is stale." {
		t.Errorf("after the answer: %+v", got)
	}
}

func TestReceiveProposal(t *testing.T) {
	w := newCorrectionWorld(t)
	ctx := context.Background()
	w.db.Corrections.MaxPerHour = 2
	bob := saveRemote(t, w.db, "rbob", "other.example")
	stranger := saveRemote(t, w.db, "zed", "other.example")
	if _, err := w.db.ReceiveFollow(ctx, bob.ID, w.subwiki.ID, bob.URI+"/follow"); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(25 * time.Hour) // remote accounts count from when they were first seen here
	lastEvent := func() *OutboxEvent {
		events, _ := w.db.PendingOutbox(ctx, 200)
		return events[len(events)-1]
	}
	propose := func(who *Actor, base int, headline, offer string) (*Revision, error) {
		rev, refused, err := w.db.ReceiveProposal(ctx, HeadlineEdit{PostID: w.post.ID, EditorID: who.ID, BaseRevision: base,
			Headline: headline, Reason: "Misleading."}, offer)
		if err != nil {
			t.Fatal(err)
		}
		return rev, refused
	}
	// Not a member of the subwiki: refused, and answered with a Reject.
	_, refused := propose(stranger, 1, "Something", "https://other.example/offers/1")
	wantCode(t, refused, EForbidden)
	if e := lastEvent(); e.Kind != EventRejectProposal || e.Payload.ObjectURI != "https://other.example/offers/1" ||
		e.Payload.TargetActorID != stranger.ID || !strings.Contains(e.Payload.Reason, "members") || e.ActorID != w.alice.ID {
		t.Errorf("reject event = %+v", e)
	}
	// A member's proposal is applied and accepted, naming the revision.
	rev, refused := propose(bob, 1, "Trial shows modest effect", "https://other.example/offers/2")
	if refused != nil || rev.Number != 2 || rev.Editor.ID != bob.ID {
		t.Fatalf("accepted proposal: %+v, %v", rev, refused)
	}
	if e := lastEvent(); e.Kind != EventAcceptProposal || e.Payload.ActivityURI != rev.URI {
		t.Errorf("accept event = %+v", e)
	}
	// Stale, then rate limited, then locked: each refused with its reason.
	_, refused = propose(bob, 1, "Stale", "https://other.example/offers/3")
	wantCode(t, refused, EConflict)
	if e := lastEvent(); e.Kind != EventRejectProposal || !strings.Contains(e.Payload.Reason, "Trial shows modest effect") {
		t.Errorf("stale reject = %+v", e)
	}
	propose(bob, 2, "Second take", "https://other.example/offers/4")
	_, refused = propose(bob, 3, "Third take", "https://other.example/offers/5")
	wantCode(t, refused, ERateLimited)
	w.clock.Advance(time.Hour)
	w.db.LockHeadline(ctx, w.mod.ID, w.post.ID, true, "Under review")
	_, refused = propose(bob, 3, "Fourth take", "https://other.example/offers/6")
	wantCode(t, refused, EForbidden)
	if e := lastEvent(); !strings.Contains(e.Payload.Reason, "Under review") {
		t.Errorf("locked reject = %+v", e)
	}
	// Malformed: no reason.
	_, refused, _ = w.db.ReceiveProposal(ctx, HeadlineEdit{PostID: w.post.ID, EditorID: bob.ID, BaseRevision: 3, Headline: "x"},
		"https://other.example/offers/7")
	wantCode(t, refused, EInvalid)
}
