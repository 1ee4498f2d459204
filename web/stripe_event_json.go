package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// stripeEnvelope is a webhook event of any API version: the fields read
// here have kept their names since Stripe's early versions.
type stripeEnvelope struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Type    string `json:"type"`
	Created int64  `json:"created"`
	Data    struct {
		Object json.RawMessage `json:"object"`
	} `json:"data"`
}

// stripeRef is a reference to another Stripe object: its id, or the
// object itself when expanded.
type stripeRef string

// UnmarshalJSON implements json.Unmarshaler.
func (r *stripeRef) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*r = ""
		return nil
	}
	var id string
	if err := json.Unmarshal(b, &id); err == nil {
		*r = stripeRef(id)
		return nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*r = stripeRef(obj.ID)
	return nil
}

// stripeObject holds the fields of the objects of the events we handle:
// a checkout session, an invoice, a subscription or a charge. Fields that
// moved between API versions are read in both places.
type stripeObject struct {
	ID                string            `json:"id"`
	ClientReferenceID string            `json:"client_reference_id"`
	Customer          stripeRef         `json:"customer"`
	Subscription      stripeRef         `json:"subscription"` // sessions; invoices before 2025-03-31
	Invoice           stripeRef         `json:"invoice"`      // sessions; charges before 2025-03-31
	PaymentIntent     stripeRef         `json:"payment_intent"`
	PaymentStatus     string            `json:"payment_status"`
	AmountTotal       int64             `json:"amount_total"`
	AmountPaid        int64             `json:"amount_paid"`
	AmountRefunded    int64             `json:"amount_refunded"`
	Currency          string            `json:"currency"`
	Metadata          map[string]string `json:"metadata"`
	PeriodEnd         int64             `json:"period_end"`
	// SubscriptionDetails is an invoice's subscription, before 2025-03-31.
	SubscriptionDetails *stripeSubscriptionDetails `json:"subscription_details"`
	Parent              *struct {
		SubscriptionDetails *stripeSubscriptionDetails `json:"subscription_details"`
	} `json:"parent"`
	Lines struct {
		Data []struct {
			Period struct {
				End int64 `json:"end"`
			} `json:"period"`
		} `json:"data"`
	} `json:"lines"`
}

type stripeSubscriptionDetails struct {
	Subscription stripeRef         `json:"subscription"`
	Metadata     map[string]string `json:"metadata"`
}

// readStripeEvent reads a verified webhook body into the event storage
// applies. Unknown kinds come back with only their id and type. For a
// refunded charge of an API version since 2025-03-31, which no longer
// names its invoice, paymentIntent is the charge's payment intent, by
// which its invoice is found (invoiceOfPaymentIntent).
func readStripeEvent(body []byte, support SupportConfig) (e storage.StripeEvent, paymentIntent string, err error) {
	e, o, err := readStripeObject(body, support)
	if e.Type == storage.StripeChargeRefunded && e.PaymentID == "" {
		paymentIntent = string(o.PaymentIntent)
	}
	return e, paymentIntent, err
}

// readStripeObject is readStripeEvent, with the object the event holds.
func readStripeObject(body []byte, support SupportConfig) (storage.StripeEvent, stripeObject, error) {
	var env stripeEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return storage.StripeEvent{}, stripeObject{}, errors.New("the body is not JSON")
	}
	if env.ID == "" || env.Object != "event" {
		return storage.StripeEvent{}, stripeObject{}, errors.New("the body is not an event")
	}
	e := storage.StripeEvent{ID: env.ID, Type: env.Type}
	switch env.Type {
	case storage.StripeCheckoutCompleted, storage.StripeInvoicePaid, storage.StripeInvoicePaymentFailed,
		storage.StripeSubscriptionDeleted, storage.StripeChargeRefunded:
	default:
		return e, stripeObject{}, nil
	}
	var o stripeObject
	if err := json.Unmarshal(env.Data.Object, &o); err != nil {
		return e, o, errors.New("its object is not what a " + env.Type + " event holds")
	}
	created := time.Unix(env.Created, 0).UTC()
	e.CustomerID, e.Currency = string(o.Customer), o.Currency
	switch env.Type {
	case storage.StripeCheckoutCompleted:
		e.MemberID, e.SubscriptionID, e.Tier = o.ClientReferenceID, string(o.Subscription), o.Metadata["tier"]
		if e.MemberID == "" {
			e.MemberID = o.Metadata["member_id"]
		}
		e.Paid, e.AmountCents = o.PaymentStatus == "paid", o.AmountTotal
		// The first invoice's own invoice.paid event is then the same
		// payment, recorded once under the invoice's id.
		e.PaymentID = string(o.Invoice)
		if e.PaymentID == "" {
			e.PaymentID = o.ID
		}
		tier, ok := support.tier(e.Tier)
		if !ok {
			tier = SupportTier{Interval: "month"}
		}
		e.CoversUntil = tier.coversUntil(created)
	case storage.StripeInvoicePaid, storage.StripeInvoicePaymentFailed:
		e.PaymentID, e.AmountCents = o.ID, o.AmountPaid
		details := o.SubscriptionDetails
		if o.Parent != nil && o.Parent.SubscriptionDetails != nil {
			details = o.Parent.SubscriptionDetails
		}
		e.SubscriptionID = string(o.Subscription)
		if details != nil {
			if e.SubscriptionID == "" {
				e.SubscriptionID = string(details.Subscription)
			}
			e.MemberID, e.Tier = details.Metadata["member_id"], details.Metadata["tier"]
		}
		e.CoversUntil = time.Unix(o.PeriodEnd, 0).UTC()
		for _, line := range o.Lines.Data {
			if end := time.Unix(line.Period.End, 0).UTC(); end.After(e.CoversUntil) {
				e.CoversUntil = end
			}
		}
	case storage.StripeSubscriptionDeleted:
		e.SubscriptionID = o.ID
	case storage.StripeChargeRefunded:
		e.ChargeID, e.PaymentID, e.AmountCents = o.ID, string(o.Invoice), o.AmountRefunded
	}
	return e, o, nil
}
