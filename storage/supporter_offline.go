package storage

import (
	"context"
	"strings"
)

// OfflineContribution is a contribution made another way than by card
// (a bank transfer, cash), as an admin enters it.
type OfflineContribution struct {
	Username   string
	Amount     string // "12.99", in the currency's main unit
	Currency   string
	Months     int // how many months it makes them a supporter
	Note       string
	RecordedBy string // the admin's id; "" from the command line
}

// RecordOfflineContribution records an offline contribution. The months
// it pays for follow the period the member has already paid for, if any,
// so paying early loses nothing; like every contribution, it admits a
// member who waits in line.
func (db *DB) RecordOfflineContribution(ctx context.Context, o OfflineContribution) (*SupporterPayment, error) {
	cents, err := ParseAmount(o.Amount, o.Currency)
	if err != nil {
		return nil, err
	}
	if o.Months < 1 || o.Months > 120 {
		return nil, Errorf(EInvalid, "Say for how many months, from 1 to 120, the contribution makes them a supporter.")
	}
	var p *SupporterPayment
	err = db.write(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "username = ?", strings.TrimPrefix(strings.TrimSpace(o.Username), "@"))
		if ErrorCode(err) == ENotFound {
			return Errorf(ENotFound, "No member @%s here.", strings.TrimPrefix(strings.TrimSpace(o.Username), "@"))
		}
		if err != nil {
			return err
		}
		from := tx.now
		var until int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(covers_until), 0) FROM supporter_payments
			WHERE member_id = ?1 AND covers_until > ?2 AND refunded_cents < amount_cents`, m.ID, millis(tx.now)).Scan(&until); err != nil {
			return err
		}
		if until != 0 {
			from = fromMillis(until)
		}
		c := Contribution{MemberID: m.ID, AmountCents: cents, Currency: o.Currency, PaidAt: tx.now,
			CoversUntil: from.AddDate(0, o.Months, 0), Source: PaymentOffline, Note: o.Note, RecordedBy: o.RecordedBy}
		if err := c.check(); err != nil {
			return err
		}
		p, err = tx.recordContribution(ctx, c)
		return err
	})
	return p, err
}

// zeroDecimalCurrencies are counted by Stripe in whole units, not cents.
var zeroDecimalCurrencies = map[string]bool{"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true,
	"kmf": true, "krw": true, "mga": true, "pyg": true, "rwf": true, "ugx": true, "vnd": true, "vuv": true,
	"xaf": true, "xof": true, "xpf": true}

// ZeroDecimal reports whether the currency has no cents: its amounts
// are stored in whole units.
func ZeroDecimal(currency string) bool { return zeroDecimalCurrencies[strings.ToLower(currency)] }

// ParseAmount reads an amount like "12.99" or "100" into the currency's
// smallest unit (cents), without floating point.
func ParseAmount(s, currency string) (int64, error) {
	bad := Errorf(EInvalid, "%q is not an amount like 12.99.", s)
	whole, frac, hasFrac := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(frac) > 2 || hasFrac && (frac == "" || ZeroDecimal(currency)) || len(whole) > 10 {
		return 0, bad
	}
	var cents int64
	for _, r := range whole + (frac + "00")[:2] {
		if r < '0' || r > '9' {
			return 0, bad
		}
		cents = cents*10 + int64(r-'0')
	}
	if ZeroDecimal(currency) {
		cents /= 100
	}
	if cents <= 0 {
		return 0, Errorf(EInvalid, "A contribution must be more than nothing.")
	}
	return cents, nil
}
