package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tidings-social/tidings/storage"
)

// browserSignIn signs the browser in as the member, after signing out
// whoever was signed in (signedIn).
func browserSignIn(t *testing.T, ctx context.Context, baseURL, name string, signedIn bool) {
	t.Helper()
	if signedIn {
		do(t, ctx, "go home", chromedp.Navigate(baseURL+"/"))
		submitForm(t, ctx, baseURL, "/signout", "/")
	}
	do(t, ctx, "sign in as "+name,
		chromedp.Navigate(baseURL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=username]`), name),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=password]`), "a long password"),
	)
	submitForm(t, ctx, baseURL, "/signin", "/")
}

// TestBrowserFlagAndModerate: bob flags a post from its page, with the
// folded form; alice, who moderates the subwiki, finds it in the queue
// with his comment and dismisses it; the log has it, and bob's flags
// show it dismissed.
func TestBrowserFlagAndModerate(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "town", "Town", nil)
	id := publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {subwikiID(t, inst, "town")},
		"link": {"https://news.example/bridge"}, "headline": {"Bridge closed for good"}})
	member(t, inst, "bob")
	postPath, flagPath := "/posts/"+id, "/posts/"+id+"/flag"

	ctx := newBrowser(t)
	t.Logf("screenshots in %s", artifactsDir(t))
	browserSignIn(t, ctx, inst.URL, "bob", false)
	do(t, ctx, "open the flag form",
		chromedp.Navigate(inst.URL+postPath),
		chromedp.Click(chromedp.CSS(`footer details.flag summary`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="`+flagPath+`"] select[name=category]`)),
		chromedp.SetValue(chromedp.CSS(`form[action="`+flagPath+`"] select[name=category]`), storage.FlagMisleadingHeadline),
		chromedp.SendKeys(chromedp.CSS(`form[action="`+flagPath+`"] textarea[name=comment]`), "Only closed for a week."),
	)
	screenshot(t, ctx, "flag-01-form")
	submitForm(t, ctx, inst.URL, flagPath, postPath)
	if got := text(t, ctx, "main p.flash"); !strings.Contains(got, "the moderators have your flag") {
		t.Errorf("flash = %q, want the thanks", got)
	}
	do(t, ctx, "open bob's flags", chromedp.Navigate(inst.URL+"/flags"))
	if got := text(t, ctx, ".flag-state"); got != "open" {
		t.Errorf("bob's flag is %q, want open", got)
	}

	browserSignIn(t, ctx, inst.URL, "alice", true)
	do(t, ctx, "open the queue", chromedp.Navigate(inst.URL+"/s/town/flags"))
	if got := text(t, ctx, ".flagged-item"); !strings.Contains(got, "Bridge closed for good") ||
		!strings.Contains(got, "Misleading headline: 1") || !strings.Contains(got, "Only closed for a week.") {
		t.Errorf("the queue shows %q", got)
	}
	screenshot(t, ctx, "flag-02-queue")
	submitForm(t, ctx, inst.URL, "/s/town/flags/dismiss", "/s/town/flags")
	if got := text(t, ctx, "main section.panel p:last-child"); got != "No open flags." {
		t.Errorf("after dismissing, the queue shows %q", got)
	}
	log, err := inst.DB.ModerationLog(context.Background(), subwikiID(t, inst, "town"), "", 10)
	if err != nil || len(log) != 1 || log[0].Action != storage.ModDismissFlags || log[0].TargetText != "Bridge closed for good" {
		t.Errorf("s/town's log = %v, %v; want alice's dismissal", log, err)
	}

	browserSignIn(t, ctx, inst.URL, "bob", true)
	do(t, ctx, "open bob's flags", chromedp.Navigate(inst.URL+"/flags"))
	if got := text(t, ctx, ".flag-state"); got != "dismissed" {
		t.Errorf("bob's flag is %q, want dismissed", got)
	}
	screenshot(t, ctx, "flag-03-dismissed")
	if p := newVisitor(t, inst).get("/s/town/flags"); p.Status != http.StatusSeeOther {
		t.Errorf("a visitor opening the queue: %d, want a redirect to sign in", p.Status)
	}
}
