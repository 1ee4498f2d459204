package storage

import (
	"context"
	"fmt"
	"time"
)

// Sign-in limits: failed attempts allowed within the window, per account
// and per network address.
const (
	signInWindow          = 15 * time.Minute
	maxFailuresPerAccount = 5
	maxFailuresPerAddress = 20
)

// Authenticate checks a username and password given from the network
// address ip and returns the member. Failed attempts are counted per
// account and per address; past the limits it refuses with ERateLimited
// without checking the password.
func (db *DB) Authenticate(ctx context.Context, username, password, ip string) (*Member, error) {
	var m *Member
	var stored string
	err := db.read(ctx, func(tx *Tx) error {
		since := millis(tx.now.Add(-signInWindow))
		var byAccount, byAddress int
		err := tx.QueryRowContext(ctx, `
			SELECT (SELECT count(*) FROM sign_in_failures WHERE username = ? AND at > ?),
			       (SELECT count(*) FROM sign_in_failures WHERE ip = ? AND at > ?)`,
			username, since, ip, since).Scan(&byAccount, &byAddress)
		if err != nil {
			return fmt.Errorf("count sign-in failures: %w", err)
		}
		if byAccount >= maxFailuresPerAccount {
			return Errorf(ERateLimited, "Too many failed sign-ins for this account. Try again in %d minutes.", int(signInWindow.Minutes()))
		}
		if byAddress >= maxFailuresPerAddress {
			return Errorf(ERateLimited, "Too many failed sign-ins from your network. Try again in %d minutes.", int(signInWindow.Minutes()))
		}
		m, err = tx.memberWhere(ctx, "username = ?", username)
		if ErrorCode(err) == ENotFound {
			m, stored = nil, dummyPasswordHash()
			return nil
		}
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT password_hash FROM members WHERE id = ?`, m.ID).Scan(&stored)
	})
	if err != nil {
		return nil, err
	}
	if m == nil || !passwordMatches(stored, password) {
		if err := db.recordSignInFailure(ctx, username, ip); err != nil {
			return nil, err
		}
		return nil, Errorf(EUnauthorized, "The username or password is not right.")
	}
	if m.Status == MemberPending {
		return nil, Errorf(EForbidden, "Your account is waiting for an admin's approval. You can sign in once it is approved.")
	}
	err = db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE username = ?`, username)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("clear sign-in failures: %w", err)
	}
	return m, nil
}

// recordSignInFailure counts a failed attempt and forgets old ones.
func (db *DB) recordSignInFailure(ctx context.Context, username, ip string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE at <= ?`,
			millis(tx.now.Add(-signInWindow))); err != nil {
			return fmt.Errorf("forget old sign-in failures: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_failures (username, ip, at) VALUES (?, ?, ?)`,
			username, ip, millis(tx.now))
		if err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		return nil
	})
}
