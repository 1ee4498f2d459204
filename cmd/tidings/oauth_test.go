package main

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	formType = "application/x-www-form-urlencoded"
	jsonType = "application/json"
)

// authorize walks the member through the consent page for the query and
// returns where the app is sent.
func authorize(t *testing.T, v *visitor, query url.Values, decision string) *url.URL {
	t.Helper()
	query.Set("response_type", "code")
	consent := v.get("/oauth/authorize?" + query.Encode())
	wantStatus(t, consent, http.StatusOK)
	form := url.Values{"decision": {decision}}
	for _, k := range []string{"client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"} {
		form.Set(k, query.Get(k))
	}
	p := v.post("/oauth/authorize", form)
	wantStatus(t, p, http.StatusFound)
	u, err := url.Parse(p.Location)
	if err != nil {
		t.Fatalf("redirect %q: %v", p.Location, err)
	}
	return u
}

// TestOAuthSignInWithPKCE is Tusky's and Phanpy's sign-in through real
// HTTP: a form-registered app, the consent page with a session, the
// redirect, and the code exchanged with its PKCE verifier.
func TestOAuthSignInWithPKCE(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	const redirect = "oauth2redirect://com.keylesspalace.tusky/"
	reg := apiCall(t, inst, http.MethodPost, "/api/v1/apps", formType, url.Values{
		"client_name": {"Tusky"}, "redirect_uris": {redirect}, "scopes": {"read write follow push"},
		"website": {"https://tusky.app"}}.Encode(), "")
	wantAPIStatus(t, reg, http.StatusOK)
	for _, field := range []string{"id", "name", "redirect_uri", "client_id", "client_secret"} {
		if reg.str(field) == "" {
			t.Errorf("registration has no %s: %s", field, reg.Body)
		}
	}
	if reg.JSON["client_secret_expires_at"] != 0.0 || reg.str("redirect_uri") != redirect || reg.JSON["vapid_key"] == nil {
		t.Errorf("registration = %s", reg.Body)
	}
	clientID, secret := reg.str("client_id"), reg.str("client_secret")

	// Not signed in: the sign-in page, and back.
	query := url.Values{"client_id": {clientID}, "redirect_uri": {redirect}, "scope": {"read write follow push"},
		"state": {"s t&ate"}, "force_login": {"true"}, "lang": {"de"}}
	verifier := strings.Repeat("0123456789abcdef", 4)
	sum := sha256.Sum256([]byte(verifier))
	query.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	query.Set("code_challenge_method", "S256")
	query.Set("response_type", "code")
	stranger := newVisitor(t, inst)
	p := stranger.get("/oauth/authorize?" + query.Encode())
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin?next=") {
		t.Fatalf("authorize without a session = %d to %q, want the sign-in page", p.Status, p.Location)
	}
	next, _ := url.Parse(p.Location)
	back := next.Query().Get("next")
	stranger.get(p.Location)
	signedIn := stranger.post("/signin", url.Values{"username": {"alice"}, "password": {"a long password"}, "next": {back}})
	if signedIn.Status != http.StatusSeeOther || signedIn.Location != "/oauth/authorize?"+query.Encode() {
		t.Errorf("sign-in = %d to %q, want back to the consent page", signedIn.Status, signedIn.Location)
	}

	consent := alice.get("/oauth/authorize?" + query.Encode())
	wantStatus(t, consent, http.StatusOK)
	wantBody(t, consent, "Authorize Tusky?", "@alice", "See everything in your account")

	u := authorize(t, alice, query, "authorize")
	if got := u.Scheme + "://" + u.Host + u.Path; got != redirect {
		t.Fatalf("redirected to %q, want %q", got, redirect)
	}
	code := u.Query().Get("code")
	if code == "" || u.Query().Get("state") != "s t&ate" {
		t.Fatalf("redirect %s has no code or lost the state", u)
	}

	exchange := url.Values{"grant_type": {"authorization_code"}, "client_id": {clientID}, "redirect_uri": {redirect},
		"code": {code}, "code_verifier": {strings.Repeat("f", 64)}}
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", formType, exchange.Encode(), ""), http.StatusBadRequest, "invalid_grant")
	exchange.Set("code_verifier", verifier)
	tok := apiCall(t, inst, http.MethodPost, "/oauth/token", formType, exchange.Encode(), "")
	wantAPIStatus(t, tok, http.StatusOK)
	if tok.str("access_token") == "" || tok.str("token_type") != "Bearer" || tok.str("scope") != "read write follow push" ||
		tok.JSON["created_at"] == nil || tok.str("refresh_token") == "" {
		t.Fatalf("token = %s", tok.Body)
	}
	if _, isNumber := tok.JSON["created_at"].(float64); !isNumber {
		t.Errorf("created_at = %v, want a number", tok.JSON["created_at"])
	}
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", formType, exchange.Encode(), ""), http.StatusBadRequest, "invalid_grant")
	// The code presented twice took back the token it gave.
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", tok.str("access_token")), http.StatusUnauthorized)

	// Again, and this time refresh and revoke.
	u = authorize(t, alice, query, "authorize")
	exchange.Set("code", u.Query().Get("code"))
	exchange.Set("client_secret", secret)
	tok = apiCall(t, inst, http.MethodPost, "/oauth/token", formType, exchange.Encode(), "")
	wantAPIStatus(t, tok, http.StatusOK)
	app := apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", tok.str("access_token"))
	wantAPIStatus(t, app, http.StatusOK)
	if app.str("name") != "Tusky" || app.str("client_secret") != "" {
		t.Errorf("verify_credentials = %s", app.Body)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "client_secret": {secret}, "refresh_token": {tok.str("refresh_token")}}
	fresh := apiCall(t, inst, http.MethodPost, "/oauth/token", formType, refresh.Encode(), "")
	wantAPIStatus(t, fresh, http.StatusOK)
	if fresh.str("access_token") == tok.str("access_token") || fresh.str("refresh_token") == tok.str("refresh_token") {
		t.Error("refresh gave the same tokens back")
	}
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", tok.str("access_token")), http.StatusUnauthorized)
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", formType, refresh.Encode(), ""), http.StatusBadRequest, "invalid_grant")
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", fresh.str("access_token")), http.StatusOK)

	revoke := url.Values{"client_id": {clientID}, "client_secret": {secret}, "token": {fresh.str("access_token")}}
	r := apiCall(t, inst, http.MethodPost, "/oauth/revoke", formType, revoke.Encode(), "")
	if r.Status != http.StatusOK || strings.TrimSpace(r.Body) != "{}" {
		t.Errorf("revoke = %d %s, want 200 {}", r.Status, r.Body)
	}
	gone := apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", fresh.str("access_token"))
	if gone.Status != http.StatusUnauthorized || strings.TrimSpace(gone.Body) != `{"error":"The access token is invalid"}` {
		t.Errorf("revoked token = %d %s", gone.Status, gone.Body)
	}
	revoke.Set("token", "never-issued")
	wantAPIStatus(t, apiCall(t, inst, http.MethodPost, "/oauth/revoke", formType, revoke.Encode(), ""), http.StatusOK)
	revoke.Set("client_secret", "wrong")
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/revoke", formType, revoke.Encode(), ""), http.StatusUnauthorized, "invalid_client")

	// Denied: the app hears access_denied, with its state.
	u = authorize(t, alice, query, "deny")
	if u.Query().Get("error") != "access_denied" || u.Query().Get("state") != "s t&ate" || u.Query().Get("code") != "" {
		t.Errorf("denial redirected to %s", u)
	}
}

