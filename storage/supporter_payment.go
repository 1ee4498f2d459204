package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Payment sources.
const (
	PaymentStripe  = "stripe"  // paid through Stripe, recorded from its webhooks
	PaymentOffline = "offline" // recorded by an admin: a bank transfer, cash
)

// Contribution is a payment of a supporter's, to record.
type Contribution struct {
	MemberID    string
	AmountCents int64
	Currency    string    // ISO 4217: "usd", "eur"; stored lower case
	PaidAt      time.Time // zero: now
	CoversUntil time.Time // the end of the period it pays for
	Source      string    // PaymentStripe or PaymentOffline
	ExternalID  string    // Stripe's id of the payment; "" for offline
	Note        string
	RecordedBy  string // the admin who recorded an offline payment
}

// SupporterPayment is a recorded payment.
type SupporterPayment struct {
	ID            string
	MemberID      string // "" once the member's account is deleted
	AmountCents   int64
	Currency      string
	PaidAt        time.Time
	CoversUntil   time.Time
	Source        string
	ExternalID    string
	RefundedCents int64
	RefundedAt    time.Time // zero when not refunded
	Note          string
}

// NetCents is what the payment brought in: its amount less refunds.
func (p *SupporterPayment) NetCents() int64 { return p.AmountCents - p.RefundedCents }

func (c *Contribution) check() error {
	c.Currency = strings.ToLower(strings.TrimSpace(c.Currency))
	switch {
	case c.AmountCents <= 0:
		return Errorf(EInvalid, "A contribution must be more than nothing.")
	case len(c.Currency) != 3 || strings.Trim(c.Currency, "abcdefghijklmnopqrstuvwxyz") != "":
		return Errorf(EInvalid, "%q is not a currency code like usd or eur.", c.Currency)
	case c.Source != PaymentStripe && c.Source != PaymentOffline:
		return Errorf(EInvalid, "Unknown payment source %q.", c.Source)
	case c.CoversUntil.IsZero():
		return Errorf(EInvalid, "Say until when the contribution makes them a supporter.")
	}
	return checkText("note", c.Note, 500, false)
}

// RecordContribution records a supporter's payment, once per ExternalID
// (a webhook delivered twice records one payment; the second call
// returns the first's record), and admits the member at once if they
// wait in line (registration mode waitlist). The payment must cover a
// time after it was made.
func (db *DB) RecordContribution(ctx context.Context, c Contribution) (*SupporterPayment, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	var p *SupporterPayment
	err := db.write(ctx, func(tx *Tx) (err error) {
		p, err = tx.recordContribution(ctx, c)
		return err
	})
	return p, err
}

