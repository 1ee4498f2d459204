package api

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

func (a *API) oauthRoutes(r *mux.Router) {
	r.HandleFunc("/oauth/token", a.token).Methods(http.MethodPost)
	r.HandleFunc("/oauth/revoke", a.revoke).Methods(http.MethodPost)
	r.HandleFunc("/.well-known/oauth-authorization-server", a.authorizationServer).Methods(http.MethodGet)
}

// tokenEntity is the answer of /oauth/token.
type tokenEntity struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// token issues a token for an authorization code, a refresh token, or the
// app itself (POST /oauth/token). The body may be a form, JSON (Elk) or
// the query string. Errors are RFC 6749's.
func (a *API) token(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	clientID, secret := clientCredentials(r, p)
	ctx := r.Context()
	var tok *storage.OAuthToken
	switch grant := p.string("grant_type"); grant {
	case "authorization_code":
		if p.string("code") == "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The code is missing.")
			return
		}
		tok, err = a.db.ExchangeAuthorizationCode(ctx, storage.CodeExchange{ClientID: clientID, ClientSecret: secret,
			Code: p.string("code"), RedirectURI: p.string("redirect_uri"), CodeVerifier: p.string("code_verifier")})
	case "refresh_token":
		if p.string("refresh_token") == "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The refresh token is missing.")
			return
		}
		tok, err = a.db.RefreshOAuthToken(ctx, clientID, secret, p.string("refresh_token"))
	case "client_credentials":
		tok, err = a.db.IssueClientToken(ctx, clientID, secret, p.string("scope"))
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The grant type is missing.")
		return
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "The grant type is not supported.")
		return
	}
	if err != nil {
		a.failOAuth(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenEntity{AccessToken: tok.AccessToken, TokenType: "Bearer",
		Scope: strings.Join(tok.Scopes, " "), CreatedAt: tok.CreatedAt.Unix(), RefreshToken: tok.RefreshToken})
}

// revoke revokes a token of the app (POST /oauth/revoke). An unknown
// token is not an error (RFC 7009 2.2): the answer is {} either way.
func (a *API) revoke(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if p.string("token") == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The token is missing.")
		return
	}
	clientID, secret := clientCredentials(r, p)
	if err := a.db.RevokeOAuthToken(r.Context(), clientID, secret, p.string("token")); err != nil {
		a.failOAuth(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, nil)
}

// clientCredentials are the client id and secret, from HTTP Basic
// authentication (RFC 6749 2.3.1) or the parameters.
func clientCredentials(r *http.Request, p params) (id, secret string) {
	if id, secret, ok := r.BasicAuth(); ok {
		return id, secret
	}
	return p.string("client_id"), p.string("client_secret")
}

// failOAuth answers a refusal of the token endpoints as RFC 6749 5.2
// asks: a client that is unknown or gave a wrong secret is
// invalid_client (401), a code or refresh token that does not hold is
// invalid_grant, scopes unknown or beyond the app's invalid_scope.
func (a *API) failOAuth(w http.ResponseWriter, r *http.Request, err error) {
	msg := storage.ErrorMessage(err)
	switch storage.ErrorCode(err) {
	case storage.EUnauthorized:
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", msg)
	case storage.EInvalid, storage.ENotFound:
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", msg)
	case storage.EForbidden:
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", msg)
	default:
		a.fail(w, r, err)
	}
}

// authorizationServer is the RFC 8414 metadata, as Mastodon 4.3 serves
// it; Phanpy uses PKCE only when it finds S256 here.
func (a *API) authorizationServer(w http.ResponseWriter, r *http.Request) {
	base := a.cfg.baseURL()
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/",
		"service_documentation":                 base + "/about",
		"authorization_endpoint":                base + "/oauth/authorize",
		"token_endpoint":                        base + "/oauth/token",
		"revocation_endpoint":                   base + "/oauth/revoke",
		"app_registration_endpoint":             base + "/api/v1/apps",
		"scopes_supported":                      storage.OAuthScopes(),
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials", "refresh_token"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
	})
}
