package web

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v83/webhook"
)

// Limits on Stripe's webhook requests.
const (
	maxStripeWebhookBody = 64 << 10 // Stripe's events are a few KiB
	stripeTolerance      = 5 * time.Minute
)

// stripeWebhook takes Stripe's events: read, verify the signature with
// the webhook secret within Stripe's tolerance, read the event, apply it
// in one transaction that also records its id, answer. A 2xx goes out
// only after that transaction committed; a failure of ours answers 5xx
// so that Stripe sends the event again. Events of any API version are
// taken (accounts pin old ones): the signature is checked by stripe-go,
// and the event read by readStripeEvent, which knows the shapes of old
// and new versions, rather than by stripe-go's Event, whose shape is its
// own version's. Unknown kinds are acknowledged.
func (s *Server) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	secret := string(s.cfg.Stripe.WebhookSecret)
	if secret == "" {
		http.Error(w, "This instance takes no Stripe webhooks.", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxStripeWebhookBody))
	if err != nil {
		http.Error(w, "The body is too large or unreadable.", http.StatusRequestEntityTooLarge)
		return
	}
	sig := r.Header.Get("Stripe-Signature")
	if sig == "" {
		http.Error(w, "The request has no Stripe-Signature.", http.StatusBadRequest)
		return
	}
	if err := webhook.ValidatePayloadWithTolerance(body, sig, secret, stripeTolerance); err != nil {
		http.Error(w, signatureProblem(err), http.StatusBadRequest)
		return
	}
	e, paymentIntent, err := readStripeEvent(body, s.cfg.Support)
	if err != nil {
		http.Error(w, "The event cannot be read: "+err.Error(), http.StatusBadRequest)
		return
	}
	if paymentIntent != "" {
		if e.PaymentID, err = s.invoiceOfPaymentIntent(r.Context(), paymentIntent); err != nil {
			// Stripe sends the event again later.
			s.log.Warn("find the invoice of a refunded charge", "id", requestID(r), "event", e.ID, "err", err)
			http.Error(w, "Stripe could not be asked which invoice the charge paid; send it again.", http.StatusBadGateway)
			return
		}
	}
	if err := s.db.ApplyStripeEvent(r.Context(), e); err != nil {
		status, msg := s.failure(r, err)
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// signatureProblem says why a signature was refused, without the
// signature or the secret.
func signatureProblem(err error) string {
	switch {
	case errors.Is(err, webhook.ErrTooOld):
		return "The signature's timestamp is older than five minutes."
	case errors.Is(err, webhook.ErrNoValidSignature):
		return "The Stripe-Signature does not match the body."
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader):
		return "The Stripe-Signature header is malformed."
	}
	return "The event is not a valid Stripe event."
}
