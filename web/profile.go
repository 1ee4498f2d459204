package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// profilePage is the data of a member's public profile.
type profilePage struct {
	Member *storage.Member
	Handle string
	Mine   bool
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	m, err := s.db.MemberByUsername(r.Context(), mux.Vars(r)["name"])
	if err == nil && m.Status != storage.MemberActive {
		err = storage.Errorf(storage.ENotFound, "No such member.")
	}
	if err != nil {
		if storage.ErrorCode(err) == storage.ENotFound {
			s.renderError(w, r, http.StatusNotFound, "There is no member with this name here.")
			return
		}
		s.fail(w, r, err)
		return
	}
	me := currentMember(r)
	s.render(w, r, http.StatusOK, "profile", m.DisplayName+" (@"+m.Username+")", profilePage{
		Member: m,
		Handle: "@" + m.Username + "@" + s.cfg.Domain,
		Mine:   me != nil && me.ID == m.ID,
	})
}
