package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Payout methods of a creator.
const (
	PayoutStripe = "stripe" // a Stripe Connect transfer to their connected account
	PayoutManual = "manual" // paid by hand by an admin
)

// Creator is a member in the partner program.
type Creator struct {
	MemberID        string
	Payout          string // PayoutStripe or PayoutManual
	StripeAccountID string // "" until they begin Stripe's onboarding
	JoinedAt        time.Time
}

// JoinCreatorProgram puts a member in the partner program, or changes
// where their payouts go. Only active members may join.
func (db *DB) JoinCreatorProgram(ctx context.Context, memberID, payout string) (*Creator, error) {
	if payout != PayoutStripe && payout != PayoutManual {
		return nil, Errorf(EInvalid, "Choose how you are paid: a connected Stripe account or by hand.")
	}
	var c *Creator
	err := db.write(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "id = ?", memberID)
		if err != nil {
			return err
		}
		if m.Status != MemberActive {
			return Errorf(EForbidden, "Only admitted members can join the creator program.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO creators (member_id, payout, joined_at, updated_at) VALUES (?1, ?2, ?3, ?3)
			ON CONFLICT (member_id) DO UPDATE SET payout = excluded.payout, updated_at = excluded.updated_at`,
			memberID, payout, millis(tx.now))
		if err != nil {
			return fmt.Errorf("join creator program: %w", err)
		}
		c, err = tx.creator(ctx, memberID)
		return err
	})
	return c, err
}

// LeaveCreatorProgram takes a member out of the partner program: their
// posts earn nothing from now on. Closed months keep what they earned.
func (db *DB) LeaveCreatorProgram(ctx context.Context, memberID string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM creators WHERE member_id = ?`, memberID); err != nil {
			return fmt.Errorf("leave creator program: %w", err)
		}
		return nil
	})
}

// SetCreatorStripeAccount records the Stripe Express account made for a
// creator, so that payouts can be transferred to it.
func (db *DB) SetCreatorStripeAccount(ctx context.Context, memberID, accountID string) error {
	if accountID == "" {
		return Errorf(EInvalid, "No Stripe account.")
	}
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE creators SET stripe_account_id = ?, payout = 'stripe', updated_at = ? WHERE member_id = ?`,
			accountID, millis(tx.now), memberID)
		if err != nil {
			return fmt.Errorf("set creator stripe account: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "Join the creator program first.")
		}
		return nil
	})
}

// CreatorOf returns the member's place in the partner program, not
// found when they are not in it.
func (db *DB) CreatorOf(ctx context.Context, memberID string) (*Creator, error) {
	var c *Creator
	err := db.read(ctx, func(tx *Tx) (err error) {
		c, err = tx.creator(ctx, memberID)
		return err
	})
	return c, err
}

func (tx *Tx) creator(ctx context.Context, memberID string) (*Creator, error) {
	c := Creator{MemberID: memberID}
	var joined int64
	err := tx.QueryRowContext(ctx, `SELECT payout, stripe_account_id, joined_at FROM creators WHERE member_id = ?`, memberID).
		Scan(&c.Payout, &c.StripeAccountID, &joined)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "Not in the creator program.")
	}
	if err != nil {
		return nil, fmt.Errorf("find creator %s: %w", memberID, err)
	}
	c.JoinedAt = fromMillis(joined)
	return &c, nil
}
