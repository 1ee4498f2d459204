package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// A creator connects a Stripe account (an Express account and an
// onboarding link, against stripe-mock), and the admin pays their
// closed month by a transfer to it, once.
func TestCreatorPaidThroughStripe(t *testing.T) {
	ctx := context.Background()
	api := startStripeMock(t).URL
	ps := startPartnerSite(t, func(c *Config) {
		c.Partner.MaxSupporterSharePercent = 100
		c.Supporters.StripeSecretKey = "sk_test_123"
		c.Supporters.StripeAPIURL = api
	})
	db := ps.inst.DB
	page := ps.alice.get("/settings/creator")
	wantBody(t, page, "Connect a Stripe account")
	page = ps.alice.post("/settings/creator/stripe", nil)
	wantStatus(t, page, http.StatusSeeOther)
	if !strings.HasPrefix(page.Location, "https://") {
		t.Errorf("onboarding goes to %q, want Stripe's link", page.Location)
	}
	c, err := db.CreatorOf(ctx, ps.aliceID)
	if err != nil || c.StripeAccountID == "" || c.Payout != storage.PayoutStripe {
		t.Fatalf("alice after connecting = %+v (%v), want a connected account", c, err)
	}
	wantBody(t, ps.alice.get("/settings/creator"), "Your Stripe account is connected")

	then := time.Now().UTC().AddDate(0, 0, -time.Now().UTC().Day())
	month := storage.MonthOf(then)
	past, err := storage.Open(ctx, ps.inst.Config.Storage.Path, storage.Site{Scheme: ps.inst.Config.Server.Scheme, Domain: ps.inst.Config.Server.Domain})
	if err != nil {
		t.Fatal(err)
	}
	defer past.Close()
	past.Now = func() time.Time { return then }
	if _, err := past.RecordContribution(ctx, storage.Contribution{MemberID: ps.carolID, AmountCents: 2000, Currency: "usd",
		CoversUntil: then.AddDate(0, 1, 0), Source: storage.PaymentOffline}); err != nil {
		t.Fatal(err)
	}
	if _, err := past.RecordPostRead(ctx, ps.carolID, ps.post.ID); err != nil {
		t.Fatal(err)
	}
	past.Now = time.Now
	if _, err := past.CloseMonth(ctx, "ada", storage.PoolTerms{PoolPercent: 50, MaxSharePercent: 100}, month); err != nil {
		t.Fatal(err)
	}
	page = ps.ada.get("/admin/partner/" + month)
	wantBody(t, page, "10.00 USD", "Transfer through Stripe")
	pay := url.Values{"creator": {ps.aliceID}, "method": {"stripe"}}
	wantStatus(t, ps.ada.post("/admin/partner/"+month+"/pay", pay), http.StatusSeeOther)
	st, err := db.PartnerLedger(ctx, month)
	if err != nil || st.Creators[0].Payout == nil || !strings.HasPrefix(st.Creators[0].Payout.TransferID, "tr_") {
		t.Fatalf("alice's payout = %+v (%v), want a Stripe transfer", st.Creators, err)
	}
	wantStatus(t, ps.ada.post("/admin/partner/"+month+"/pay", pay), http.StatusConflict)
}
