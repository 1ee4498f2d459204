package web

import (
	"context"
	"errors"

	"github.com/stripe/stripe-go/v83"
)

// invoiceOfPaymentIntent asks Stripe which invoice a payment intent paid:
// since API version 2025-03-31 a charge names only its payment intent,
// and invoices list their payments, so a refunded charge's payment
// (recorded under its invoice's id) is found through Stripe's invoice
// payments. "" when the intent paid no invoice (not a supporter's).
func (s *Server) invoiceOfPaymentIntent(ctx context.Context, paymentIntent string) (string, error) {
	if s.stripe == nil {
		return "", errors.New("stripe is off")
	}
	params := &stripe.InvoicePaymentListParams{Payment: &stripe.InvoicePaymentListPaymentParams{
		Type: stripe.String("payment_intent"), PaymentIntent: stripe.String(paymentIntent)}}
	params.Limit = stripe.Int64(1)
	for payment, err := range s.stripe.V1InvoicePayments.List(ctx, params) {
		if err != nil {
			return "", err
		}
		if payment.Invoice != nil {
			return payment.Invoice.ID, nil
		}
	}
	return "", nil
}
