package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBanFromSubwikiOnTheWeb: a moderator bans a member from the bans
// page; the member's posts, comments and likes there are refused with a
// clear 403; an admin may lift the ban; both are in the public log.
func TestBanFromSubwikiOnTheWeb(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	bob := member(t, inst, "bob")
	carol := member(t, inst, "carol")
	root := createAdmin(t, inst, "ada")
	createSubwiki(t, alice, "town", "Town", nil)
	id := subwikiID(t, inst, "town")
	postID := publish(t, alice, url.Values{"kind": {"discussion"}, "subwiki": {id}, "headline": {"Town hall tonight"}, "text": {"Agenda"}})

	wantBody(t, alice.get("/s/town/settings"), `href="/s/town/bans"`)
	wantStatus(t, carol.get("/s/town/bans"), http.StatusForbidden)
	p := carol.post("/s/town/bans", url.Values{"account": {"bob"}})
	wantStatus(t, p, http.StatusForbidden)

	alice.get("/s/town/bans")
	p = alice.post("/s/town/bans", url.Values{"account": {"bob"}, "reason": {"Spam"}, "until": {"yesterday"}})
	wantStatus(t, p, http.StatusBadRequest)
	wantBody(t, p, "must be a date", `value="bob"`)
	p = alice.post("/s/town/bans", url.Values{"account": {"nobody"}})
	wantStatus(t, p, http.StatusNotFound)
	p = alice.post("/s/town/bans", url.Values{"account": {"@bob"}, "reason": {"Spam"}, "until": {"2999-01-31"}})
	wantStatus(t, p, http.StatusSeeOther)
	page := alice.get("/s/town/bans")
	wantBody(t, page, "is banned from s/town", "@bob@"+inst.Config.Server.Domain, "Spam", "until 1 February 2999")

	bob.get("/compose")
	p = bob.post("/compose", url.Values{"action": {"publish"}, "kind": {"discussion"}, "subwiki": {id},
		"headline": {"Buy now"}, "text": {"cheap"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "You are banned from this subwiki until")
	bob.get("/posts/" + postID)
	wantStatus(t, bob.post("/posts/"+postID+"/comments", url.Values{"text": {"buy"}}), http.StatusForbidden)
	wantStatus(t, bob.post("/posts/"+postID+"/like", nil), http.StatusForbidden)

	// The admin, no moderator of s/town, lifts it.
	page = root.get("/s/town/bans")
	wantStatus(t, page, http.StatusOK)
	banID := between(t, page.Body, `action="/s/town/bans/`, `/lift"`)
	wantStatus(t, root.post("/s/town/bans/"+banID+"/lift", nil), http.StatusSeeOther)
	wantBody(t, root.get("/s/town/bans"), "The ban is lifted.", "Nobody is banned from s/town.")
	publish(t, bob, url.Values{"kind": {"discussion"}, "subwiki": {id}, "headline": {"Sorry"}, "text": {"x"}})

	log, err := inst.DB.ModerationLog(t.Context(), id, "", 10)
	if err != nil || len(log) != 2 || log[0].Action != "unban_member" || log[1].Action != "ban_member" || log[1].Reason != "Spam" {
		t.Errorf("the log = %v, %v; want the ban and its lifting", log, err)
	}
}

// between returns the text of s between the first start and the end
// after it.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		t.Fatalf("no %q in:\n%s", start, s)
	}
	got, _, ok := strings.Cut(rest, end)
	if !ok {
		t.Fatalf("no %q after %q", end, start)
	}
	return got
}
