package storage

import (
	"context"
	"fmt"
	"time"
)

// signInLimit is one limit on failed sign-ins: at most max failures
// within the window among the attempts that where selects.
type signInLimit struct {
	max     int
	where   string
	args    []any
	message string // with %s for how long to wait
}

// signInAllowed refuses with ERateLimited, and how long to wait, when a
// limit on failed sign-ins from network or for username is reached.
func (tx *Tx) signInAllowed(ctx context.Context, username, network string) error {
	limits := []signInLimit{
		{maxFailuresPerAddress, "network = ?", []any{network},
			"Too many failed sign-ins from your network. Try again in %s."},
		{maxFailuresPerAccountNetwork, "username = ? AND network = ?", []any{username, network},
			"Too many failed sign-ins for this account from your network. Try again in %s."},
	}
	known, err := tx.knownNetwork(ctx, username, network)
	if err != nil {
		return err
	}
	if !known {
		limits = append(limits, signInLimit{maxFailuresPerAccount, "username = ?", []any{username},
			"Too many failed sign-ins for this account. Try again in %s, or from where you signed in before."})
	}
	for _, l := range limits {
		if err := tx.checkSignInLimit(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

// knownNetwork reports whether the member signed in from network lately.
func (tx *Tx) knownNetwork(ctx context.Context, username, network string) (bool, error) {
	var known bool
	err := tx.QueryRowContext(ctx, `
		SELECT EXISTS (SELECT 1 FROM sign_in_attempts
		               WHERE username = ? AND network = ? AND succeeded = 1 AND at > ?)`,
		username, network, millis(tx.now.Add(-knownNetworkFor))).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("known sign-in network: %w", err)
	}
	return known, nil
}

// checkSignInLimit refuses when l's failures within the window reach its
// maximum, saying when enough of them will have aged out of it.
func (tx *Tx) checkSignInLimit(ctx context.Context, l signInLimit) error {
	where := "succeeded = 0 AND at > ? AND " + l.where
	args := append([]any{millis(tx.now.Add(-signInWindow))}, l.args...)
	var failures int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sign_in_attempts WHERE `+where, args...).Scan(&failures); err != nil {
		return fmt.Errorf("count sign-in failures: %w", err)
	}
	if failures < l.max {
		return nil
	}
	// Once the failure this many from the oldest is out of the window,
	// one more attempt is allowed.
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT at FROM sign_in_attempts WHERE `+where+` ORDER BY at LIMIT 1 OFFSET ?`,
		append(args, failures-l.max)...).Scan(&at)
	if err != nil {
		return fmt.Errorf("oldest sign-in failure: %w", err)
	}
	wait := fromMillis(at).Add(signInWindow).Sub(tx.now)
	return retryLater(Errorf(ERateLimited, l.message, minutes(wait)), wait)
}

// minutes says a wait in whole minutes, rounded up.
func minutes(d time.Duration) string {
	n := int((d + time.Minute - 1) / time.Minute)
	if n <= 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", n)
}
