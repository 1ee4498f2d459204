package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// click clicks the element that matches the CSS selector, waits for the
// page it leads to, and fails the test unless that page arrives with
// status 200 at an address starting with baseURL+wantPath. It returns
// the address.
func click(t *testing.T, ctx context.Context, baseURL, selector, wantPath string) string {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("click %s: %v", selector, err)
	}
	if got, want := resp.Status, int64(200); got != want {
		t.Fatalf("after clicking %s: status = %d, want %d", selector, got, want)
	}
	loc := location(t, ctx)
	if !strings.HasPrefix(loc, baseURL+wantPath) {
		t.Fatalf("after clicking %s: location = %q, want %s...", selector, loc, baseURL+wantPath)
	}
	return loc
}

// value returns the value of the form field that matches the selector.
func value(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("read value of %s: %v", selector, err)
	}
	return v
}

// asPhone shows the page at a phone's width until the test, or the
// returned function, ends it; pages must not scroll sideways.
func asPhone(t *testing.T, ctx context.Context) (stop func()) {
	t.Helper()
	do(t, ctx, "emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	if !waitInPage(t, ctx, `window.innerWidth === 390`) {
		t.Fatalf("mobile viewport width = %d, want 390", evaluate[int](t, ctx, `window.innerWidth`))
	}
	return func() {
		if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			t.Fatalf("stop emulating a phone: %v", err)
		}
	}
}

// wantNoSidewaysScroll fails the test if the page is wider than 390 px.
func wantNoSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if got := evaluate[int](t, ctx, `document.documentElement.scrollWidth`); got > 390 {
		t.Errorf("%s on a phone: page width = %d, want at most 390 (no sideways scrolling)", what, got)
	}
}

