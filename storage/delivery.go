package storage

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Delivery is one activity to be sent to one inbox.
type Delivery struct {
	ID        string
	OutboxID  string
	Inbox     string
	Host      string
	ActorID   string // the local actor who signs it
	Activity  []byte
	Attempts  int
	CreatedAt time.Time
	// HostFailing tells that the server's last delivery, when claimed,
	// had got no answer or a 5xx: the sender gives such servers fewer of
	// its workers, so that dead ones do not hold up the rest.
	HostFailing bool
}

// ExpandOutbox turns an outbox event into deliveries: it stores the
// activity built for it and one delivery per distinct inbox, skipping
// servers marked unavailable or suspended, and marks the event done, all at once. A
// nil activity marks the event done with nothing to send.
//
// orderingKey names the object the activity is about (a post, a followed
// actor); "" when order does not matter. A delivery is not claimed while
// a delivery of an earlier event with the same key to the same server is
// pending, so that, say, a Delete never overtakes its Create.
func (db *DB) ExpandOutbox(ctx context.Context, eventID string, activity []byte, orderingKey string, inboxes []string) (int, error) {
	created := 0
	err := db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET activity = ?, processed_at = ? WHERE id = ? AND processed_at IS NULL`,
			activity, millis(tx.now), eventID)
		if err != nil {
			return fmt.Errorf("expand outbox %s: %w", eventID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 || activity == nil {
			return nil // expanded before, or nothing to send
		}
		for _, inbox := range inboxes {
			host := inboxHost(inbox)
			if host == "" || tx.db.suspended(ctx, host) {
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (id, outbox_id, inbox, host, ordering_key, next_attempt_at, created_at)
				SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM hosts WHERE host = ? AND unavailable = 1)
				ON CONFLICT (outbox_id, inbox) DO NOTHING`,
				tx.newID(), eventID, inbox, host, orderingKey, millis(tx.now), millis(tx.now), host)
			if err != nil {
				return fmt.Errorf("insert delivery to %s: %w", inbox, err)
			}
			n, _ := res.RowsAffected()
			created += int(n)
		}
		return nil
	})
	return created, err
}

// inboxHost is the lowercased host[:port] of an inbox URL, or "".
func inboxHost(inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return strings.ToLower(u.Host)
}

// ReleaseClaims makes every delivery and inbound activity that a worker
// had taken and not finished due at once. It is for start-up: one
// process serves an SQLite database, so whatever is claimed then was held
// by a process that stopped (or was killed) before it finished.
func (db *DB) ReleaseClaims(ctx context.Context) (deliveries, inbound int, err error) {
	err = db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ?, claimed_at = NULL
			WHERE claimed_at IS NOT NULL AND delivered_at IS NULL AND dropped_at IS NULL`, millis(tx.now))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		deliveries = int(n)
		res, err = tx.ExecContext(ctx, `UPDATE inbox SET next_attempt_at = ?, claimed_at = NULL
			WHERE claimed_at IS NOT NULL AND processed_at IS NULL`, millis(tx.now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		inbound = int(n)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("release claims: %w", err)
	}
	return deliveries, inbound, nil
}

// DeliverySucceeded records an acknowledged delivery; its server
// answers, so it is available again.
func (db *DB) DeliverySucceeded(ctx context.Context, d *Delivery) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET delivered_at = ?, claimed_at = NULL, last_error = '' WHERE id = ?`,
			millis(tx.now), d.ID); err != nil {
			return fmt.Errorf("delivery %s succeeded: %w", d.ID, err)
		}
		return tx.hostAnswered(ctx, d.Host)
	})
}

// DeliveryFailure is what one failed attempt at a delivery found.
type DeliveryFailure struct {
	Reason  string     // what went wrong, kept on the delivery
	RetryAt time.Time  // when to try again; zero drops the delivery for good
	Host    HostHealth // what the attempt tells of the receiving server
}

// DeliveryFailed records a failed attempt: the delivery is tried again at
// f.RetryAt, or dropped (410 Gone, a permanent refusal, or too old). A
// server that failed (f.Host is HostDown) for HostUnavailableAfter is
// marked unavailable: its deliveries are dropped and no new ones are made
// until it answers again. One that answered, if only to refuse this
// delivery, is up. A delivery no longer pending is left as it is.
func (db *DB) DeliveryFailed(ctx context.Context, d *Delivery, f DeliveryFailure) error {
	return db.write(ctx, func(tx *Tx) error {
		var err error
		if f.RetryAt.IsZero() {
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET dropped_at = ?, claimed_at = NULL, last_error = ?
				WHERE id = ? AND `+pendingDelivery, millis(tx.now), f.Reason, d.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ?, claimed_at = NULL, last_error = ?
				WHERE id = ? AND `+pendingDelivery, millis(f.RetryAt), f.Reason, d.ID)
		}
		if err != nil {
			return fmt.Errorf("delivery %s failed: %w", d.ID, err)
		}
		switch f.Host {
		case HostDown:
			return tx.hostFailed(ctx, d.Host)
		case HostUp:
			return tx.hostAnswered(ctx, d.Host)
		}
		return nil
	})
}

// DeliveryCounts tells how many deliveries are pending, delivered and
// dropped, for an overview and for tests.
func (db *DB) DeliveryCounts(ctx context.Context) (pending, delivered, dropped int, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT
			coalesce(sum(delivered_at IS NULL AND dropped_at IS NULL), 0),
			coalesce(sum(delivered_at IS NOT NULL), 0),
			coalesce(sum(dropped_at IS NOT NULL), 0) FROM deliveries`).Scan(&pending, &delivered, &dropped)
	})
	return pending, delivered, dropped, err
}
