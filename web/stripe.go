package web

import (
	"github.com/stripe/stripe-go/v83"
)

// StripeConfig is how the instance reaches Stripe, for supporters'
// payments and creators' payouts. Without a secret key, payments by card
// are off (admins can still record offline contributions).
type StripeConfig struct {
	SecretKey     Secret
	WebhookSecret Secret
	// APIURL is Stripe's API, or a stripe-mock in tests; "" for Stripe's.
	APIURL string
}

// On reports whether the instance takes payments through Stripe.
func (c StripeConfig) On() bool { return c.SecretKey != "" }

// newStripeClient is a client of the configured Stripe API, nil when
// Stripe is off. It logs nothing of its own: errors reach our log with
// the request they failed.
func newStripeClient(c StripeConfig) *stripe.Client {
	if !c.On() {
		return nil
	}
	backend := &stripe.BackendConfig{LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
	if c.APIURL != "" {
		backend.URL = stripe.String(c.APIURL)
	}
	return stripe.NewClient(string(c.SecretKey), stripe.WithBackends(stripe.NewBackendsWithConfig(backend)))
}
