package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAccessibilityWaitlist runs axe-core on the pages that read
// differently in waitlist mode: the front page and the sign-up with how
// the line works, the page with the number in line, the admins' Waiting
// list, and the Invites page with a member's allowance.
func TestBrowserAccessibilityWaitlist(t *testing.T) {
	findChromium(t)
	src := axeSource(t)
	inst := startInstance(t, withWaitlist(3))
	createAdmin(t, inst, "ada")
	activeMember(t, inst, "bob")
	wantStatus(t, newVisitor(t, inst).signUp("dora", "a long password", nil), http.StatusOK)
	site := &a11ySite{inst: inst}

	t.Run("visitor", func(t *testing.T) {
		site.checkPages(t, src, "", []a11yPage{
			{name: "front page (waitlist)", path: "/"},
			{name: "sign-up (waitlist)", path: "/signup"},
			{name: "number in line", path: "/signup", send: joinInBrowser("erin")},
		})
	})
	t.Run("member", func(t *testing.T) {
		site.checkPages(t, src, "bob", []a11yPage{
			{name: "invites with an allowance", path: "/invites"},
		})
	})
	t.Run("admin", func(t *testing.T) {
		site.checkPages(t, src, "ada", []a11yPage{
			{name: "waiting list", path: "/admin/approvals"},
		})
	})
}

// joinInBrowser fills in the sign-up form for name and sends it; the page
// that follows (the number in line) is the one checked.
func joinInBrowser(name string) func(*testing.T, context.Context) {
	return func(t *testing.T, ctx context.Context) {
		t.Helper()
		field := func(n string) string { return `form[action="/signup"] [name=` + n + `]` }
		do(t, ctx, "fill the sign-up form",
			chromedp.SendKeys(chromedp.CSS(field("username")), name),
			chromedp.SendKeys(chromedp.CSS(field("email")), name+"@example.org"),
			chromedp.SendKeys(chromedp.CSS(field("password")), "a long password"),
			chromedp.SendKeys(chromedp.CSS(field("password_again")), "a long password"))
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/signup"] button[type=submit]`)))
		if err != nil {
			t.Fatalf("join as %s: %v", name, err)
		}
		if resp.Status != http.StatusOK {
			t.Fatalf("join as %s: status %d, want 200 and the number in line", name, resp.Status)
		}
	}
}
