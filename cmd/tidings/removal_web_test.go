package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRemovalWeb: a moderator removes a member's post from the post's
// page with a reason; others are refused with a reason and change
// nothing; the post's page and ActivityPub address say it is gone; the
// subwiki's public log and the instance's log for members show it.
func TestRemovalWeb(t *testing.T) {
	c := newCorrectionSite(t) // alice moderates s/science; bob joined it; carol did not
	bobs := publish(t, c.bob, url.Values{"kind": {"discussion"}, "subwiki": {subwikiID(t, c.inst, "science")},
		"headline": {"Buy miracle pills"}, "text": {"Cheap, today only."}})
	path := "/posts/" + bobs
	remark := comment(t, c.carol, c.post, "Spam spam spam")

	wantBody(t, c.alice.get(path), `action="`+path+`/remove"`, `name="reason"`)
	if p := c.carol.get(path); strings.Contains(p.Body, `action="`+path+`/remove"`) {
		t.Errorf("carol, no moderator, is shown the remove form")
	}
	p := c.carol.post(path+"/remove", url.Values{"reason": {"I dislike it"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, "Only moderators of this subwiki and admins can remove posts.")
	c.alice.get(path)
	wantStatus(t, c.alice.post(path+"/remove", url.Values{"reason": {" "}}), http.StatusBadRequest)
	wantStatus(t, c.alice.post("/posts/nothing/remove", url.Values{"reason": {"Spam"}}), http.StatusNotFound)
	wantStatus(t, c.bob.get(path), http.StatusOK)

	p = c.alice.post(path+"/remove", url.Values{"reason": {"Advertising is not news"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != path {
		t.Errorf("after removing, redirected to %q, want the post's page", p.Location)
	}
	wantStatus(t, c.alice.post(path+"/remove", url.Values{"reason": {"Again"}}), http.StatusSeeOther)
	for _, v := range []*visitor{c.bob, newVisitor(t, c.inst)} {
		p = v.get(path)
		wantStatus(t, p, http.StatusGone)
		wantBody(t, p, "Removed by the moderators: Advertising is not news")
		if strings.Contains(p.Body, "miracle pills") || strings.Contains(p.Body, "Cheap, today only") {
			t.Errorf("the removed post's page still shows it")
		}
	}
	req, _ := http.NewRequest(http.MethodGet, c.inst.URL+path, nil)
	req.Header.Set("Accept", "application/activity+json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusGone {
		t.Errorf("ActivityPub fetch of the removed post: %v %v, want 410", resp, err)
	} else {
		resp.Body.Close()
	}
	if strings.Contains(newVisitor(t, c.inst).get("/s/science").Body, "Buy miracle pills") {
		t.Errorf("the removed post is still in the subwiki's feed")
	}

	// A comment is removed from the thread; the post stays.
	wantBody(t, c.alice.get(c.postPath), `action="/posts/`+remark+`/remove"`, `name="next" value="`+c.postPath+`#comments"`)
	p = c.alice.post("/posts/"+remark+"/remove", url.Values{"reason": {"Off topic"}, "next": {c.postPath + "#comments"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location != c.postPath+"#comments" {
		t.Errorf("after removing a comment, redirected to %q, want the thread", p.Location)
	}
	if strings.Contains(c.bob.get(c.postPath).Body, "Spam spam spam") {
		t.Errorf("the removed comment is still in the thread")
	}

	log := newVisitor(t, c.inst).get("/s/science/log")
	wantStatus(t, log, http.StatusOK)
	wantBody(t, log, "removed", "Buy miracle pills", "Advertising is not news", "Off topic", "@alice")
	if n := strings.Count(log.Body, "Advertising is not news"); n != 1 {
		t.Errorf("the log shows the removal %d times, want once", n)
	}
	wantBody(t, newVisitor(t, c.inst).get("/s/science"), `href="/s/science/log"`)
	if p := newVisitor(t, c.inst).get("/log"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("a stranger opening the instance's log: %d %q, want a redirect to sign in", p.Status, p.Location)
	}
	wantStatus(t, c.carol.get("/log"), http.StatusOK)
	wantStatus(t, newVisitor(t, c.inst).get("/s/nowhere/log"), http.StatusNotFound)
}
