package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Host availability.
const (
	// HostUnavailableAfter is how long a server may fail every delivery
	// before it is marked unavailable and skipped until it answers again.
	HostUnavailableAfter = 7 * 24 * time.Hour
	// HostProbeInterval is how often a server marked unavailable is asked
	// whether it is back.
	HostProbeInterval = 24 * time.Hour
)

// HostHealth is what a failed delivery tells of the receiving server.
type HostHealth int

const (
	// HostUnknown: the attempt failed on our side (signing, an address
	// we refuse) and tells nothing of the server.
	HostUnknown HostHealth = iota
	// HostUp: the server answered, refusing only this delivery (a 4xx for
	// one inbox, say): it is not failing.
	HostUp
	// HostDown: the server failed (5xx) or could not be reached (no
	// connection, a timeout).
	HostDown
)

// hostAnswered clears a server's failures.
func (tx *Tx) hostAnswered(ctx context.Context, host string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO hosts (host, failing_since, unavailable, last_success) VALUES (?, NULL, 0, ?)
		ON CONFLICT (host) DO UPDATE SET failing_since = NULL, unavailable = 0, last_success = excluded.last_success`,
		host, millis(tx.now))
	if err != nil {
		return fmt.Errorf("host %s answered: %w", host, err)
	}
	return nil
}

// hostFailed notes a failure and marks the server unavailable once it
// has failed for long enough; its first probe is a day later.
func (tx *Tx) hostFailed(ctx context.Context, host string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO hosts (host, failing_since) VALUES (?, ?)
		ON CONFLICT (host) DO UPDATE SET failing_since = coalesce(hosts.failing_since, excluded.failing_since)`,
		host, millis(tx.now))
	if err != nil {
		return fmt.Errorf("host %s failed: %w", host, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE hosts SET unavailable = 1, probed_at = ? WHERE host = ? AND unavailable = 0 AND failing_since <= ?`,
		millis(tx.now), host, millis(tx.now.Add(-HostUnavailableAfter)))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		// Forgotten even if the commit fails: forgetting is always safe.
		tx.afterCommit = append(tx.afterCommit, func() { tx.db.hostsUp.forget(host) })
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET dropped_at = ?, last_error = 'host unavailable'
			WHERE host = ? AND `+pendingDelivery, millis(tx.now), host)
	}
	return err
}

// HostAnswered records that a server showed signs of life (it sent us an
// activity), so deliveries to it resume. It is on the inbox's hot path,
// so it only reads unless the server was marked unavailable.
func (db *DB) HostAnswered(ctx context.Context, host string) error {
	host = strings.ToLower(host)
	now := db.Now()
	if db.hostsUp.recent(host, now) {
		return nil
	}
	down, err := db.HostUnavailable(ctx, host)
	if err != nil {
		return err
	}
	if down {
		err = db.write(ctx, func(tx *Tx) error {
			tx.keepsDocuments()
			return tx.hostAnswered(ctx, host)
		})
	}
	if err == nil {
		db.hostsUp.saw(host, now)
	}
	return err
}

// HostUnavailable reports whether deliveries to the server are skipped.
func (db *DB) HostUnavailable(ctx context.Context, host string) (bool, error) {
	var unavailable bool
	err := db.queryRowFixed(ctx, `SELECT unavailable FROM hosts WHERE host = ?`, strings.ToLower(host)).Scan(&unavailable)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // a server never marked
	}
	if err != nil {
		return false, fmt.Errorf("host %s: %w", host, err)
	}
	return unavailable, nil
}

// HostsToProbe lists up to limit servers marked unavailable that were not
// asked whether they are back in the last HostProbeInterval.
func (db *DB) HostsToProbe(ctx context.Context, limit int) ([]string, error) {
	var hosts []string
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT host FROM hosts WHERE unavailable = 1 AND coalesce(probed_at, 0) <= ?
			ORDER BY coalesce(probed_at, 0), host LIMIT ?`, millis(tx.now.Add(-HostProbeInterval)), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var host string
			if err := rows.Scan(&host); err != nil {
				return err
			}
			hosts = append(hosts, host)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("hosts to probe: %w", err)
	}
	return hosts, nil
}

// HostProbed records the outcome of asking an unavailable server whether
// it is back: an answer makes it available again; else it is asked again
// after HostProbeInterval.
func (db *DB) HostProbed(ctx context.Context, host string, answered bool) error {
	return db.write(ctx, func(tx *Tx) error {
		if answered {
			return tx.hostAnswered(ctx, host)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hosts SET probed_at = ? WHERE host = ?`, millis(tx.now), host); err != nil {
			return fmt.Errorf("host %s probed: %w", host, err)
		}
		return nil
	})
}
