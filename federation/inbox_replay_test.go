package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// replayWorld is an instance (a, with alice and her subwiki climate)
// and a peer (b, with bob, carol and their subwiki tech) that send it
// one activity of every kind handled.
type replayWorld struct {
	t               *testing.T
	a               *inboxTestInstance
	b               *peer
	bob, carol, tec *storage.Actor // on the peer
	alice           *storage.Actor // on a
	note, news      *storage.Post  // alice's, news in climate
	followBob       *storage.Follow
	followCarol     *storage.Follow
	uris            []string // posts whose state is compared
	pairs           [][2]string
}

func newReplayWorld(t *testing.T) *replayWorld {
	ctx := context.Background()
	w := &replayWorld{t: t, a: newInboxTestInstance(t), b: newPeer(t)}
	w.a.db.Corrections = storage.CorrectionPolicy{Who: storage.EditableAnyone, MaxPerHour: 100}
	w.bob, w.carol = w.b.member("bob"), w.b.member("carol")
	w.tec = w.b.subwiki("tech", w.bob)
	w.alice = w.a.member(t, "alice")
	climate, err := w.a.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, w.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.note, err = w.a.db.CreatePost(ctx, w.alice.ID, "The river is rising."); err != nil {
		t.Fatal(err)
	}
	if w.news, err = w.a.db.Publish(ctx, storage.PostCreate{AuthorID: w.alice.ID, SubwikiID: climate.ID,
		Kind: storage.KindNews, Headline: "Coffee cures cancer", LinkURL: "https://paper.example/coffee"}); err != nil {
		t.Fatal(err)
	}
	bob, carol, tec := w.a.local(t, w.bob), w.a.local(t, w.carol), w.a.local(t, w.tec)
	if w.followBob, err = w.a.db.Follow(ctx, w.alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if w.followCarol, err = w.a.db.Follow(ctx, w.alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err = w.a.db.Follow(ctx, w.alice.ID, tec.ID); err != nil {
		t.Fatal(err)
	}
	w.uris = []string{w.note.URI, w.news.URI}
	w.pairs = [][2]string{{bob.ID, w.alice.ID}, {w.alice.ID, bob.ID}, {w.alice.ID, carol.ID}, {w.alice.ID, tec.ID}}
	return w
}

// note is a Note of bob's on the peer.
func (w *replayWorld) bobNote(audience, content string, updated time.Time) map[string]any {
	id := w.b.id("posts")
	w.uris = append(w.uris, id)
	return w.bobNoteWithID(id, audience, content, updated)
}

func (w *replayWorld) bobNoteWithID(id, audience, content string, updated time.Time) map[string]any {
	note := map[string]any{"id": id, "type": "Note", "attributedTo": w.bob.URI, "content": content,
		"name": "A headline", "audience": audience, "published": "2026-01-02T03:04:05Z",
		"to": []any{publicCollection, audience}}
	if !updated.IsZero() {
		note["updated"] = updated.UTC().Format(time.RFC3339)
	}
	return note
}

// state is all an inbound activity here may change, as text.
func (w *replayWorld) state() string {
	ctx := context.Background()
	var s strings.Builder
	for _, pair := range w.pairs {
		f, err := w.a.db.FollowBetween(ctx, pair[0], pair[1])
		if err != nil {
			w.t.Fatal(err)
		}
		if f == nil {
			fmt.Fprintf(&s, "follow %s: none\n", pair)
		} else {
			fmt.Fprintf(&s, "follow %s: %s %s\n", pair, f.State, f.ActivityURI)
		}
	}
	for _, uri := range w.uris {
		p, err := w.a.db.PostByURI(ctx, uri)
		if storage.ErrorCode(err) == storage.ENotFound {
			gone, _ := w.a.db.IsDeleted(ctx, uri)
			fmt.Fprintf(&s, "post %s: not here, deleted %v\n", uri, gone)
			continue
		}
		if err != nil {
			w.t.Fatal(err)
		}
		fmt.Fprintf(&s, "post %s: %q rev %d locked %v %q, %q, updated %v, likes %d, boosts %d, in %s\n", uri, p.Headline,
			p.Revision, p.Locked, p.LockReason, p.Content, p.Updated, p.LikeCount, p.AnnounceCount, p.SubwikiID)
	}
	events, err := w.a.db.PendingOutbox(ctx, 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, e := range events {
		payload, _ := json.Marshal(e.Payload)
		fmt.Fprintf(&s, "event %s by %s about %s: %s\n", e.Kind, e.ActorID, e.SubjectID, payload)
	}
	return s.String()
}

// TestInboundHandledTwiceChangesNothing handles every kind of inbound
// activity twice, as a worker would after a crash between the
// activity's effect and the record of it being done: the second
// handling changes no state and sends nothing.
func TestInboundHandledTwiceChangesNothing(t *testing.T) {
	w := newReplayWorld(t)
	b, bob, carol, tec := w.b, w.bob, w.carol, w.tec
	climate := w.a.fed.cfg.Site.SubwikiURI("climate")
	alice := w.alice.URI
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	follow := b.activity("Follow", bob, alice)
	like := b.activity("Like", bob, w.news.URI)
	boost := b.activity("Announce", bob, w.note.URI)
	boost["to"] = []any{publicCollection}
	intoClimate := w.bobNote(climate, "<p>Into climate</p>", time.Time{})
	intoTech := w.bobNote(tec.URI, "<p>Into tech</p>", time.Time{})
	lock := map[string]any{"id": b.id("activities"), "type": "Lock", "actor": bob.URI,
		"object": intoTech["id"], "summary": "Settled"}
	offer := b.activity("Offer", bob, map[string]any{"id": w.news.URI, "type": "Page",
		"name": "Coffee linked to lower risk of one cancer", "headlineRevision": 1})
	offer["target"] = w.news.URI
	offer["summary"] = "The study found an association, not a cure."

	steps := []struct {
		name     string
		as       *storage.Actor
		activity map[string]any
	}{
		{"Follow", bob, follow},
		{"Accept", bob, b.activity("Accept", bob, w.followBob.ActivityURI)},
		{"Reject", carol, b.activity("Reject", carol, w.followCarol.ActivityURI)},
		{"Create", bob, b.activity("Create", bob, intoClimate)},
		{"Update", bob, b.activity("Update", bob, w.bobNoteWithID(intoClimate["id"].(string), climate, "<p>Edited</p>", t0.Add(time.Hour)))},
		{"Like", bob, like},
		{"Announce as a boost", bob, boost},
		{"Undo(Like)", bob, b.activity("Undo", bob, like)},
		{"Undo(Announce)", bob, b.activity("Undo", bob, boost)},
		{"Undo(Follow)", bob, b.activity("Undo", bob, follow)},
		{"Announce as a group relay", tec, b.activity("Announce", tec, b.activity("Create", bob, intoTech))},
		{"Lock", tec, b.activity("Announce", tec, lock)},
		{"Undo(Lock)", tec, b.activity("Announce", tec, b.activity("Undo", bob, lock))},
		{"Offer", bob, offer},
		{"Delete", bob, b.activity("Delete", bob, map[string]any{"id": intoClimate["id"], "type": "Tombstone"})},
	}
	ctx := context.Background()
	for _, step := range steps {
		before := w.state()
		b.send(w.a, step.as, step.activity)
		claimed, err := w.a.db.ClaimInbound(ctx, 1, inboxLease)
		if err != nil || len(claimed) != 1 || claimed[0].ActivityURI != step.activity["id"] {
			t.Fatalf("%s: claimed %v, %v; want the activity just sent", step.name, claimed, err)
		}
		in := claimed[0]
		if permanent, err := w.a.fed.process(ctx, in); err != nil {
			t.Fatalf("%s: first handling: permanent %v, %v; want done", step.name, permanent, err)
		}
		once := w.state()
		if once == before {
			t.Errorf("%s: the first handling changed nothing; the test shows nothing", step.name)
		}
		w.a.fed.process(ctx, in)
		if twice := w.state(); twice != once {
			t.Errorf("%s: handled again, it changed:\n%s", step.name, lineDiff(once, twice))
		}
		if err := w.a.db.FinishInbound(ctx, in.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// lineDiff lists the lines only in a (-) and only in b (+).
func lineDiff(a, b string) string {
	count := map[string]int{}
	for _, line := range strings.Split(a, "\n") {
		count[line]++
	}
	for _, line := range strings.Split(b, "\n") {
		count[line]--
	}
	var out strings.Builder
	for line, n := range count {
		for ; n > 0; n-- {
			fmt.Fprintf(&out, "- %s\n", line)
		}
		for ; n < 0; n++ {
			fmt.Fprintf(&out, "+ %s\n", line)
		}
	}
	return out.String()
}
