package web

import (
	"context"
	"net/http"
	"net/url"
	"path"
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

// localPath returns next as a path on this site, else "/", so that a
// link or form cannot send people elsewhere after it. Browsers read a
// backslash as a slash and drop tabs and newlines, and http.Redirect
// cleans dot segments away, so "/./\evil.example" or "/\t/evil.example"
// would reach another site: such paths are refused, and the rest are
// decoded and cleaned before they are checked, so that what is checked
// is what the browser is sent.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || unsafeInPath(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || unsafeInPath(u.Path) {
		return "/"
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return "/"
	}
	local := &url.URL{Path: clean, RawQuery: u.RawQuery, Fragment: u.Fragment}
	return local.String()
}

// unsafeInPath reports whether p holds a backslash or a control
// character, which browsers read in ways a path check does not foresee.
func unsafeInPath(p string) bool {
	return strings.ContainsFunc(p, func(r rune) bool {
		return r == '\\' || r < 0x20 || r == 0x7f
	})
}
