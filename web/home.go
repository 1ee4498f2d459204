package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// homePage is the data of the front page.
type homePage struct {
	MemberCount int
	Newest      []*storage.Member
	Mode        storage.RegistrationMode
	Feed        *storage.FeedPage // for a signed-in member
	Compose     *composeForm      // for a signed-in member
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	count, err := s.db.CountMembers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	newest, err := s.db.NewestMembers(r.Context(), 12)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := homePage{MemberCount: count, Newest: newest, Mode: s.db.Registration}
	if me := currentMember(r); me != nil {
		page.Feed, err = s.db.HomeFeed(r.Context(), me.ID, r.URL.Query().Get("before"), feedPageSize)
		if err == nil {
			page.Compose, err = s.newComposeForm(r.Context(), me, nil)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "home", s.cfg.InstanceName, page)
}
