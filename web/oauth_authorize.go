package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// The sign-in half of OAuth for the client API: an app sends the member
// here (GET /oauth/authorize); signed in, they see what the app asks for
// and authorize or deny it; the answer goes back to the app's redirect
// URI. The token half is web/api's. A request naming an unknown app or a
// redirect URI the app did not register is refused on a page, never
// redirected: the redirect would go where nobody vouched for.

// consentPage is the consent form: the app, what its scopes allow, and
// the request to carry through the form.
type consentPage struct {
	App     *storage.OAuthApp
	Scopes  []scopeText
	Request storage.AuthorizationRequest
	State   string
}

// authorizationRequest reads the request's OAuth parameters, from the
// query or the consent form.
func authorizationRequest(r *http.Request) (storage.AuthorizationRequest, string) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	return storage.AuthorizationRequest{
		ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), Scopes: q.Get("scope"),
		CodeChallenge: q.Get("code_challenge"), CodeChallengeMethod: q.Get("code_challenge_method"),
	}, q.Get("state")
}

// authorizeForm shows the consent page (GET /oauth/authorize). force_login
// and lang, which some apps send, are ignored.
func (s *Server) authorizeForm(w http.ResponseWriter, r *http.Request) {
	if rt := r.URL.Query().Get("response_type"); rt != "code" {
		s.renderError(w, r, http.StatusBadRequest, "This server only gives apps authorization codes (response_type=code).")
		return
	}
	req, state := authorizationRequest(r)
	a, err := s.db.CheckAuthorizationRequest(r.Context(), req)
	if err != nil {
		s.refuseAuthorization(w, r, err)
		return
	}
	req.RedirectURI, req.Scopes = a.RedirectURI, strings.Join(a.Scopes, " ")
	// The browser applies form-action to the redirect that follows the
	// form, so the app's redirect target must be allowed on this page.
	w.Header().Set("Content-Security-Policy",
		"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"form-action 'self' "+formActionSource(a.RedirectURI)+"; frame-ancestors 'none'; base-uri 'none'")
	s.render(w, r, http.StatusOK, "oauth_authorize", "Authorize "+a.App.Name,
		consentPage{App: a.App, Scopes: describeScopes(a.Scopes), Request: req, State: state})
}

// authorize answers the consent form (POST /oauth/authorize): the code,
// or access_denied, goes to the app's redirect URI with the state; an
// out-of-band app's code is shown for the member to copy.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	req, state := authorizationRequest(r)
	a, err := s.db.CheckAuthorizationRequest(r.Context(), req)
	if err != nil {
		s.refuseAuthorization(w, r, err)
		return
	}
	if r.PostForm.Get("decision") != "authorize" {
		if a.RedirectURI == storage.OutOfBandRedirect {
			s.renderError(w, r, http.StatusForbidden, "You denied "+a.App.Name+" access to your account.")
			return
		}
		http.Redirect(w, r, withQuery(a.RedirectURI, url.Values{"error": {"access_denied"},
			"error_description": {"The member denied the app access."}}, state), http.StatusFound)
		return
	}
	code, err := s.db.CreateAuthorizationCode(r.Context(), currentMember(r).ID, req)
	if err != nil {
		s.refuseAuthorization(w, r, err)
		return
	}
	if a.RedirectURI == storage.OutOfBandRedirect {
		s.render(w, r, http.StatusOK, "oauth_code", "Authorization code", struct {
			App  *storage.OAuthApp
			Code string
		}{a.App, code})
		return
	}
	http.Redirect(w, r, withQuery(a.RedirectURI, url.Values{"code": {code}}, state), http.StatusFound)
}

// refuseAuthorization shows why an authorization request cannot be
// answered, on a page of our own.
func (s *Server) refuseAuthorization(w http.ResponseWriter, r *http.Request, err error) {
	switch storage.ErrorCode(err) {
	case storage.EInvalid, storage.ENotFound, storage.EForbidden:
		s.renderError(w, r, http.StatusBadRequest, "This app's request cannot be answered: "+storage.ErrorMessage(err))
	default:
		s.fail(w, r, err)
	}
}

// withQuery adds the parameters and the state (if any) to the redirect
// URI, leaving the URI as the app registered it byte for byte before them.
func withQuery(redirectURI string, v url.Values, state string) string {
	if state != "" {
		v.Set("state", state)
	}
	sep := "?"
	if strings.Contains(redirectURI, "?") {
		sep = "&"
	}
	return redirectURI + sep + v.Encode()
}

// formActionSource is the CSP source that allows a form to lead to the
// redirect URI: its origin for web addresses, its scheme for an app's
// own (oauth2redirect:), nothing more for out-of-band.
func formActionSource(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || redirectURI == storage.OutOfBandRedirect {
		return ""
	}
	if (u.Scheme == "http" || u.Scheme == "https") && !strings.ContainsAny(u.Host, " ;,'\"") {
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + ":"
}
