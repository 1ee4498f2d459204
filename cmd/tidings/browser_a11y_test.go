package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeDir holds the npm package of axe-core, the accessibility checker
// the browser tests load into each page.
const axeDir = "testdata/axe"

// axeSource returns the text of axe.min.js from the npm package in
// axeDir. Without it, it fails the test when CI=true and skips it
// otherwise, naming what to install.
func axeSource(t *testing.T) string {
	t.Helper()
	file := filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(file)
	if err == nil {
		return string(src)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("accessibility tests need axe-core and it is required in CI: %v; run npm ci in cmd/tidings/%s", err, axeDir)
	}
	t.Skipf("accessibility tests need axe-core: %s is missing; run npm ci in cmd/tidings/%s (and install Chromium)", file, axeDir)
	return ""
}

// axeViolation is a rule of axe-core that a page breaks, with the
// elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target         json.RawMessage `json:"target"`
		FailureSummary string          `json:"failureSummary"`
	} `json:"nodes"`
}

// blocking reports whether the violation keeps people from using the
// page: axe-core's serious and critical impacts. Moderate and minor
// ones are logged only.
func (v axeViolation) blocking() bool { return v.Impact == "serious" || v.Impact == "critical" }

// runAxe loads axe-core into the page in the tab and returns what its
// rules find; rules, when given, limits the check to those rules.
func runAxe(t *testing.T, ctx context.Context, src string, rules ...string) []axeViolation {
	t.Helper()
	// The site's Content-Security-Policy forbids scripts; the DevTools
	// protocol evaluates outside it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	options := `{resultTypes: ["violations"]}`
	if len(rules) > 0 {
		list, _ := json.Marshal(rules)
		options = `{resultTypes: ["violations"], runOnly: {type: "rule", values: ` + string(list) + `}}`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, `+options+`).then(r => r.violations)`, chromedp.EvalAwaitPromise, chromedp.EvalAsValue))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var found []axeViolation
	if err := json.Unmarshal(raw, &found); err != nil {
		t.Fatalf("read axe-core's results: %v", err)
	}
	return found
}

// wantAccessible checks the page in the tab in the light and in the
// dark colour scheme, whose contrasts differ, and fails the test on
// every serious or critical violation, naming the rule, its impact, the
// elements and the help.
func wantAccessible(t *testing.T, ctx context.Context, src, name string) {
	t.Helper()
	report := func(scheme string, found []axeViolation) {
		t.Helper()
		for _, v := range found {
			for _, n := range v.Nodes {
				msg := fmt.Sprintf("%s (%s): %s [%s] at %s: %s; %s", name, scheme, v.ID, v.Impact, n.Target, v.Help,
					strings.ReplaceAll(n.FailureSummary, "\n", " "))
				if v.blocking() {
					t.Error(msg)
				} else {
					t.Log(msg)
				}
			}
		}
	}
	// Folded forms (flag, reply, lock) are checked open, as when used.
	evaluate[int](t, ctx, `document.querySelectorAll("details").forEach(d => d.open = true), 0`)
	report("light", runAxe(t, ctx, src))
	setColorScheme(t, ctx, "dark")
	report("dark", runAxe(t, ctx, src, "color-contrast", "link-in-text-block"))
	setColorScheme(t, ctx, "light")
}

// setColorScheme makes the tab prefer the colour scheme, light or dark.
func setColorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		t.Fatalf("emulate the %s colour scheme: %v", scheme, err)
	}
	if !waitInPage(t, ctx, `matchMedia("(prefers-color-scheme: `+scheme+`)").matches`) {
		t.Fatalf("prefers-color-scheme: %s does not match after emulating it", scheme)
	}
}

// a11yPage is a kind of page the accessibility check visits: its path,
// and for a form sent with a mistake, the steps that send it.
type a11yPage struct {
	name   string
	path   string
	status int // the status the page answers with; 0 for 200
	send   func(t *testing.T, ctx context.Context)
}

// sendWith fills the form on the page whose action is action with the
// fields (by name) and clicks its submit button, for a form that comes
// back with an error.
func sendWith(action string, fields map[string]string) func(*testing.T, context.Context) {
	return func(t *testing.T, ctx context.Context) {
		t.Helper()
		// A folded form (a flag) is opened first, as a person would.
		steps := []chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`)}
		for name, val := range fields {
			steps = append(steps, chromedp.SendKeys(chromedp.CSS(`form[action="`+action+`"] [name=`+name+`]`), val))
		}
		do(t, ctx, "fill "+action, steps...)
		submit := chromedp.CSS(`form[action="` + action + `"] button[type=submit]:not([tabindex="-1"])`)
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(submit))
		if err != nil {
			t.Fatalf("send %s: %v", action, err)
		}
		if resp.Status < 400 {
			t.Fatalf("after sending %s with a mistake: status %d, want an error", action, resp.Status)
		}
	}
}

