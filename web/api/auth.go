package api

import (
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// caller is who makes an API request: a member through an app (Member
// and Grant), an app on its own (Grant only), or the public (neither).
type caller struct {
	Member *storage.Member
	Grant  *storage.OAuthGrant
}

// Mastodon's texts, which some apps compare.
const (
	invalidTokenText = "The access token is invalid"
	outOfScopeText   = "This action is outside the authorized scopes"
	needsMemberText  = "This method requires an authenticated user"
)

// bearerToken returns the request's access token: the Authorization
// header's bearer token, or the access_token query parameter (streaming
// from browsers cannot set headers). "" for none.
func bearerToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	return r.URL.Query().Get("access_token")
}

// signedIn serves h to a member's token that allows scope. scope lists
// the scopes any one of which suffices ("read:accounts profile"); ""
// takes any token. A missing, unknown or revoked token, or one of a
// member who may no longer sign in, is 401; a token without the scope
// 403; an app's own token (no member) 422, as Mastodon answers.
func (a *API) signedIn(scope string, h func(http.ResponseWriter, *http.Request, *caller)) http.Handler {
	return a.authorized(scope, true, true, h)
}

// maybeSignedIn serves h to the public as well: without a token the
// caller has neither member nor grant. A token that is sent must be
// good and allow scope.
func (a *API) maybeSignedIn(scope string, h func(http.ResponseWriter, *http.Request, *caller)) http.Handler {
	return a.authorized(scope, false, false, h)
}

// appSignedIn serves h to any live token allowing scope, an app's own
// included (the caller's Member is nil then).
func (a *API) appSignedIn(scope string, h func(http.ResponseWriter, *http.Request, *caller)) http.Handler {
	return a.authorized(scope, true, false, h)
}

func (a *API) authorized(scope string, needsToken, needsMember bool, h func(http.ResponseWriter, *http.Request, *caller)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := bearerToken(r)
		if token == "" && !needsToken {
			h(w, r, &caller{})
			return
		}
		grant, err := a.db.OAuthGrantByToken(r.Context(), token)
		if storage.ErrorCode(err) == storage.EUnauthorized {
			writeError(w, http.StatusUnauthorized, invalidTokenText)
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if !allowsAny(grant, scope) {
			writeError(w, http.StatusForbidden, outOfScopeText)
			return
		}
		if needsMember && grant.Member == nil {
			writeError(w, http.StatusUnprocessableEntity, needsMemberText)
			return
		}
		h(w, r, &caller{Member: grant.Member, Grant: grant})
	})
}

// allowsAny reports whether the grant allows one of the scopes.
func allowsAny(g *storage.OAuthGrant, scopes string) bool {
	list := strings.Fields(scopes)
	if len(list) == 0 {
		return true
	}
	for _, s := range list {
		if g.Allows(s) {
			return true
		}
	}
	return false
}
