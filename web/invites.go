package web

import (
	"net/http"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// invitesPage is the data of the invites page.
type invitesPage struct {
	Invites []*storage.Invite
	Mode    storage.RegistrationMode
	Now     time.Time
	Error   string
}

func (s *Server) invites(w http.ResponseWriter, r *http.Request) {
	s.renderInvites(w, r, http.StatusOK, "")
}

func (s *Server) renderInvites(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	list, err := s.db.InvitesBy(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "invites", "Invites", invitesPage{
		Invites: list, Mode: s.db.Registration, Now: s.db.Now(), Error: errMsg,
	})
}

func (s *Server) createInvite(w http.ResponseWriter, r *http.Request) {
	inv, err := s.db.CreateInvite(r.Context(), currentMember(r).ID)
	if err != nil {
		status, msg := s.failure(r, err)
		s.renderInvites(w, r, status, msg)
		return
	}
	s.redirect(w, r, "/invites", "New invite code: "+inv.Code)
}
