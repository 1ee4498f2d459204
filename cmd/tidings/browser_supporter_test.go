package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tidings-social/tidings/storage"
)

// TestBrowserSupporterJourney: in a browser, a newcomer joins the waiting
// list, pays to support (the checkout is made against stripe-mock, and
// Stripe's page is not visited: the test sends the webhook Stripe would),
// is admitted, reads and likes a creator's post, and the creator sees
// this month's estimate grow.
func TestBrowserSupporterJourney(t *testing.T) {
	ctx0 := context.Background()
	mock := startStripeMock(t)
	inst := startInstance(t, func(c *Config) {
		withMode(storage.RegistrationWaitlist)(c)
		withStripe(mock)(c)
		c.Partner.MaxSupporterSharePercent = 100 // one supporter's money may make up all of a creator's
	})
	if _, err := inst.DB.CreateMember(ctx0, storage.MemberCreate{Username: "carla", Email: "carla@example.org", Password: "a long password"}); err != nil {
		t.Fatal(err)
	}
	carla := newVisitor(t, inst)
	carla.signIn("carla", "a long password")
	carla.get("/settings/creator")
	wantStatus(t, carla.post("/settings/creator", url.Values{"creator": {"on"}, "payout": {"manual"}}), 303)
	postID := publish(t, carla, url.Values{"kind": {"discussion"}, "headline": {"The ferry timetable changes"}, "text": {"From May on."}})

	ctx := newBrowser(t)
	// Nothing leaves the machine: Stripe's checkout page is blocked.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
		URLPatterns: []*network.BlockPattern{{URLPattern: "https://*.stripe.com/*", Block: true}}}); err != nil {
		t.Fatal(err)
	}

	do(t, ctx, "sign up",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signup"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "nadia"),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "nadia@example.org"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "a long password"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password_again]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signup", "/signup")
	if got := text(t, ctx, `main`); !strings.Contains(got, "You are on the waiting list: number 1") {
		t.Fatalf("after signing up the page says %q; want the place in line", got)
	}
	screenshot(t, ctx, "supporter-01-waiting-list")

	do(t, ctx, "choose to support",
		chromedp.Navigate(inst.URL+"/support"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/support/checkout"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/support/checkout"] input[name=username]`), "nadia"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/support/checkout"] input[name=password]`), "a long password"),
	)
	screenshot(t, ctx, "supporter-02-support")
	// The form leads to Stripe's checkout (TestSupportCheckoutSkipsTheWaitingList
	// checks the redirect), which is blocked here: the browser stays.
	if _, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(`form[action="/support/checkout"] button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the checkout session made at Stripe", 10*time.Second, func() bool {
		return len(mock.requestsTo("POST", "/v1/checkout/sessions")) > 0
	})
	nadia := memberNamed(t, inst, "nadia")
	if reqs := mock.requestsTo("POST", "/v1/checkout/sessions"); len(reqs) != 1 || reqs[0].Form.Get("client_reference_id") != nadia.ID {
		t.Fatalf("checkout sessions made: %+v; want one for nadia", reqs)
	}
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_journey", "checkout.session.completed", "2025-09-30.clover",
		checkoutCompleted(nadia.ID, "Monthly", "in_journey"))), 200)

	do(t, ctx, "sign in, admitted",
		chromedp.Navigate(inst.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=username]`), "nadia"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=password]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signin", "/")
	do(t, ctx, "read and like carla's post",
		chromedp.Navigate(inst.URL+"/posts/"+postID),
		chromedp.WaitVisible(chromedp.CSS(`form.like button`)),
	)
	submitForm(t, ctx, inst.URL, "/posts/"+postID+"/like", "/posts/"+postID)
	if got := text(t, ctx, `form.like button`); !strings.Contains(got, "Liked") {
		t.Errorf("like button reads %q after liking, want Liked", got)
	}
	screenshot(t, ctx, "supporter-03-liked")

	// The pool is half of 12.99; all of it follows nadia's reading.
	page := carla.get("/creator")
	wantStatus(t, page, 200)
	wantBody(t, page, "so far: 6.49 USD")
}
