package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// Unsigned, mis-signed, tampered, stale, oversized and replayed events
// are refused with a 4xx and a reason, and change nothing; an event of
// an old API version is taken.
func TestStripeWebhookRefusals(t *testing.T) {
	mock := startStripeMock(t)
	inst := startInstance(t, func(c *Config) {
		withMode(storage.RegistrationWaitlist)(c)
		withStripe(mock)(c)
	})
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("quinn", "a long password", nil), http.StatusOK)
	quinn := memberNamed(t, inst, "quinn").ID
	body := stripeEvent(t, "evt_q1", "checkout.session.completed", "2025-09-30.clover", checkoutCompleted(quinn, "Yearly", "in_q1"))
	now := time.Now()
	for _, tc := range []struct {
		name      string
		body      []byte
		signature string
		reason    string
	}{
		{"unsigned", body, "", "no Stripe-Signature"},
		{"wrong secret", body, stripeSignature(body, "whsec_someone_else", now), "does not match"},
		{"tampered body", bytes.Replace(body, []byte(`"amount_total":1299`), []byte(`"amount_total":1`), 1),
			stripeSignature(body, testWebhookSecret, now), "does not match"},
		{"stale", body, stripeSignature(body, testWebhookSecret, now.Add(-6*time.Minute)), "older than five minutes"},
		{"malformed signature", body, "t=yesterday,v1=00", "malformed"},
		{"oversized", append(bytes.Repeat([]byte(" "), 70<<10), body...), "", "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sig := tc.signature
			if tc.name == "oversized" {
				sig = stripeSignature(tc.body, testWebhookSecret, now)
			}
			p := postWebhook(t, inst, tc.body, sig)
			if p.Status < 400 || p.Status > 499 || !strings.Contains(p.Body, tc.reason) {
				t.Errorf("answer %d %q, want a 4xx saying %q", p.Status, p.Body, tc.reason)
			}
			if until := supporterUntil(t, inst, quinn); !until.IsZero() {
				t.Errorf("a refused event made quinn a supporter until %v", until)
			}
			if got := memberNamed(t, inst, "quinn").Status; got != storage.MemberPending {
				t.Errorf("a refused event changed quinn's status to %s", got)
			}
		})
	}

	// The genuine event, is taken
	// once; sent again (a replay) it is refused and changes nothing. An
	// event in the shape of an API version of 2015 is taken.
	wantStatus(t, sendEvent(t, inst, body), http.StatusOK)
	until := supporterUntil(t, inst, quinn)
	if until.Before(time.Now().AddDate(1, 0, -2)) {
		t.Fatalf("supporter until %v, want a year from now (the Yearly tier)", until)
	}
	replay := sendEvent(t, inst, body)
	if replay.Status != http.StatusConflict || !strings.Contains(replay.Body, "already processed") {
		t.Errorf("replay answered %d %q, want 409 saying it was already processed", replay.Status, replay.Body)
	}
	old := stripeEvent(t, "evt_q2", "invoice.paid", "2015-10-16", map[string]any{
		"id": "in_q2", "object": "invoice", "customer": "cus_" + quinn, "subscription": "sub_" + quinn,
		"amount_paid": 10000, "currency": "usd", "period_end": until.AddDate(1, 0, 0).Unix(), "lines": map[string]any{"data": []any{}},
	})
	// Before 2017-05-25, an event's request was a bare id.
	old = bytes.Replace(old, []byte(`"object":"event"`), []byte(`"object":"event","request":"req_old"`), 1)
	wantStatus(t, sendEvent(t, inst, old), http.StatusOK)
	payments, err := inst.DB.PaymentsOf(context.Background(), quinn)
	if err != nil {
		t.Fatal(err)
	}
	if len(payments) != 2 {
		t.Fatalf("%d payments, want 2 (the checkout's, the old version's invoice)", len(payments))
	}
}
