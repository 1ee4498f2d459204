package web

import (
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v83"

	"github.com/tidings-social/tidings/storage"
)

// supportingPage is the data of Settings → Supporting.
type supportingPage struct {
	Until        time.Time // zero: not a supporter now
	Subscription *storage.StripeSubscription
	Payments     []paymentView
	WantsBadge   bool
	BadgeShown   bool
}

// paymentView is a payment as pages show it.
type paymentView struct {
	*storage.SupporterPayment
	Amount   string
	Refunded string // "" when nothing was refunded
	Member   string // the member's name, on admin pages
}

func viewPayment(p *storage.SupporterPayment) paymentView {
	v := paymentView{SupporterPayment: p, Amount: formatMoney(p.AmountCents, p.Currency)}
	if p.RefundedCents > 0 {
		v.Refunded = formatMoney(p.RefundedCents, p.Currency)
	}
	return v
}

func (s *Server) supportingSettings(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	ctx := r.Context()
	page := supportingPage{}
	var err error
	if page.Until, err = s.db.SupporterUntil(ctx, me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Subscription, err = s.db.SubscriptionOf(ctx, me.ID); storage.ErrorCode(err) == storage.ENotFound {
		page.Subscription, err = nil, nil
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	payments, err := s.db.PaymentsOf(ctx, me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := len(payments) - 1; i >= 0; i-- {
		page.Payments = append(page.Payments, viewPayment(payments[i]))
	}
	if page.WantsBadge, page.BadgeShown, err = s.db.SupporterBadge(ctx, me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "support_settings", "Supporting", page)
}

func (s *Server) saveSupporterBadge(w http.ResponseWriter, r *http.Request) {
	on := r.PostForm.Get("badge") == "on"
	if err := s.db.SetSupporterBadge(r.Context(), currentMember(r).ID, on); err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "The supporter badge is off."
	if on {
		flash = "The supporter badge shows beside your name while you are a supporter."
	}
	s.redirect(w, r, "/settings/supporting", flash)
}

// cancelSupporting asks Stripe to end the member's subscription when the
// period paid ends, then records it; the period paid stays theirs.
func (s *Server) cancelSupporting(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	sub, err := s.db.CancelableSubscription(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.stripe == nil {
		s.renderError(w, r, http.StatusConflict, "Card payments are off on this instance; ask an admin to end your subscription.")
		return
	}
	_, err = s.stripe.V1Subscriptions.Update(r.Context(), sub.SubscriptionID,
		&stripe.SubscriptionUpdateParams{CancelAtPeriodEnd: stripe.Bool(true)})
	if err != nil {
		s.log.Error("cancel stripe subscription", "id", requestID(r), "err", stripeFailure(err))
		s.renderError(w, r, http.StatusBadGateway, "Stripe did not take the cancellation. Please try again in a moment.")
		return
	}
	if err := s.db.CancelSubscription(r.Context(), me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/settings/supporting", "Your subscription is canceled. You stay a supporter until the end of the period you paid for.")
}
