package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestMarkers(t *testing.T) {
	ta := startStatusAPI(t)
	ctx := context.Background()
	alice, bob, carol := ta.signedUpMember("alice"), ta.signedUpMember("bob"), ta.signedUpMember("carol")
	for _, m := range []string{bob.ID, carol.ID} {
		if _, err := ta.db.Follow(ctx, m, alice.ID); err != nil {
			t.Fatal(err)
		}
	}
	token := ta.tokenOf(alice, "read write")
	path := "/api/v1/markers?timeline[]=home&timeline[]=notifications"

	ans := ta.call(http.MethodGet, path, "", "", token)
	wantJSONAnswer(t, ans, http.StatusOK)
	if strings.TrimSpace(ans.Body) != "{}" {
		t.Errorf("markers before any = %s, want {}", ans.Body)
	}

	list, _ := ta.notificationsOf("/api/v1/notifications", token)
	older := list[1]["id"].(string)
	ans = ta.call(http.MethodPost, "/api/v1/markers", "application/json",
		`{"notifications":{"last_read_id":"`+older+`"}}`, token)
	wantJSONAnswer(t, ans, http.StatusOK)
	var set map[string]map[string]any
	ans.json(t, &set)
	if n := set["notifications"]; n["last_read_id"] != older || n["version"] != float64(1) || !isAPITime(n["updated_at"].(string)) {
		t.Errorf("set marker = %v", set)
	}
	if unread, err := ta.db.UnreadNotifications(ctx, alice.ID); err != nil || unread != 1 {
		t.Errorf("unread after the marker = %d (%v), want the newer one only", unread, err)
	}

	ans = ta.call(http.MethodPost, "/api/v1/markers", "application/x-www-form-urlencoded",
		"home[last_read_id]=01HOME&notifications[last_read_id]="+list[0]["id"].(string), token)
	wantJSONAnswer(t, ans, http.StatusOK)
	ans = ta.call(http.MethodGet, path, "", "", token)
	var got map[string]map[string]any
	ans.json(t, &got)
	if got["home"]["last_read_id"] != "01HOME" || got["home"]["version"] != float64(1) ||
		got["notifications"]["version"] != float64(2) {
		t.Errorf("markers = %v, want home at 01HOME v1, notifications v2", got)
	}
	ans = ta.call(http.MethodGet, "/api/v1/markers?timeline[]=home", "", "", token)
	var home map[string]any
	ans.json(t, &home)
	if _, ok := home["notifications"]; ok || len(home) != 1 {
		t.Errorf("home marker only = %v", home)
	}

	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/markers", "application/json", `{}`, token),
		http.StatusUnprocessableEntity)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/markers", "application/json", `{"home":{"last_read_id":""}}`, token),
		http.StatusUnprocessableEntity)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/markers", "application/json", `{"home":{"last_read_id":"1"}}`,
		ta.tokenOf(alice, "read")), http.StatusForbidden)
	wantJSONAnswer(t, ta.call(http.MethodGet, path, "", "", ""), http.StatusUnauthorized)
	if other := ta.call(http.MethodGet, path, "", "", ta.tokenOf(bob, "read")); strings.TrimSpace(other.Body) != "{}" {
		t.Errorf("bob's markers = %s, want {}", other.Body)
	}
}
