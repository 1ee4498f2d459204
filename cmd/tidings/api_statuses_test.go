package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// memberToken signs the member in through an app with the scopes.
func memberToken(t *testing.T, inst *instance, username, scopes string) string {
	t.Helper()
	ctx := context.Background()
	m, err := inst.DB.MemberByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	app, err := inst.DB.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Elk",
		RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read write follow push"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := inst.DB.IssueMemberToken(ctx, app.ID, m.ID, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// TestStatusFromAnAppOnTheSite posts a link from an app, as Elk does, and
// finds it on the site: a news post headlined as the linked page, whose
// like from another app the post's page counts.
func TestStatusFromAnAppOnTheSite(t *testing.T) {
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Harbour reopens after the storm</title></head><body></body></html>`)
	}))
	defer news.Close()
	inst := startInstance(t, federating)
	alice, bob := newVisitor(t, inst), newVisitor(t, inst)
	alice.signUp("alice", "correct horse battery", nil)
	bob.signUp("bob", "correct horse battery", nil)
	aliceToken := memberToken(t, inst, "alice", "read write")
	bobToken := memberToken(t, inst, "bob", "read write")

	link := news.URL + "/harbour"
	body, _ := json.Marshal(map[string]string{"status": "Good news for the fishers " + link})
	a := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json", string(body), aliceToken)
	wantAPIStatus(t, a, http.StatusOK)
	id := a.str("id")

	page := alice.get("/posts/" + id)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "Harbour reopens after the storm", "Good news for the fishers", strings.TrimPrefix(link, "http://"))

	a = apiCall(t, inst, http.MethodPost, "/api/v1/statuses/"+id+"/favourite", "", "", bobToken)
	wantAPIStatus(t, a, http.StatusOK)
	if a.JSON["favourites_count"] != 1.0 || a.JSON["favourited"] != true {
		t.Errorf("favourite answered count %v, favourited %v", a.JSON["favourites_count"], a.JSON["favourited"])
	}
	wantBody(t, bob.get("/posts/"+id), `aria-pressed="true"`, `<span class="like-count">1</span>`)

	local := getJSONArray(t, inst, "/api/v1/timelines/public?local=true", "")
	if len(local) != 1 || local[0]["id"] != id {
		t.Errorf("local timeline = %v, want the post", local)
	}
}

// TestStatusesCountAgainstThePostLimit checks that an app posts no faster
// than the compose page allows: the site's limits on posts and comments
// hold for statuses.
func TestStatusesCountAgainstThePostLimit(t *testing.T) {
	inst := startInstance(t, func(c *Config) {
		c.Limits.PostsPerHour, c.Limits.CommentsPerHour = 1, 1
	})
	newVisitor(t, inst).signUp("alice", "correct horse battery", nil)
	token := memberToken(t, inst, "alice", "write")

	first := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json", `{"status":"One a day"}`, token)
	wantAPIStatus(t, first, http.StatusOK)
	second := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json", `{"status":"Two a day"}`, token)
	wantAPIStatus(t, second, http.StatusTooManyRequests)
	if !strings.Contains(second.str("error"), "You can post again in") {
		t.Errorf("error = %q, want the site's refusal", second.str("error"))
	}
	reply := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"A comment","in_reply_to_id":"`+first.str("id")+`"}`, token)
	wantAPIStatus(t, reply, http.StatusOK)
	again := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"Another","in_reply_to_id":"`+first.str("id")+`"}`, token)
	wantAPIStatus(t, again, http.StatusTooManyRequests)
}
