package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// waitingPage is the data of the page a member who waits sees after
// signing up: in waitlist mode with their number in line.
type waitingPage struct {
	pendingPage
	Place       int // 1 for the first in line; 0 outside waitlist mode
	AdmitPerDay int
}

// renderWaiting shows a pending member the page after their sign-up.
func (s *Server) renderWaiting(w http.ResponseWriter, r *http.Request, m *storage.Member) {
	page := waitingPage{pendingPage: pendingPage{Member: m, MailOn: s.mail.cfg.On()}, AdmitPerDay: s.db.Admission.AdmitPerDay}
	title := "Almost there"
	if s.db.Registration == storage.RegistrationWaitlist {
		place, err := s.db.WaitlistPlace(r.Context(), m.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Place, title = place, "On the waiting list"
	}
	s.render(w, r, http.StatusOK, "signup_pending", title, page)
}
