package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// suspendedProfile answers 410 Gone with a short notice, in place of the
// profile of a suspended member, as Mastodon does; it reports whether it
// answered.
func (s *Server) suspendedProfile(w http.ResponseWriter, r *http.Request, m *storage.Member) bool {
	susp, err := s.db.SuspensionOf(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if susp == nil {
		return false
	}
	s.renderError(w, r, http.StatusGone, "@"+m.Username+" is suspended by the admins of this instance.")
	return true
}
