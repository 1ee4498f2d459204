package web

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

// recordReadTime takes the seconds a post's page was in view, sent by
// the page's optional script (static/read-time.js) as it is hidden or
// left. Storage keeps it only for a read that counts, capped a day.
func (s *Server) recordReadTime(w http.ResponseWriter, r *http.Request) {
	seconds, err := strconv.Atoi(r.PostForm.Get("seconds"))
	if err != nil {
		http.Error(w, "seconds must be a whole number", http.StatusBadRequest)
		return
	}
	if _, err := s.db.RecordReadTime(r.Context(), currentMember(r).ID, mux.Vars(r)["id"], seconds); err != nil {
		status, msg := s.failure(r, err)
		http.Error(w, msg, status)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
