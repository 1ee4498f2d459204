package web

import (
	"net/http"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// invitesPage is the data of the invites page.
type invitesPage struct {
	Invites   []*storage.Invite
	Allowance storage.InviteAllowance
	Mode      storage.RegistrationMode
	Now       time.Time
	Error     string
}

func (s *Server) invites(w http.ResponseWriter, r *http.Request) {
	s.renderInvites(w, r, http.StatusOK, "")
}

func (s *Server) renderInvites(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	me := currentMember(r).ID
	list, err := s.db.InvitesBy(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	allowance, err := s.db.InviteAllowanceOf(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "invites", "Invites", invitesPage{
		Invites: list, Allowance: allowance, Mode: s.db.Registration, Now: s.db.Now(), Error: errMsg,
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
