package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Subscription statuses of a supporter's Stripe subscription.
const (
	SubscriptionActive    = "active"    // renews at the end of each period
	SubscriptionPastDue   = "past_due"  // the last renewal failed; the period paid stays
	SubscriptionCanceling = "canceling" // the member canceled: it ends with the period paid
	SubscriptionCanceled  = "canceled"  // ended: no renewal
)

// StripeSubscription is a member's subscription through Stripe.
type StripeSubscription struct {
	MemberID       string
	CustomerID     string
	SubscriptionID string
	Tier           string
	Status         string
	UpdatedAt      time.Time
}

const subscriptionColumns = `member_id, customer_id, subscription_id, tier, status, updated_at`

// subscriptionWhere reads the subscription matching cond.
func (tx *Tx) subscriptionWhere(ctx context.Context, cond string, args ...any) (*StripeSubscription, error) {
	var s StripeSubscription
	var updated int64
	err := tx.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM stripe_subscriptions WHERE `+cond, args...).
		Scan(&s.MemberID, &s.CustomerID, &s.SubscriptionID, &s.Tier, &s.Status, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No subscription.")
	}
	if err != nil {
		return nil, fmt.Errorf("find subscription: %w", err)
	}
	s.UpdatedAt = fromMillis(updated)
	return &s, nil
}

// SubscriptionOf returns the member's Stripe subscription; ENotFound
// when they never had one.
func (db *DB) SubscriptionOf(ctx context.Context, memberID string) (*StripeSubscription, error) {
	var s *StripeSubscription
	err := db.read(ctx, func(tx *Tx) (err error) {
		s, err = tx.subscriptionWhere(ctx, "member_id = ?", memberID)
		return err
	})
	return s, err
}

// saveSubscription records the member's subscription, replacing the one
// they had: a member has one at a time.
func (tx *Tx) saveSubscription(ctx context.Context, s *StripeSubscription) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO stripe_subscriptions (`+subscriptionColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (member_id) DO UPDATE SET customer_id = excluded.customer_id,
		subscription_id = excluded.subscription_id, tier = excluded.tier, status = excluded.status,
		updated_at = excluded.updated_at`,
		s.MemberID, s.CustomerID, s.SubscriptionID, s.Tier, s.Status, millis(tx.now))
	if err != nil {
		return fmt.Errorf("save subscription of %s: %w", s.MemberID, err)
	}
	return nil
}

// setSubscriptionStatus changes the status of the subscription with the
// id; it reports whether there was one.
func (tx *Tx) setSubscriptionStatus(ctx context.Context, subscriptionID, status string) (bool, error) {
	if subscriptionID == "" {
		return false, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE stripe_subscriptions SET status = ?, updated_at = ? WHERE subscription_id = ?`,
		status, millis(tx.now), subscriptionID)
	if err != nil {
		return false, fmt.Errorf("set subscription status: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// CancelableSubscription returns the member's subscription if they may
// cancel it: one that still renews. Ask it before telling Stripe.
func (db *DB) CancelableSubscription(ctx context.Context, memberID string) (*StripeSubscription, error) {
	var s *StripeSubscription
	err := db.read(ctx, func(tx *Tx) (err error) {
		s, err = tx.cancelableSubscription(ctx, memberID)
		return err
	})
	return s, err
}

func (tx *Tx) cancelableSubscription(ctx context.Context, memberID string) (*StripeSubscription, error) {
	s, err := tx.subscriptionWhere(ctx, "member_id = ?", memberID)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(EConflict, "You have no subscription to cancel.")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case s.Status == SubscriptionCanceled:
		return nil, Errorf(EConflict, "Your subscription has already ended.")
	case s.Status == SubscriptionCanceling:
		return nil, Errorf(EConflict, "Your subscription is already canceled; it ends with the period paid.")
	case s.SubscriptionID == "":
		return nil, Errorf(EConflict, "You have no subscription to cancel.")
	}
	return s, nil
}

// CancelSubscription records that the member canceled their
// subscription, after Stripe was told to end it with the period paid:
// it shows as canceling until Stripe says it ended.
func (db *DB) CancelSubscription(ctx context.Context, memberID string) error {
	return db.write(ctx, func(tx *Tx) error {
		s, err := tx.cancelableSubscription(ctx, memberID)
		if err != nil {
			return err
		}
		_, err = tx.setSubscriptionStatus(ctx, s.SubscriptionID, SubscriptionCanceling)
		return err
	})
}

// MayStartSubscription refuses a checkout to a member whose subscription
// still renews: a second one would charge them twice. After canceling,
// they may start a new one.
func (db *DB) MayStartSubscription(ctx context.Context, memberID string) error {
	return db.read(ctx, func(tx *Tx) error {
		s, err := tx.subscriptionWhere(ctx, "member_id = ?", memberID)
		if ErrorCode(err) == ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if s.Status == SubscriptionActive || s.Status == SubscriptionPastDue {
			return Errorf(EConflict, "You already have a subscription; see Settings → Supporting.")
		}
		return nil
	})
}
