package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// passwordResetPrefix is where the links of reset mails point.
const passwordResetPrefix = "/password/reset/"

// PasswordResetPath is the path of the reset link with the token, which
// the admin command prints too.
func PasswordResetPath(token string) string { return passwordResetPrefix + token }

// loggedPath is the request's path as the log shows it: without the
// token of a reset link, which would let whoever reads the log set the
// member's password.
func loggedPath(path string) string {
	if strings.HasPrefix(path, passwordResetPrefix) {
		return passwordResetPrefix + "…"
	}
	return path
}

// passwordResetRoutes adds the pages of a forgotten password.
func (s *Server) passwordResetRoutes(site *mux.Router) {
	site.HandleFunc("/password/forgot", s.forgotPasswordForm).Methods(http.MethodGet)
	site.HandleFunc("/password/forgot", s.forgotPassword).Methods(http.MethodPost)
	site.HandleFunc(passwordResetPrefix+"{token}", s.resetPasswordForm).Methods(http.MethodGet)
	site.HandleFunc(passwordResetPrefix+"{token}", s.resetPassword).Methods(http.MethodPost)
}

// forgotPage is the data of the page to ask for a reset link.
type forgotPage struct {
	MailOn bool
	Login  string
	Sent   bool
	Error  string
}

func (s *Server) forgotPasswordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password_forgot", "Forgot your password?", forgotPage{MailOn: s.mail.cfg.On()})
}

// forgotPassword asks storage to mail a link. The answer is the same
// whether or not an account has the address or name; the limits count
// every request, per network and per address asked for.
func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) {
	form := forgotPage{MailOn: s.mail.cfg.On(), Login: strings.TrimSpace(r.PostForm.Get("login"))}
	err := s.allow(w, s.mail.byNetwork, storage.NetworkOf(s.clientIP(r)))
	if err == nil && form.MailOn {
		err = s.allow(w, s.mail.byAddress, strings.ToLower(strings.TrimPrefix(form.Login, "@")))
	}
	if err == nil {
		err = s.db.RequestPasswordReset(r.Context(), form.Login)
	}
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "password_forgot", "Forgot your password?", form)
		return
	}
	s.mail.wake()
	form.Sent = true
	s.render(w, r, http.StatusOK, "password_forgot", "Forgot your password?", form)
}

// resetPage is the data of the page to choose a new password.
type resetPage struct {
	Path     string
	Username string
	Invalid  string // why the link does not work
	Error    string
}

func (s *Server) resetPasswordForm(w http.ResponseWriter, r *http.Request) {
	// The page's address is the secret: no other site hears of it.
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := mux.Vars(r)["token"]
	m, err := s.db.PasswordResetMember(r.Context(), token)
	if err != nil {
		s.renderInvalidReset(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "password_reset", "Choose a new password",
		resetPage{Path: PasswordResetPath(token), Username: m.Username})
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := mux.Vars(r)["token"]
	m, err := s.db.PasswordResetMember(r.Context(), token)
	if err != nil {
		s.renderInvalidReset(w, r, err)
		return
	}
	form := resetPage{Path: PasswordResetPath(token), Username: m.Username}
	password := r.PostForm.Get("new_password")
	if password != r.PostForm.Get("new_password_again") {
		form.Error = "The two new passwords are not the same."
		s.render(w, r, http.StatusBadRequest, "password_reset", "Choose a new password", form)
		return
	}
	m, err = s.db.ResetPassword(r.Context(), token, password)
	if wait := storage.RetryAfter(err); wait > 0 {
		setRetryAfter(w, wait)
	}
	if err != nil && storage.ErrorCode(err) != storage.EInvalid && storage.ErrorCode(err) != storage.ERateLimited {
		s.renderInvalidReset(w, r, err)
		return
	}
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "password_reset", "Choose a new password", form)
		return
	}
	// This browser's session, if it was the member's, ended with the others.
	if me := currentMember(r); me != nil && me.ID == m.ID {
		s.clearSessionCookie(w)
	}
	s.redirect(w, r, "/signin", "Your password is changed, and @"+m.Username+
		" is signed out everywhere. Sign in with your new password.")
}

// renderInvalidReset says why a reset link does not work.
func (s *Server) renderInvalidReset(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.failure(r, err)
	s.render(w, r, status, "password_reset", "Choose a new password", resetPage{Invalid: msg})
}