// pagesPerBrowser is how many pages one browser checks, so that each
// stays well within browserTimeout on a busy machine.
const pagesPerBrowser = 8

// checkPages checks each page, signed in as the member (none for a
// visitor), in a fresh browser for every few pages.
func (site *a11ySite) checkPages(t *testing.T, src, as string, list []a11yPage) {
	for from := 0; from < len(list); from += pagesPerBrowser {
		batch := list[from:min(from+pagesPerBrowser, len(list))]
		t.Run(batch[0].name, func(t *testing.T) {
			ctx := newBrowser(t)
			if as != "" {
				browserSignIn(t, ctx, site.inst.URL, as, false)
			}
			for _, p := range batch {
				site.checkPage(t, ctx, src, p)
			}
		})
	}
}

// checkPage opens the page in the tab, sends its form when it has a
// mistake to make, and checks it.
func (site *a11ySite) checkPage(t *testing.T, ctx context.Context, src string, p a11yPage) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(site.inst.URL+p.path))
	if err != nil {
		t.Fatalf("open %s: %v", p.name, err)
	}
	want := p.status
	if want == 0 {
		want = http.StatusOK
	}
	if resp.Status != int64(want) {
		t.Errorf("%s: status %d, want %d", p.name, resp.Status, want)
	}
	if p.send != nil {
		p.send(t, ctx)
	}
	wantAccessible(t, ctx, src, p.name)
}

