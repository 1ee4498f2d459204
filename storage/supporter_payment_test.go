package storage

import (
	"context"
	"testing"
	"time"
)

// A contribution makes its member a supporter for the time it covers,
// once per payment id, admits them if they wait in line, and stops
// counting once wholly refunded.
func TestRecordContribution(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	db.Registration = RegistrationWaitlist
	m, err := db.Register(ctx, Registration{MemberCreate: MemberCreate{Username: "wren", Email: "wren@example.org", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MemberPending {
		t.Fatalf("status after sign-up = %s, want pending", m.Status)
	}
	month := clock.now.AddDate(0, 1, 0)
	c := Contribution{MemberID: m.ID, AmountCents: 1299, Currency: "USD", CoversUntil: month, Source: PaymentStripe, ExternalID: "in_1"}
	first, err := db.RecordContribution(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.RecordContribution(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || first.Currency != "usd" {
		t.Errorf("second record %s, currency %q; want the first, %s, usd", again.ID, first.Currency, first.ID)
	}
	if got, _ := db.MemberByID(ctx, m.ID); got.Status != MemberActive {
		t.Errorf("status after supporting = %s, want active", got.Status)
	}
	if until, err := db.SupporterUntil(ctx, m.ID); err != nil || !until.Equal(month.Truncate(time.Millisecond)) {
		t.Errorf("supporter until %v (%v), want %v", until, err, month)
	}
	paid, err := db.PaymentsPaidBetween(ctx, clock.now.Add(-time.Hour), clock.now.Add(time.Hour))
	if err != nil || len(paid) != 1 || paid[0].NetCents() != 1299 {
		t.Errorf("payments this hour = %v (%v), want the one of 1299 cents", paid, err)
	}
	clock.Advance(32 * 24 * time.Hour)
	if until, _ := db.SupporterUntil(ctx, m.ID); !until.IsZero() {
		t.Errorf("supporter until %v after the period, want none", until)
	}
	for _, bad := range []Contribution{
		{MemberID: m.ID, AmountCents: 0, Currency: "usd", CoversUntil: month, Source: PaymentOffline},
		{MemberID: m.ID, AmountCents: 100, Currency: "dollars", CoversUntil: month, Source: PaymentOffline},
		{MemberID: m.ID, AmountCents: 100, Currency: "usd", Source: PaymentOffline},
		{MemberID: m.ID, AmountCents: 100, Currency: "usd", CoversUntil: month, Source: "paypal"},
	} {
		_, err := db.RecordContribution(ctx, bad)
		wantCode(t, err, EInvalid)
	}
}
