package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

const sessionCookie = "tidings_session"

// currentMember returns the signed-in member, or nil.
func currentMember(r *http.Request) *storage.Member {
	m, _ := r.Context().Value(memberKey).(*storage.Member)
	return m
}

// loadSession puts the member signed in by the session cookie, if any,
// into the request's context. An unknown or expired cookie is removed.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		m, err := s.db.MemberBySession(r.Context(), c.Value)
		if err != nil {
			s.clearSessionCookie(w)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), memberKey, m)))
	})
}

// startSession signs the member in and sets the session cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, m *storage.Member) error {
	token, err := s.db.CreateSession(r.Context(), m.ID)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(storage.SessionLifetime.Seconds()),
		HttpOnly: true,
		Secure:   s.cfg.secureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// sessionToken returns the request's session token, or "".
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// membersOnly sends visitors who are not signed in to the sign-in page,
// and back here afterwards.
func (s *Server) membersOnly(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentMember(r) == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusUnauthorized, "Please sign in first.")
			return
		}
		h(w, r)
	})
}

// adminsOnly lets only signed-in admins through.
func (s *Server) adminsOnly(h http.HandlerFunc) http.Handler {
	return s.membersOnly(func(w http.ResponseWriter, r *http.Request) {
		if !currentMember(r).IsAdmin {
			s.renderError(w, r, http.StatusForbidden, "Only admins of this instance can open this page.")
			return
		}
		h(w, r)
	})
}

// localPath returns next if it is a path on this site, else "/", so that
// a sign-in link cannot send people elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
