package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

// reblogAnswer decodes a status answer, checks its shape and that of
// the status it reblogs, and returns both.
func reblogAnswer(t *testing.T, ans answer) (wrapper, boosted map[string]any) {
	t.Helper()
	wantJSONAnswer(t, ans, http.StatusOK)
	var v any
	ans.json(t, &v)
	wrapper = wantStatusShape(t, v)
	boosted, _ = wrapper["reblog"].(map[string]any)
	if boosted == nil {
		t.Fatalf("status %v has no reblog", wrapper["id"])
	}
	wantStatusShape(t, boosted)
	return wrapper, boosted
}

func TestReblogAndUnreblog(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob, carol := ta.signedUpMember("alice"), ta.signedUpMember("bob"), ta.signedUpMember("carol")
	if _, err := ta.db.Follow(ctx, carol.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	p := ta.publish(alice, "Bridges need repair", "")
	bobToken := ta.tokenOf(bob, "read write:statuses write:favourites")

	wrapper, boosted := reblogAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/reblog", "", "", bobToken))
	account, _ := wrapper["account"].(map[string]any)
	if wrapper["id"] == p.ID || boosted["id"] != p.ID || account["id"] != bob.ID || wrapper["reblogged"] != true ||
		boosted["reblogged"] != true || boosted["reblogs_count"] != 1.0 || wrapper["content"] != "" {
		t.Fatalf("reblog = %v, want bob's reblog of %s, counted", wrapper, p.ID)
	}
	reblogID := wrapper["id"].(string)
	again, _ := reblogAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/reblog", "", "", bobToken))
	if again["id"] != reblogID {
		t.Errorf("reblogging twice answered %v, want the same reblog %s", again["id"], reblogID)
	}
	shown, _ := reblogAnswer(t, ta.call(http.MethodGet, "/api/v1/statuses/"+reblogID, "", "", ""))
	if shown["id"] != reblogID {
		t.Errorf("GET of the reblog answered %v", shown["id"])
	}

	carolToken := ta.tokenOf(carol, "read")
	if ids, _ := ta.timeline("/api/v1/timelines/home", carolToken); len(ids) != 1 || ids[0] != reblogID {
		t.Errorf("carol's home = %v, want bob's reblog %s", ids, reblogID)
	}
	if ids, _ := ta.timeline("/api/v1/accounts/"+bob.ID+"/statuses", ""); len(ids) != 1 || ids[0] != reblogID {
		t.Errorf("bob's statuses = %v, want his reblog", ids)
	}
	if ids, _ := ta.timeline("/api/v1/accounts/"+bob.ID+"/statuses?exclude_reblogs=true", ""); len(ids) != 0 {
		t.Errorf("bob's statuses without reblogs = %v, want none", ids)
	}
	var who []map[string]any
	ans := ta.call(http.MethodGet, "/api/v1/statuses/"+reblogID+"/reblogged_by", "", "", "")
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &who)
	if len(who) != 1 || who[0]["id"] != bob.ID {
		t.Errorf("reblogged_by = %v, want bob", who)
	}
	var notices []map[string]any
	ans = ta.call(http.MethodGet, "/api/v1/notifications", "", "", ta.tokenOf(alice, "read"))
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &notices)
	if len(notices) != 1 || notices[0]["type"] != "reblog" {
		t.Errorf("alice's notifications = %v, want bob's reblog", notices)
	} else if s, _ := notices[0]["status"].(map[string]any); s["id"] != p.ID {
		t.Errorf("the reblog notification's status = %v, want alice's post", s["id"])
	}

	// Apps act on a reblog's id as on its status's.
	ans = ta.call(http.MethodPost, "/api/v1/statuses/"+reblogID+"/favourite", "", "", bobToken)
	wantJSONAnswer(t, ans, http.StatusOK)
	if liked, _ := ta.db.LikedBy(ctx, bob.ID, []string{p.ID}); !liked[p.ID] {
		t.Error("favouriting the reblog did not like the post")
	}

	var s status
	ans = ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/unreblog", "", "", bobToken)
	wantJSONAnswer(t, ans, http.StatusOK)
	ans.json(t, &s)
	if s.ID != p.ID || s.Reblogged || s.ReblogsCount != 0 || s.Reblog != nil {
		t.Errorf("unreblog answered %s reblogged %v count %d, want the post, not reblogged", s.ID, s.Reblogged, s.ReblogsCount)
	}
	if ids, _ := ta.timeline("/api/v1/timelines/home", carolToken); len(ids) != 0 {
		t.Errorf("carol's home after the unreblog = %v, want nothing", ids)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/statuses/"+reblogID, "", "", ""), http.StatusNotFound)

	// Deleting one's reblog takes the boost back, as on Mastodon; no one
	// else may.
	wrapper, _ = reblogAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/"+p.ID+"/reblog", "", "", bobToken))
	second := wrapper["id"].(string)
	wantJSONAnswer(t, ta.call(http.MethodDelete, "/api/v1/statuses/"+second, "", "", ta.tokenOf(carol, "write")),
		http.StatusNotFound)
	wantJSONAnswer(t, ta.call(http.MethodDelete, "/api/v1/statuses/"+second, "", "", bobToken), http.StatusOK)
	if got, _ := ta.db.PostByID(ctx, p.ID); got == nil || got.AnnounceCount != 0 {
		t.Errorf("after deleting the reblog the post is %+v, want it kept, with no boost", got)
	}
}

