package storage

import (
	"context"
	"testing"
	"time"
)

// An event that fails changes nothing and is not marked processed, so
// that Stripe's retry applies it; one that succeeded is refused again.
func TestApplyStripeEventRetriesWhatFailed(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	m, err := db.CreateMember(ctx, MemberCreate{Username: "vera", Email: "vera@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	renewal := StripeEvent{ID: "evt_renew", Type: StripeInvoicePaid, CustomerID: "cus_v", SubscriptionID: "sub_v",
		PaymentID: "in_2", AmountCents: 1299, Currency: "usd", CoversUntil: clock.now.AddDate(0, 2, 0)}
	if err := db.ApplyStripeEvent(ctx, renewal); ErrorCode(err) != ENotFound {
		t.Fatalf("an invoice of an unknown subscription: %v, want not found", err)
	}
	if payments, _ := db.PaymentsOf(ctx, m.ID); len(payments) != 0 {
		t.Fatalf("%d payments after a refused event, want none", len(payments))
	}
	start := StripeEvent{ID: "evt_start", Type: StripeCheckoutCompleted, MemberID: m.ID, Tier: "Monthly",
		CustomerID: "cus_v", SubscriptionID: "sub_v", PaymentID: "in_1", Paid: true, AmountCents: 1299,
		Currency: "usd", CoversUntil: clock.now.AddDate(0, 1, 0)}
	if err := db.ApplyStripeEvent(ctx, start); err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyStripeEvent(ctx, renewal); err != nil {
		t.Fatalf("the retried invoice: %v", err)
	}
	if until, _ := db.SupporterUntil(ctx, m.ID); !until.Equal(renewal.CoversUntil.Truncate(time.Millisecond)) {
		t.Errorf("supporter until %v, want %v", until, renewal.CoversUntil)
	}
	if err := db.ApplyStripeEvent(ctx, start); ErrorCode(err) != EConflict {
		t.Errorf("the start again: %v, want a conflict", err)
	}
	if payments, _ := db.PaymentsOf(ctx, m.ID); len(payments) != 2 {
		t.Errorf("%d payments, want 2", len(payments))
	}
}
