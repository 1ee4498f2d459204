package web

import (
	"net/http"

	"github.com/tidings-social/tidings/storage"
)

// deletionPage is the data of the account deletion page.
type deletionPage struct {
	Deletion  *storage.AccountDeletion // the pending deletion, or nil
	GraceDays int
	Error     string
}

// deletionGrace is how long a member may take back a deletion.
func (s *Server) deletionGrace() int {
	return int(s.cfg.DeletionGrace.Hours() / 24)
}

// deleteAccountForm shows what deleting the account does, or, when it is
// asked for already, when it happens and how to take it back.
func (s *Server) deleteAccountForm(w http.ResponseWriter, r *http.Request) {
	d, err := s.db.AccountDeletionOf(r.Context(), currentMember(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "settings_delete", "Delete your account", deletionPage{Deletion: d, GraceDays: s.deletionGrace()})
}

// deleteAccount schedules the deletion of the member's account, once the
// password proves it is them.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	d, err := s.db.RequestAccountDeletion(r.Context(), currentMember(r).ID, r.PostForm.Get("password"), s.cfg.DeletionGrace)
	if wait := storage.RetryAfter(err); wait > 0 {
		setRetryAfter(w, wait) // the server was too busy hashing passwords
	}
	if err != nil {
		status, msg := s.failure(r, err)
		s.render(w, r, status, "settings_delete", "Delete your account", deletionPage{GraceDays: s.deletionGrace(), Error: msg})
		return
	}
	s.redirect(w, r, "/settings/delete", "Your account will be deleted on "+d.DueAt.Format("2 January 2006, 15:04 MST")+
		". You can cancel the deletion until then.")
}

// cancelAccountDeletion takes back the member's pending deletion.
func (s *Server) cancelAccountDeletion(w http.ResponseWriter, r *http.Request) {
	if err := s.db.CancelAccountDeletion(r.Context(), currentMember(r).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/settings/delete", "The deletion is cancelled. Your account stays.")
}
