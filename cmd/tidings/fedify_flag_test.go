package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// TestFlagReachesFedifyPeer: bob flags a note of the Fedify peer and
// asks to forward it; the peer's inbox gets a Flag in Mastodon's shape,
// from the instance actor, naming the peer's actor and the note, with
// the reason in content.
func TestFlagReachesFedifyPeer(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, federating)
	bob := member(t, inst, "bob")
	peer := startFedifyPeer(t)
	bobActor := actorOf(t, inst, "bob")
	noteID := peer.post(t, map[string]any{"content": "<p>@bob buy followers here</p>", "mention": bobActor.URI})
	waitFor(t, "the peer's note on Tidings", 15*time.Second, func() bool {
		_, err := inst.DB.PostByURI(ctx, noteID)
		return err == nil
	})
	note, _ := inst.DB.PostByURI(ctx, noteID)

	page := bob.get("/posts/" + note.ID)
	wantBody(t, page, `name="forward" value="1" checked`)
	wantStatus(t, bob.post("/posts/"+note.ID+"/flag", url.Values{"category": {"spam"}, "comment": {"Selling followers"},
		"forward": {"1"}}), http.StatusSeeOther)

	var flag peerActivity
	waitFor(t, "the Flag in the peer's inbox", 15*time.Second, func() bool {
		flags := peer.inbox(t, "Flag")
		if len(flags) > 0 {
			flag = flags[0]
		}
		return len(flags) > 0
	})
	var body struct {
		Actor   string   `json:"actor"`
		Object  []string `json:"object"`
		Content string   `json:"content"`
	}
	if err := json.Unmarshal(flag.Body, &body); err != nil {
		t.Fatalf("the Flag as posted: %v: %s", err, flag.Body)
	}
	if body.Actor != inst.DB.Site.InstanceActorURI() || !slices.Equal(body.Object, []string{peer.Actor, noteID}) ||
		body.Content != "Spam: Selling followers" {
		t.Errorf("the peer got %s; want the instance actor's Flag of the peer and its note, with the reason", flag.Body)
	}
}
