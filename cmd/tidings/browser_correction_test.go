package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserCorrection: a member corrects a headline, sees the mark,
// opens the history with the word diff and restores the first headline.
func TestBrowserCorrection(t *testing.T) {
	const (
		first     = "Miracle cure found in coffee"
		corrected = "Coffee linked to lower risk in one study"
	)
	inst := startInstance(t, nil)
	inst.DB.Corrections.MinAccountAge = 0
	alice := member(t, inst, "alice")
	createSubwiki(t, alice, "health", "Health", nil)
	id := publish(t, alice, url.Values{"kind": {"news"}, "subwiki": {subwikiID(t, inst, "health")},
		"link": {"https://news.example/coffee"}, "headline": {first}, "text": {"Big if true."}})
	bob := member(t, inst, "bob")
	bob.get("/s/health")
	wantStatus(t, bob.post("/s/health/join", nil), http.StatusSeeOther)
	postPath, formPath := "/posts/"+id, "/posts/"+id+"/headline"

	ctx := newBrowser(t)
	t.Logf("screenshots in %s", artifactsDir(t))
	do(t, ctx, "sign in",
		chromedp.Navigate(inst.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=username]`), "bob"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=password]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signin", "/")

	// The form says what the correction will do, and holds the headline.
	do(t, ctx, "open the post", chromedp.Navigate(inst.URL+postPath), chromedp.WaitVisible(chromedp.CSS(`h1.story-headline`)))
	click(t, ctx, inst.URL, `a.correct-link`, formPath)
	if got, want := text(t, ctx, `p.rule`), "Your correction applies at once and reaches every server that has the post."; got != want {
		t.Errorf("the rule on the form = %q, want %q", got, want)
	}
	headline := `form[action="` + formPath + `"] input[name=headline]`
	if got := value(t, ctx, headline); got != first {
		t.Errorf("headline field = %q, want %q", got, first)
	}
	do(t, ctx, "fill the correction form",
		chromedp.Clear(chromedp.CSS(headline)),
		chromedp.SendKeys(chromedp.CSS(headline), corrected),
		chromedp.SendKeys(chromedp.CSS(`form[action="`+formPath+`"] input[name=reason]`), "The study found an association, not a cure."),
		chromedp.SendKeys(chromedp.CSS(`form[action="`+formPath+`"] input[name=source_url]`), "https://journal.example/coffee"),
	)
	screenshot(t, ctx, "correction-01-form")
	submitForm(t, ctx, inst.URL, formPath, postPath)

	// The post shows the new headline and the mark.
	if got, want := text(t, ctx, "main p.flash"), "The headline is corrected: revision 2."; got != want {
		t.Errorf("flash = %q, want %q", got, want)
	}
	if got := text(t, ctx, "h1.story-headline"); got != corrected {
		t.Errorf("headline = %q, want %q", got, corrected)
	}
	if got, want := text(t, ctx, ".corrections .mark.corrected"), "Corrected by @bob · revision 2"; got != want {
		t.Errorf("mark = %q, want %q", got, want)
	}
	screenshot(t, ctx, "correction-02-post-with-mark")

	// The history: the mark leads there; the diff strikes and underlines.
	click(t, ctx, inst.URL, `.corrections .mark.corrected a[href$="/history"]`, postPath+"/history")
	// " in " is in both headlines, so it stays between two changes.
	changes := func(selector string) string {
		return evaluate[string](t, ctx, `[...document.querySelectorAll("`+selector+`")].map(e => e.textContent).join(" | ")`)
	}
	if got, want := changes("#revision-2 del"), "Miracle cure found | coffee"; got != want {
		t.Errorf("deleted words = %q, want %q", got, want)
	}
	if got, want := changes("#revision-2 ins"), "Coffee linked to lower risk | one study"; got != want {
		t.Errorf("inserted words = %q, want %q", got, want)
	}
	if got := text(t, ctx, "#revision-2 .revision-head .meta a"); got != "@bob@"+inst.Config.Server.Domain {
		t.Errorf("editor = %q, want bob", got)
	}
	style := func(selector, property string) string {
		return evaluate[string](t, ctx, `getComputedStyle(document.querySelector("`+selector+`")).`+property)
	}
	if got := style("#revision-2 del", "textDecorationLine"); got != "line-through" {
		t.Errorf("del is decorated %q, want line-through", got)
	}
	if got := style("#revision-2 ins", "textDecorationLine"); got != "underline" {
		t.Errorf("ins is decorated %q, want underline", got)
	}
	lightDel := style("#revision-2 del", "backgroundColor")
	screenshot(t, ctx, "correction-03-history-diff")

	// Compare revision 1 with 2 through the form.
	click(t, ctx, inst.URL, `form.compare button[type=submit]`, postPath+"/history?from=1&to=2")
	if got, want := text(t, ctx, ".comparison .diff-line"), first; got == "" || got == want {
		t.Errorf("the comparison shows %q, want the diff", got)
	}
	if got, want := changes(".comparison ins"), "Coffee linked to lower risk | one study"; got != want {
		t.Errorf("compared, inserted words = %q, want %q", got, want)
	}

	// Restore the first headline from the history.
	do(t, ctx, "open the restore form",
		chromedp.Click(chromedp.CSS(`#revision-1 details.restore summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#revision-1 details.restore input[name=reason]`)),
		chromedp.SendKeys(chromedp.CSS(`#revision-1 details.restore input[name=reason]`), "Wait for the paper."),
	)
	click(t, ctx, inst.URL, `#revision-1 details.restore button[type=submit]`, postPath)
	if got, want := text(t, ctx, "main p.flash"), "Revision 1 is restored as revision 3."; got != want {
		t.Errorf("flash after restoring = %q, want %q", got, want)
	}
	if got := text(t, ctx, "h1.story-headline"); got != first {
		t.Errorf("headline after restoring = %q, want %q", got, first)
	}
	if p, _ := inst.DB.PostByID(context.Background(), id); p.Headline != first || p.Revision != 3 {
		t.Errorf("stored after restoring: %q revision %d", p.Headline, p.Revision)
	}

	// The history on a phone, then in dark mode.
	stop := asPhone(t, ctx)
	do(t, ctx, "open the history", chromedp.Navigate(inst.URL+postPath+"/history"), chromedp.WaitVisible(chromedp.CSS(`#revision-3`)))
	if got := text(t, ctx, "#revision-3 .mark"); got != "revert of revision 1" {
		t.Errorf("revision 3 is marked %q, want a revert of revision 1", got)
	}
	wantNoSidewaysScroll(t, ctx, "the history")
	screenshot(t, ctx, "correction-04-history-phone")
	stop()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	})
	if err != nil {
		t.Fatalf("emulate dark color scheme: %v", err)
	}
	if !waitInPage(t, ctx, `matchMedia("(prefers-color-scheme: dark)").matches`) {
		t.Errorf("prefers-color-scheme: dark does not match after emulating it")
	}
	if dark := style("#revision-2 del", "backgroundColor"); dark == lightDel {
		t.Errorf("deletions in dark mode have the light background %s", dark)
	}
	screenshot(t, ctx, "correction-05-history-dark")
}
