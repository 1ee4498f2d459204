package storage

import (
	"context"
	"fmt"
	"time"
)

// Payout is a creator's total of a closed month, paid.
type Payout struct {
	Method     string // PayoutStripe or PayoutManual
	TransferID string // Stripe's transfer, for PayoutStripe
	PaidAt     time.Time
}

// PayoutDue is a creator's total of a closed month with where to pay it.
type PayoutDue struct {
	Month           string
	CreatorID       string
	Cents           int64
	Currency        string
	StripeAccountID string // "" when the creator has no connected account
}

// IdempotencyKey names the ledger line a payout pays, so that a transfer
// sent twice (a retry, a second click) is made once.
func (d *PayoutDue) IdempotencyKey() string { return "tidings-payout-" + d.Month + "-" + d.CreatorID }

// PayoutDueTo returns what a closed month owes a creator, refused when it
// is paid already or owes nothing.
func (db *DB) PayoutDueTo(ctx context.Context, month, creatorID string) (*PayoutDue, error) {
	var d *PayoutDue
	err := db.read(ctx, func(tx *Tx) (err error) {
		d, err = tx.payoutDue(ctx, month, creatorID)
		return err
	})
	return d, err
}

func (tx *Tx) payoutDue(ctx context.Context, month, creatorID string) (*PayoutDue, error) {
	st, err := tx.closedStatement(ctx, month)
	if err != nil {
		return nil, err
	}
	for _, c := range st.Creators {
		if c.CreatorID != creatorID {
			continue
		}
		if c.Payout != nil {
			return nil, Errorf(EConflict, "%s's earnings of %s are paid already.", c.Creator, month)
		}
		d := &PayoutDue{Month: month, CreatorID: creatorID, Cents: c.Cents, Currency: st.Currency}
		if cr, err := tx.creator(ctx, creatorID); err == nil && cr.Payout == PayoutStripe {
			d.StripeAccountID = cr.StripeAccountID
		}
		return d, nil
	}
	return nil, Errorf(ENotFound, "No earnings of that creator in %s.", month)
}

// RecordPayout records that a creator's total of a closed month was paid:
// by a Stripe transfer (transferID) or by hand. A payout is recorded once.
func (db *DB) RecordPayout(ctx context.Context, adminID, month, creatorID, method, transferID string) error {
	if method != PayoutStripe && method != PayoutManual {
		return Errorf(EInvalid, "Unknown payout method %q.", method)
	}
	if method == PayoutStripe && transferID == "" {
		return Errorf(EInvalid, "A Stripe payout needs its transfer.")
	}
	return db.write(ctx, func(tx *Tx) error {
		d, err := tx.payoutDue(ctx, month, creatorID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO partner_payouts (month, creator_id, cents, method, transfer_id, paid_at, paid_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, month, creatorID, d.Cents, method, transferID, millis(tx.now), adminID)
		if err != nil {
			return fmt.Errorf("record payout %s %s: %w", month, creatorID, err)
		}
		return nil
	})
}
