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

// checkoutCompleted is a paid checkout session of the member's.
func checkoutCompleted(memberID, tier, invoice string) map[string]any {
	return map[string]any{
		"id": "cs_test_" + memberID, "object": "checkout.session", "mode": "subscription",
		"client_reference_id": memberID, "customer": "cus_" + memberID, "subscription": "sub_" + memberID,
		"invoice": invoice, "payment_status": "paid", "status": "complete", "amount_total": 1299, "currency": "usd",
		"metadata": map[string]any{"member_id": memberID, "tier": tier},
	}
}

// invoiceOf is a paid invoice of the member's subscription, in the shape
// of API versions since 2025-03-31 (the subscription under parent).
func invoiceOf(memberID, id string, cents int64, periodEnd time.Time) map[string]any {
	return map[string]any{
		"id": id, "object": "invoice", "customer": "cus_" + memberID, "amount_paid": cents, "currency": "usd",
		"period_end": time.Now().Unix(),
		"parent": map[string]any{"type": "subscription_details", "subscription_details": map[string]any{
			"subscription": "sub_" + memberID, "metadata": map[string]any{"member_id": memberID, "tier": "Monthly"}}},
		"lines": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "il_" + id, "period": map[string]any{"start": time.Now().Unix(), "end": periodEnd.Unix()}}}},
	}
}

func memberNamed(t *testing.T, inst *instance, name string) *storage.Member {
	t.Helper()
	m, err := inst.DB.MemberByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func supporterUntil(t *testing.T, inst *instance, memberID string) time.Time {
	t.Helper()
	until, err := inst.DB.SupporterUntil(context.Background(), memberID)
	if err != nil {
		t.Fatal(err)
	}
	return until
}

func subscriptionStatus(t *testing.T, inst *instance, memberID string) string {
	t.Helper()
	s, err := inst.DB.SubscriptionOf(context.Background(), memberID)
	if err != nil {
		t.Fatal(err)
	}
	return s.Status
}

// A member who waits in line pays through Stripe's checkout to skip it:
// the checkout is made against stripe-mock with the member named, and
// the signed webhook of the paid session admits them.
func TestSupportCheckoutSkipsTheWaitingList(t *testing.T) {
	mock := startStripeMock(t)
	inst := startInstance(t, func(c *Config) {
		withMode(storage.RegistrationWaitlist)(c)
		withStripe(mock)(c)
	})
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("nadia", "a long password", nil), http.StatusOK)
	nadia := memberNamed(t, inst, "nadia")
	if nadia.Status != storage.MemberPending {
		t.Fatalf("status %s, want pending", nadia.Status)
	}
	support := v.get("/support")
	wantStatus(t, support, http.StatusOK)
	wantBody(t, support, "$12.99 a month", "$100.00 a year", `name="password"`)

	wrong := v.post("/support/checkout", url.Values{"tier": {"Monthly"}, "username": {"nadia"}, "password": {"not it"}})
	wantStatus(t, wrong, http.StatusUnauthorized)
	if n := len(mock.requestsTo(http.MethodPost, "/v1/checkout/sessions")); n != 0 {
		t.Fatalf("%d checkouts started with a wrong password", n)
	}
	p := v.post("/support/checkout", url.Values{"tier": {"Monthly"}, "username": {"nadia"}, "password": {"a long password"}})
	wantStatus(t, p, http.StatusSeeOther)
	if !strings.HasPrefix(p.Location, "https://checkout.stripe.com/") {
		t.Errorf("redirected to %q, want Stripe's checkout", p.Location)
	}
	reqs := mock.requestsTo(http.MethodPost, "/v1/checkout/sessions")
	if len(reqs) != 1 {
		t.Fatalf("%d checkout sessions made, want 1", len(reqs))
	}
	for key, want := range map[string]string{
		"mode": "subscription", "client_reference_id": nadia.ID, "customer_email": "nadia@example.org",
		"metadata[member_id]": nadia.ID, "metadata[tier]": "Monthly", "subscription_data[metadata][member_id]": nadia.ID,
		"line_items[0][price_data][unit_amount]": "1299", "line_items[0][price_data][currency]": "usd",
		"line_items[0][price_data][recurring][interval]": "month", "success_url": inst.URL + "/support/thanks",
		"cancel_url": inst.URL + "/support",
	} {
		if got := reqs[0].Form.Get(key); got != want {
			t.Errorf("checkout %s = %q, want %q", key, got, want)
		}
	}

	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_start", "checkout.session.completed", "2025-09-30.clover",
		checkoutCompleted(nadia.ID, "Monthly", "in_first"))), http.StatusOK)
	if got := memberNamed(t, inst, "nadia").Status; got != storage.MemberActive {
		t.Fatalf("after paying, status %s, want active", got)
	}
	if until := supporterUntil(t, inst, nadia.ID); until.Before(time.Now().AddDate(0, 1, -2)) {
		t.Errorf("supporter until %v, want about a month from now", until)
	}
	wantStatus(t, v.signIn("nadia", "a long password"), http.StatusSeeOther)

	// A member whose subscription renews cannot start a second one.
	v.get("/support")
	again := v.post("/support/checkout", url.Values{"tier": {"Yearly"}})
	wantStatus(t, again, http.StatusConflict)
	wantBody(t, again, "already have a subscription")
	if n := len(mock.requestsTo(http.MethodPost, "/v1/checkout/sessions")); n != 1 {
		t.Errorf("%d checkout sessions made, want still 1", n)
	}
}

