package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PasswordResetLifetime is how long a password reset link works.
const PasswordResetLifetime = time.Hour

// maxResetMailsPerHour is how many reset mails one member gets in an
// hour, however many networks and spellings of their address ask: more
// are not sent, silently, since the answer must not tell that the
// account exists.
const maxResetMailsPerHour = 5

// maxResetTokenLength bounds what is taken for a token: ours are 43
// characters, and anything much longer is not one.
const maxResetTokenLength = 100

// newResetToken returns a random token of 32 bytes, for a link.
func newResetToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("reset token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// RequestPasswordReset mails a reset link to the member whose email
// address or username login is. Whether or not there is such a member
// it answers the same, so that nobody learns who has an account here.
// Without mail set up it refuses, saying whom to ask.
func (db *DB) RequestPasswordReset(ctx context.Context, login string) error {
	if !db.SendsMail {
		return Errorf(EForbidden, "This server does not send email, so it cannot send you a link. Please ask an admin of this instance to reset your password.")
	}
	login = strings.TrimSpace(login)
	if login == "" {
		return Errorf(EInvalid, "Enter your email address or username.")
	}
	if len(login) > maxEmailLength {
		return Errorf(EInvalid, "This is longer than any email address or username.")
	}
	token, err := newResetToken()
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		m, err := tx.memberByLogin(ctx, login)
		if ErrorCode(err) == ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		var recent int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE member_id = ? AND created_at > ?`,
			m.ID, millis(tx.now.Add(-time.Hour))).Scan(&recent); err != nil {
			return fmt.Errorf("count recent password resets: %w", err)
		}
		if recent >= maxResetMailsPerHour {
			return nil
		}
		expires, err := tx.startPasswordReset(ctx, m.ID, token)
		if err != nil {
			return err
		}
		return tx.queueMail(ctx, MailPasswordReset, m.ID, MailPayload{Token: token}, expires)
	})
}

// memberByLogin finds a member by email address (any case) or username.
func (tx *Tx) memberByLogin(ctx context.Context, login string) (*Member, error) {
	if strings.Contains(strings.TrimPrefix(login, "@"), "@") {
		return tx.memberWhere(ctx, "email = ?", login)
	}
	return tx.memberWhere(ctx, "username = ?", strings.ToLower(strings.TrimPrefix(login, "@")))
}

// CreatePasswordReset makes a reset link's token for the member with the
// username, as an admin does for a member who cannot get mail. It voids
// the member's older links, like a request by mail.
func (db *DB) CreatePasswordReset(ctx context.Context, username string) (token string, expires time.Time, err error) {
	if token, err = newResetToken(); err != nil {
		return "", time.Time{}, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "username = ?", username)
		if ErrorCode(err) == ENotFound {
			return Errorf(ENotFound, "No member @%s here.", username)
		}
		if err != nil {
			return err
		}
		expires, err = tx.startPasswordReset(ctx, m.ID, token)
		return err
	})
	return token, expires, err
}

// startPasswordReset stores the token's hash for the member, voids the
// member's older tokens and drops their reset mail not sent yet, and
// forgets tokens that expired a day ago. It returns when the token
// expires.
func (tx *Tx) startPasswordReset(ctx context.Context, memberID, token string) (time.Time, error) {
	expires := tx.now.Add(PasswordResetLifetime)
	for _, step := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM password_resets WHERE expires_at <= ?`, []any{millis(tx.now.Add(-24 * time.Hour))}},
		{`UPDATE password_resets SET voided_at = ? WHERE member_id = ? AND used_at IS NULL AND voided_at IS NULL`,
			[]any{millis(tx.now), memberID}},
		{`DELETE FROM mail_outbox WHERE member_id = ? AND kind = ?`, []any{memberID, MailPasswordReset}},
		{`INSERT INTO password_resets (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			[]any{hashToken(token), memberID, millis(tx.now), millis(expires)}},
	} {
		if _, err := tx.ExecContext(ctx, step.query, step.args...); err != nil {
			return time.Time{}, fmt.Errorf("start password reset: %w", err)
		}
	}
	return expires, nil
}

// passwordReset returns the member whose reset link has the token, if
// the link still works, or says why it does not.
func (tx *Tx) passwordReset(ctx context.Context, token string) (*Member, error) {
	if token == "" || len(token) > maxResetTokenLength {
		return nil, errUnknownResetLink
	}
	var memberID string
	var expires int64
	var used, voided sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT member_id, expires_at, used_at, voided_at FROM password_resets WHERE token_hash = ?`,
		hashToken(token)).Scan(&memberID, &expires, &used, &voided)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, errUnknownResetLink
	case err != nil:
		return nil, fmt.Errorf("find password reset: %w", err)
	case used.Valid:
		return nil, Errorf(EConflict, "This password reset link was used already: each link works once. If you need to, ask for a new one.")
	case voided.Valid:
		return nil, Errorf(EConflict, "A newer link was asked for since this one, which no longer works. Please use the newest link you got.")
	case expires <= millis(tx.now):
		return nil, Errorf(EForbidden, "This password reset link has expired: links work for an hour. Please ask for a new one.")
	}
	return tx.memberWhere(ctx, "id = ?", memberID)
}

var errUnknownResetLink = Errorf(ENotFound, "This password reset link is not one of ours. Check that the whole link was copied, or ask for a new one.")

// PasswordResetMember returns the member a reset link is for, or an
// error saying why the link does not work.
func (db *DB) PasswordResetMember(ctx context.Context, token string) (*Member, error) {
	var m *Member
	err := db.read(ctx, func(tx *Tx) (err error) {
		m, err = tx.passwordReset(ctx, token)
		return err
	})
	return m, err
}

// ResetPassword sets a new password with a reset link, which then no
// longer works. Every session of the member ends, and their failed
// sign-ins are forgotten, so that guesses made before do not lock them
// out.
func (db *DB) ResetPassword(ctx context.Context, token, password string) (*Member, error) {
	if _, err := db.PasswordResetMember(ctx, token); err != nil {
		return nil, err
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	hash, err := db.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var m *Member
	err = db.write(ctx, func(tx *Tx) error {
		if m, err = tx.passwordReset(ctx, token); err != nil {
			return err
		}
		for _, step := range []struct {
			query string
			args  []any
		}{
			{`UPDATE members SET password_hash = ?, updated_at = ? WHERE id = ?`, []any{hash, millis(tx.now), m.ID}},
			{`UPDATE password_resets SET used_at = ? WHERE token_hash = ?`, []any{millis(tx.now), hashToken(token)}},
			{`DELETE FROM sessions WHERE member_id = ?`, []any{m.ID}},
			{`DELETE FROM sign_in_attempts WHERE username = ? AND succeeded = 0`, []any{m.Username}},
		} {
			if _, err := tx.ExecContext(ctx, step.query, step.args...); err != nil {
				return fmt.Errorf("reset password of %s: %w", m.Username, err)
			}
		}
		return nil
	})
	return m, err
}
