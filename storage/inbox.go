package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Inbound is an activity another server delivered, as stored before it
// was acknowledged.
type Inbound struct {
	ID          string
	ActivityURI string
	ActorURI    string
	Type        string
	OrderKey    string // what the activity is about; see StoreInbound
	Body        []byte
	ReceivedAt  time.Time
	Attempts    int
	LastError   string    // why the last attempt failed, or why it had no effect
	ParkedAt    time.Time // when it was given up on; zero unless parked
	// ForwardedBy is the actor whose key signed the delivery, when it is
	// not the activity's actor (see StoreForwardedInbound); "" otherwise.
	ForwardedBy string

	completed bool // see Completed
}

const inboundColumns = `id, activity_uri, actor_uri, type, order_key, body, received_at, attempts, last_error, parked_at, forwarded_by`

func scanInbound(row interface{ Scan(...any) error }) (*Inbound, error) {
	var in Inbound
	var received int64
	var parked sql.NullInt64
	if err := row.Scan(&in.ID, &in.ActivityURI, &in.ActorURI, &in.Type, &in.OrderKey, &in.Body, &received,
		&in.Attempts, &in.LastError, &parked, &in.ForwardedBy); err != nil {
		return nil, err
	}
	in.ReceivedAt = fromMillis(received)
	if parked.Valid {
		in.ParkedAt = fromMillis(parked.Int64)
	}
	return &in, nil
}

// StoreInbound durably records a verified inbound activity, to be
// processed after the sender has its answer. It reports false for an
// activity id received before, which changes nothing. orderKey names
// what the activity is about (its actor and the object it concerns):
// activities with the same key are handled one after another, in the
// order received; "" orders it after nothing. Activities stored at the
// same time share one commit (see writeGroup).
func (db *DB) StoreInbound(ctx context.Context, activityURI, actorURI, typ, orderKey string, body []byte) (bool, error) {
	stored, _, err := db.ReceiveInbound(ctx, NewInbound{ActivityURI: activityURI, ActorURI: actorURI, Type: typ,
		OrderKey: orderKey, Body: body})
	return stored, err
}

// StoreForwardedInbound records, as StoreInbound, an activity whose
// delivery was signed by forwardedBy rather than by its actor: a server
// passing on a reply to one of its posts. Whoever processes it must not
// trust what it embeds (Inbound.ForwardedBy says so).
func (db *DB) StoreForwardedInbound(ctx context.Context, activityURI, actorURI, forwardedBy, typ, orderKey string, body []byte) (bool, error) {
	if forwardedBy == "" || forwardedBy == actorURI {
		return false, Errorf(EInvalid, "A forwarded activity needs a forwarder other than its actor.")
	}
	stored, _, err := db.ReceiveInbound(ctx, NewInbound{ActivityURI: activityURI, ActorURI: actorURI,
		ForwardedBy: forwardedBy, Type: typ, OrderKey: orderKey, Body: body})
	return stored, err
}

// NewInbound is an inbound activity as received; see StoreInbound and
// StoreForwardedInbound for its fields.
type NewInbound struct {
	ActivityURI, ActorURI, ForwardedBy, Type, OrderKey string
	Body                                               []byte
	// Hold, when positive, claims the activity as it is stored, for that
	// lease, so that the receiver can hand it to a worker in memory: it
	// then costs no claim of its own (see ClaimInbound). It is not held
	// while one received before it with the same order key is unfinished.
	Hold time.Duration
}

// ReceiveInbound stores an inbound activity as StoreInbound does. It
// reports whether it stored it and, when it held it (see NewInbound.Hold),
// the activity claimed for one attempt, as ClaimInbound would return it.
func (db *DB) ReceiveInbound(ctx context.Context, n NewInbound) (stored bool, held *Inbound, err error) {
	if n.ForwardedBy == n.ActorURI {
		n.ForwardedBy = ""
	}
	err = db.write(ctx, func(tx *Tx) error {
		tx.keepsDocuments()
		in := &Inbound{ID: tx.newID(), ActivityURI: n.ActivityURI, ActorURI: n.ActorURI, Type: n.Type,
			OrderKey: n.OrderKey, Body: n.Body, ReceivedAt: tx.now.Truncate(time.Millisecond), ForwardedBy: n.ForwardedBy}
		hold := n.Hold > 0
		if hold && n.OrderKey != "" {
			var waiting bool
			if err := tx.queryRowFixed(ctx, `SELECT EXISTS (SELECT 1 FROM inbox WHERE order_key = ?
				AND processed_at IS NULL AND parked_at IS NULL)`, n.OrderKey).Scan(&waiting); err != nil {
				return fmt.Errorf("store inbound %s: %w", n.ActivityURI, err)
			}
			hold = !waiting
		}
		due, claimed := millis(tx.now), sql.NullInt64{}
		if hold {
			in.Attempts = 1
			due, claimed = millis(tx.now.Add(n.Hold)), sql.NullInt64{Int64: millis(tx.now), Valid: true}
		}
		res, err := tx.execFixed(ctx, `INSERT INTO inbox (id, activity_uri, actor_uri, type, order_key, body, received_at,
			next_attempt_at, forwarded_by, attempts, claimed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (activity_uri) DO NOTHING`,
			in.ID, n.ActivityURI, n.ActorURI, n.Type, n.OrderKey, n.Body, millis(tx.now), due, n.ForwardedBy,
			in.Attempts, claimed)
		if err != nil {
			return fmt.Errorf("store inbound %s: %w", n.ActivityURI, err)
		}
		rows, _ := res.RowsAffected()
		stored = rows > 0
		if stored && hold {
			held = in
		}
		return nil
	})
	if err != nil {
		return false, nil, err
	}
	return stored, held, nil
}

