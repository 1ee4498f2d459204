package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/federation"
	"github.com/tidings-social/tidings/storage"
)

// forward delivers an activity to the instance's shared inbox signed by
// signer, an actor of this server: another than the activity's actor, as
// a server passes on a reply it received, or the actor itself (send). It
// returns the inbox's answer.
func (s *hostileServer) forward(t *testing.T, inst *instance, activity map[string]any, signer string) (int, string) {
	t.Helper()
	activity["@context"] = "https://www.w3.org/ns/activitystreams"
	body, err := json.Marshal(activity)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, inst.URL+"/inbox", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := federation.SignRequest(req, body, signer+"#main-key", hostileKey(), time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	reason, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(reason))
}

// unpublish stops serving the document with the id: it answers 404.
func (s *hostileServer) unpublish(id string) {
	s.mu.Lock()
	delete(s.docs, strings.TrimPrefix(id, s.URL))
	s.mu.Unlock()
}

// TestForwardedReplyTakenFromItsOrigin: a third server passes on a reply
// by an account of a second server to a member's post (as Mastodon
// forwards replies, with an LD signature Tidings does not check). It is
// taken, but from the reply's origin, never from the forwarded copy; a
// forwarded Delete counts only once the origin no longer has the reply;
// any other forwarded activity is refused.
func TestForwardedReplyTakenFromItsOrigin(t *testing.T) {
	ctx := context.Background()
	a := startInstance(t, federating)
	alice := member(t, a, "alice")
	alice.get("/compose")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"The bridge reopens"},
		"text": {"Work is done."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, a, "alice")

	origin := startHostileServer(t)
	carol := origin.actor(t, "Person", "carol", nil)
	public := "https://www.w3.org/ns/activitystreams#Public"
	note := map[string]any{"id": origin.URL + "/notes/1", "type": "Note", "attributedTo": carol,
		"content": "<p>Good news for commuters.</p>", "inReplyTo": post.URI, "to": []any{public},
		"cc": []any{actorOf(t, a, "alice").URI}, "published": "2026-01-01T10:00:00Z"}
	reply := origin.put(t, note)
	forwarder := startHostileServer(t)
	dave := forwarder.actor(t, "Person", "dave", nil)

	tampered := map[string]any{}
	for k, v := range note {
		tampered[k] = v
	}
	tampered["content"] = "<p>Tampered on the way.</p>"
	create := map[string]any{"id": origin.URL + "/creates/1", "type": "Create", "actor": carol,
		"object": tampered, "to": []any{public}}
	if status, reason := forwarder.forward(t, a, create, dave); status != http.StatusAccepted {
		t.Fatalf("a forwarded reply: %d %s, want 202", status, reason)
	}
	settle(t, a)
	comment, err := a.DB.PostByURI(ctx, reply)
	if err != nil {
		t.Fatalf("the forwarded reply was not kept: %v", err)
	}
	if !strings.Contains(comment.Content, "Good news for commuters.") || comment.ParentID != post.ID {
		t.Errorf("the kept reply: content %q, parent %q; want the origin's content under %q", comment.Content, comment.ParentID, post.ID)
	}
	thread := newVisitor(t, a).get("/posts/" + post.ID)
	wantBody(t, thread, "Good news for commuters.")
	if strings.Contains(thread.Body, "Tampered") {
		t.Error("the thread shows the forwarded copy's content")
	}

	// Other activities forwarded are refused.
	like := map[string]any{"id": origin.URL + "/likes/1", "type": "Like", "actor": carol, "object": post.URI}
	if status, reason := forwarder.forward(t, a, like, dave); status != http.StatusUnauthorized {
		t.Errorf("a forwarded Like: %d %s, want 401", status, reason)
	}

	// A forwarded Delete of a reply its origin still has changes nothing;
	// once the origin answers 404, it is carried out.
	del := func(n string) map[string]any {
		return map[string]any{"id": origin.URL + "/deletes/" + n, "type": "Delete", "actor": carol,
			"object": map[string]any{"id": reply, "type": "Tombstone"}, "to": []any{public}}
	}
	if status, reason := forwarder.forward(t, a, del("1"), dave); status != http.StatusAccepted {
		t.Fatalf("a forwarded Delete: %d %s, want 202", status, reason)
	}
	settle(t, a)
	if _, err := a.DB.PostByURI(ctx, reply); err != nil {
		t.Errorf("a forwarded Delete of a reply its origin still serves removed it: %v", err)
	}
	origin.unpublish(reply)
	if status, reason := forwarder.forward(t, a, del("2"), dave); status != http.StatusAccepted {
		t.Fatalf("a forwarded Delete: %d %s, want 202", status, reason)
	}
	settle(t, a)
	if _, err := a.DB.PostByURI(ctx, reply); storage.ErrorCode(err) != storage.ENotFound {
		t.Errorf("after a forwarded Delete of a reply its origin no longer has: %v, want not found", err)
	}
}