func (tx *Tx) recordContribution(ctx context.Context, c Contribution) (*SupporterPayment, error) {
	if c.ExternalID != "" {
		if p, err := tx.paymentWhere(ctx, "external_id = ?", c.ExternalID); err == nil {
			return p, nil
		} else if ErrorCode(err) != ENotFound {
			return nil, err
		}
	}
	if _, err := tx.memberWhere(ctx, "id = ?", c.MemberID); err != nil {
		return nil, err
	}
	if c.PaidAt.IsZero() {
		c.PaidAt = tx.now
	}
	if !c.CoversUntil.After(c.PaidAt) {
		return nil, Errorf(EInvalid, "A contribution must cover a time after it was paid.")
	}
	p := &SupporterPayment{ID: tx.newID(), MemberID: c.MemberID, AmountCents: c.AmountCents, Currency: c.Currency,
		PaidAt: c.PaidAt, CoversUntil: c.CoversUntil, Source: c.Source, ExternalID: c.ExternalID, Note: c.Note}
	_, err := tx.ExecContext(ctx, `INSERT INTO supporter_payments (id, member_id, amount_cents, currency, paid_at,
		covers_until, source, external_id, note, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.MemberID, p.AmountCents, p.Currency, millis(p.PaidAt), millis(p.CoversUntil), p.Source,
		nullable(p.ExternalID), p.Note, nullable(c.RecordedBy), millis(tx.now))
	if err != nil {
		return nil, fmt.Errorf("record contribution of %s: %w", c.MemberID, err)
	}
	if err := tx.admitIfWaiting(ctx, c.MemberID); err != nil {
		return nil, err
	}
	return p, nil
}

const paymentColumns = `id, coalesce(member_id, ''), amount_cents, currency, paid_at, covers_until, source,
	coalesce(external_id, ''), refunded_cents, coalesce(refunded_at, 0), note`

func scanPayment(row interface{ Scan(...any) error }) (*SupporterPayment, error) {
	var p SupporterPayment
	var paid, until, refunded int64
	if err := row.Scan(&p.ID, &p.MemberID, &p.AmountCents, &p.Currency, &paid, &until, &p.Source,
		&p.ExternalID, &p.RefundedCents, &refunded, &p.Note); err != nil {
		return nil, err
	}
	p.PaidAt, p.CoversUntil = fromMillis(paid), fromMillis(until)
	if refunded != 0 {
		p.RefundedAt = fromMillis(refunded)
	}
	return &p, nil
}

// paymentWhere reads the one payment matching cond.
func (tx *Tx) paymentWhere(ctx context.Context, cond string, args ...any) (*SupporterPayment, error) {
	p, err := scanPayment(tx.QueryRowContext(ctx, `SELECT `+paymentColumns+` FROM supporter_payments WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such payment.")
	}
	if err != nil {
		return nil, fmt.Errorf("find payment: %w", err)
	}
	return p, nil
}

// paymentsWhere lists the payments matching cond, oldest first.
func (tx *Tx) paymentsWhere(ctx context.Context, cond string, args ...any) ([]*SupporterPayment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+paymentColumns+` FROM supporter_payments WHERE `+cond+` ORDER BY paid_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list payments: %w", err)
	}
	defer rows.Close()
	var list []*SupporterPayment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, fmt.Errorf("list payments: %w", err)
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// PaymentsPaidBetween lists the payments made in [from, to), oldest
// first: a month's supporter revenue, of which the creator pool is a
// share.
func (db *DB) PaymentsPaidBetween(ctx context.Context, from, to time.Time) ([]*SupporterPayment, error) {
	var list []*SupporterPayment
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.paymentsWhere(ctx, "paid_at >= ? AND paid_at < ?", millis(from), millis(to))
		return err
	})
	return list, err
}

// PaymentsOf lists a member's payments, oldest first.
func (db *DB) PaymentsOf(ctx context.Context, memberID string) ([]*SupporterPayment, error) {
	var list []*SupporterPayment
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.paymentsWhere(ctx, "member_id = ?", memberID)
		return err
	})
	return list, err
}

// supportedSQL is the condition that the member whose id is the SQL
// expression member is a supporter at the time at (milliseconds): a
// payment of theirs, not wholly refunded, covers it.
func supportedSQL(member, at string) string {
	return `EXISTS (SELECT 1 FROM supporter_payments sp WHERE sp.member_id = ` + member +
		` AND sp.paid_at <= ` + at + ` AND sp.covers_until > ` + at + ` AND sp.refunded_cents < sp.amount_cents)`
}

// SupporterUntil returns until when the member is a supporter: the end
// of the latest period their payments cover, zero when they are none now.
func (db *DB) SupporterUntil(ctx context.Context, memberID string) (time.Time, error) {
	var until int64
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT coalesce(max(covers_until), 0) FROM supporter_payments
			WHERE member_id = ?1 AND paid_at <= ?2 AND covers_until > ?2 AND refunded_cents < amount_cents`,
			memberID, millis(tx.now)).Scan(&until)
	})
	if err != nil || until == 0 {
		return time.Time{}, err
	}
	return fromMillis(until), nil
}
