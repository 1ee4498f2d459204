package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/stripe/stripe-go/v83"
	"github.com/tidings-social/tidings/storage"
)

// partnerAdminPage is the data of /admin/partner.
type partnerAdminPage struct {
	Closed    []string
	Current   string // the month in progress
	LastMonth string // the month the close form offers
	Partner   PartnerConfig
	Error     string
}

// partnerAdmin lists the closed months and offers to close one.
func (s *Server) partnerAdmin(w http.ResponseWriter, r *http.Request) {
	s.renderPartnerAdmin(w, r, http.StatusOK, "")
}

func (s *Server) renderPartnerAdmin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	closed, err := s.db.ClosedMonths(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.db.Now()
	s.render(w, r, status, "partner_admin", "Partner program", partnerAdminPage{Closed: closed, Current: storage.MonthOf(now),
		LastMonth: storage.MonthOf(now.AddDate(0, 0, -now.Day())), Partner: s.cfg.Partner, Error: msg})
}

// closePartnerMonth closes the month of the form; closing a closed month
// shows its statement unchanged.
func (s *Server) closePartnerMonth(w http.ResponseWriter, r *http.Request) {
	month := r.PostForm.Get("month")
	if _, err := s.db.CloseMonth(r.Context(), currentMember(r).ID, s.poolTerms(), month); err != nil {
		status, msg := s.failure(r, err)
		s.renderPartnerAdmin(w, r, status, msg)
		return
	}
	s.redirect(w, r, "/admin/partner/"+month, "The month "+month+" is closed. Its statement is final.")
}

// partnerMonthPage is the data of a month's statement for admins.
type partnerMonthPage struct {
	St        *storage.PartnerStatement
	Money     func(int64) string
	Anomalies []storage.StatementCreator
	StripeOn  bool
}

// partnerMonth shows a month's statement: the ledger of a closed month,
// else the estimate so far; its creators, payouts and anomalies.
func (s *Server) partnerMonth(w http.ResponseWriter, r *http.Request) {
	st, err := s.db.PartnerEstimate(r.Context(), s.poolTerms(), mux.Vars(r)["month"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := partnerMonthPage{St: st, Money: func(c int64) string { return formatCents(c, st.Currency) }, StripeOn: s.stripe != nil}
	for _, c := range st.Creators {
		if c.Anomalous {
			page.Anomalies = append(page.Anomalies, c)
		}
	}
	s.render(w, r, http.StatusOK, "partner_month", "Partner program: "+st.Month, page)
}

// partnerCSV exports a closed month's ledger, one line a post.
func (s *Server) partnerCSV(w http.ResponseWriter, r *http.Request) {
	st, err := s.db.PartnerLedger(r.Context(), mux.Vars(r)["month"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="partner-`+st.Month+`.csv"`)
	h.Set("Cache-Control", "no-store")
	out := csv.NewWriter(w)
	out.Write([]string{"month", "creator_id", "creator", "post_id", "headline", "cents", "currency"})
	for _, l := range st.Lines {
		out.Write([]string{st.Month, l.CreatorID, l.Creator, l.PostID, csvText(l.Headline), strconv.FormatInt(l.Cents, 10), st.Currency})
	}
	out.Flush()
	if err := out.Error(); err != nil {
		s.log.Error("write partner csv", "month", st.Month, "err", err)
	}
}

// csvText keeps a spreadsheet from reading a headline as a formula.
func csvText(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// payCreator pays a creator's total of a closed month: a Stripe transfer
// to their connected account (the idempotency key names the ledger line,
// so a retry never pays twice), or marked paid by hand.
func (s *Server) payCreator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	month, creator := mux.Vars(r)["month"], r.PostForm.Get("creator")
	due, err := s.db.PayoutDueTo(ctx, month, creator)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	method, transfer := r.PostForm.Get("method"), ""
	if method == storage.PayoutStripe {
		if s.stripe == nil || due.StripeAccountID == "" {
			s.renderError(w, r, http.StatusConflict, "This creator has no connected Stripe account; pay by hand and mark it paid.")
			return
		}
		params := &stripe.TransferCreateParams{Amount: stripe.Int64(due.Cents), Currency: stripe.String(due.Currency),
			Destination: stripe.String(due.StripeAccountID), TransferGroup: stripe.String("tidings-" + month)}
		params.SetIdempotencyKey(due.IdempotencyKey())
		t, err := s.stripe.V1Transfers.Create(ctx, params)
		if err != nil {
			s.stripeFailed(w, r, "transfer a payout", err)
			return
		}
		transfer = t.ID
	}
	if err := s.db.RecordPayout(ctx, currentMember(r).ID, month, creator, method, transfer); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/partner/"+month, "Paid.")
}
