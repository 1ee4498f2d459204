package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRemoval: a moderator opens a member's post, removes it with a
// reason, lands on its page saying why, and follows the link to the
// subwiki's log, which shows the removal.
func TestBrowserRemoval(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "health", "Health", nil)
	bob := member(t, inst, "bob")
	bob.get("/s/health")
	wantStatus(t, bob.post("/s/health/join", nil), http.StatusSeeOther)
	id := publish(t, bob, url.Values{"kind": {"discussion"}, "subwiki": {subwikiID(t, inst, "health")},
		"headline": {"Miracle pills, cheap"}, "text": {"Buy now."}})
	postPath, action := "/posts/"+id, "/posts/"+id+"/remove"

	ctx := newBrowser(t)
	t.Logf("screenshots in %s", artifactsDir(t))
	do(t, ctx, "sign in",
		chromedp.Navigate(inst.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=username]`), "alice"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=password]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signin", "/")

	do(t, ctx, "open the post and the remove form",
		chromedp.Navigate(inst.URL+postPath),
		chromedp.WaitVisible(chromedp.CSS(`h1.story-headline`)),
		chromedp.Click(chromedp.CSS(`details.remove summary`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="`+action+`"] input[name=reason]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="`+action+`"] input[name=reason]`), "Advertising is not news"),
	)
	screenshot(t, ctx, "removal-01-form")
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="`+action+`"] button[type=submit]`)))
	if err != nil {
		t.Fatalf("submit the removal: %v", err)
	}
	if resp.Status != http.StatusGone || location(t, ctx) != inst.URL+postPath {
		t.Fatalf("after removing: status %d at %s, want 410 at the post's page", resp.Status, location(t, ctx))
	}
	if got, want := text(t, ctx, `p.removal-reason`), "Removed by the moderators: Advertising is not news"; got != want {
		t.Errorf("the removed post's page says %q, want %q", got, want)
	}
	screenshot(t, ctx, "removal-02-removed")

	click(t, ctx, inst.URL, `a[href="/s/health/log"]`, "/s/health/log")
	entry := text(t, ctx, `li.modlog-entry`)
	for _, want := range []string{"@alice", "removed", "Miracle pills, cheap", "Reason: Advertising is not news"} {
		if !strings.Contains(entry, want) {
			t.Errorf("the log's entry %q does not say %q", entry, want)
		}
	}
	screenshot(t, ctx, "removal-03-log")
}
