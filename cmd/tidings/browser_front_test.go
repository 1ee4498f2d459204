package main

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// firstHeadlineInView reports whether the first headline of the feed
// lies wholly within the first screen.
const firstHeadlineInView = `(() => {
	const h = document.querySelector(".feed .post .headline");
	return h !== null && h.getBoundingClientRect().bottom <= window.innerHeight;
})()`

func TestBrowserFrontPageOnAPhone(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "climate", "Climate", url.Values{"description": {"News about the climate, and what we do about it."}})
	for _, h := range []string{"Sea level rise speeds up", "Glacier retreats 2 km in a decade"} {
		publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {subwikiID(t, inst, "climate")},
			"link": {"https://news.example/" + h[:3]}, "headline": {h}})
	}
	wantStatus(t, alice.post("/signout", nil), http.StatusSeeOther)
	ctx := newBrowser(t)

	// A visitor reads the news first, with subwikis to join further on.
	do(t, ctx, "open the front page", chromedp.Navigate(inst.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`.feed`)))
	stop := asPhone(t, ctx)
	defer stop()
	if got, want := text(t, ctx, `.feed .post .headline a`), "Glacier retreats 2 km in a decade"; got != want {
		t.Errorf("first headline for a visitor = %q, want %q", got, want)
	}
	if !evaluate[bool](t, ctx, firstHeadlineInView) {
		t.Errorf("a visitor on a phone must scroll to the first headline")
	}
	if got := text(t, ctx, `.front-subwikis a[href="/s/climate"]`); got != "Climate" {
		t.Errorf("subwiki to join = %q, want Climate", got)
	}
	wantNoSidewaysScroll(t, ctx, "the front page")
	screenshot(t, ctx, "front-01-visitor-phone")

	// The skip link is the first thing the keyboard reaches.
	do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
	if got := evaluate[string](t, ctx, `document.activeElement.textContent + " " + document.activeElement.getAttribute("href")`); got != "Skip to content #main" {
		t.Errorf("first focused element = %q, want the skip link", got)
	}

	// A member sees the feed first too: the form waits behind a button.
	do(t, ctx, "sign in",
		chromedp.Navigate(inst.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=username]`), "alice"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=password]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signin", "/")
	if !evaluate[bool](t, ctx, firstHeadlineInView) {
		t.Errorf("a member on a phone must scroll to the first headline")
	}
	if evaluate[bool](t, ctx, `document.querySelector("form.compose").checkVisibility()`) {
		t.Errorf("the compose form is open before it was asked for")
	}
	wantNoSidewaysScroll(t, ctx, "the home feed")
	screenshot(t, ctx, "front-02-member-phone")
	do(t, ctx, "open the compose form",
		chromedp.Click(chromedp.CSS(`details.compose-fold summary`)),
		chromedp.WaitVisible(chromedp.CSS(`form.compose input[name=headline]`)),
	)
	got := evaluate[string](t, ctx, `document.querySelector("form.compose select[name=subwiki]").selectedOptions[0].textContent`)
	if got != "s/climate" {
		t.Errorf("the form posts in %q, want s/climate, where alice posted last", got)
	}
	wantNoSidewaysScroll(t, ctx, "the open compose form")
	screenshot(t, ctx, "front-03-compose-open-phone")
}
