package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// press presses the key (such as "\t" for Tab, "\r" for Enter) in the
// tab, as a person at the keyboard does.
func press(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	do(t, ctx, fmt.Sprintf("press %q", key), chromedp.KeyEvent(key))
}

// focused describes the element that has the focus: its tag, id, class
// and link or name, enough to tell which one it is in a message.
const focused = `(() => {
	const e = document.activeElement;
	if (!e) return "nothing";
	let s = e.tagName.toLowerCase();
	if (e.id) s += "#" + e.id;
	if (e.className && typeof e.className === "string") s += "." + e.className.trim().split(/\s+/).join(".");
	const what = e.getAttribute("href") || e.getAttribute("name") || e.getAttribute("action");
	if (what) s += "[" + what + "]";
	return s;
})()`

// focusShows reports whether the focused element is drawn with a
// visible focus indicator: an outline of some width, or a box shadow.
const focusShows = `(() => {
	const s = getComputedStyle(document.activeElement);
	return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
})()`

// TestBrowserSkipLink: from the top of the front page, the first Tab
// reaches the skip link, which shows itself; Enter on it puts the focus
// on the page's main content, and the next Tab goes into it.
func TestBrowserSkipLink(t *testing.T) {
	inst := startInstance(t, nil)
	member(t, inst, "alice")
	ctx := newBrowser(t)
	do(t, ctx, "open the front page", chromedp.Navigate(inst.URL+"/"), chromedp.WaitVisible(chromedp.CSS("main")))

	press(t, ctx, "\t")
	if got, want := evaluate[string](t, ctx, focused), "a.skip[#main]"; got != want {
		t.Fatalf("first Tab focuses %s, want the skip link %s", got, want)
	}
	if !evaluate[bool](t, ctx, focusShows) {
		t.Errorf("the focused skip link has no visible focus indicator")
	}
	// Hidden until focused, it must then be on screen and readable.
	if w := evaluate[float64](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect();
		return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight ? r.width : 0; })()`); w < 20 {
		t.Errorf("the focused skip link is not shown on screen (visible width %.0f px)", w)
	}
	screenshot(t, ctx, "a11y-skip-link")

	press(t, ctx, "\r")
	if !waitInPage(t, ctx, `document.activeElement === document.querySelector("main")`) {
		t.Fatalf("after Enter on the skip link, focus is on %s, want main", evaluate[string](t, ctx, focused))
	}
	press(t, ctx, "\t")
	if !evaluate[bool](t, ctx, `document.querySelector("main").contains(document.activeElement)`) {
		t.Errorf("Tab after the skip link focuses %s, want an element of main", evaluate[string](t, ctx, focused))
	}
}

// TestBrowserKeyboardReachesEverything: on the front page, posts, a
// subwiki, a profile and forms, as a visitor and as a member, Tab
// reaches every link, button and field once, in turn, each with a
// visible focus indicator, and then leaves the page: nothing traps the
// keyboard.
func TestBrowserKeyboardReachesEverything(t *testing.T) {
	site := newA11ySite(t)
	common := []string{"/", "/posts/" + site.newsID, "/posts/" + site.discussionID, "/s/town", "/@carol"}
	for as, paths := range map[string][]string{
		"":    slices.Concat(common, []string{"/signup"}),
		"bob": slices.Concat(common, []string{"/compose", "/settings/profile"}),
	} {
		ctx := newBrowser(t)
		if as != "" {
			browserSignIn(t, ctx, site.inst.URL, as, false)
		}
		for _, path := range paths {
			do(t, ctx, "open "+path, chromedp.Navigate(site.inst.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
			tabThrough(t, ctx, fmt.Sprintf("%s as %q", path, as))
		}
	}
}

// tabThrough presses Tab through the page in the tab and checks that
// it visits every element that can take the focus by keyboard, each
// showing it, and no element twice.
func tabThrough(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	// Number what the keyboard should reach, in the order Tab goes
	// (no positive tabindex is used, so that is document order).
	n := evaluate[int](t, ctx, `(() => {
		const all = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]');
		let n = 0;
		for (const e of all) {
			if (e.tabIndex < 0 || e.disabled || !e.checkVisibility({visibilityProperty: true})) continue;
			if (e.type === "radio" && !e.checked && document.querySelector('input[type=radio][name="' + e.name + '"]:checked')) continue;
			e.dataset.tabStop = String(n++);
		}
		return n;
	})()`)
	if n == 0 {
		t.Fatalf("%s: nothing to reach by keyboard", page)
	}
	do(t, ctx, "start from the top", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
	for i := 0; i < n; i++ {
		press(t, ctx, "\t")
		got := evaluate[string](t, ctx, `document.activeElement.dataset.tabStop || ""`)
		if got != fmt.Sprint(i) {
			t.Fatalf("%s: Tab number %d focuses %s (stop %q), want stop %d", page, i+1, evaluate[string](t, ctx, focused), got, i)
		}
		if !evaluate[bool](t, ctx, focusShows) {
			t.Errorf("%s: %s has no visible focus indicator", page, evaluate[string](t, ctx, focused))
		}
	}
	press(t, ctx, "\t")
	if got := evaluate[string](t, ctx, `document.activeElement.dataset.tabStop || ""`); got != "" && got != "0" {
		t.Errorf("%s: after the last element, Tab focuses %s (stop %s), want it to leave the page", page, evaluate[string](t, ctx, focused), got)
	}
}

// TestBrowserFocusOnError: a form sent with a mistake comes back with
// the focus on its error, which says what went wrong (role alert) and
// describes the form, so a keyboard or screen reader user starts
// there; a refused flag's error page does the same.
func TestBrowserFocusOnError(t *testing.T) {
	site := newA11ySite(t)
	news, discussion := "/posts/"+site.newsID, "/posts/"+site.discussionID
	cases := []struct {
		as, name, path, action string
		fields                 map[string]string
		errorPage              bool // the answer is the error page, not the form
	}{
		{name: "sign-up", path: "/signup", action: "/signup", fields: map[string]string{
			"username": "erin", "email": "erin@example.org", "password": "a long password", "password_again": "another password"}},
		{name: "sign-in", path: "/signin", action: "/signin", fields: map[string]string{"username": "bob", "password": "not the password"}},
		{as: "bob", name: "compose", path: "/compose", action: "/compose", fields: map[string]string{"headline": "A link is missing"}},
		{as: "bob", name: "correction", path: news + "/headline", action: news + "/headline", fields: map[string]string{"reason": "Shorter.", "source_url": "https://example.org/"}},
		{as: "bob", name: "password", path: "/settings/password", action: "/settings/password", fields: map[string]string{
			"current_password": "not the password", "new_password": "a new long password", "new_password_again": "a new long password"}},
		{as: "bob", name: "new subwiki", path: "/s/new", action: "/s/new", fields: map[string]string{"name": "town", "title": "Town again"}},
		{as: "bob", name: "flag", path: discussion, action: discussion + "/flag", fields: map[string]string{"comment": "Flagged twice."}, errorPage: true},
	}
	browsers := map[string]context.Context{}
	for _, c := range cases {
		ctx, ok := browsers[c.as]
		if !ok {
			ctx = newBrowser(t)
			if c.as != "" {
				browserSignIn(t, ctx, site.inst.URL, c.as, false)
			}
			browsers[c.as] = ctx
		}
		do(t, ctx, "open "+c.path, chromedp.Navigate(site.inst.URL+c.path), chromedp.WaitVisible(chromedp.CSS("main")))
		sendWith(c.action, c.fields)(t, ctx)
		if !waitInPage(t, ctx, `document.activeElement && document.activeElement.getAttribute("role") === "alert"`) {
			t.Errorf("%s sent with a mistake: focus is on %s, want the error (role alert)", c.name, evaluate[string](t, ctx, focused))
			continue
		}
		if msg := evaluate[string](t, ctx, `document.activeElement.textContent.trim()`); msg == "" {
			t.Errorf("%s: the focused error says nothing", c.name)
		}
		if !evaluate[bool](t, ctx, focusShows) {
			t.Errorf("%s: the focused error has no visible focus indicator", c.name)
		}
		screenshot(t, ctx, "a11y-error-"+strings.ReplaceAll(c.name, " ", "-"))
		if c.errorPage {
			continue
		}
		describedBy := evaluate[string](t, ctx, `document.querySelector('form[action="`+c.action+`"]').getAttribute("aria-describedby") || ""`)
		if id := evaluate[string](t, ctx, `document.activeElement.id`); id == "" || describedBy != id {
			t.Errorf("%s: the form's aria-describedby = %q, want the focused error's id %q", c.name, describedBy, id)
		}
	}
}
