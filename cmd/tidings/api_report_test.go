package main

import (
	"net/http"
	"net/url"
	"testing"
)

// TestReportFromAnAppInTheFlagQueue reports a post from an app, as Elk
// does with a rule, and finds the flag in the admins' queue on the site.
func TestReportFromAnAppInTheFlagQueue(t *testing.T) {
	inst := startInstance(t, nil)
	admin := createAdmin(t, inst, "ada")
	alice := member(t, inst, "alice")
	member(t, inst, "bob")
	wantStatus(t, alice.post("/compose", url.Values{"kind": {"discussion"}, "headline": {"Moon made of cheese"},
		"text": {"Scientists agree."}, "action": {"publish"}}), http.StatusSeeOther)
	post := latestPost(t, inst, "alice")
	token := memberToken(t, inst, "bob", "write:reports")

	rep := apiCall(t, inst, http.MethodPost, "/api/v1/reports", "application/json", `{"account_id":"`+post.AuthorID+
		`","status_ids":["`+post.ID+`"],"comment":"No source at all.","category":"violation","rule_ids":["false_news"]}`, token)
	wantAPIStatus(t, rep, http.StatusOK)
	if rep.str("category") != "violation" || rep.JSON["action_taken"] != false {
		t.Errorf("report = %s", rep.Body)
	}
	wantBody(t, admin.get("/admin/flags"), "Moon made of cheese", "False or fabricated news: 1",
		"<blockquote>No source at all.</blockquote>")
}
