package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// TestFlagFromThePostAndModerateFromTheQueue: a member flags a post in a
// subwiki from its page, without JavaScript; a second flag is refused;
// the subwiki's moderator sees it in the queue, grouped, with the
// reporter's comment, and dismisses it; the reporter sees the new state;
// the queue is closed to others, and the admin's queue holds the flag of
// an account.
func TestFlagFromThePostAndModerateFromTheQueue(t *testing.T) {
	c := newCorrectionSite(t) // alice moderates s/science; bob and carol are members
	admin := createAdmin(t, c.inst, "ada")

	page := c.bob.get(c.postPath)
	wantBody(t, page, `action="`+c.postPath+`/flag"`, `<option value="misleading_headline">Misleading headline</option>`,
		`name="comment"`)
	if strings.Contains(page.Body, `name="forward"`) {
		t.Error("a local post's flag form offers to forward it")
	}
	flag := url.Values{"category": {"misleading_headline"}, "comment": {"The trial was tiny."}}
	p := c.bob.post(c.postPath+"/flag", flag)
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != c.postPath {
		t.Errorf("after flagging, redirected to %q, want the post", p.Location)
	}
	wantBody(t, c.bob.get(c.postPath), "the moderators have your flag")
	wantStatus(t, c.bob.post(c.postPath+"/flag", flag), http.StatusConflict)
	c.carol.get(c.postPath)
	wantStatus(t, c.carol.post(c.postPath+"/flag", url.Values{"category": {"nonsense"}}), http.StatusBadRequest)
	wantStatus(t, c.carol.post("/posts/nope/flag", url.Values{"category": {"spam"}}), http.StatusNotFound)
	wantStatus(t, c.carol.post(c.postPath+"/flag", url.Values{"category": {"spam"}}), http.StatusSeeOther)
	if p := newVisitor(t, c.inst).post(c.postPath+"/flag", url.Values{"category": {"spam"}}); p.Status == http.StatusSeeOther {
		t.Errorf("a visitor's flag was taken: %d", p.Status)
	}

	// A comment has its own form; flagging it goes to the same queue.
	c.alice.get(c.postPath)
	wantStatus(t, c.alice.post(c.postPath+"/comments", url.Values{"text": {"Buy pills at pills.example"}}), http.StatusSeeOther)
	page = c.carol.get(c.postPath)
	if n := strings.Count(page.Body, `/flag" class="flag-form"`); n != 2 {
		t.Errorf("carol sees %d flag forms on the post's page, want 2 (the post and the comment)", n)
	}
	comments, err := c.inst.DB.Thread(context.Background(), storage.Stranger, c.post)
	if err != nil || len(comments) != 1 {
		t.Fatalf("thread = %v, %v", comments, err)
	}
	comment := comments[0]
	wantBody(t, page, `action="/posts/`+comment.ID+`/flag"`)
	p = c.carol.post("/posts/"+comment.ID+"/flag", url.Values{"category": {"spam"}})
	wantStatus(t, p, http.StatusSeeOther)
	if want := c.postPath + "#post-" + comment.ID; p.Location != want {
		t.Errorf("after flagging a comment, redirected to %q, want %q", p.Location, want)
	}

	// The moderator's queue.
	wantStatus(t, c.bob.get("/s/science/flags"), http.StatusForbidden)
	wantStatus(t, c.alice.get("/s/nowhere/flags"), http.StatusNotFound)
	queue := c.alice.get("/s/science/flags")
	wantStatus(t, queue, http.StatusOK)
	wantBody(t, queue, firstHeadline, "Misleading headline: 1", "Spam: 1", "The trial was tiny.", "@bob@", "@carol@",
		`href="`+c.postPath+`/history"`, `action="/s/science/flags/dismiss"`)
	post, err := c.inst.DB.PostByID(context.Background(), c.post)
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, queue, `name="item" value="`+post.URI+`"`)
	if n := strings.Count(queue.Body, `name="item"`); n != 2 {
		t.Errorf("the queue shows %d items, want the post and the comment", n)
	}

	// Dismissing: only by the moderator, logged, and the reporter sees it.
	wantStatus(t, c.bob.post("/s/science/flags/dismiss", url.Values{"item": {post.URI}}), http.StatusForbidden)
	wantStatus(t, c.alice.post("/s/science/flags/dismiss", url.Values{}), http.StatusBadRequest)
	wantStatus(t, c.alice.post("/s/science/flags/dismiss", url.Values{"item": {post.URI}}), http.StatusSeeOther)
	if q := c.alice.get("/s/science/flags"); strings.Count(q.Body, `name="item"`) != 1 || strings.Contains(q.Body, post.URI+`"`) {
		t.Errorf("after the dismissal the queue still shows the post:\n%s", q.Body)
	}
	wantStatus(t, c.alice.post("/s/science/flags/dismiss", url.Values{"item": {post.URI}}), http.StatusNotFound)
	mine := c.bob.get("/flags")
	wantStatus(t, mine, http.StatusOK)
	wantBody(t, mine, "Your flags", ">dismissed<", firstHeadline, "The trial was tiny.")
	log, err := c.inst.DB.ModerationLog(context.Background(), subwikiID(t, c.inst, "science"), "", 10)
	if err != nil || len(log) != 1 || log[0].Action != storage.ModDismissFlags {
		t.Errorf("the subwiki's log = %v, %v; want the dismissal", log, err)
	}

	// Removing the flagged comment from the queue: back to the queue,
	// which is empty, and the reporter's flag reads actioned.
	queue = c.alice.get("/s/science/flags")
	wantBody(t, queue, `action="/posts/`+comment.ID+`/remove"`, `name="next" value="/s/science/flags"`)
	p = c.alice.post("/posts/"+comment.ID+"/remove", url.Values{"reason": {"Advertising"}, "next": {"/s/science/flags"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/s/science/flags" {
		t.Errorf("after removing from the queue, redirected to %q, want the queue", p.Location)
	}
	wantBody(t, c.alice.get("/s/science/flags"), "No open flags.")
	wantBody(t, c.carol.get("/flags"), ">actioned<")

	// An account is flagged from its profile, into the admins' queue.
	profile := c.bob.get("/@carol")
	wantBody(t, profile, `action="/flag/account"`)
	carol := actorOf(t, c.inst, "carol")
	p = c.bob.post("/flag/account", url.Values{"actor": {carol.ID}, "category": {"harassment"}, "comment": {"Threats"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != "/@carol" {
		t.Errorf("after flagging an account, redirected to %q, want the profile", p.Location)
	}
	wantStatus(t, c.alice.get("/admin/flags"), http.StatusForbidden)
	wantBody(t, admin.get("/admin/flags"), "Harassment: 1", "Threats", `name="item" value="`+carol.URI+`"`,
		`action="/admin/members/carol/suspend"`)
	wantStatus(t, admin.post("/admin/members/carol/suspend", url.Values{"reason": {"Threats"}}), http.StatusSeeOther)
	wantBody(t, c.bob.get("/flags"), ">actioned<")
	wantBody(t, admin.get("/s/science/flags"), "Flags about posts and comments in", "No open flags.")
}
