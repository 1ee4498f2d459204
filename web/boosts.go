package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// boost records the member's boost of a post and goes back to the page
// the button was on. Storage refuses a post not for everyone, with the
// reason shown.
func (s *Server) boost(w http.ResponseWriter, r *http.Request) {
	if err := s.db.BoostPost(r.Context(), currentMember(r).ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, backTo(r), "")
}

// unboost takes the member's boost back and goes back to the page.
func (s *Server) unboost(w http.ResponseWriter, r *http.Request) {
	if err := s.db.UnboostPost(r.Context(), currentMember(r).ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, backTo(r), "")
}