// TestBrowserAccessibility runs axe-core on every kind of page, as a
// visitor, a member, a moderator and an admin, in the light and the
// dark colour scheme, and fails on any serious or critical violation.
func TestBrowserAccessibility(t *testing.T) {
	findChromium(t)
	src := axeSource(t)
	site := newA11ySite(t)
	news, discussion := "/posts/"+site.newsID, "/posts/"+site.discussionID

	// The check itself: a picture without a text and grey on white are
	// found, so a page that passes was looked at.
	t.Run("planted faults", func(t *testing.T) {
		ctx := newBrowser(t)
		do(t, ctx, "open the about page", chromedp.Navigate(site.inst.URL+"/about"))
		evaluate[int](t, ctx, `(() => {
			const img = document.createElement("img");
			img.src = "/static/icon.svg";
			document.querySelector("main").append(img);
			const p = document.createElement("p");
			p.textContent = "Faint words";
			p.style.color = "#ccc";
			p.style.background = "#fff";
			document.querySelector("main").append(p);
			return 0;
		})()`)
		found := map[string]string{}
		for _, v := range runAxe(t, ctx, src) {
			found[v.ID] = v.Impact
		}
		for id, impact := range map[string]string{"image-alt": "critical", "color-contrast": "serious"} {
			if found[id] != impact {
				t.Errorf("axe-core found %v, want %s [%s] among them", found, id, impact)
			}
		}
	})
	t.Run("visitor", func(t *testing.T) {
		site.checkPages(t, src, "", []a11yPage{
			{name: "front page", path: "/"},
			{name: "sign-in", path: "/signin"},
			{name: "sign-in failed", path: "/signin", send: sendWith("/signin", map[string]string{"username": "bob", "password": "not the password"})},
			{name: "sign-up", path: "/signup"},
			{name: "sign-up failed", path: "/signup", send: sendWith("/signup", map[string]string{
				"username": "erin", "email": "erin@example.org", "password": "a long password", "password_again": "another password"})},
			{name: "news post", path: news},
			{name: "discussion", path: discussion},
			{name: "headline history", path: news + "/history"},
			{name: "subwiki", path: "/s/town"},
			{name: "subwiki directory", path: "/s"},
			{name: "profile", path: "/@bob"},
			{name: "followers", path: "/@bob/followers"},
			{name: "search", path: "/search"},
			{name: "search without a match", path: "/search?q=coffee"},
			{name: "search with results", path: "/search?q=town"},
			{name: "hashtag", path: "/tags/news"},
			{name: "forgot password", path: "/password/forgot"},
			{name: "reset link unknown", path: "/password/reset/no-such-token", status: http.StatusNotFound},
			{name: "privacy", path: "/privacy"},
			{name: "subwiki moderation log", path: "/s/town/log"},
			{name: "about", path: "/about"},
			{name: "support", path: "/support"},
			{name: "not found", path: "/no-such-page", status: http.StatusNotFound},
		})
	})
	t.Run("member", func(t *testing.T) {
		site.checkPages(t, src, "bob", []a11yPage{
			{name: "front page", path: "/"},
			{name: "news post", path: news},
			{name: "discussion", path: discussion},
			{name: "correction form", path: news + "/headline"},
			{name: "correction failed", path: news + "/headline", send: sendWith(news+"/headline", map[string]string{"reason": "Shorter.", "source_url": "https://example.org/"})},
			{name: "compose", path: "/compose"},
			{name: "compose failed", path: "/compose", send: sendWith("/compose", map[string]string{"headline": "A link is missing"})},
			{name: "own profile", path: "/@bob"},
			{name: "another's profile", path: "/@carol"},
			{name: "following", path: "/@carol/following"},
			{name: "notifications", path: "/notifications"},
			{name: "settings: profile", path: "/settings/profile"},
			{name: "settings: password", path: "/settings/password"},
			{name: "settings: mutes", path: "/settings/mutes"},
			{name: "settings: bans", path: "/settings/bans"},
			{name: "settings: apps", path: "/settings/apps"},
			{name: "app consent", path: "/oauth/authorize?response_type=code&scope=read+write+follow+push&redirect_uri=oauth2redirect%3A%2F%2Fcom.keylesspalace.tusky%2F&client_id=" + url.QueryEscape(site.appClientID)},
			{name: "settings: supporting", path: "/settings/supporting"},
			{name: "follow requests", path: "/follow-requests"},
			{name: "invites", path: "/invites"},
			{name: "my flags", path: "/flags"},
			{name: "subwiki flag queue", path: "/s/town/flags"},
			{name: "subwiki settings", path: "/s/town/settings"},
			{name: "subwiki bans", path: "/s/town/bans"},
			{name: "new subwiki", path: "/s/new"},
			{name: "new subwiki failed", path: "/s/new", send: sendWith("/s/new", map[string]string{"name": "town", "title": "Town again"})},
			{name: "edit post", path: news + "/edit"},
			{name: "instance moderation log", path: "/log"},
			{name: "search", path: "/search?q=carol"},
			{name: "settings: your data", path: "/settings/export"},
			{name: "settings: delete account", path: "/settings/delete"},
			{name: "settings: creator program", path: "/settings/creator"},
			{name: "creator dashboard", path: "/creator"},
			{name: "delete account failed", path: "/settings/delete", send: sendWith("/settings/delete", map[string]string{"password": "not the password"})},
		})
	})
	t.Run("admin", func(t *testing.T) {
		site.checkPages(t, src, "ada", []a11yPage{
			{name: "members", path: "/admin/members"},
			{name: "approvals", path: "/admin/approvals"},
			{name: "rules", path: "/admin/rules"},
			{name: "domains", path: "/admin/domains"},
			{name: "supporters", path: "/admin/supporters"},
			{name: "offline contribution failed", path: "/admin/supporters", send: sendWith("/admin/supporters", map[string]string{"member": "bob", "amount": "a lot"})},
			{name: "instance flag queue", path: "/admin/flags"},
			{name: "instance moderation log", path: "/log"},
			{name: "partner program", path: "/admin/partner"},
			{name: "partner month", path: "/admin/partner/2026-01"},
		})
	})
}
