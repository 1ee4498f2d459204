package main

import (
	"context"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// followHostile has the member of the instance follow an actor of a
// hand-made server (the follow stays pending: the server never answers,
// which is enough for its activities to be taken).
func followHostile(t *testing.T, inst *instance, name, uri string) *storage.Actor {
	t.Helper()
	ctx := context.Background()
	a, err := inst.Federator.ResolveActor(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.DB.Follow(ctx, memberOf(t, inst, name).ID, a.ID); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestGroupRelaysOnlyWhatOriginsConfirm: a followed group passes on likes
// (FEP-1b12). One by an account on its own server counts; one in the name
// of a member here, or of an account elsewhere that its server does not
// confirm, does not, and neither does an Undo of a real like that the
// liker never sent.
func TestGroupRelaysOnlyWhatOriginsConfirm(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	member(t, a, "dave")
	bob := member(t, b, "bob")
	member(t, b, "bea")
	h := startHostileServer(t)
	group := h.actor(t, "Group", "news", nil)
	gina := h.actor(t, "Person", "gina", nil)
	followHostile(t, a, "dave", group)

	// Bob, on B, follows alice and likes her post: a real like.
	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	waitFor(t, "bob following alice", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 1 })
	alice.get("/")
	post := publish(t, alice, map[string][]string{"kind": {"discussion"}, "headline": {"Ferry service resumes"},
		"text": {"From Monday."}})
	onA, err := a.DB.PostByID(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	var onB *storage.Post
	waitFor(t, "alice's post on B", 10*time.Second, func() bool {
		onB, err = b.DB.PostByURI(ctx, onA.URI)
		return err == nil
	})
	if err := b.DB.LikePost(ctx, memberOf(t, b, "bob").ID, onB.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob's like counted on A", 10*time.Second, func() bool {
		p, _ := a.DB.PostByID(ctx, onA.ID)
		return p.LikeCount == 1
	})

	bobURI, beaURI := actorOf(t, b, "bob").URI, actorOf(t, b, "bea").URI
	daveURI := actorOf(t, a, "dave").URI
	for i, inner := range []map[string]any{
		{"id": daveURI + "#likes/forged", "type": "Like", "actor": daveURI, "object": onA.URI},
		{"id": b.URL + "/activities/forged-like", "type": "Like", "actor": beaURI, "object": onA.URI},
		{"id": b.URL + "/activities/forged-undo", "type": "Undo", "actor": bobURI,
			"object": map[string]any{"id": bobURI + "#likes/" + onB.ID, "type": "Like", "actor": bobURI, "object": onA.URI}},
		{"id": h.URL + "/likes/1", "type": "Like", "actor": gina, "object": onA.URI},
	} {
		h.send(t, a, map[string]any{"id": h.URL + "/announces/" + string(rune('a'+i)), "type": "Announce",
			"actor": group, "object": inner, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}})
	}
	settle(t, a)
	if p, _ := a.DB.PostByID(ctx, onA.ID); p.LikeCount != 2 {
		t.Errorf("likes counted: %d, want 2 (bob's own, and gina's passed on by the group of her server)", p.LikeCount)
	}
	if liked, _ := a.DB.LikedBy(ctx, memberOf(t, a, "dave").ID, []string{onA.ID}); liked[onA.ID] {
		t.Error("a like passed on by a group elsewhere is recorded as dave's, a member here")
	}
}

// TestGroupSpeaksOnlyForItsOwnPosts: a followed group announces a post of
// another server that does not name it, and one that does (a Mastodon
// note mentioning it). Only the second is filed under the group. The
// group's revisions of its headline are credited to the editor it names
// only when that editor is on the group's server: not to a member here,
// who never made it, nor to an account on a third server.
func TestGroupSpeaksOnlyForItsOwnPosts(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	member(t, a, "alice")
	member(t, b, "bob")
	h := startHostileServer(t)
	group := h.actor(t, "Group", "news", nil)
	gina := h.actor(t, "Person", "gina", nil)
	m := startHostileServer(t)
	carol := m.actor(t, "Person", "carol", nil)
	groupHere := followHostile(t, a, "alice", group)

	public := "https://www.w3.org/ns/activitystreams#Public"
	unrelated := m.put(t, map[string]any{"id": m.URL + "/notes/1", "type": "Note", "attributedTo": carol,
		"content": "<p>Unrelated note</p>", "to": []any{public}, "published": "2026-01-01T10:00:00Z"})
	intoGroup := m.put(t, map[string]any{"id": m.URL + "/notes/2", "type": "Note", "attributedTo": carol,
		"content": "<p>@news Flood warning for the valley</p>", "to": []any{public}, "cc": []any{group},
		"tag":       []any{map[string]any{"type": "Mention", "href": group, "name": "@news"}},
		"published": "2026-01-01T10:00:00Z"})
	for i, uri := range []string{unrelated, intoGroup} {
		h.send(t, a, map[string]any{"id": h.URL + "/announces/" + string(rune('a'+i)), "type": "Announce",
			"actor": group, "object": uri, "to": []any{public}})
	}
	settle(t, a)
	if p, err := a.DB.PostByURI(ctx, unrelated); err == nil && p.SubwikiID == groupHere.ID {
		t.Error("a post that does not name the group is filed under it")
	}
	p, err := a.DB.PostByURI(ctx, intoGroup)
	if err != nil || p.SubwikiID != groupHere.ID {
		t.Fatalf("the note posted into the group: %+v, %v", p, err)
	}
	// A reply in its thread names only whom it answers, as Mastodon's do;
	// it is a comment there.
	reply := m.put(t, map[string]any{"id": m.URL + "/notes/3", "type": "Note", "attributedTo": carol,
		"content": "<p>Roads closed too.</p>", "inReplyTo": intoGroup, "to": []any{public}, "cc": []any{carol},
		"published": "2026-01-01T10:30:00Z"})
	h.send(t, a, map[string]any{"id": h.URL + "/announces/c", "type": "Announce", "actor": group, "object": reply,
		"to": []any{public}})
	settle(t, a)
	if c, err := a.DB.PostByURI(ctx, reply); err != nil || c.ParentID != p.ID || c.SubwikiID != groupHere.ID {
		t.Errorf("the reply in the group's thread: %+v, %v", c, err)
	}

	// The group revises the headline three times, naming alice (here),
	// bob (on B) and gina (on the group's server) as the editors.
	editors := []string{actorOf(t, a, "alice").URI, actorOf(t, b, "bob").URI, gina}
	for i, editor := range editors {
		n := i + 2
		headline := "Flood warning, revision " + string(rune('0'+n))
		h.send(t, a, map[string]any{"id": h.URL + "/revisions/" + string(rune('0'+n)), "type": "Update", "actor": group,
			"object": map[string]any{"id": intoGroup, "type": "Note", "name": headline, "headlineRevision": n},
			"instrument": map[string]any{"id": h.URL + "/posts/2/revisions/" + string(rune('0'+n)), "type": "HeadlineRevision",
				"object": intoGroup, "attributedTo": editor, "name": headline, "headlineRevision": n,
				"summary": "Clearer.", "published": "2026-01-01T11:00:00Z"},
			"to": []any{public}})
		settle(t, a)
	}
	// And claims a revision of the post that is not its.
	h.send(t, a, map[string]any{"id": h.URL + "/revisions/x", "type": "Update", "actor": group,
		"object": map[string]any{"id": unrelated, "type": "Note", "name": "Taken over", "headlineRevision": 2},
		"instrument": map[string]any{"id": h.URL + "/posts/1/revisions/2", "type": "HeadlineRevision",
			"object": unrelated, "attributedTo": gina, "name": "Taken over", "headlineRevision": 2},
		"to": []any{public}})
	settle(t, a)

	revs, err := a.DB.HeadlineHistory(ctx, p.ID)
	if err != nil || len(revs) != 4 {
		t.Fatalf("history of the note: %d revisions, %v; want 4", len(revs), err)
	}
	for i, want := range []string{group, group, gina} {
		if r := revs[i+1]; r.Editor == nil || r.Editor.URI != want {
			t.Errorf("revision %d, naming %s as editor, is credited to %s; want %s", r.Number, editors[i], editorOf(r), want)
		}
	}
	if other, err := a.DB.PostByURI(ctx, unrelated); err == nil && other.Headline == "Taken over" {
		t.Error("the group revised the headline of a post that is not its")
	}
}

// TestOriginCreditsMembersHereOnlyForTheirProposals: a post's origin
// names a member here as the editor of a revision the member never
// proposed; it is credited to the post's author, who vouched for it.
// Once the member proposes a correction, the revision the origin makes
// of it is credited to the member.
func TestOriginCreditsMembersHereOnlyForTheirProposals(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	member(t, a, "alice")
	a.DB.Corrections.MinAccountAge = 0
	aliceURI := actorOf(t, a, "alice").URI
	h := startHostileServer(t)
	gina := h.actor(t, "Person", "gina", nil)
	followHostile(t, a, "alice", gina)

	public := "https://www.w3.org/ns/activitystreams#Public"
	postURI := h.URL + "/posts/1"
	history := postURI + "/history"
	start := time.Now().Add(-time.Hour).UTC()
	revisions := []any{map[string]any{"id": postURI + "/revisions/1", "type": "HeadlineRevision", "object": postURI,
		"attributedTo": gina, "name": "Bridge collapses", "headlineRevision": 1, "published": start.Format(time.RFC3339)}}
	postAt := func(n int, headline string, updated time.Time) map[string]any {
		return map[string]any{"id": postURI, "type": "Note", "attributedTo": gina, "name": headline,
			"content": "<p>Details.</p>", "history": history, "headlineRevision": n, "to": []any{public},
			"published": start.Format(time.RFC3339), "updated": updated.Format(time.RFC3339)}
	}
	revise := func(n int, editor, headline string, at time.Time) {
		revisions = append(revisions, map[string]any{"id": postURI + "/revisions/" + string(rune('0'+n)),
			"type": "HeadlineRevision", "object": postURI, "attributedTo": editor, "name": headline,
			"headlineRevision": n, "summary": "Accuracy.", "published": at.Format(time.RFC3339)})
		h.put(t, map[string]any{"id": history, "type": "OrderedCollection", "orderedItems": revisions})
		h.send(t, a, map[string]any{"id": postURI + "#updates/" + string(rune('0'+n)), "type": "Update", "actor": gina,
			"object": postAt(n, headline, at), "to": []any{public}})
		settle(t, a)
	}
	h.put(t, map[string]any{"id": history, "type": "OrderedCollection", "orderedItems": revisions})
	h.send(t, a, map[string]any{"id": postURI + "/activity", "type": "Create", "actor": gina,
		"object": postAt(1, "Bridge collapses", start), "to": []any{public}})
	settle(t, a)
	p, err := a.DB.PostByURI(ctx, postURI)
	if err != nil {
		t.Fatal(err)
	}

	revise(2, aliceURI, "Bridge partly collapses", start.Add(10*time.Minute))
	if _, err := a.DB.ProposeHeadline(ctx, storage.HeadlineEdit{PostID: p.ID, EditorID: memberOf(t, a, "alice").ID,
		BaseRevision: 2, Headline: "Bridge partly closed", Reason: "Only one lane is closed."}); err != nil {
		t.Fatal(err)
	}
	revise(3, aliceURI, "Bridge partly closed", start.Add(20*time.Minute))

	revs, err := a.DB.HeadlineHistory(ctx, p.ID)
	if err != nil || len(revs) != 3 {
		t.Fatalf("history: %d revisions, %v; want 3", len(revs), err)
	}
	if r := revs[1]; r.Editor == nil || r.Editor.URI != gina {
		t.Errorf("revision 2, which alice never proposed, is credited to %s; want the author %s", editorOf(r), gina)
	}
	if r := revs[2]; r.Editor == nil || r.Editor.URI != aliceURI {
		t.Errorf("revision 3, which alice proposed, is credited to %s; want alice", editorOf(r))
	}
}

// editorOf names the actor a revision is credited to.
func editorOf(r *storage.Revision) string {
	if r.Editor == nil {
		return "nobody"
	}
	return r.Editor.URI
}
