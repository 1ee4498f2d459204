package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// relationshipKeys are the fields of a Relationship, with their types.
var relationshipKeys = map[string]string{
	"id": "string", "following": "bool", "showing_reblogs": "bool", "notifying": "bool",
	"followed_by": "bool", "blocking": "bool", "blocked_by": "bool", "muting": "bool",
	"muting_notifications": "bool", "requested": "bool", "requested_by": "bool",
	"domain_blocking": "bool", "endorsed": "bool", "note": "string", "languages": "array",
}

// wantRelationship fails unless v is a Relationship whose fields named in
// want have those values.
func wantRelationship(t *testing.T, what string, v any, want map[string]any) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: relationship = %v, want an object", what, v)
	}
	wantKeys(t, what+": relationship", m, relationshipKeys)
	for key, value := range want {
		if m[key] != value {
			t.Errorf("%s: %s = %v, want %v", what, key, m[key], value)
		}
	}
}

func TestFollowAndRelationships(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	carol := ta.remoteAccount(storage.KindPerson, "carol", "remote.example", nil)
	climate, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := ta.tokenOf(alice, "read write follow")
	post := func(path string) answer { return ta.call(http.MethodPost, path, "", "", token) }
	acc := "/api/v1/accounts/"

	a := post(acc + bob.ID + "/follow")
	wantJSONAnswer(t, a, http.StatusOK)
	var v any
	a.json(t, &v)
	wantRelationship(t, "follow bob", v, map[string]any{"id": bob.ID, "following": true, "requested": false, "showing_reblogs": true})
	if f, err := ta.db.FollowBetween(ctx, alice.ID, bob.ID); err != nil || f == nil || f.State != storage.FollowAccepted {
		t.Errorf("follow of bob = %+v, %v; want accepted", f, err)
	}

	post(acc+carol.ID+"/follow").json(t, &v)
	wantRelationship(t, "follow carol", v, map[string]any{"following": false, "requested": true})

	post(acc+climate.ID+"/follow").json(t, &v)
	wantRelationship(t, "join climate", v, map[string]any{"following": true})
	if f, _ := ta.db.FollowBetween(ctx, alice.ID, climate.ID); f == nil || f.State != storage.FollowAccepted {
		t.Errorf("membership of climate = %+v, want accepted", f)
	}

	if _, err := ta.db.Follow(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	a = ta.call(http.MethodGet, acc+"relationships?id[]="+bob.ID+"&id[]="+carol.ID+"&id[]=01ARZ3NDEKTSV4RRFFQ69G5FAV&id[]="+bob.ID, "", "", token)
	wantJSONAnswer(t, a, http.StatusOK)
	list := a.jsonList(t)
	if len(list) != 2 {
		t.Fatalf("relationships = %v, want bob's and carol's", list)
	}
	wantRelationship(t, "bob", list[0], map[string]any{"id": bob.ID, "following": true, "followed_by": true})
	wantRelationship(t, "carol", list[1], map[string]any{"id": carol.ID, "requested": true, "followed_by": false})

	post(acc+bob.ID+"/mute").json(t, &v)
	wantRelationship(t, "mute bob", v, map[string]any{"muting": true, "muting_notifications": true, "following": true})
	if state, _ := ta.db.MuteStateOf(ctx, alice.ID, bob.ID); !state.Muted {
		t.Error("bob is not muted after mute")
	}
	post(acc+bob.ID+"/unmute").json(t, &v)
	wantRelationship(t, "unmute bob", v, map[string]any{"muting": false})

	post(acc+bob.ID+"/block").json(t, &v)
	wantRelationship(t, "block bob", v, map[string]any{"blocking": true, "following": false, "followed_by": false})
	ta.call(http.MethodGet, acc+"relationships?id[]="+alice.ID, "", "", ta.tokenOf(bob, "read")).json(t, &list)
	wantRelationship(t, "bob's view", list[0], map[string]any{"blocked_by": true})
	post(acc+bob.ID+"/unblock").json(t, &v)
	wantRelationship(t, "unblock bob", v, map[string]any{"blocking": false})

	post(acc+climate.ID+"/unfollow").json(t, &v)
	wantRelationship(t, "leave climate", v, map[string]any{"following": false})
	if f, _ := ta.db.FollowBetween(ctx, alice.ID, climate.ID); f != nil {
		t.Errorf("membership of climate = %+v after leaving", f)
	}

	refusals := []struct {
		what, path, token string
		status            int
	}{
		{"no token", acc + bob.ID + "/follow", "", http.StatusUnauthorized},
		{"bad token", acc + bob.ID + "/follow", "nope", http.StatusUnauthorized},
		{"read only", acc + bob.ID + "/follow", ta.tokenOf(alice, "read"), http.StatusForbidden},
		{"mute needs write:mutes", acc + bob.ID + "/mute", ta.tokenOf(alice, "write:follows"), http.StatusForbidden},
		{"block needs write:blocks", acc + bob.ID + "/block", ta.tokenOf(alice, "write:mutes"), http.StatusForbidden},
		{"oneself", acc + alice.ID + "/follow", token, http.StatusUnprocessableEntity},
		{"block a subwiki", acc + climate.ID + "/block", token, http.StatusUnprocessableEntity},
		{"nobody", acc + "01ARZ3NDEKTSV4RRFFQ69G5FAV/follow", token, http.StatusNotFound},
	}
	for _, tt := range refusals {
		a := ta.call(http.MethodPost, tt.path, "", "", tt.token)
		wantJSONAnswer(t, a, tt.status)
		a.json(t, &v)
		if jsonAt(v, "error") == nil {
			t.Errorf("%s: body = %s, want an error", tt.what, a.Body)
		}
	}
	if a := ta.call(http.MethodGet, acc+"relationships?id[]="+bob.ID, "", "", ""); a.Status != http.StatusUnauthorized {
		t.Errorf("relationships without a token: status = %d, want 401", a.Status)
	}
}
