package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// like records the member's like of a post or comment and goes back to
// the page the button was on.
func (s *Server) like(w http.ResponseWriter, r *http.Request) {
	if err := s.db.LikePost(r.Context(), currentMember(r).ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, backTo(r), "")
}

// unlike takes the member's like back and goes back to the page.
func (s *Server) unlike(w http.ResponseWriter, r *http.Request) {
	if err := s.db.UnlikePost(r.Context(), currentMember(r).ID, mux.Vars(r)["id"]); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, backTo(r), "")
}

// backTo is the page a like or boost button was on, named by the form's next
// field, else the post's page.
func backTo(r *http.Request) string {
	if next := r.PostForm.Get("next"); next != "" {
		return localPath(next)
	}
	return "/posts/" + mux.Vars(r)["id"]
}
