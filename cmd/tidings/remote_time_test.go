package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// TestRemoteTimesOutOfRange: another server sends notes dated 1900 (and
// edited in the year 3000) by an account it says was made in 1800, one
// mentioning a member and one posted into a subwiki. Both are kept, with
// their times brought into range (not before 1970, never in the future),
// and the pages that show them work.
func TestRemoteTimesOutOfRange(t *testing.T) {
	ctx := context.Background()
	inst := startInstance(t, federating)
	alice := member(t, inst, "alice")
	aliceActor := actorOf(t, inst, "alice")
	s, err := inst.DB.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "history", Title: "History"}, aliceActor.ID)
	if err != nil {
		t.Fatal(err)
	}
	subwiki := inst.DB.Site.SubwikiURI("history")
	h := startHostileServer(t)
	mallory := h.actor(t, "Person", "mallory", map[string]any{"published": "1800-01-01T00:00:00Z"})

	mention := map[string]any{
		"id": h.URL + "/notes/1", "type": "Note", "attributedTo": mallory,
		"content":   "<p>@alice Old news from the archive</p>",
		"published": "1900-01-01T00:00:00Z", "updated": "3000-01-01T00:00:00Z",
		"to":  []any{aliceActor.URI},
		"tag": []any{map[string]any{"type": "Mention", "href": aliceActor.URI, "name": "@alice"}},
	}
	intoSubwiki := map[string]any{
		"id": h.URL + "/notes/2", "type": "Note", "attributedTo": mallory,
		"content":   "<p>Dispatch from 1900</p>",
		"published": "1900-01-01T00:00:00Z",
		"to":        []any{"https://www.w3.org/ns/activitystreams#Public", subwiki},
	}
	for _, note := range []map[string]any{mention, intoSubwiki} {
		h.send(t, inst, map[string]any{"id": note["id"].(string) + "/activity", "type": "Create",
			"actor": mallory, "object": note, "to": note["to"]})
	}
	var posts []*storage.Post
	waitFor(t, "both notes kept", 15*time.Second, func() bool {
		posts = posts[:0]
		for _, uri := range []string{h.URL + "/notes/1", h.URL + "/notes/2"} {
			if p, err := inst.DB.PostByURI(ctx, uri); err == nil {
				posts = append(posts, p)
			}
		}
		return len(posts) == 2
	})
	epoch := time.Unix(0, 0)
	for _, p := range posts {
		if p.Published.Before(epoch) || p.Published.After(time.Now()) {
			t.Errorf("%s published %v, want between 1970 and now", p.URI, p.Published)
		}
		if p.Updated.After(time.Now()) {
			t.Errorf("%s updated %v, in the future", p.URI, p.Updated)
		}
	}
	if posts[1].SubwikiID != s.ID {
		t.Errorf("the note posted into the subwiki is in %q, want %q", posts[1].SubwikiID, s.ID)
	}
	if a, err := inst.DB.ActorByURI(ctx, mallory); err != nil || !a.Published.IsZero() {
		t.Errorf("the account made in 1800 is stored as published %v (%v), want unknown", a.Published, err)
	}

	page := alice.get("/s/history")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "Dispatch from 1900")
	wantStatus(t, alice.get("/notifications"), http.StatusOK)
}
