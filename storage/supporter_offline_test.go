package storage

import (
	"context"
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, currency string
		want         int64 // 0: refused
	}{
		{"12.99", "usd", 1299},
		{"12.5", "usd", 1250},
		{"100", "eur", 10000},
		{" 0.50 ", "usd", 50},
		{"1000", "jpy", 1000},
		{"10.5", "jpy", 0},
		{"12,99", "usd", 0},
		{"12.999", "usd", 0},
		{"-5", "usd", 0},
		{"0", "usd", 0},
		{"", "usd", 0},
		{".5", "usd", 0},
		{"12.", "usd", 0},
		{"99999999999", "usd", 0},
	} {
		got, err := ParseAmount(tc.in, tc.currency)
		if tc.want == 0 && (err == nil || ErrorCode(err) != EInvalid) {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want refused as invalid", tc.in, tc.currency, got, err)
		}
		if tc.want != 0 && (err != nil || got != tc.want) {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", tc.in, tc.currency, got, err, tc.want)
		}
	}
}

// An offline contribution paid before the current period ends extends
// it, rather than starting from today.
func TestOfflineContributionExtendsThePeriod(t *testing.T) {
	ctx := context.Background()
	db, clock := openTestDB(t)
	m, err := db.CreateMember(ctx, MemberCreate{Username: "yusuf", Email: "yusuf@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.RecordOfflineContribution(ctx, OfflineContribution{Username: "@yusuf", Amount: "10", Currency: "usd", Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := clock.now.AddDate(0, 2, 0).Truncate(time.Millisecond); !first.CoversUntil.Equal(want) {
		t.Errorf("first covers until %v, want %v", first.CoversUntil, want)
	}
	second, err := db.RecordOfflineContribution(ctx, OfflineContribution{Username: "yusuf", Amount: "5", Currency: "usd", Months: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := first.CoversUntil.AddDate(0, 1, 0); !second.CoversUntil.Equal(want) {
		t.Errorf("second covers until %v, want %v", second.CoversUntil, want)
	}
	if until, _ := db.SupporterUntil(ctx, m.ID); !until.Equal(second.CoversUntil) {
		t.Errorf("supporter until %v, want %v", until, second.CoversUntil)
	}
	for _, bad := range []OfflineContribution{
		{Username: "nobody", Amount: "5", Currency: "usd", Months: 1},
		{Username: "yusuf", Amount: "5", Currency: "usd", Months: 0},
		{Username: "yusuf", Amount: "5", Currency: "dollars", Months: 1},
	} {
		if _, err := db.RecordOfflineContribution(ctx, bad); err == nil || ErrorCode(err) == EInternal {
			t.Errorf("%+v: %v, want a refusal", bad, err)
		}
	}
}