// dueInbound is the condition of an inbound activity due for handling,
// with the time now as its argument.
const dueInbound = `processed_at IS NULL AND parked_at IS NULL AND next_attempt_at <= ?`

// ClaimInbound takes up to limit activities due for processing and holds
// them for lease, so that no other worker takes them meanwhile; one not
// finished within the lease (say, after a crash) is taken again. An
// activity is not due while one received before it with the same order
// key is unfinished (claimed, or waiting for a retry); parked ones do not
// hold others up.
func (db *DB) ClaimInbound(ctx context.Context, limit int, lease time.Duration) ([]*Inbound, error) {
	// Idle workers ask often; a read answers that nothing is due without
	// a write transaction (and its sync) each time.
	var due int
	err := db.queryRowFixed(ctx, `SELECT count(*) FROM (SELECT 1 FROM inbox
		WHERE `+dueInbound+` LIMIT 1)`, millis(db.Now())).Scan(&due)
	if err != nil {
		return nil, fmt.Errorf("claim inbound: %w", err)
	}
	if due == 0 {
		return nil, nil
	}
	var list []*Inbound
	err = db.write(ctx, func(tx *Tx) error {
		tx.keepsDocuments()
		rows, err := tx.queryFixed(ctx, `SELECT `+inboundColumns+` FROM inbox i
			WHERE `+dueInbound+`
			AND NOT (order_key != '' AND EXISTS (SELECT 1 FROM inbox e WHERE e.order_key = i.order_key AND e.id < i.id
				AND e.processed_at IS NULL AND e.parked_at IS NULL))
			ORDER BY next_attempt_at, id LIMIT ?`,
			millis(tx.now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			in, err := scanInbound(rows)
			if err != nil {
				rows.Close()
				return err
			}
			list = append(list, in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, in := range list {
			in.Attempts++
			if _, err := tx.execFixed(ctx, `UPDATE inbox SET attempts = ?, next_attempt_at = ?, claimed_at = ? WHERE id = ?`,
				in.Attempts, millis(tx.now.Add(lease)), millis(tx.now), in.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim inbound: %w", err)
	}
	return list, nil
}

// FinishInbound marks an inbound activity processed. A non-empty note
// records why it had no effect or was given up. An activity its handler
// already completed (see CompletingInbound) keeps that time and gets the
// note.
func (db *DB) FinishInbound(ctx context.Context, id, note string) error {
	return db.writeRedoable(ctx, func(tx *Tx) error {
		tx.keepsDocuments()
		_, err := tx.execFixed(ctx, `UPDATE inbox SET processed_at = coalesce(processed_at, ?), claimed_at = NULL, last_error = ?
			WHERE id = ?`, millis(tx.now), note, id)
		if err != nil {
			return fmt.Errorf("finish inbound %s: %w", id, err)
		}
		return nil
	})
}

// RetryInbound leaves an inbound activity to be tried again at retryAt;
// one processed meanwhile stays processed.
func (db *DB) RetryInbound(ctx context.Context, id, reason string, retryAt time.Time) error {
	return db.writeRedoable(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE inbox SET next_attempt_at = ?, claimed_at = NULL, last_error = ?
			WHERE id = ? AND processed_at IS NULL`, millis(retryAt), reason, id)
		if err != nil {
			return fmt.Errorf("retry inbound %s: %w", id, err)
		}
		return nil
	})
}

// PendingInbound counts inbound activities not yet processed, parked
// ones aside.
func (db *DB) PendingInbound(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE processed_at IS NULL AND parked_at IS NULL`).Scan(&n)
	})
	return n, err
}

// InboundBody returns a stored inbound activity as it was received.
func (db *DB) InboundBody(ctx context.Context, id string) ([]byte, error) {
	var body []byte
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT body FROM inbox WHERE id = ?`, id).Scan(&body)
	})
	if err != nil {
		return nil, fmt.Errorf("inbound %s: %w", id, err)
	}
	return body, nil
}
