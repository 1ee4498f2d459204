package web

import (
	"net/http"

	"github.com/stripe/stripe-go/v83"
	"github.com/tidings-social/tidings/storage"
)

// creatorSettingsPage is the data of /settings/creator.
type creatorSettingsPage struct {
	Creator  *storage.Creator // nil when not in the program
	StripeOn bool
	Partner  PartnerConfig
	Error    string
}

// creatorSettings shows whether the member is in the creator program and
// where their payouts go.
func (s *Server) creatorSettings(w http.ResponseWriter, r *http.Request) {
	s.renderCreatorSettings(w, r, http.StatusOK, "")
}

func (s *Server) renderCreatorSettings(w http.ResponseWriter, r *http.Request, status int, msg string) {
	c, err := s.db.CreatorOf(r.Context(), currentMember(r).ID)
	if err != nil && storage.ErrorCode(err) != storage.ENotFound {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "settings_creator", "Creator program",
		creatorSettingsPage{Creator: c, StripeOn: s.stripe != nil, Partner: s.cfg.Partner, Error: msg})
}

// saveCreatorSettings joins or leaves the program, or changes the payout
// method to by hand.
func (s *Server) saveCreatorSettings(w http.ResponseWriter, r *http.Request) {
	me := currentMember(r)
	if r.PostForm.Get("creator") != "on" {
		if err := s.db.LeaveCreatorProgram(r.Context(), me.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		s.redirect(w, r, "/settings/creator", "You left the creator program. Your posts earn nothing from now on.")
		return
	}
	payout := r.PostForm.Get("payout")
	if payout == "" {
		payout = storage.PayoutManual
	}
	if payout == storage.PayoutStripe {
		if c, err := s.db.CreatorOf(r.Context(), me.ID); err != nil || c.StripeAccountID == "" {
			payout = storage.PayoutManual // until they connect an account
		}
	}
	if _, err := s.db.JoinCreatorProgram(r.Context(), me.ID, payout); err != nil {
		status, msg := s.failure(r, err)
		s.renderCreatorSettings(w, r, status, msg)
		return
	}
	s.redirect(w, r, "/settings/creator", "You are in the creator program. Your dashboard is at /creator.")
}

// connectCreatorStripe begins Stripe Connect onboarding: an Express
// account for the creator (made once), and an Account Link to Stripe's
// onboarding, where the browser is sent.
func (s *Server) connectCreatorStripe(w http.ResponseWriter, r *http.Request) {
	if s.stripe == nil {
		s.renderCreatorSettings(w, r, http.StatusConflict, "This instance does not pay through Stripe; choose to be paid by hand.")
		return
	}
	ctx := r.Context()
	me := currentMember(r)
	c, err := s.db.CreatorOf(ctx, me.ID)
	if err != nil {
		if c, err = s.db.JoinCreatorProgram(ctx, me.ID, storage.PayoutManual); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	account := c.StripeAccountID
	if account == "" {
		a, err := s.stripe.V1Accounts.Create(ctx, &stripe.AccountCreateParams{Type: stripe.String("express"),
			Metadata: map[string]string{"tidings_member": me.ID}})
		if err != nil {
			s.stripeFailed(w, r, "create a connected account", err)
			return
		}
		account = a.ID
		if err := s.db.SetCreatorStripeAccount(ctx, me.ID, account); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	back := s.cfg.Scheme + "://" + s.cfg.Domain + "/settings/creator"
	link, err := s.stripe.V1AccountLinks.Create(ctx, &stripe.AccountLinkCreateParams{Account: stripe.String(account),
		RefreshURL: stripe.String(back), ReturnURL: stripe.String(back), Type: stripe.String("account_onboarding")})
	if err != nil {
		s.stripeFailed(w, r, "create an onboarding link", err)
		return
	}
	http.Redirect(w, r, link.URL, http.StatusSeeOther)
}

// stripeFailed answers a failed call to Stripe: 502, since it is
// Stripe's answer, not the member's request, that failed.
func (s *Server) stripeFailed(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error("stripe: "+what, "id", requestID(r), "err", err)
	s.renderError(w, r, http.StatusBadGateway, "Stripe did not answer as expected. Try again in a moment.")
}

// creatorDashboardPage is the data of /creator.
type creatorDashboardPage struct {
	Creator  *storage.Creator
	Month    string
	Estimate []moneyLine
	Total    string
	Past     []creatorPastMonth
}

// moneyLine is a post and what it earned, ready to show.
type moneyLine struct {
	PostID, Headline, Amount string
}

// creatorPastMonth is a closed month on the dashboard.
type creatorPastMonth struct {
	Month, Total string
	Lines        []moneyLine
}

// creatorDashboard shows a creator this month's running estimate, per
// post, and what closed months paid.
func (s *Server) creatorDashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentMember(r)
	c, err := s.db.CreatorOf(ctx, me.ID)
	if storage.ErrorCode(err) == storage.ENotFound {
		s.render(w, r, http.StatusOK, "creator", "Creator dashboard", creatorDashboardPage{})
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	page := creatorDashboardPage{Creator: c, Month: storage.MonthOf(s.db.Now())}
	st, err := s.db.PartnerEstimate(ctx, s.poolTerms(), page.Month)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var total int64
	for _, l := range st.Lines {
		if l.CreatorID == me.ID {
			page.Estimate = append(page.Estimate, moneyLine{l.PostID, l.Headline, formatCents(l.Cents, st.Currency)})
			total += l.Cents
		}
	}
	page.Total = formatCents(total, st.Currency)
	past, err := s.db.CreatorLedger(ctx, me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range past {
		st, err := s.db.PartnerLedger(ctx, m.Month)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pm := creatorPastMonth{Month: m.Month, Total: formatCents(m.Cents, st.Currency)}
		for _, l := range m.Lines {
			pm.Lines = append(pm.Lines, moneyLine{l.PostID, l.Headline, formatCents(l.Cents, st.Currency)})
		}
		page.Past = append(page.Past, pm)
	}
	s.render(w, r, http.StatusOK, "creator", "Creator dashboard", page)
}
