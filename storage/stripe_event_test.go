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

// A member who waits in line may give their password to pay; one who
// waits for an admin's approval may not, since paying would not admit them.
func TestAuthenticateToSupport(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		mode RegistrationMode
		ok   bool
	}{{RegistrationWaitlist, true}, {RegistrationApproval, false}} {
		db, _ := openTestDB(t)
		db.Registration = tc.mode
		if _, err := db.Register(ctx, Registration{MemberCreate: MemberCreate{Username: "ines", Email: "ines@example.org", Password: "a long password"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "ines", "a long password", "192.0.2.1"); ErrorCode(err) != EForbidden {
			t.Errorf("%s: signing in while pending: %v, want forbidden", tc.mode, err)
		}
		m, err := db.AuthenticateToSupport(ctx, "ines", "a long password", "192.0.2.1")
		if tc.ok && (err != nil || m.Username != "ines") {
			t.Errorf("%s: %v, want ines", tc.mode, err)
		}
		if !tc.ok && ErrorCode(err) != EForbidden {
			t.Errorf("%s: %v, want forbidden", tc.mode, err)
		}
		if _, err := db.AuthenticateToSupport(ctx, "ines", "not it", "192.0.2.1"); ErrorCode(err) != EUnauthorized {
			t.Errorf("%s: a wrong password: %v, want unauthorized", tc.mode, err)
		}
	}
}
