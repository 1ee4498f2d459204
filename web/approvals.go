package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// waitlistShown is how many from the front of the line the admins'
// page shows: admitting goes from the front, and a long line would make
// a page nobody scrolls.
const waitlistShown = 200

// approvalsPage is the data of the admins' approval queue, which in
// waitlist mode is the waiting list.
type approvalsPage struct {
	Pending     []*storage.WaitingMember
	Total       int // how many wait in all; the page shows the first waitlistShown
	Waitlist    bool
	AdmitPerDay int
}

func (s *Server) approvals(w http.ResponseWriter, r *http.Request) {
	line, total, err := s.db.Waitlist(r.Context(), waitlistShown)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := approvalsPage{Pending: line, Total: total, Waitlist: s.db.Registration == storage.RegistrationWaitlist, AdmitPerDay: s.db.Admission.AdmitPerDay}
	title := "Waiting for approval"
	if page.Waitlist {
		title = "Waiting list"
	}
	s.render(w, r, http.StatusOK, "approvals", title, page)
}

// approve lets a pending member in: Approve in approval mode, Admit on
// the waiting list (whose refusals speak of the line).
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	if s.db.Registration == storage.RegistrationWaitlist {
		m, err := s.db.AdmitMember(r.Context(), name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.redirect(w, r, "/admin/approvals", "@"+m.Username+" is admitted and can sign in now. "+s.mail.memberApproved())
		return
	}
	m, err := s.db.ApproveMember(r.Context(), name)
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
