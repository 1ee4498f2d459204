package storage

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AuthorizationCodeLifetime is how long a member's consent may wait to be
// exchanged for a token.
const AuthorizationCodeLifetime = 10 * time.Minute

// AuthorizationRequest is what an app asks a member to consent to, as
// /oauth/authorize carries it.
type AuthorizationRequest struct {
	ClientID            string
	RedirectURI         string
	Scopes              string // space-separated; "" for all the app's scopes
	CodeChallenge       string // PKCE (RFC 7636); "" for none
	CodeChallengeMethod string // "S256" or "plain"; "" is plain
}

// Authorization is a checked AuthorizationRequest: the app and the scopes
// the member is asked to grant.
type Authorization struct {
	App         *OAuthApp
	RedirectURI string
	Scopes      []string
}

// CheckAuthorizationRequest tells whether the request may be shown to a
// member for consent, and what it asks for. An unknown client or
// redirect URI is ENotFound or EInvalid, and the page must say so rather
// than redirect.
func (db *DB) CheckAuthorizationRequest(ctx context.Context, req AuthorizationRequest) (*Authorization, error) {
	var a *Authorization
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		a, err = tx.checkAuthorization(ctx, req)
		return err
	})
	return a, err
}

// checkAuthorization holds the rules of an authorization request.
func (tx *Tx) checkAuthorization(ctx context.Context, req AuthorizationRequest) (*Authorization, error) {
	app, err := tx.oauthAppWhere(ctx, "client_id = ?", req.ClientID)
	if err != nil {
		return nil, err
	}
	redirect := req.RedirectURI
	if redirect == "" && len(app.RedirectURIs) == 1 {
		redirect = app.RedirectURIs[0] // RFC 6749 3.1.2.3: optional when only one is registered
	}
	if !slices.Contains(app.RedirectURIs, redirect) { // byte for byte, as RFC 6749 3.1.2.3 asks
		return nil, Errorf(EInvalid, "The redirect URI is not one the app registered.")
	}
	scopes, err := parseScopes(req.Scopes, strings.Join(app.Scopes, " "))
	if err != nil {
		return nil, err
	}
	if !scopesWithin(scopes, app.Scopes) {
		return nil, Errorf(EForbidden, "The app asks for more than the scopes it registered.")
	}
	switch req.CodeChallengeMethod {
	case "", "plain", "S256":
	default:
		return nil, Errorf(EInvalid, "The code challenge method must be S256 or plain.")
	}
	if req.CodeChallengeMethod != "" && req.CodeChallenge == "" {
		return nil, Errorf(EInvalid, "The code challenge is missing.")
	}
	if n := len(req.CodeChallenge); n != 0 && (n < 43 || n > 128) {
		return nil, Errorf(EInvalid, "The code challenge must be 43 to 128 characters long.")
	}
	return &Authorization{App: app, RedirectURI: redirect, Scopes: scopes}, nil
}

// CreateAuthorizationCode records the member's consent to the request and
// returns the code the app exchanges for a token.
func (db *DB) CreateAuthorizationCode(ctx context.Context, memberID string, req AuthorizationRequest) (string, error) {
	code, err := randomToken(oauthSecretBytes)
	if err != nil {
		return "", err
	}
	method := req.CodeChallengeMethod
	if method == "" && req.CodeChallenge != "" {
		method = "plain" // RFC 7636 4.3
	}
	err = db.write(ctx, func(tx *Tx) error {
		a, err := tx.checkAuthorization(ctx, req)
		if err != nil {
			return err
		}
		if _, err := tx.activeMember(ctx, memberID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO oauth_codes (code_hash, app_id, member_id, redirect_uri, scopes, challenge, challenge_method, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, hashToken(code), a.App.ID, memberID, a.RedirectURI, strings.Join(a.Scopes, " "),
			req.CodeChallenge, method, millis(tx.now), millis(tx.now.Add(AuthorizationCodeLifetime)))
		if err != nil {
			return fmt.Errorf("insert authorization code: %w", err)
		}
		return nil
	})
	return code, err
}

// CodeExchange is a token request with grant_type=authorization_code.
type CodeExchange struct {
	ClientID     string
	ClientSecret string // may be empty when the code has a PKCE challenge
	Code         string
	RedirectURI  string
	CodeVerifier string
}

// ExchangeAuthorizationCode turns a code into a token, once. The client,
// the redirect URI (byte for byte) and the PKCE verifier must match what
// the code was made for. A code presented again revokes the token it
// gave, since one of the two presenters is not the app.
func (db *DB) ExchangeAuthorizationCode(ctx context.Context, x CodeExchange) (*OAuthToken, error) {
	var tok *OAuthToken
	var reused bool
	err := db.write(ctx, func(tx *Tx) error {
		var c struct {
			appID, memberID, redirect, scopes, challenge, method string
			expires                                              int64
			used                                                 sql.NullInt64
			tokenID                                              sql.NullString
		}
		err := tx.QueryRowContext(ctx, `SELECT app_id, member_id, redirect_uri, scopes, challenge, challenge_method, expires_at, used_at, token_id
			FROM oauth_codes WHERE code_hash = ?`, hashToken(x.Code)).
			Scan(&c.appID, &c.memberID, &c.redirect, &c.scopes, &c.challenge, &c.method, &c.expires, &c.used, &c.tokenID)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(EInvalid, "The authorization code is unknown.")
		}
		if err != nil {
			return fmt.Errorf("read authorization code: %w", err)
		}
		app, err := tx.authenticApp(ctx, x.ClientID, x.ClientSecret, c.challenge != "")
		if err != nil {
			return err
		}
		switch {
		case app.ID != c.appID:
			return Errorf(EInvalid, "The authorization code was given to another app.")
		case c.used.Valid:
			reused = true
			return tx.revokeTokenByID(ctx, c.tokenID.String)
		case millis(tx.now) >= c.expires:
			return Errorf(EInvalid, "The authorization code has expired.")
		case x.RedirectURI != c.redirect:
			return Errorf(EInvalid, "The redirect URI differs from the one the code was made for.")
		case !pkceVerified(c.challenge, c.method, x.CodeVerifier):
			return Errorf(EInvalid, "The code verifier does not match the code challenge.")
		}
		if _, err := tx.activeMember(ctx, c.memberID); err != nil {
			return Errorf(EInvalid, "The member who gave the code can no longer sign in.")
		}
		tok, err = tx.issueToken(ctx, app.ID, c.memberID, strings.Fields(c.scopes))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE oauth_codes SET used_at = ?, token_id = ? WHERE code_hash = ?`, millis(tx.now), tok.ID, hashToken(x.Code))
		if err != nil {
			return fmt.Errorf("use authorization code: %w", err)
		}
		return nil
	})
	if err == nil && reused {
		return nil, Errorf(EInvalid, "The authorization code was already used.")
	}
	return tok, err
}

// pkceVerified checks a PKCE code verifier against the stored challenge
// (RFC 7636 4.6); without a challenge there is nothing to check.
func pkceVerified(challenge, method, verifier string) bool {
	if challenge == "" {
		return true
	}
	if n := len(verifier); n < 43 || n > 128 {
		return false
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}
