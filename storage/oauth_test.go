package storage

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func mustCreateApp(t *testing.T, db *DB, redirect string) *OAuthApp {
	t.Helper()
	app, err := db.CreateOAuthApp(context.Background(), OAuthAppCreate{
		Name: "Reader", RedirectURIs: []string{redirect}, Scopes: "read write follow push",
	})
	if err != nil {
		t.Fatalf("create app: %v", err)
	}
	return app
}

func TestOAuthTokensAreStoredHashed(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	app := mustCreateApp(t, db, "app://cb")
	code, err := db.CreateAuthorizationCode(ctx, alice.ID, AuthorizationRequest{ClientID: app.ClientID, RedirectURI: "app://cb"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.ExchangeAuthorizationCode(ctx, CodeExchange{ClientID: app.ClientID, ClientSecret: app.ClientSecret, Code: code, RedirectURI: "app://cb"})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{app.ClientSecret, code, tok.AccessToken, tok.RefreshToken}
	for _, table := range []string{"oauth_apps", "oauth_codes", "oauth_tokens"} {
		rows, err := db.reader.QueryContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range values {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				}
				for _, s := range secrets {
					if strings.Contains(text, s) || strings.Contains(text, base64.RawURLEncoding.EncodeToString([]byte(s))) {
						t.Errorf("%s.%s holds a secret in plain text", table, cols[i])
					}
				}
			}
		}
		rows.Close()
	}
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM oauth_tokens WHERE access_hash = ?`, hashToken(tok.AccessToken)).Scan(&n); err != nil || n != 1 {
		t.Errorf("tokens found by the access token's hash = %d (%v), want 1", n, err)
	}
}

func TestExchangeAuthorizationCode(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	app := mustCreateApp(t, db, "https://app.example/cb/https%3A%2F%2Fa")
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	newCode := func() string {
		t.Helper()
		code, err := db.CreateAuthorizationCode(ctx, alice.ID, AuthorizationRequest{ClientID: app.ClientID,
			RedirectURI: app.RedirectURIs[0], Scopes: "read", CodeChallenge: challenge, CodeChallengeMethod: "S256"})
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	x := func(code string) CodeExchange {
		return CodeExchange{ClientID: app.ClientID, Code: code, RedirectURI: app.RedirectURIs[0], CodeVerifier: verifier}
	}
	code := newCode()
	bad := x(code)
	bad.CodeVerifier = strings.Repeat("w", 50)
	_, err := db.ExchangeAuthorizationCode(ctx, bad)
	wantCode(t, err, EInvalid)
	bad = x(code)
	bad.RedirectURI = "https://app.example/cb/https%3a%2F%2Fa"
	_, err = db.ExchangeAuthorizationCode(ctx, bad)
	wantCode(t, err, EInvalid)
	bad = x(code)
	bad.ClientSecret = "wrong"
	_, err = db.ExchangeAuthorizationCode(ctx, bad)
	wantCode(t, err, EUnauthorized)

	tok, err := db.ExchangeAuthorizationCode(ctx, x(code))
	if err != nil {
		t.Fatalf("exchange with the verifier and no secret: %v", err)
	}
	g, err := db.OAuthGrantByToken(ctx, tok.AccessToken)
	if err != nil || g.Member.ID != alice.ID || !g.Allows("read:statuses") || g.Allows("write:statuses") {
		t.Fatalf("grant = %+v, %v; want alice's, read only", g, err)
	}
	_, err = db.ExchangeAuthorizationCode(ctx, x(code))
	wantCode(t, err, EInvalid)
	_, err = db.OAuthGrantByToken(ctx, tok.AccessToken)
	wantCode(t, err, EUnauthorized) // the reused code took its token

	code = newCode()
	clock.Advance(AuthorizationCodeLifetime)
	_, err = db.ExchangeAuthorizationCode(ctx, x(code))
	wantCode(t, err, EInvalid)
}

func TestOAuthScopes(t *testing.T) {
	tests := []struct {
		granted, scope string
		want           bool
	}{
		{"read", "read:statuses", true},
		{"read", "read", true},
		{"read", "write:statuses", false},
		{"read:statuses", "read", false},
		{"follow", "write:follows", true},
		{"follow", "write:statuses", false},
		{"write", "write:media", true},
		{"admin:read", "admin:read:accounts", true},
		{"readx", "readx:statuses", true},
	}
	for _, tt := range tests {
		if got := scopeAllows(strings.Fields(tt.granted), tt.scope); got != tt.want {
			t.Errorf("scopeAllows(%q, %q) = %v, want %v", tt.granted, tt.scope, got, tt.want)
		}
	}
	if _, err := parseScopes("read wrte", ""); ErrorCode(err) != EInvalid {
		t.Errorf("parseScopes of an unknown scope: %v, want %s", err, EInvalid)
	}
	if got, _ := parseScopes("read+write read", ""); strings.Join(got, " ") != "read write" {
		t.Errorf("parseScopes(read+write read) = %v, want [read write]", got)
	}
}

func TestOAuthRefreshRevokeAndSuspension(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	app := mustCreateApp(t, db, OutOfBandRedirect)
	other := mustCreateApp(t, db, OutOfBandRedirect)
	code, err := db.CreateAuthorizationCode(ctx, alice.ID, AuthorizationRequest{ClientID: app.ClientID})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.ExchangeAuthorizationCode(ctx, CodeExchange{ClientID: app.ClientID, ClientSecret: app.ClientSecret, Code: code, RedirectURI: OutOfBandRedirect})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.RefreshOAuthToken(ctx, other.ClientID, other.ClientSecret, tok.RefreshToken)
	wantCode(t, err, EInvalid)
	fresh, err := db.RefreshOAuthToken(ctx, app.ClientID, app.ClientSecret, tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.OAuthGrantByToken(ctx, tok.AccessToken); ErrorCode(err) != EUnauthorized {
		t.Errorf("old token after refresh: %v, want %s", err, EUnauthorized)
	}
	_, err = db.RefreshOAuthToken(ctx, app.ClientID, app.ClientSecret, tok.RefreshToken)
	wantCode(t, err, EInvalid)

	// Another app's revocation leaves the token alone.
	if err := db.RevokeOAuthToken(ctx, other.ClientID, other.ClientSecret, fresh.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OAuthGrantByToken(ctx, fresh.AccessToken); err != nil {
		t.Fatalf("token after another app's revocation: %v", err)
	}
	apps, err := db.AuthorizedApps(ctx, alice.ID)
	if err != nil || len(apps) != 1 || apps[0].App.ID != app.ID {
		t.Fatalf("authorized apps = %v, %v; want the one app", apps, err)
	}
	if err := db.RevokeOAuthToken(ctx, app.ClientID, app.ClientSecret, fresh.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OAuthGrantByToken(ctx, fresh.AccessToken); ErrorCode(err) != EUnauthorized {
		t.Errorf("token revoked by its refresh token: %v, want %s", err, EUnauthorized)
	}

	token, err := db.IssueMemberToken(ctx, app.ID, alice.ID, "read")
	if err != nil {
		t.Fatal(err)
	}
	admin := mustCreateMember(t, db, "carol")
	if _, err := db.writer.ExecContext(ctx, `UPDATE members SET is_admin = 1 WHERE id = ?`, admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SuspendMember(ctx, admin.ID, alice.Username, "spam"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OAuthGrantByToken(ctx, token); ErrorCode(err) != EUnauthorized {
		t.Errorf("suspended member's token: %v, want %s", err, EUnauthorized)
	}
}

func TestDeletedAccountTakesItsTokens(t *testing.T) {
	w := newDeletionWorld(t)
	ctx := context.Background()
	app := mustCreateApp(t, w.db, OutOfBandRedirect)
	token, err := w.db.IssueMemberToken(ctx, app.ID, w.alice.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.CreateAuthorizationCode(ctx, w.alice.ID, AuthorizationRequest{ClientID: app.ClientID}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.RequestAccountDeletion(ctx, w.alice.ID, "correct horse", 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(7*24*time.Hour + time.Minute)
	if d, err := w.db.DeleteDueAccount(ctx); err != nil || d == nil {
		t.Fatalf("delete due = %v, %v", d, err)
	}
	for _, table := range []string{"oauth_tokens", "oauth_codes"} {
		if n := count(t, w.db, `SELECT count(*) FROM `+table+` WHERE member_id = ?1`, w.alice.ID); n != 0 {
			t.Errorf("%s left: %d", table, n)
		}
	}
	if _, err := w.db.OAuthGrantByToken(ctx, token); ErrorCode(err) != EUnauthorized {
		t.Errorf("deleted member's token: %v, want %s", err, EUnauthorized)
	}
	if _, err := w.db.OAuthAppByClientID(ctx, app.ClientID); err != nil {
		t.Errorf("the app went with the member: %v", err)
	}
}

func TestPruneOAuthCodesAndRevokedTokens(t *testing.T) {
	db, clock := openTestDB(t)
	ctx := context.Background()
	alice := mustCreateMember(t, db, "alice")
	app := mustCreateApp(t, db, OutOfBandRedirect)
	code, err := db.CreateAuthorizationCode(ctx, alice.ID, AuthorizationRequest{ClientID: app.ClientID})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.ExchangeAuthorizationCode(ctx, CodeExchange{ClientID: app.ClientID, ClientSecret: app.ClientSecret, Code: code, RedirectURI: OutOfBandRedirect})
	if err != nil {
		t.Fatal(err)
	}
	live, err := db.IssueMemberToken(ctx, app.ID, alice.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeOAuthToken(ctx, app.ClientID, app.ClientSecret, tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	if p, err := db.Prune(ctx, Retention{}, 100); err != nil || p.OAuthCodes != 0 || p.OAuthTokens != 0 {
		t.Fatalf("prune at once = %+v, %v; want no code, no token", p, err)
	}
	clock.Advance(AuthorizationCodeLifetime + oauthKeptAfterUse)
	p, err := db.Prune(ctx, Retention{}, 100)
	if err != nil || p.OAuthCodes != 1 || p.OAuthTokens != 1 {
		t.Fatalf("prune a day later = %+v, %v; want a code and a token", p, err)
	}
	if _, err := db.OAuthGrantByToken(ctx, live); err != nil {
		t.Errorf("the live token went: %v", err)
	}
}
