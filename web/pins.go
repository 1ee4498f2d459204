package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// pin pins the member's post to their profile; storage decides which
// posts may be pinned, and how many.
func (s *Server) pin(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.db.PinPost(r.Context(), currentMember(r).ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/posts/"+id, "Pinned to your profile.")
}

// unpin takes the post off the member's profile.
func (s *Server) unpin(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.db.UnpinPost(r.Context(), currentMember(r).ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/posts/"+id, "Unpinned.")
}
