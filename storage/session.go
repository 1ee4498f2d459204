package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 30 * 24 * time.Hour

// hashToken is what is stored of a session token, so that a copy of the
// database does not sign anybody in.
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateSession signs the member in and returns the session token for
// the cookie.
func (db *DB) CreateSession(ctx context.Context, memberID string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE member_id = ? AND expires_at <= ?`,
			memberID, millis(tx.now)); err != nil {
			return fmt.Errorf("remove expired sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashToken(token), memberID, millis(tx.now), millis(tx.now.Add(SessionLifetime)))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return nil
	})
	return token, err
}

// MemberBySession returns the active member signed in with the token, or
// an EUnauthorized error when the token is unknown or expired.
func (db *DB) MemberBySession(ctx context.Context, token string) (*Member, error) {
	var m *Member
	err := db.read(ctx, func(tx *Tx) error {
		row := tx.QueryRowContext(ctx, `
			SELECT `+memberColumns+` FROM members
			WHERE status = ? AND id = (SELECT member_id FROM sessions WHERE token_hash = ? AND expires_at > ?)
			AND id NOT IN (SELECT member_id FROM member_suspensions)`,
			MemberActive, hashToken(token), millis(tx.now))
		var err error
		m, err = scanMember(row)
		return err
	})
	if err != nil {
		return nil, Errorf(EUnauthorized, "Please sign in again.")
	}
	return m, nil
}

// DeleteSession signs the session with the token out.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token)); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}
