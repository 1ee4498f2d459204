package storage

import (
	"slices"
	"strings"
)

// oauthScopes are the scopes an app may ask for: Mastodon's, so that its
// apps register unchanged. The admin scopes are accepted and grant
// nothing yet.
var oauthScopes = strings.Fields(`read write follow push profile
	read:accounts read:blocks read:bookmarks read:favourites read:filters read:follows
	read:lists read:mutes read:notifications read:search read:statuses
	write:accounts write:blocks write:bookmarks write:conversations write:favourites
	write:filters write:follows write:lists write:media write:mutes write:notifications
	write:reports write:statuses
	admin:read admin:write admin:read:accounts admin:read:reports admin:read:domain_allows
	admin:read:domain_blocks admin:read:ip_blocks admin:read:email_domain_blocks
	admin:read:canonical_email_blocks admin:write:accounts admin:write:reports
	admin:write:domain_allows admin:write:domain_blocks admin:write:ip_blocks
	admin:write:email_domain_blocks admin:write:canonical_email_blocks`)

// OAuthScopes lists the scopes an app may ask for.
func OAuthScopes() []string {
	return slices.Clone(oauthScopes)
}

// followScopes are what the old "follow" scope grants, as in Mastodon.
var followScopes = []string{"read:follows", "read:blocks", "read:mutes", "write:follows", "write:blocks", "write:mutes"}

// defaultOAuthScopes is what an app that names no scopes gets.
const defaultOAuthScopes = "read"

// parseScopes splits a space-separated scope list (Mastodon also accepts
// "+" between them, as some apps send it unencoded), refusing unknown
// scopes and dropping repeats. An empty list is def.
func parseScopes(s, def string) ([]string, error) {
	fields := strings.Fields(strings.ReplaceAll(s, "+", " "))
	if len(fields) == 0 {
		fields = strings.Fields(def)
	}
	var scopes []string
	for _, f := range fields {
		if !slices.Contains(oauthScopes, f) {
			return nil, Errorf(EInvalid, "The scope %.40q is not one this server knows.", f)
		}
		if !slices.Contains(scopes, f) {
			scopes = append(scopes, f)
		}
	}
	return scopes, nil
}

// scopesWithin reports whether every one of asked is granted by one of
// granted.
func scopesWithin(asked, granted []string) bool {
	for _, a := range asked {
		if !scopeAllows(granted, a) {
			return false
		}
	}
	return true
}

// scopeAllows reports whether the granted scopes cover the scope: the
// scope itself, its parent ("read" covers "read:statuses", "admin:read"
// covers "admin:read:accounts"), or "follow" for the follow scopes.
func scopeAllows(granted []string, scope string) bool {
	for _, g := range granted {
		if g == scope || strings.HasPrefix(scope, g+":") {
			return true
		}
		if g == "follow" && slices.Contains(followScopes, scope) {
			return true
		}
	}
	return false
}
