package web

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// signupPage is the data of the sign-up form.
type signupPage struct {
	Mode        storage.RegistrationMode
	Username    string
	DisplayName string
	Email       string
	InviteCode  string
	JoinReason  string
	Error       string
	Rules       []string // the instance's rules, which joining agrees to
	AdmitPerDay int      // how many the waiting list lets in a day; 0: the admins admit
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) {
	if currentMember(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signup", "Join "+s.cfg.InstanceName, signupPage{
		Mode: s.db.Registration, InviteCode: r.URL.Query().Get("invite"), Rules: s.rulesForSignUp(r),
		AdmitPerDay: s.db.Admission.AdmitPerDay,
	})
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	form := signupPage{
		Mode:        s.db.Registration,
		Username:    strings.TrimSpace(r.PostForm.Get("username")),
		DisplayName: r.PostForm.Get("display_name"),
		Email:       strings.TrimSpace(r.PostForm.Get("email")),
		InviteCode:  strings.TrimSpace(r.PostForm.Get("invite")),
		JoinReason:  r.PostForm.Get("reason"),
		Rules:       s.rulesForSignUp(r),
		AdmitPerDay: s.db.Admission.AdmitPerDay,
	}
	// Every attempt counts, refused ones too, so that attempts sent at
	// once cannot all pass before any is counted.
	if err := s.allow(w, s.limits.signUps, storage.NetworkOf(s.clientIP(r))); err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "signup", "Join "+s.cfg.InstanceName, form)
		return
	}
	password := r.PostForm.Get("password")
	if password != r.PostForm.Get("password_again") {
		form.Error = "The two passwords are not the same."
		s.render(w, r, http.StatusBadRequest, "signup", "Join "+s.cfg.InstanceName, form)
		return
	}
	m, err := s.db.Register(r.Context(), storage.Registration{
		MemberCreate: storage.MemberCreate{
			Username:    form.Username,
			Email:       form.Email,
			DisplayName: form.DisplayName,
			Password:    password,
			JoinReason:  form.JoinReason,
		},
		InviteCode: form.InviteCode,
	})
	if wait := storage.RetryAfter(err); wait > 0 {
		setRetryAfter(w, wait) // the server was too busy hashing passwords
	}
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "signup", "Join "+s.cfg.InstanceName, form)
		return
	}
	if m.Status == storage.MemberPending {
		s.mail.wake()
		s.renderWaiting(w, r, m)
		return
	}
	if err := s.startSession(w, r, m); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/@"+m.Username, "Welcome to "+s.cfg.InstanceName+", "+m.DisplayName+"!")
}

// signinPage is the data of the sign-in form.
type signinPage struct {
	Username string
	Next     string
	Error    string
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if currentMember(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin", "Sign in", signinPage{Next: next})
}

// normalizeUsername forgives what people type around a name: spaces, a
// leading @, capitals, and this instance's domain.
func (s *Server) normalizeUsername(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	name = strings.TrimPrefix(name, "@")
	return strings.TrimSuffix(name, "@"+strings.ToLower(s.cfg.Domain))
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	form := signinPage{
		Username: s.normalizeUsername(r.PostForm.Get("username")),
		Next:     localPath(r.PostForm.Get("next")),
	}
	m, err := s.db.Authenticate(r.Context(), form.Username, r.PostForm.Get("password"), s.clientIP(r))
	if err == nil {
		err = s.startSession(w, r, m)
	}
	if wait := storage.RetryAfter(err); wait > 0 {
		setRetryAfter(w, wait)
	}
	if err != nil {
		status, msg := s.failure(r, err)
		form.Error = msg
		s.render(w, r, status, "signin", "Sign in", form)
		return
	}
	s.redirect(w, r, form.Next, "")
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if token := sessionToken(r); token != "" {
		if err := s.db.DeleteSession(r.Context(), token); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	s.redirect(w, r, "/", "You are signed out.")
}
