package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// adminSupportersPage is the data of /admin/supporters.
type adminSupportersPage struct {
	Supporters []*storage.Supporter
	Payments   []paymentView
	Currency   string
	Error      string
	Form       offlineForm
}

// offlineForm is an offline contribution as the admin enters it.
type offlineForm struct {
	Username, Amount, Currency, Months, Note string
}

func (s *Server) adminSupporters(w http.ResponseWriter, r *http.Request) {
	s.renderAdminSupporters(w, r, http.StatusOK, offlineForm{Currency: s.cfg.Support.Currency, Months: "1"}, "")
}

func (s *Server) renderAdminSupporters(w http.ResponseWriter, r *http.Request, status int, form offlineForm, problem string) {
	ctx := r.Context()
	supporters, err := s.db.Supporters(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	payments, err := s.db.RecentPayments(ctx, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.db.MemberNames(ctx, paymentMembers(payments))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := adminSupportersPage{Supporters: supporters, Currency: s.cfg.Support.Currency, Error: problem, Form: form}
	for _, p := range payments {
		v := viewPayment(p)
		v.Member = names[p.MemberID]
		page.Payments = append(page.Payments, v)
	}
	s.render(w, r, status, "support_admin", "Supporters", page)
}

func paymentMembers(payments []*storage.SupporterPayment) []string {
	var ids []string
	for _, p := range payments {
		if p.MemberID != "" {
			ids = append(ids, p.MemberID)
		}
	}
	return ids
}

// recordOfflineContribution records a contribution made another way
// than by card: a bank transfer, cash.
func (s *Server) recordOfflineContribution(w http.ResponseWriter, r *http.Request) {
	f := offlineForm{Username: r.PostForm.Get("member"), Amount: r.PostForm.Get("amount"),
		Currency: strings.TrimSpace(r.PostForm.Get("currency")), Months: r.PostForm.Get("months"), Note: r.PostForm.Get("note")}
	months, err := strconv.Atoi(strings.TrimSpace(f.Months))
	if err != nil {
		s.renderAdminSupporters(w, r, http.StatusBadRequest, f, "Say for how many months, from 1 to 120, the contribution makes them a supporter.")
		return
	}
	p, err := s.db.RecordOfflineContribution(r.Context(), storage.OfflineContribution{Username: f.Username,
		Amount: f.Amount, Currency: f.Currency, Months: months, Note: f.Note, RecordedBy: currentMember(r).ID})
	if err != nil {
		status, msg := s.failure(r, err)
		s.renderAdminSupporters(w, r, status, f, msg)
		return
	}
	s.redirect(w, r, "/admin/supporters", "The contribution of "+formatMoney(p.AmountCents, p.Currency)+" is recorded.")
}
