package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sign-in limits on failed attempts within signInWindow. They are kept
// per network and per account on a network, so that whoever guesses at
// an account from one place cannot lock its member out everywhere; the
// account's own ceiling, much higher, brakes guessing spread over many
// addresses, and spares the networks the member signed in from lately.
// docs/decisions.md says why each number is what it is.
const (
	signInWindow                 = 15 * time.Minute
	maxFailuresPerAccountNetwork = 5
	maxFailuresPerAddress        = 20
	maxFailuresPerAccount        = 100
	// knownNetworkFor is how long a good sign-in keeps its network
	// exempt from the account's ceiling: as long as a session lasts.
	knownNetworkFor = SessionLifetime
)

// Authenticate checks a username and password given from the network
// address ip and returns the member. The attempt is counted before the
// password is hashed, in the transaction that checks the limits, so that
// guesses sent at once cannot all slip under them; past a limit it
// refuses with ERateLimited (and a RetryAfter) without hashing at all.
func (db *DB) Authenticate(ctx context.Context, username, password, ip string) (*Member, error) {
	m, err := db.checkPassword(ctx, username, password, ip)
	if err != nil {
		return nil, err
	}
	if m.Status == MemberPending {
		return nil, db.waitingRefusal(ctx, m)
	}
	if err := db.mustNotBeSuspended(ctx, m.ID); err != nil {
		return nil, err
	}
	return m, nil
}

// checkPassword checks a username and password given from the network
// address ip, within the sign-in limits, and returns the member, of any
// status: the caller decides who may go on.
func (db *DB) checkPassword(ctx context.Context, username, password, ip string) (*Member, error) {
	network := NetworkOf(ip)
	attempt, m, stored, err := db.startSignIn(ctx, username, network)
	if err != nil {
		return nil, err
	}
	ok, err := db.passwordMatches(ctx, stored, password)
	if err != nil {
		// The password was never checked, so the attempt does not count;
		// ctx may be over, the wait having lasted as long as it allowed.
		return nil, errors.Join(err, db.forgetSignIn(context.WithoutCancel(ctx), attempt))
	}
	if m == nil || !ok {
		return nil, Errorf(EUnauthorized, "The username or password is not right.")
	}
	if err := db.finishSignIn(ctx, username, network); err != nil {
		return nil, err
	}
	return m, nil
}

// startSignIn checks the limits and records the attempt as a failure
// until proved otherwise, in one transaction. It returns the attempt,
// the member (nil if nobody has the name) and the hash to check against.
func (db *DB) startSignIn(ctx context.Context, username, network string) (attempt int64, m *Member, stored string, err error) {
	err = db.write(ctx, func(tx *Tx) error {
		if err := tx.forgetSignIns(ctx); err != nil {
			return err
		}
		if err := tx.signInAllowed(ctx, username, network); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO sign_in_attempts (username, network, at) VALUES (?, ?, ?)`,
			username, network, millis(tx.now))
		if err != nil {
			return fmt.Errorf("record sign-in attempt: %w", err)
		}
		if attempt, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("record sign-in attempt: %w", err)
		}
		m, err = tx.memberWhere(ctx, "username = ?", username)
		if ErrorCode(err) == ENotFound {
			m = nil
			return nil
		}
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT password_hash FROM members WHERE id = ?`, m.ID).Scan(&stored)
	})
	if err == nil && m == nil {
		// A name nobody has takes as long to refuse as a wrong password.
		stored = dummyPasswordHash()
	}
	return attempt, m, stored, err
}

// finishSignIn marks the member's network good: its failures for the
// account are cleared, and it stays exempt from the account's ceiling.
func (db *DB) finishSignIn(ctx context.Context, username, network string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE username = ? AND network = ?`,
			username, network); err != nil {
			return fmt.Errorf("clear sign-in failures: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_attempts (username, network, at, succeeded) VALUES (?, ?, ?, 1)`,
			username, network, millis(tx.now)); err != nil {
			return fmt.Errorf("record good sign-in: %w", err)
		}
		return nil
	})
}

// forgetSignIn removes an attempt whose password was never checked.
func (db *DB) forgetSignIn(ctx context.Context, attempt int64) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE id = ?`, attempt); err != nil {
			return fmt.Errorf("forget sign-in attempt: %w", err)
		}
		return nil
	})
}

// forgetSignIns drops failures older than the window and good sign-ins
// older than they are remembered for.
func (tx *Tx) forgetSignIns(ctx context.Context) error {
	for _, q := range []struct {
		succeeded int
		before    time.Time
	}{{0, tx.now.Add(-signInWindow)}, {1, tx.now.Add(-knownNetworkFor)}} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE succeeded = ? AND at <= ?`,
			q.succeeded, millis(q.before)); err != nil {
			return fmt.Errorf("forget old sign-in attempts: %w", err)
		}
	}
	return nil
}
