package web

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// supportRoutes adds the supporters' pages; the webhook goes on the root
// router r, outside CSRF and sessions' forms: Stripe signs it instead.
func (s *Server) supportRoutes(r, site *mux.Router) {
	r.HandleFunc("/webhooks/stripe", s.stripeWebhook).Methods(http.MethodPost)
	site.HandleFunc("/support", s.supportPage).Methods(http.MethodGet)
	site.HandleFunc("/support/checkout", s.supportCheckout).Methods(http.MethodPost)
	site.HandleFunc("/support/thanks", s.supportThanks).Methods(http.MethodGet)
	site.Handle("/settings/supporting", s.membersOnly(s.supportingSettings)).Methods(http.MethodGet)
	site.Handle("/settings/supporting/badge", s.membersOnly(s.saveSupporterBadge)).Methods(http.MethodPost)
	site.Handle("/settings/supporting/cancel", s.membersOnly(s.cancelSupporting)).Methods(http.MethodPost)
	site.Handle("/admin/supporters", s.adminsOnly(s.adminSupporters)).Methods(http.MethodGet)
	site.Handle("/admin/supporters", s.adminsOnly(s.recordOfflineContribution)).Methods(http.MethodPost)
}

// supportPage is the data of /support.
type supportPage struct {
	Tiers        []tierView
	CardsOn      bool
	Hosting      string // a month's hosting costs, "" when not configured
	PoolPercent  int
	MonthRevenue string // this month's supporter revenue so far
	MonthName    string
	Ledger       *supportLedger // the last closed month; nil before the first
	Error        string
}

// tierView is a tier as the page shows it.
type tierView struct {
	Name     string
	Price    string
	Interval string
}

func (s *Server) supportPage(w http.ResponseWriter, r *http.Request) {
	s.renderSupport(w, r, http.StatusOK, "")
}

func (s *Server) renderSupport(w http.ResponseWriter, r *http.Request, status int, problem string) {
	c := s.cfg.Support
	now := time.Now().UTC()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	payments, err := s.db.PaymentsPaidBetween(r.Context(), start, start.AddDate(0, 1, 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var revenue int64
	for _, p := range payments {
		if p.Currency == c.Currency {
			revenue += p.NetCents()
		}
	}
	page := supportPage{CardsOn: s.stripe != nil, PoolPercent: s.cfg.Partner.PoolPercent,
		MonthRevenue: formatMoney(revenue, c.Currency), MonthName: start.Format("January 2006"), Error: problem}
	if page.Ledger, err = s.lastLedger(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if c.HostingCostsCents > 0 {
		page.Hosting = formatMoney(c.HostingCostsCents, c.Currency)
	}
	for _, t := range c.Tiers {
		page.Tiers = append(page.Tiers, tierView{Name: t.Name, Price: formatMoney(t.AmountCents, c.Currency), Interval: t.Interval})
	}
	s.render(w, r, status, "support", "Support "+s.cfg.InstanceName, page)
}

// supportThanks is where Stripe's checkout returns: the payment is
// recorded when Stripe's webhook says it was made, which may be later.
func (s *Server) supportThanks(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "support_thanks", "Thank you", nil)
}

// payer is who starts a checkout: the signed-in member, or a member who
// waits in line and gives their password here, since they cannot sign
// in before they are admitted.
func (s *Server) payer(r *http.Request) (*storage.Member, error) {
	if me := currentMember(r); me != nil {
		return me, nil
	}
	name, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if name == "" || password == "" {
		return nil, storage.Errorf(storage.EUnauthorized, "Please sign in first, or give your username and password if you wait in line.")
	}
	return s.db.AuthenticateToSupport(r.Context(), name, password, s.clientIP(r))
}
