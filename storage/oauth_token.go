package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// OAuthToken is a token as the app receives it: the plain access and
// refresh tokens exist only here, the database holds their hashes.
type OAuthToken struct {
	ID           string
	AccessToken  string
	RefreshToken string
	Scopes       []string
	CreatedAt    time.Time
}

// issueToken makes a token of the app for the member ("" for the app's
// own token, which has no refresh token).
func (tx *Tx) issueToken(ctx context.Context, appID, memberID string, scopes []string) (*OAuthToken, error) {
	access, err := randomToken(oauthSecretBytes)
	if err != nil {
		return nil, err
	}
	tok := &OAuthToken{ID: tx.newID(), AccessToken: access, Scopes: scopes, CreatedAt: tx.now}
	var member, refreshHash any
	if memberID != "" {
		if tok.RefreshToken, err = randomToken(oauthSecretBytes); err != nil {
			return nil, err
		}
		member, refreshHash = memberID, hashToken(tok.RefreshToken)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO oauth_tokens (id, access_hash, refresh_hash, app_id, member_id, scopes, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, tok.ID, hashToken(access), refreshHash, appID, member, strings.Join(scopes, " "), millis(tx.now))
	if err != nil {
		return nil, fmt.Errorf("insert oauth token: %w", err)
	}
	return tok, nil
}

// activeMember returns the member if they may use the site: active and
// not suspended. Otherwise EUnauthorized.
func (tx *Tx) activeMember(ctx context.Context, memberID string) (*Member, error) {
	m, err := tx.memberWhere(ctx, "id = ? AND status = 'active' AND id NOT IN (SELECT member_id FROM member_suspensions)", memberID)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(EUnauthorized, "The member cannot sign in.")
	}
	return m, err
}

// IssueMemberToken gives the app a token acting for the member with the
// scopes (space-separated, within the app's; "" for all of them): what a member's consent
// gives, and how a test signs in with one call.
func (db *DB) IssueMemberToken(ctx context.Context, appID, memberID, scopes string) (string, error) {
	var tok *OAuthToken
	err := db.write(ctx, func(tx *Tx) error {
		app, err := tx.oauthAppWhere(ctx, "id = ?", appID)
		if err != nil {
			return err
		}
		list, err := parseScopes(scopes, strings.Join(app.Scopes, " "))
		if err != nil {
			return err
		}
		if !scopesWithin(list, app.Scopes) {
			return Errorf(EForbidden, "The app asks for more than the scopes it registered.")
		}
		if _, err := tx.activeMember(ctx, memberID); err != nil {
			return err
		}
		tok, err = tx.issueToken(ctx, app.ID, memberID, list)
		return err
	})
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// IssueClientToken gives an app a token of its own, acting for no member
// (grant_type=client_credentials), with the scopes asked for ("" for
// "read"), which must be within the app's.
func (db *DB) IssueClientToken(ctx context.Context, clientID, clientSecret, scopes string) (*OAuthToken, error) {
	var tok *OAuthToken
	err := db.write(ctx, func(tx *Tx) error {
		app, err := tx.authenticApp(ctx, clientID, clientSecret, false)
		if err != nil {
			return err
		}
		list, err := parseScopes(scopes, defaultOAuthScopes)
		if err != nil {
			return Errorf(EForbidden, "%s", ErrorMessage(err)) // the client's scope, not its grant, is wrong
		}
		if !scopesWithin(list, app.Scopes) {
			return Errorf(EForbidden, "The app asks for more than the scopes it registered.")
		}
		tok, err = tx.issueToken(ctx, app.ID, "", list)
		return err
	})
	return tok, err
}

// RefreshOAuthToken turns a refresh token into a new token with the same
// member and scopes, revoking the old one: a refresh token works once.
func (db *DB) RefreshOAuthToken(ctx context.Context, clientID, clientSecret, refreshToken string) (*OAuthToken, error) {
	var tok *OAuthToken
	err := db.write(ctx, func(tx *Tx) error {
		app, err := tx.authenticApp(ctx, clientID, clientSecret, false)
		if err != nil {
			return err
		}
		var id, appID, scopes string
		var memberID sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT id, app_id, member_id, scopes FROM oauth_tokens
			WHERE refresh_hash = ? AND revoked_at IS NULL`, hashToken(refreshToken)).Scan(&id, &appID, &memberID, &scopes)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (appID != app.ID || !memberID.Valid) {
			return Errorf(EInvalid, "The refresh token is unknown or was used already.")
		}
		if err != nil {
			return fmt.Errorf("read refresh token: %w", err)
		}
		if _, err := tx.activeMember(ctx, memberID.String); err != nil {
			return Errorf(EInvalid, "The member of the refresh token can no longer sign in.")
		}
		if err := tx.revokeTokenByID(ctx, id); err != nil {
			return err
		}
		tok, err = tx.issueToken(ctx, app.ID, memberID.String, strings.Fields(scopes))
		return err
	})
	return tok, err
}

// RevokeOAuthToken revokes the app's token, given as its access or its
// refresh token. A token unknown, or of another app, is left alone
// without an error (RFC 7009 2.2); a wrong client is EUnauthorized.
func (db *DB) RevokeOAuthToken(ctx context.Context, clientID, clientSecret, token string) error {
	return db.write(ctx, func(tx *Tx) error {
		app, err := tx.authenticApp(ctx, clientID, clientSecret, false)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE oauth_tokens SET revoked_at = ?
			WHERE (access_hash = ?2 OR refresh_hash = ?2) AND app_id = ? AND revoked_at IS NULL`,
			millis(tx.now), hashToken(token), app.ID)
		if err != nil {
			return fmt.Errorf("revoke oauth token: %w", err)
		}
		return nil
	})
}

// revokeTokenByID revokes one token.
func (tx *Tx) revokeTokenByID(ctx context.Context, id string) error {
	_, err := tx.ExecContext(ctx, `UPDATE oauth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, millis(tx.now), id)
	if err != nil {
		return fmt.Errorf("revoke oauth token %s: %w", id, err)
	}
	return nil
}
