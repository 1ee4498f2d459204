package api

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// nextPagePath is the path of the Link header's rel="next", "" for none.
func nextPagePath(t *testing.T, ta *testAPI, a answer) string {
	t.Helper()
	m := regexp.MustCompile(`<([^>]+)>; rel="next"`).FindStringSubmatch(a.Header.Get("Link"))
	if m == nil {
		return ""
	}
	if !strings.HasPrefix(m[1], ta.URL) {
		t.Fatalf("next link %s is not on %s", m[1], ta.URL)
	}
	return strings.TrimPrefix(m[1], ta.URL)
}

func TestFollowersPageThrough(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice := ta.signedUpMember("alice")
	var want []string
	for i := range 5 {
		m := ta.signedUpMember(fmt.Sprintf("fan%d", i))
		if _, err := ta.db.Follow(ctx, m.ID, alice.ID); err != nil {
			t.Fatal(err)
		}
		want = append([]string{m.Username}, want...) // newest follow first
	}
	var got []string
	next := "/api/v1/accounts/" + alice.ID + "/followers?limit=2"
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		a := ta.call(http.MethodGet, next, "", "", "")
		wantJSONAnswer(t, a, http.StatusOK)
		list := a.jsonList(t)
		for _, v := range list {
			wantAccountShape(t, v)
		}
		got = append(got, accts(list)...)
		next = nextPagePath(t, ta, a)
		if len(list) == 0 {
			break
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("followers paged = %v, want %v", got, want)
	}
	a := ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID+"/following", "", "", "")
	wantJSONAnswer(t, a, http.StatusOK)
	if got := accts(a.jsonList(t)); len(got) != 0 {
		t.Errorf("alice follows %v, want nobody", got)
	}
	fan, _ := ta.db.MemberByUsername(ctx, "fan0")
	if got := accts(ta.call(http.MethodGet, "/api/v1/accounts/"+fan.ID+"/following", "", "", "").jsonList(t)); strings.Join(got, " ") != "alice" {
		t.Errorf("fan0 follows %v, want alice", got)
	}
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/accounts/01ARZ3NDEKTSV4RRFFQ69G5FAV/followers", "", "", ""), http.StatusNotFound)
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID+"/followers?limit=many", "", "", ""), http.StatusUnprocessableEntity)
}

func TestHiddenNetworkIsEmptyToOthers(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice, bob := ta.signedUpMember("alice"), ta.signedUpMember("bob")
	if _, err := ta.db.Follow(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	hide := true
	if _, err := ta.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{HideNetwork: &hide}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		who, token string
		want       int
	}{
		{"a visitor", "", 0},
		{"bob", ta.tokenOf(bob, "read"), 0},
		{"alice herself", ta.tokenOf(alice, "read"), 1},
	} {
		a := ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID+"/followers", "", "", tt.token)
		wantJSONAnswer(t, a, http.StatusOK)
		if got := len(a.jsonList(t)); got != tt.want {
			t.Errorf("%s sees %d followers of alice, want %d", tt.who, got, tt.want)
		}
	}
	var v any
	ta.call(http.MethodGet, "/api/v1/accounts/"+alice.ID, "", "", "").json(t, &v)
	if jsonAt(v, "hide_collections") != true || jsonAt(v, "followers_count") != 1.0 {
		t.Errorf("alice's account = %v, want hide_collections and her count", v)
	}
}

func TestFollowRequestsBlocksAndMutes(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	alice, bob, cat := ta.signedUpMember("alice"), ta.signedUpMember("bob"), ta.signedUpMember("cat")
	locked := true
	if _, err := ta.db.UpdateProfile(ctx, alice.ID, storage.ProfileUpdate{ManuallyApprovesFollowers: &locked}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*storage.Member{bob, cat} {
		if _, err := ta.db.Follow(ctx, m.ID, alice.ID); err != nil {
			t.Fatal(err)
		}
	}
	token := ta.tokenOf(alice, "read write follow")
	a := ta.call(http.MethodGet, "/api/v1/follow_requests", "", "", token)
	wantJSONAnswer(t, a, http.StatusOK)
	if got := accts(a.jsonList(t)); strings.Join(got, " ") != "cat bob" {
		t.Errorf("follow requests = %v, want cat bob", got)
	}
	var v any
	ta.call(http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", token).json(t, &v)
	if got := jsonAt(v, "source", "follow_requests_count"); got != 2.0 {
		t.Errorf("follow_requests_count = %v, want 2", got)
	}
	a = ta.call(http.MethodPost, "/api/v1/follow_requests/"+bob.ID+"/authorize", "", "", token)
	wantJSONAnswer(t, a, http.StatusOK)
	a.json(t, &v)
	wantRelationship(t, "authorize bob", v, map[string]any{"followed_by": true, "requested_by": false})
	ta.call(http.MethodPost, "/api/v1/follow_requests/"+cat.ID+"/reject", "", "", token).json(t, &v)
	wantRelationship(t, "reject cat", v, map[string]any{"followed_by": false, "requested_by": false})
	if f, _ := ta.db.FollowBetween(ctx, cat.ID, alice.ID); f != nil {
		t.Errorf("cat's follow = %+v after rejection", f)
	}
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/follow_requests/"+cat.ID+"/authorize", "", "", token), http.StatusNotFound)

	for _, step := range []func() error{
		func() error { return ta.db.Block(ctx, alice.ID, bob.ID) },
		func() error { return ta.db.Mute(ctx, alice.ID, cat.ID) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		path, want string
	}{
		{"/api/v1/blocks", "bob"},
		{"/api/v1/mutes", "cat"},
	} {
		a := ta.call(http.MethodGet, tt.path, "", "", token)
		wantJSONAnswer(t, a, http.StatusOK)
		list := a.jsonList(t)
		for _, v := range list {
			wantAccountShape(t, v)
		}
		if got := accts(list); strings.Join(got, " ") != tt.want {
			t.Errorf("%s = %v, want %s", tt.path, got, tt.want)
		}
		wantJSONAnswer(t, ta.call(http.MethodGet, tt.path, "", "", ""), http.StatusUnauthorized)
		wantJSONAnswer(t, ta.call(http.MethodGet, tt.path, "", "", ta.tokenOf(alice, "read:accounts")), http.StatusForbidden)
	}
}
