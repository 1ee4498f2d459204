package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// approvalsPage is the data of the admins' approval queue.
type approvalsPage struct {
	Pending []*storage.Member
}

func (s *Server) approvals(w http.ResponseWriter, r *http.Request) {
	pending, err := s.db.PendingMembers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "approvals", "Waiting for approval", approvalsPage{Pending: pending})
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	m, err := s.db.ApproveMember(r.Context(), mux.Vars(r)["name"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/approvals", "@"+m.Username+" is approved and can sign in now. "+s.mail.memberApproved())
}

func (s *Server) reject(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	if err := s.db.RejectMember(r.Context(), name); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/approvals", "The registration of @"+name+" is rejected.")
}
