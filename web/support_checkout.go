package web

import (
	"net/http"

	"github.com/stripe/stripe-go/v83"

	"github.com/tidings-social/tidings/storage"
)

// supportCheckout starts a Stripe Checkout Session in subscription mode
// for the chosen tier and sends the member to it. The session names the
// member (client_reference_id, and metadata on the session and on the
// subscription, so that its invoices name them too).
func (s *Server) supportCheckout(w http.ResponseWriter, r *http.Request) {
	if s.stripe == nil {
		s.renderSupport(w, r, http.StatusConflict, "Card payments are off on this instance.")
		return
	}
	tier, ok := s.cfg.Support.tier(r.PostForm.Get("tier"))
	if !ok {
		s.renderSupport(w, r, http.StatusBadRequest, "Choose one of the tiers.")
		return
	}
	m, err := s.payer(r)
	if wait := storage.RetryAfter(err); wait > 0 {
		setRetryAfter(w, wait)
	}
	if err == nil {
		err = s.db.MayStartSubscription(r.Context(), m.ID)
	}
	if err != nil {
		status, msg := s.failure(r, err)
		s.renderSupport(w, r, status, msg)
		return
	}
	base := s.cfg.Scheme + "://" + s.cfg.Domain
	meta := map[string]string{"member_id": m.ID, "tier": tier.Name}
	item := &stripe.CheckoutSessionCreateLineItemParams{Quantity: stripe.Int64(1)}
	if tier.StripePriceID != "" {
		item.Price = stripe.String(tier.StripePriceID)
	} else {
		item.PriceData = &stripe.CheckoutSessionCreateLineItemPriceDataParams{
			Currency:    stripe.String(s.cfg.Support.Currency),
			UnitAmount:  stripe.Int64(tier.AmountCents),
			Recurring:   &stripe.CheckoutSessionCreateLineItemPriceDataRecurringParams{Interval: stripe.String(tier.Interval)},
			ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(s.cfg.InstanceName + " supporter, " + tier.Name)},
		}
	}
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		ClientReferenceID: stripe.String(m.ID),
		CustomerEmail:     stripe.String(m.Email),
		LineItems:         []*stripe.CheckoutSessionCreateLineItemParams{item},
		SuccessURL:        stripe.String(base + "/support/thanks"),
		CancelURL:         stripe.String(base + "/support"),
		Metadata:          meta,
		SubscriptionData:  &stripe.CheckoutSessionCreateSubscriptionDataParams{Metadata: meta},
	}
	session, err := s.stripe.V1CheckoutSessions.Create(r.Context(), params)
	if err != nil || session.URL == "" {
		s.log.Error("start stripe checkout", "id", requestID(r), "err", stripeFailure(err))
		s.renderSupport(w, r, http.StatusBadGateway, "Stripe did not start the payment. Please try again in a moment.")
		return
	}
	http.Redirect(w, r, session.URL, http.StatusSeeOther)
}

// stripeFailure is what of a Stripe error may be logged: its kind, code
// and message, never the request that carried the key.
func stripeFailure(err error) string {
	if err == nil {
		return "no checkout address in Stripe's answer"
	}
	if se, ok := err.(*stripe.Error); ok {
		return string(se.Type) + " " + string(se.Code) + ": " + se.Msg
	}
	return err.Error()
}
