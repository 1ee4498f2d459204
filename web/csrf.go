package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
)

// CSRF protection: every visitor gets a random, HttpOnly cookie; forms
// carry an HMAC of it under the instance's secret key. Another site can
// neither read the cookie nor compute the token, so a form it submits
// fails the check. The token does not change at sign-in, which is safe
// because the cookie is never readable by scripts or other sites.
const (
	csrfCookie  = "tidings_csrf"
	csrfField   = "csrf"
	maxFormSize = 64 << 10
)

// csrfToken returns the token the request's forms must carry.
func (s *Server) csrfToken(r *http.Request) string {
	cookie, _ := r.Context().Value(csrfCookieKey).(string)
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// checkCSRF makes sure every visitor has the CSRF cookie, and refuses
// state-changing requests whose form does not carry the matching token.
func (s *Server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookie := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
			cookie = c.Value
		} else {
			raw := make([]byte, 32)
			rand.Read(raw)
			cookie = base64.RawURLEncoding.EncodeToString(raw)
			http.SetCookie(w, &http.Cookie{
				Name: csrfCookie, Value: cookie, Path: "/", HttpOnly: true,
				Secure: s.cfg.secureCookies(), SameSite: http.SameSiteLaxMode,
			})
		}
		r = r.WithContext(context.WithValue(r.Context(), csrfCookieKey, cookie))

		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		err := s.parseForm(w, r)
		if r.MultipartForm != nil {
			// The server removes only the temporary files of the request
			// it made, not of this copy.
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.renderError(w, r, http.StatusRequestEntityTooLarge, "The form is too large.")
				return
			}
			s.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
			return
		}
		given := r.PostForm.Get(csrfField)
		if given == "" || !hmac.Equal([]byte(given), []byte(s.csrfToken(r))) {
			s.renderError(w, r, http.StatusForbidden,
				"This form has expired or was sent from another site. Go back, reload the page and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
