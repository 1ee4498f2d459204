package main

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserContentWarning: in a real browser, the text behind a
// content warning is hidden until the reader opens the warning, on the
// post's page and in a feed, while the headline stays in view; the site
// has no script, so this is the browser's own <details>.
func TestBrowserContentWarning(t *testing.T) {
	inst := startInstance(t, nil)
	ctx := newBrowser(t)
	ada := member(t, inst, "ada")
	id := publish(t, ada, url.Values{"kind": {"discussion"}, "headline": {"Who won the final"},
		"text": {"The underdogs, 3 to 2."}, "content_warning": {"Spoilers"}})

	visible := func(selector string) bool {
		t.Helper()
		return evaluate[bool](t, ctx, `(() => { const e = document.querySelector(`+"`"+selector+"`"+`); return !!e && e.checkVisibility(); })()`)
	}
	for _, view := range []struct{ path, scope, body, headline, shot string }{
		{"/posts/" + id, ".story", ".story-body", "h1.story-headline", "content-warning-post"},
		{"/@ada", "#post-" + id, ".excerpt", "h3.headline", "content-warning-feed"},
	} {
		do(t, ctx, "open "+view.path, chromedp.Navigate(inst.URL+view.path),
			chromedp.WaitVisible(chromedp.CSS(view.scope+" details.content-warning summary")))
		if got := text(t, ctx, view.scope+" details.content-warning summary"); got != "Spoilers" {
			t.Errorf("%s: the warning reads %q, want %q", view.path, got, "Spoilers")
		}
		if !visible(view.scope + " " + view.headline) {
			t.Errorf("%s: the headline is hidden", view.path)
		}
		if visible(view.scope + " details.content-warning " + view.body) {
			t.Errorf("%s: the text behind the warning shows before the reader opens it", view.path)
		}
		screenshot(t, ctx, view.shot+"-closed")
		do(t, ctx, "open the warning on "+view.path, chromedp.Click(chromedp.CSS(view.scope+" details.content-warning summary")))
		if !waitInPage(t, ctx, `document.querySelector(`+"`"+view.scope+" details.content-warning "+view.body+"`"+`).checkVisibility()`) {
			t.Errorf("%s: the text stays hidden after the reader opens the warning", view.path)
		}
		screenshot(t, ctx, view.shot+"-open")
	}
}