// The supporter's lifecycle through signed webhooks: start, renew,
// payment failure, refund, end; each changes what it should.
func TestStripeWebhookLifecycle(t *testing.T) {
	mock := startStripeMock(t)
	inst := startInstance(t, withStripe(mock))
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("omar", "a long password", nil), http.StatusSeeOther)
	omar := memberNamed(t, inst, "omar").ID

	// Start: the session's own invoice is the first payment; its
	// invoice.paid afterwards is the same payment, not a second.
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_1", "checkout.session.completed", "2025-09-30.clover",
		checkoutCompleted(omar, "Monthly", "in_1"))), http.StatusOK)
	firstUntil := supporterUntil(t, inst, omar)
	if firstUntil.IsZero() || subscriptionStatus(t, inst, omar) != storage.SubscriptionActive {
		t.Fatalf("after checkout: until %v, status %s; want a supporter with an active subscription", firstUntil, subscriptionStatus(t, inst, omar))
	}
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_2", "invoice.paid", "2025-09-30.clover",
		invoiceOf(omar, "in_1", 1299, firstUntil))), http.StatusOK)
	if payments, _ := inst.DB.PaymentsOf(context.Background(), omar); len(payments) != 1 {
		t.Fatalf("%d payments after the first invoice's event, want 1", len(payments))
	}

	// Renew: a later invoice covers the next period.
	renewedUntil := firstUntil.AddDate(0, 1, 0).Truncate(time.Second)
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_3", "invoice.paid", "2025-09-30.clover",
		invoiceOf(omar, "in_2", 1299, renewedUntil))), http.StatusOK)
	if got := supporterUntil(t, inst, omar); !got.Equal(renewedUntil) {
		t.Fatalf("after renewal, supporter until %v, want %v", got, renewedUntil)
	}

	// Payment failure: past due, shown to the member; the period paid stays.
	failed := invoiceOf(omar, "in_3", 0, renewedUntil.AddDate(0, 1, 0))
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_4", "invoice.payment_failed", "2025-09-30.clover", failed)), http.StatusOK)
	if got := subscriptionStatus(t, inst, omar); got != storage.SubscriptionPastDue {
		t.Errorf("after a failed payment, status %s, want past_due", got)
	}
	if got := supporterUntil(t, inst, omar); !got.Equal(renewedUntil) {
		t.Errorf("after a failed payment, supporter until %v, want still %v", got, renewedUntil)
	}
	wantBody(t, v.get("/settings/supporting"), "past due", "$12.99")

	// Refund, in an old API version's shape (the invoice on the charge):
	// the renewal refunded in full pays for nothing.
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_5", "charge.refunded", "2019-12-03", map[string]any{
		"id": "ch_2", "object": "charge", "invoice": "in_2", "amount": 1299, "amount_refunded": 1299,
		"currency": "usd", "refunded": true})), http.StatusOK)
	if got := supporterUntil(t, inst, omar); !got.Equal(firstUntil) {
		t.Errorf("after refunding the renewal, supporter until %v, want %v", got, firstUntil)
	}

	// End: no renewal.
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_6", "customer.subscription.deleted", "2025-09-30.clover",
		map[string]any{"id": "sub_" + omar, "object": "subscription", "customer": "cus_" + omar, "status": "canceled"})), http.StatusOK)
	if got := subscriptionStatus(t, inst, omar); got != storage.SubscriptionCanceled {
		t.Errorf("after the subscription ended, status %s, want canceled", got)
	}

	// Kinds we do not handle are acknowledged.
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_7", "customer.created", "2025-09-30.clover",
		map[string]any{"id": "cus_x", "object": "customer"})), http.StatusOK)
}

// A member cancels from settings: Stripe is told to end the subscription
// at the period's end, and the page says so.
func TestCancelSupportingThroughStripe(t *testing.T) {
	mock := startStripeMock(t)
	inst := startInstance(t, withStripe(mock))
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("pia", "a long password", nil), http.StatusSeeOther)
	pia := memberNamed(t, inst, "pia").ID
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_p1", "checkout.session.completed", "2025-09-30.clover",
		checkoutCompleted(pia, "Monthly", "in_p1"))), http.StatusOK)
	wantBody(t, v.get("/settings/supporting"), "You are a supporter until", "Cancel my subscription")
	wantStatus(t, v.post("/settings/supporting/cancel", nil), http.StatusSeeOther)
	reqs := mock.requestsTo(http.MethodPost, "/v1/subscriptions/sub_"+pia)
	if len(reqs) != 1 || reqs[0].Form.Get("cancel_at_period_end") != "true" {
		t.Fatalf("requests to Stripe %+v, want one update with cancel_at_period_end=true", reqs)
	}
	if got := subscriptionStatus(t, inst, pia); got != storage.SubscriptionCanceling {
		t.Errorf("status %s, want canceling", got)
	}
	wantBody(t, v.get("/settings/supporting"), "canceled; it ends with the period you paid for", "You are a supporter until")
	wantStatus(t, v.post("/settings/supporting/cancel", nil), http.StatusConflict)
}
