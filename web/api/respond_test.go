package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestEveryAnswerIsJSON(t *testing.T) {
	ta := startAPI(t, Config{})
	tests := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/api/v1/no_such_thing", http.StatusNotFound},
		{http.MethodGet, "/api/v2/instance/nothing/here", http.StatusNotFound},
		{http.MethodDelete, "/api/v1/apps", http.StatusMethodNotAllowed},
		{http.MethodGet, "/oauth/token", http.StatusMethodNotAllowed},
		{http.MethodGet, "/oauth/revoke", http.StatusMethodNotAllowed},
		{http.MethodPost, "/.well-known/oauth-authorization-server", http.StatusMethodNotAllowed},
		{http.MethodGet, "/api/v1/apps/verify_credentials", http.StatusUnauthorized},
		{http.MethodPost, "/api/v1/apps", http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			wantJSONAnswer(t, ta.call(tt.method, tt.path, "", "", ""), tt.status)
		})
	}
}

func TestBadTokenAnswersMastodonsText(t *testing.T) {
	ta := startAPI(t, Config{})
	for _, token := range []string{"", "not-a-token"} {
		a := ta.call(http.MethodGet, "/api/v1/apps/verify_credentials", "", "", token)
		wantJSONAnswer(t, a, http.StatusUnauthorized)
		if got, want := strings.TrimSpace(a.Body), `{"error":"The access token is invalid"}`; got != want {
			t.Errorf("token %q: body = %s, want %s", token, got, want)
		}
	}
}

func TestScopeIsChecked(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	app, err := ta.db.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Reader", RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	member, err := ta.db.CreateMember(ctx, storage.MemberCreate{Username: "alice", Email: "alice@example.org", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := ta.db.IssueMemberToken(ctx, app.ID, member.ID, "read")
	if err != nil {
		t.Fatal(err)
	}
	a := New(ta.db, nil, Config{}, slog.New(slog.DiscardHandler))
	tests := []struct {
		scope  string
		status int
	}{
		{"read:statuses", http.StatusOK},
		{"write:statuses read:accounts", http.StatusOK},
		{"write:statuses", http.StatusForbidden},
		{"", http.StatusOK},
	}
	for _, tt := range tests {
		h := a.signedIn(tt.scope, func(w http.ResponseWriter, r *http.Request, c *caller) {
			if c.Member == nil || c.Member.ID != member.ID {
				t.Errorf("caller = %+v, want alice", c)
			}
			writeJSON(w, http.StatusOK, nil)
		})
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("scope %q: status = %d, want %d", tt.scope, rec.Code, tt.status)
		}
		if tt.status == http.StatusForbidden && strings.TrimSpace(rec.Body.String()) != `{"error":"This action is outside the authorized scopes"}` {
			t.Errorf("scope %q: body = %s", tt.scope, rec.Body.String())
		}
	}
}

func TestPanicAnswersJSON(t *testing.T) {
	a := New(nil, nil, Config{}, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(a.guard(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/anything")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	wantJSONAnswer(t, answer{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}, http.StatusInternalServerError)
}

func TestWhoMayCall(t *testing.T) {
	ta := startAPI(t, Config{})
	ctx := context.Background()
	app, err := ta.db.CreateOAuthApp(ctx, storage.OAuthAppCreate{Name: "Bot", RedirectURIs: []string{storage.OutOfBandRedirect}, Scopes: "read"})
	if err != nil {
		t.Fatal(err)
	}
	own, err := ta.db.IssueClientToken(ctx, app.ClientID, app.ClientSecret, "read")
	if err != nil {
		t.Fatal(err)
	}
	a := New(ta.db, nil, Config{}, slog.New(slog.DiscardHandler))
	reached := func(w http.ResponseWriter, r *http.Request, c *caller) {
		writeJSON(w, http.StatusOK, map[string]bool{"member": c.Member != nil, "grant": c.Grant != nil})
	}
	tests := []struct {
		name    string
		handler http.Handler
		token   string
		status  int
		body    string
	}{
		{"app's own token where a member is needed", a.signedIn("read", reached), own.AccessToken, http.StatusUnprocessableEntity,
			`{"error":"This method requires an authenticated user"}`},
		{"app's own token on an app endpoint", a.appSignedIn("read", reached), own.AccessToken, http.StatusOK, `{"grant":true,"member":false}`},
		{"the public where it may read", a.maybeSignedIn("read", reached), "", http.StatusOK, `{"grant":false,"member":false}`},
		{"a bad token where the public may read", a.maybeSignedIn("read", reached), "forged", http.StatusUnauthorized,
			`{"error":"The access token is invalid"}`},
		{"no token on an app endpoint", a.appSignedIn("", reached), "", http.StatusUnauthorized, `{"error":"The access token is invalid"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			tt.handler.ServeHTTP(rec, req)
			if rec.Code != tt.status || strings.TrimSpace(rec.Body.String()) != tt.body {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body.String(), tt.status, tt.body)
			}
		})
	}
}
