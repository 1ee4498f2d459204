package main

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// Without Stripe, /support shows the tiers and says card payments are
// off; an admin records an offline contribution, and /support shows
// this month's supporter money from the database, the hosting costs and
// the creator pool's share.
func TestSupportPageFiguresAndOfflineContributions(t *testing.T) {
	inst := startInstance(t, func(c *Config) {
		c.Supporters.HostingCostsCentsPerMonth = 4000
		c.Supporters.Tiers = []TierConfig{{Name: "Friend", AmountCents: 500, Interval: "month"}}
		c.Partner.PoolPercent = 40
	})
	admin := createAdmin(t, inst, "ada")
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("rosa", "a long password", nil), http.StatusSeeOther)

	p := v.get("/support")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "Friend: $5.00 a month", "Card payments are off", "$40.00 a month", "40%", "so far</dt><dd>$0.00")
	if strings.Contains(p.Body, "$12.99") {
		t.Error("the default tiers show although the config names its own")
	}
	wantStatus(t, v.post("/support/checkout", url.Values{"tier": {"Friend"}}), http.StatusConflict)

	admin.get("/admin/supporters")
	for _, bad := range []url.Values{
		{"member": {"rosa"}, "amount": {"12,50"}, "currency": {"usd"}, "months": {"1"}},
		{"member": {"rosa"}, "amount": {"12.50"}, "currency": {"usd"}, "months": {"0"}},
		{"member": {"nobody"}, "amount": {"12.50"}, "currency": {"usd"}, "months": {"1"}},
		{"member": {"rosa"}, "amount": {"12.50"}, "currency": {"dollars"}, "months": {"1"}},
	} {
		if p := admin.post("/admin/supporters", bad); p.Status < 400 || p.Status > 499 {
			t.Errorf("offline contribution %v answered %d, want a 4xx", bad, p.Status)
		}
	}
	wantStatus(t, admin.post("/admin/supporters", url.Values{"member": {"@rosa"}, "amount": {"12.5"},
		"currency": {"usd"}, "months": {"3"}, "note": {"bank transfer"}}), http.StatusSeeOther)
	list := admin.get("/admin/supporters")
	wantBody(t, list, "@rosa", "$12.50", "bank transfer", "offline")
	if got := strings.Count(list.Body, "<td>bank transfer</td>"); got != 1 {
		t.Errorf("%d payments listed, want the one recorded", got)
	}
	wantBody(t, v.get("/support"), "so far</dt><dd>$12.50")
	wantBody(t, v.get("/settings/supporting"), "You are a supporter until", "recorded by an admin")
}

// The badge shows beside a supporter's name on their profile and posts
// only when they opt in, and only while they are a supporter.
func TestSupporterBadge(t *testing.T) {
	inst := startInstance(t, nil)
	admin := createAdmin(t, inst, "ada")
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("sami", "a long password", nil), http.StatusSeeOther)
	id := publish(t, v, url.Values{"kind": {"discussion"}, "headline": {"Local elections"}, "text": {"Results tonight."}})
	const badge = `class="badge supporter-badge"`
	noBadge := func(when string) {
		t.Helper()
		for _, path := range []string{"/@sami", "/posts/" + id, "/"} {
			if p := v.get(path); strings.Contains(p.Body, badge) {
				t.Errorf("%s: %s shows the supporter badge", when, path)
			}
		}
	}
	v.get("/settings/supporting")
	wantStatus(t, v.post("/settings/supporting/badge", url.Values{"badge": {"on"}}), http.StatusSeeOther)
	noBadge("opted in, not a supporter")

	admin.get("/admin/supporters")
	wantStatus(t, admin.post("/admin/supporters", url.Values{"member": {"sami"}, "amount": {"5"},
		"currency": {"usd"}, "months": {"1"}}), http.StatusSeeOther)
	for _, path := range []string{"/@sami", "/posts/" + id, "/"} {
		wantBody(t, v.get(path), badge)
	}

	v.get("/settings/supporting")
	wantStatus(t, v.post("/settings/supporting/badge", nil), http.StatusSeeOther)
	noBadge("a supporter who opted out")
}

// "tidings admin contribution" records an offline contribution and
// admits a member who waits in line; bad input names the problem.
func TestAdminContributionCommand(t *testing.T) {
	inst := startInstance(t, withMode(storage.RegistrationWaitlist))
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("tala", "a long password", nil), http.StatusOK)
	file := configOf(t, inst)
	if err := appendFile(file, "[registration]\nmode = \"waitlist\"\n"); err != nil {
		t.Fatal(err)
	}
	got := runCLI("", "admin", "contribution", "tala", "--amount", "12.99", "--months", "1", "--note", "cash at the meetup", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "recorded 12.99 USD from @tala") {
		t.Fatalf("contribution: %+v", got)
	}
	if m := memberNamed(t, inst, "tala"); m.Status != storage.MemberActive {
		t.Errorf("status %s after the contribution, want active", m.Status)
	}
	wantStatus(t, v.signIn("tala", "a long password"), http.StatusSeeOther)
	for _, args := range [][]string{
		{"tala", "--amount", "lots"},
		{"nobody", "--amount", "5"},
		{"tala"},
	} {
		got := runCLI("", append(append([]string{"admin", "contribution"}, args...), "-config", file)...)
		if got.status == 0 || got.stderr == "" {
			t.Errorf("contribution %v: %+v, want a failure that says why", args, got)
		}
	}
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