// TestOAuthSignInWithJSON is Elk's and Ice Cubes' sign-in: JSON bodies,
// no PKCE, and a redirect URI with a percent-encoded path segment that
// must match byte for byte.
func TestOAuthSignInWithJSON(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	const redirect = "https://elk.example/api/tidings.test/oauth/https%3A%2F%2Felk.example"
	reg := apiCall(t, inst, http.MethodPost, "/api/v1/apps", jsonType,
		`{"client_name":"Elk","website":"https://elk.zone","redirect_uris":"`+redirect+`","scopes":"read write follow push"}`, "")
	wantAPIStatus(t, reg, http.StatusOK)
	if uris, _ := reg.JSON["redirect_uris"].([]any); len(uris) != 1 || uris[0] != redirect {
		t.Errorf("redirect_uris = %v, want [%s]", reg.JSON["redirect_uris"], redirect)
	}
	clientID, secret := reg.str("client_id"), reg.str("client_secret")

	oneByteOff := strings.Replace(redirect, "%3A", "%3a", 1)
	bad := alice.get("/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {oneByteOff}}.Encode())
	if bad.Status != http.StatusBadRequest || bad.Location != "" {
		t.Errorf("authorize with another redirect URI = %d to %q, want 400 on a page", bad.Status, bad.Location)
	}
	wantBody(t, bad, "not one the app registered")
	unknown := alice.get("/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {"nobody"}, "redirect_uri": {redirect}}.Encode())
	if unknown.Status != http.StatusBadRequest || unknown.Location != "" {
		t.Errorf("authorize for an unknown app = %d to %q, want 400 on a page", unknown.Status, unknown.Location)
	}

	u := authorize(t, alice, url.Values{"client_id": {clientID}, "redirect_uri": {redirect}, "scope": {"read write follow push"}}, "authorize")
	if !strings.HasPrefix(u.String(), redirect+"?code=") {
		t.Fatalf("redirected to %s", u)
	}
	code := u.Query().Get("code")
	body := func(redirectURI string) string {
		return `{"client_id":"` + clientID + `","client_secret":"` + secret + `","redirect_uri":"` + redirectURI +
			`","grant_type":"authorization_code","code":"` + code + `","scope":"read write follow push"}`
	}
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", jsonType, body(oneByteOff), ""), http.StatusBadRequest, "invalid_grant")
	tok := apiCall(t, inst, http.MethodPost, "/oauth/token", jsonType, body(redirect), "")
	wantAPIStatus(t, tok, http.StatusOK)
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", tok.str("access_token")), http.StatusOK)

	// The settings page lists the app, and revoking it there signs it out.
	apps := alice.get("/settings/apps")
	wantStatus(t, apps, http.StatusOK)
	wantBody(t, apps, "Elk", "https://elk.zone", "Revoke Elk")
	appID := reg.str("id")
	wantStatus(t, alice.post("/settings/apps/"+appID+"/revoke", nil), http.StatusSeeOther)
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", tok.str("access_token")), http.StatusUnauthorized)
	wantBody(t, alice.get("/settings/apps"), "No app has access")
}

// TestOAuthOutOfBandAndClientCredentials: an app without a redirect
// shows the member the code; an app's own token serves the app's
// endpoints; and the token endpoint's refusals are RFC 6749's.
func TestOAuthOutOfBandAndClientCredentials(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	reg := apiCall(t, inst, http.MethodPost, "/api/v1/apps?client_name=Script&redirect_uris=urn:ietf:wg:oauth:2.0:oob&scopes=read", "", "", "")
	wantAPIStatus(t, reg, http.StatusOK)
	clientID, secret := reg.str("client_id"), reg.str("client_secret")

	alice.get("/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"}}.Encode())
	shown := alice.post("/oauth/authorize", url.Values{"client_id": {clientID}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"}, "decision": {"authorize"}})
	wantStatus(t, shown, http.StatusOK)
	wantBody(t, shown, "paste it into <strong>Script</strong>")

	creds := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
	tok := apiCall(t, inst, http.MethodPost, "/oauth/token", formType, creds.Encode(), "")
	wantAPIStatus(t, tok, http.StatusOK)
	if tok.str("scope") != "read" || tok.str("refresh_token") != "" {
		t.Errorf("client token = %s", tok.Body)
	}
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/apps/verify_credentials", "", "", tok.str("access_token")), http.StatusOK)

	creds.Set("scope", "write")
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", formType, creds.Encode(), ""), http.StatusBadRequest, "invalid_scope")
	creds.Set("client_secret", "wrong")
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", formType, creds.Encode(), ""), http.StatusUnauthorized, "invalid_client")
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", formType, "grant_type=password&username=alice", ""), http.StatusBadRequest, "unsupported_grant_type")
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", jsonType, `{"client_id":"x"}`, ""), http.StatusBadRequest, "invalid_request")
	wantOAuthError(t, apiCall(t, inst, http.MethodPost, "/oauth/token", jsonType, `{"grant_type":`, ""), http.StatusBadRequest, "invalid_request")

	for _, body := range []string{`{"redirect_uris":"app://x"}`, `{"client_name":"A"}`, `{"client_name":"A","redirect_uris":"app://x","scopes":"read everything"}`,
		`{"client_name":"A","redirect_uris":"not a uri"}`} {
		bad := apiCall(t, inst, http.MethodPost, "/api/v1/apps", jsonType, body, "")
		if bad.Status != http.StatusUnprocessableEntity || bad.str("error") == "" {
			t.Errorf("register %s = %d %s, want 422 with an error", body, bad.Status, bad.Body)
		}
	}
}

// TestAPIAnswersJSONOnTheSite: the API mounted in the site answers JSON
// for unknown paths and wrong methods, its metadata, and CORS.
func TestAPIAnswersJSONOnTheSite(t *testing.T) {
	inst := startInstance(t, nil)
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/no_such_endpoint", "", "", ""), http.StatusNotFound)
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v2/", "", "", ""), http.StatusNotFound)
	wantAPIStatus(t, apiCall(t, inst, http.MethodDelete, "/oauth/token", "", "", ""), http.StatusMethodNotAllowed)
	wantAPIStatus(t, apiCall(t, inst, http.MethodPut, "/api/v1/apps", jsonType, "{}", ""), http.StatusMethodNotAllowed)

	meta := apiCall(t, inst, http.MethodGet, "/.well-known/oauth-authorization-server", "", "", "")
	wantAPIStatus(t, meta, http.StatusOK)
	if meta.str("token_endpoint") != inst.URL+"/oauth/token" || meta.str("authorization_endpoint") != inst.URL+"/oauth/authorize" ||
		meta.str("app_registration_endpoint") != inst.URL+"/api/v1/apps" {
		t.Errorf("metadata = %s", meta.Body)
	}
	if methods, _ := meta.JSON["code_challenge_methods_supported"].([]any); len(methods) != 1 || methods[0] != "S256" {
		t.Errorf("code_challenge_methods_supported = %v", meta.JSON["code_challenge_methods_supported"])
	}
	if meta.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(meta.Header.Get("Access-Control-Expose-Headers"), "Link") {
		t.Errorf("CORS headers = %v", meta.Header)
	}
	if meta.Header.Get("X-RateLimit-Limit") != "300" || meta.Header.Get("X-RateLimit-Remaining") != "295" { // the fifth request of this address
		t.Errorf("rate limit headers = %v", meta.Header)
	}

	for _, path := range []string{"/api/v1/apps", "/oauth/token", "/.well-known/nodeinfo", "/nodeinfo/2.0"} {
		req, _ := http.NewRequest(http.MethodOptions, inst.URL+path, nil)
		req.Header.Set("Origin", "https://phanpy.social")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("preflight %s = %d, %v", path, resp.StatusCode, resp.Header)
		}
	}
	// The site's own pages are not opened to other origins.
	resp, err := http.Get(inst.URL + "/about")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("a page of the site allows other origins")
	}
}
