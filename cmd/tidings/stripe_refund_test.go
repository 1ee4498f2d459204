package main

import (
	"net/http"
	"testing"
	"time"
)

// A refund in the shape of API versions since 2025-03-31 names no
// invoice, only the charge's payment intent: the instance asks Stripe
// (stripe-mock) which invoice that intent paid, and the refund ends the
// period that invoice paid for.
func TestStripeRefundFoundByPaymentIntent(t *testing.T) {
	mock := startStripeMock(t)
	inst := startInstance(t, withStripe(mock))
	v := newVisitor(t, inst)
	wantStatus(t, v.signUp("ines", "a long password", nil), http.StatusSeeOther)
	ines := memberNamed(t, inst, "ines").ID

	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_a", "checkout.session.completed", "2025-09-30.clover",
		checkoutCompleted(ines, "Monthly", "in_first"))), http.StatusOK)
	firstUntil := supporterUntil(t, inst, ines)
	// stripe-mock answers every invoice payment with the invoice "invoice".
	renewedUntil := firstUntil.AddDate(0, 1, 0).Truncate(time.Second)
	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_b", "invoice.paid", "2025-09-30.clover",
		invoiceOf(ines, "invoice", 1299, renewedUntil))), http.StatusOK)
	if got := supporterUntil(t, inst, ines); !got.Equal(renewedUntil) {
		t.Fatalf("after renewal, supporter until %v, want %v", got, renewedUntil)
	}

	wantStatus(t, sendEvent(t, inst, stripeEvent(t, "evt_c", "charge.refunded", "2025-09-30.clover", map[string]any{
		"id": "ch_9", "object": "charge", "payment_intent": "pi_9", "amount": 1299, "amount_refunded": 1299,
		"currency": "usd", "refunded": true})), http.StatusOK)
	asked := mock.requestsTo(http.MethodGet, "/v1/invoice_payments")
	if len(asked) != 1 || asked[0].Form.Get("payment[payment_intent]") != "pi_9" {
		t.Fatalf("asked Stripe %+v; want the invoice payments of pi_9", asked)
	}
	if got := supporterUntil(t, inst, ines); !got.Equal(firstUntil) {
		t.Errorf("after refunding the renewal, supporter until %v, want %v", got, firstUntil)
	}
}
