package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/tidings-social/tidings/storage"
)

// monthPattern is a month in a path: 2026-11.
const monthPattern = "{month:[0-9]{4}-[0-9]{2}}"

// partnerRoutes maps the partner program's pages: the creator's settings
// and dashboard, and the admin's statements and payouts.
func (s *Server) partnerRoutes(site *mux.Router) {
	site.Handle("/settings/creator", s.membersOnly(s.creatorSettings)).Methods(http.MethodGet)
	site.Handle("/settings/creator", s.membersOnly(s.saveCreatorSettings)).Methods(http.MethodPost)
	site.Handle("/settings/creator/stripe", s.membersOnly(s.connectCreatorStripe)).Methods(http.MethodPost)
	site.Handle("/creator", s.membersOnly(s.creatorDashboard)).Methods(http.MethodGet)
	site.Handle("/posts/{id}/read-time", s.membersOnly(s.recordReadTime)).Methods(http.MethodPost)
	site.Handle("/admin/partner", s.adminsOnly(s.partnerAdmin)).Methods(http.MethodGet)
	site.Handle("/admin/partner/close", s.adminsOnly(s.closePartnerMonth)).Methods(http.MethodPost)
	site.Handle("/admin/partner/"+monthPattern+".csv", s.adminsOnly(s.partnerCSV)).Methods(http.MethodGet)
	site.Handle("/admin/partner/"+monthPattern, s.adminsOnly(s.partnerMonth)).Methods(http.MethodGet)
	site.Handle("/admin/partner/"+monthPattern+"/pay", s.adminsOnly(s.payCreator)).Methods(http.MethodPost)
}

// poolTerms are the partner program's settings as storage takes them.
func (s *Server) poolTerms() storage.PoolTerms {
	return storage.PoolTerms{PoolPercent: s.cfg.Partner.PoolPercent, MaxSharePercent: s.cfg.Partner.MaxSupporterSharePercent}
}

// formatCents shows an amount of money: "12.34 USD".
func formatCents(cents int64, currency string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	s := fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
	if currency != "" {
		s += " " + strings.ToUpper(currency)
	}
	return s
}

// recordRead counts a signed-in member's opening of a post for the
// partner program; storage decides whether it counts. A failure to count
// never keeps a member from reading: it is logged.
func (s *Server) recordRead(r *http.Request, p *storage.Post) {
	me := currentMember(r)
	if me == nil {
		return
	}
	if _, err := s.db.RecordPostRead(r.Context(), me.ID, p.ID); err != nil {
		s.log.Error("record a read", "id", requestID(r), "post", p.ID, "err", err)
	}
}