func TestBrowserSubwikiPostCommentLike(t *testing.T) {
	const (
		headline    = "Glacier retreats 2 km in a decade"
		description = "Satellite images show the fastest retreat on record."
	)
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Story | Daily</title>
<meta property="og:title" content="%s"><meta property="og:description" content="%s">
<meta property="og:site_name" content="The Daily Planet"></head><body>The story.</body></html>`, headline, description)
	}))
	defer news.Close()
	inst := startInstance(t, federating)
	ctx := newBrowser(t)
	t.Logf("screenshots in %s", artifactsDir(t))

	// Sign up, then create a subwiki.
	do(t, ctx, "fill the sign-up form",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signup"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=username]`), "grace"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=display_name]`), "Grace Hopper"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=email]`), "grace@example.org"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=password]`), "a long password"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=password_again]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signup", "/@grace")
	do(t, ctx, "fill the subwiki form",
		chromedp.Navigate(inst.URL+"/s/new"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/s/new"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/s/new"] input[name=name]`), "climate"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/s/new"] input[name=title]`), "Climate"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/s/new"] textarea[name=description]`), "News about the climate, and what we do about it."),
		chromedp.SendKeys(chromedp.CSS(`form[action="/s/new"] textarea[name=rules]`), "Link to your sources.\nBe kind."),
	)
	submitForm(t, ctx, inst.URL, "/s/new", "/s/climate")
	if got, want := text(t, ctx, "main p.flash"), "s/climate is ready. You are its moderator."; got != want {
		t.Errorf("flash after creating = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, ".subwiki-head .handle"), "@climate@"+inst.Config.Server.Domain; got != want {
		t.Errorf("subwiki handle = %q, want %q", got, want)
	}
	screenshot(t, ctx, "subwiki-01-new-subwiki")
	do(t, ctx, "open the settings", chromedp.Navigate(inst.URL+"/s/climate/settings"), chromedp.WaitVisible(chromedp.CSS(`#moderators`)))
	screenshot(t, ctx, "subwiki-01b-settings")
	do(t, ctx, "search the directory", chromedp.Navigate(inst.URL+"/s?q=climate"), chromedp.WaitVisible(chromedp.CSS(`.directory`)))
	if got := text(t, ctx, `.directory h2 a`); got != "Climate" {
		t.Errorf("directory search found %q, want Climate", got)
	}
	screenshot(t, ctx, "subwiki-01c-directory")
	do(t, ctx, "back to the subwiki", chromedp.Navigate(inst.URL+"/s/climate"), chromedp.WaitVisible(chromedp.CSS(`details.compose-fold summary`)))

	// The form is folded away until asked for.
	if evaluate[bool](t, ctx, `document.querySelector("form.compose").checkVisibility()`) {
		t.Errorf("the compose form is open before it was asked for")
	}
	do(t, ctx, "open the compose form",
		chromedp.Click(chromedp.CSS(`details.compose-fold summary`)),
		chromedp.WaitVisible(chromedp.CSS(`form.compose`)),
	)

	// Post a link: the headline is filled in from the page.
	do(t, ctx, "paste a link",
		chromedp.SendKeys(chromedp.CSS(`form.compose input[name=link]`), news.URL+"/story"),
	)
	click(t, ctx, inst.URL, `form.compose button[value=preview]`, "/compose")
	if got := value(t, ctx, `form.compose input[name=headline]`); got != headline {
		t.Errorf("headline after filling in = %q, want %q", got, headline)
	}
	if got := value(t, ctx, `form.compose textarea[name=text]`); got != "" {
		t.Errorf("commentary after filling in = %q, want it left to the member", got)
	}
	if got := text(t, ctx, `form.compose .card-description p`); got != description {
		t.Errorf("the publisher's description after filling in = %q, want %q", got, description)
	}
	if got := evaluate[string](t, ctx, `document.querySelector("form.compose select[name=subwiki]").selectedOptions[0].textContent`); got != "s/climate" {
		t.Errorf("subwiki chosen after filling in = %q, want s/climate", got)
	}
	screenshot(t, ctx, "subwiki-02-compose-prefilled")
	// Enter in the headline publishes (the form's first submit button is
	// Publish, not "Fill in from link").
	resp, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS(`form.compose input[name=headline]`), kb.Enter))
	if err != nil || resp.Status != 200 {
		t.Fatalf("press Enter in the headline: %v", err)
	}
	postURL := location(t, ctx)
	if !strings.HasPrefix(postURL, inst.URL+"/posts/") {
		t.Fatalf("after pressing Enter in the headline: location = %q, want a post", postURL)
	}
	if got, want := text(t, ctx, "main p.flash"), "Published."; got != want {
		t.Errorf("flash after publishing = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, "h1.story-headline"), headline; got != want {
		t.Errorf("post headline = %q, want %q", got, want)
	}

	// Comment, reply, like.
	do(t, ctx, "write a comment", chromedp.SendKeys(chromedp.CSS(`#comment-text`), "The photos from 2014 are striking."))
	click(t, ctx, inst.URL, `.thread > form.comment-form button[type=submit]`, strings.TrimPrefix(postURL, inst.URL)+"#post-")
	do(t, ctx, "open the reply form",
		chromedp.Click(chromedp.CSS(`.comment details.reply summary`)),
		chromedp.WaitVisible(chromedp.CSS(`.comment details.reply textarea`)),
		chromedp.SendKeys(chromedp.CSS(`.comment details.reply textarea`), "And the ones from 2024 even more."),
	)
	click(t, ctx, inst.URL, `.comment details.reply button[type=submit]`, strings.TrimPrefix(postURL, inst.URL)+"#post-")
	if got := evaluate[int](t, ctx, `document.querySelectorAll(".comments .comments .comment").length`); got != 1 {
		t.Errorf("nested replies on the page = %d, want 1", got)
	}
	click(t, ctx, inst.URL, `.story form.like button`, strings.TrimPrefix(postURL, inst.URL))
	if got := text(t, ctx, `.story form.like button`); got != "♥ Liked 1" {
		t.Errorf("like button after liking = %q, want %q", got, "♥ Liked 1")
	}
	screenshot(t, ctx, "subwiki-03-post-with-thread")

	// The home feed, on a desktop and on a phone.
	do(t, ctx, "open the home page", chromedp.Navigate(inst.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`.feed`)))
	if got := text(t, ctx, `.feed .post .headline a`); got != headline {
		t.Errorf("first headline in the feed = %q, want %q", got, headline)
	}
	if got := text(t, ctx, `.feed .post .post-foot a[href="/s/climate"]`); got != "in s/climate" {
		t.Errorf("subwiki in the feed = %q, want %q", got, "in s/climate")
	}
	screenshot(t, ctx, "subwiki-04-home-feed")
	stop := asPhone(t, ctx)
	wantNoSidewaysScroll(t, ctx, "the home feed")
	screenshot(t, ctx, "subwiki-05-home-feed-phone")
	do(t, ctx, "open the post", chromedp.Navigate(postURL), chromedp.WaitVisible(chromedp.CSS(`.thread`)))
	wantNoSidewaysScroll(t, ctx, "the post page")
	screenshot(t, ctx, "subwiki-06-post-phone")
	do(t, ctx, "open the subwiki", chromedp.Navigate(inst.URL+"/s/climate"), chromedp.WaitVisible(chromedp.CSS(`.subwiki`)))
	wantNoSidewaysScroll(t, ctx, "the subwiki page")
	screenshot(t, ctx, "subwiki-07-subwiki-phone")
	stop()

	// The post page in dark mode.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatalf("emulate dark color scheme: %v", err)
	}
	do(t, ctx, "open the post", chromedp.Navigate(postURL), chromedp.WaitVisible(chromedp.CSS(`.thread`)))
	waitInPage(t, ctx, `matchMedia("(prefers-color-scheme: dark)").matches`)
	screenshot(t, ctx, "subwiki-08-post-dark")
}
