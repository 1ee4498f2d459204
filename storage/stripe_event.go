package storage

import (
	"context"
	"fmt"
	"time"
)

// The kinds of Stripe webhook events that change a supporter's state.
const (
	StripeCheckoutCompleted    = "checkout.session.completed"
	StripeInvoicePaid          = "invoice.paid"
	StripeInvoicePaymentFailed = "invoice.payment_failed"
	StripeSubscriptionDeleted  = "customer.subscription.deleted"
	StripeChargeRefunded       = "charge.refunded"
)

// StripeEvent is a verified Stripe webhook event, as the web layer read
// it from Stripe's JSON. Which fields are set depends on Type.
type StripeEvent struct {
	ID             string // Stripe's event id, processed once
	Type           string
	MemberID       string // checkout: the client_reference_id; invoices: from the subscription's metadata
	Tier           string
	CustomerID     string
	SubscriptionID string
	// PaymentID is what a payment is recorded under: the invoice's id, or
	// the checkout session's when it has no invoice.
	PaymentID   string
	ChargeID    string // charge.refunded
	Paid        bool   // checkout: the session is paid
	AmountCents int64  // paid, or (charge.refunded) refunded in all
	Currency    string
	CoversUntil time.Time // the end of the period paid for
}

// ApplyStripeEvent changes a supporter's state as the event says, and
// records the event's id in the same transaction: an event delivered
// again is refused with EConflict and changes nothing. Events that name
// nothing of ours (a refund of another payment, the end of an unknown
// subscription) are recorded and change nothing.
func (db *DB) ApplyStripeEvent(ctx context.Context, e StripeEvent) error {
	if e.ID == "" {
		return Errorf(EInvalid, "The event has no id.")
	}
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO stripe_events (id, type, processed_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, e.ID, e.Type, millis(tx.now))
		if err != nil {
			return fmt.Errorf("record stripe event %s: %w", e.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return Errorf(EConflict, "Event %s was already processed.", e.ID)
		}
		switch e.Type {
		case StripeCheckoutCompleted:
			return tx.startSubscription(ctx, e)
		case StripeInvoicePaid:
			return tx.renewSubscription(ctx, e)
		case StripeInvoicePaymentFailed:
			_, err := tx.setSubscriptionStatus(ctx, e.SubscriptionID, SubscriptionPastDue)
			return err
		case StripeSubscriptionDeleted:
			_, err := tx.setSubscriptionStatus(ctx, e.SubscriptionID, SubscriptionCanceled)
			return err
		case StripeChargeRefunded:
			return tx.refundPayment(ctx, e)
		}
		return nil
	})
}

// startSubscription records the member's new subscription and, when the
// checkout was paid, its first payment.
func (tx *Tx) startSubscription(ctx context.Context, e StripeEvent) error {
	if _, err := tx.memberWhere(ctx, "id = ?", e.MemberID); err != nil {
		return err
	}
	err := tx.saveSubscription(ctx, &StripeSubscription{MemberID: e.MemberID, CustomerID: e.CustomerID,
		SubscriptionID: e.SubscriptionID, Tier: e.Tier, Status: SubscriptionActive})
	if err != nil || !e.Paid || e.AmountCents <= 0 {
		return err
	}
	_, err = tx.recordContribution(ctx, Contribution{MemberID: e.MemberID, AmountCents: e.AmountCents,
		Currency: e.Currency, CoversUntil: e.CoversUntil, Source: PaymentStripe, ExternalID: e.PaymentID})
	return err
}

// renewSubscription records an invoice's payment for the member whose
// subscription it is. The invoice may arrive before the checkout that
// started the subscription; the subscription's metadata then names the
// member.
func (tx *Tx) renewSubscription(ctx context.Context, e StripeEvent) error {
	s, err := tx.subscriptionWhere(ctx, "subscription_id = ?1 AND ?1 != ''", e.SubscriptionID)
	if ErrorCode(err) == ENotFound {
		s, err = tx.subscriptionWhere(ctx, "customer_id = ?1 AND ?1 != ''", e.CustomerID)
	}
	if ErrorCode(err) == ENotFound && e.MemberID != "" {
		if _, err := tx.memberWhere(ctx, "id = ?", e.MemberID); err != nil {
			return err
		}
		s, err = &StripeSubscription{MemberID: e.MemberID, CustomerID: e.CustomerID, SubscriptionID: e.SubscriptionID,
			Tier: e.Tier}, nil
	}
	if err != nil {
		return err
	}
	if e.SubscriptionID != "" {
		s.SubscriptionID = e.SubscriptionID
	}
	if s.Status != SubscriptionCanceling {
		s.Status = SubscriptionActive
	}
	if err := tx.saveSubscription(ctx, s); err != nil || e.AmountCents <= 0 {
		return err
	}
	_, err = tx.recordContribution(ctx, Contribution{MemberID: s.MemberID, AmountCents: e.AmountCents,
		Currency: e.Currency, CoversUntil: e.CoversUntil, Source: PaymentStripe, ExternalID: e.PaymentID})
	return err
}

// refundPayment records what was refunded of the payment the charge paid
// (found by its invoice's id, or the charge's). A full refund ends the
// supporter period it paid for: a wholly refunded payment covers nothing.
func (tx *Tx) refundPayment(ctx context.Context, e StripeEvent) error {
	p, err := tx.paymentWhere(ctx, "source = ? AND external_id IN (?, ?)", PaymentStripe, e.PaymentID, e.ChargeID)
	if ErrorCode(err) == ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	refunded := min(max(e.AmountCents, 0), p.AmountCents)
	_, err = tx.ExecContext(ctx, `UPDATE supporter_payments SET refunded_cents = ?, refunded_at = ? WHERE id = ?`,
		refunded, millis(tx.now), p.ID)
	if err != nil {
		return fmt.Errorf("refund payment %s: %w", p.ID, err)
	}
	return nil
}