func TestReblogRefusals(t *testing.T) {
	ta := startStatusAPI(t)
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	p := ta.publish(alice, "Bridges need repair", "")
	path := "/api/v1/statuses/" + p.ID + "/reblog"
	wantJSONAnswer(t, ta.call(http.MethodPost, path, "", "", ta.tokenOf(bob, "read")), http.StatusForbidden)
	wantJSONAnswer(t, ta.call(http.MethodPost, path, "", "", "not-a-token"), http.StatusUnauthorized)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/statuses/01NOPE/reblog", "", "", ta.tokenOf(bob, "write")),
		http.StatusNotFound)
	if got, _ := ta.db.PostByID(context.Background(), p.ID); got.AnnounceCount != 0 {
		t.Errorf("refused reblogs counted: %d", got.AnnounceCount)
	}
	if boosted, _ := ta.db.BoostedBy(context.Background(), bob.ID, []string{p.ID}); boosted[p.ID] {
		t.Error("a refused reblog was recorded")
	}
}

// TestStreamAReblog: a reblog by someone carol follows comes on her user
// stream as an update of the reblog status; one by someone she does not
// follow does not.
func TestStreamAReblog(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob, carol, dan := ta.signedUpMember("alice"), ta.signedUpMember("bob"), ta.signedUpMember("carol"),
		ta.signedUpMember("dan")
	if _, err := ta.db.Follow(ctx, carol.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	p := ta.publish(alice, "Bridges need repair", "")
	stream := ta.openStream(ta.tokenOf(carol, "read"), "")
	stream.send(`{"type":"subscribe","stream":"user"}`)
	stream.syncStream()

	if err := ta.db.BoostPost(ctx, dan.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := ta.db.BoostPost(ctx, bob.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	entry, err := ta.db.MemberBoostEntry(ctx, bob.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	name, event, payload := stream.nextEvent()
	var v any
	if err := json.Unmarshal([]byte(payload), &v); err != nil {
		t.Fatalf("payload %q: %v", payload, err)
	}
	st := wantStatusShape(t, v)
	reblog, _ := st["reblog"].(map[string]any)
	if name != "user" || event != "update" || st["id"] != entry.EntryID() || reblog["id"] != p.ID {
		t.Errorf("got %s on %q of %v (reblog %v), want an update of bob's reblog %s", event, name, st["id"], reblog["id"], entry.EntryID())
	}
}
