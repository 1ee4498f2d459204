package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Outbox event kinds: what other servers must hear about.
const (
	EventFollow       = "follow"        // Subject: follow id; to the followee
	EventUndoFollow   = "undo_follow"   // Payload: the Follow's id and the followee
	EventAcceptFollow = "accept_follow" // Payload: the Follow's id and the follower
	EventRejectFollow = "reject_follow" // Payload: the Follow's id and the follower
	EventCreatePost   = "create_post"   // Subject: post id; to followers
	EventDeletePost   = "delete_post"   // Payload: the post's id; to followers
	EventUpdateActor  = "update_actor"  // Subject: actor id; to followers
	EventUpdatePost   = "update_post"   // Subject: post id; to those who have it
	EventLike         = "like"          // Payload: the post, its author; to the author (and the subwiki)
	EventUndoLike     = "undo_like"     // Payload: the Like's id, the post's author
	EventBoost        = "boost"         // Payload: the post, the Announce's id, its author; to followers and the author
	EventUndoBoost    = "undo_boost"    // Payload: the post, the Announce's id, the post's author
	// EventGroupAnnounce: a local subwiki (the actor) announces an
	// activity to its followers: one this server sent (Payload.InnerEventID)
	// or one it received (Payload.InboundID).
	EventGroupAnnounce = "group_announce"
)

// OutboxMaxAttempts is how many times expanding an outbox event may fail
// before the event is parked: kept, but no longer taken until it is
// retried on demand, so that one event that cannot be sent never holds up
// the others.
const OutboxMaxAttempts = 5

// OutboxEvent is a change other servers must hear about, written in the
// same transaction as the change.
type OutboxEvent struct {
	ID        string
	Kind      string
	SubjectID string // the changed row, when it still exists
	ActorID   string // the local actor the activity is sent as
	Payload   OutboxPayload
	CreatedAt time.Time

	// Invalid is why the stored event cannot be read (its payload does not
	// decode). Such an event is returned all the same, so that the failure
	// is recorded on it instead of stopping the events after it.
	Invalid error

	Attempts  int       // failed expansions so far
	LastError string    // why the last one failed
	ParkedAt  time.Time // when it was parked; zero while it is not
}

// OutboxPayload is what an event needs when its subject may be gone by
// the time it is sent.
type OutboxPayload struct {
	ObjectURI     string `json:"object_uri,omitempty"`      // e.g. the Follow being undone, the post deleted
	ActivityURI   string `json:"activity_uri,omitempty"`    // the id of the activity, when it is set by the change (a Like)
	TargetActorID string `json:"target_actor_id,omitempty"` // the one actor to send to, when not followers
	SubwikiID     string `json:"subwiki_id,omitempty"`      // the Group the activity concerns
	InnerEventID  string `json:"inner_event_id,omitempty"`  // for a group's Announce of our own activity
	InboundID     string `json:"inbound_id,omitempty"`      // for a group's Announce of a received activity
	UndoBoost     bool   `json:"undo_boost,omitempty"`      // a group takes back its boost of ObjectURI (the post is deleted)
	Reason        string `json:"reason,omitempty"`          // why, for a Reject
}

// enqueue writes an outbox event in the transaction of the change.
func (tx *Tx) enqueue(ctx context.Context, kind, subjectID, actorID string, payload OutboxPayload) error {
	_, err := tx.enqueueID(ctx, kind, subjectID, actorID, payload)
	return err
}

// enqueueID is enqueue returning the event's id.
func (tx *Tx) enqueueID(ctx context.Context, kind, subjectID, actorID string, payload OutboxPayload) (string, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("encode %s event: %w", kind, err)
	}
	id := tx.newID()
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (id, kind, subject_id, actor_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, kind, subjectID, actorID, string(body), millis(tx.now))
	if err != nil {
		return "", fmt.Errorf("enqueue %s: %w", kind, err)
	}
	tx.onCommitted = append(tx.onCommitted, tx.db.outboxQueued)
	return id, nil
}

// OnOutbox has fn called after every commit that queued outbox events,
// so that whoever expands them need not poll often. Commits by another
// process (the admin commands) call nothing.
func (db *DB) OnOutbox(fn func()) { db.onOutbox.Store(&fn) }

// outboxQueued calls the function OnOutbox set, if any.
func (db *DB) outboxQueued() {
	if fn := db.onOutbox.Load(); fn != nil {
		(*fn)()
	}
}

// OutboxActivity returns the activity an outbox event was expanded into,
// or nil while it is not expanded (or had nothing to send). An event no
// longer kept is ENotFound.
func (db *DB) OutboxActivity(ctx context.Context, eventID string) ([]byte, error) {
	var activity []byte
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT activity FROM outbox WHERE id = ?`, eventID).Scan(&activity)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "The outbox event %s is no longer kept.", eventID)
	}
	if err != nil {
		return nil, fmt.Errorf("outbox activity %s: %w", eventID, err)
	}
	return activity, nil
}

// outboxColumns are the columns scanOutboxEvent reads.
const outboxColumns = `id, kind, subject_id, actor_id, payload, created_at, attempts, last_error, coalesce(parked_at, 0)`

// scanOutboxEvent reads an event; a payload that does not decode is set
// as the event's Invalid, not returned as an error.
func scanOutboxEvent(rows *sql.Rows) (*OutboxEvent, error) {
	var e OutboxEvent
	var payload string
	var created, parked int64
	if err := rows.Scan(&e.ID, &e.Kind, &e.SubjectID, &e.ActorID, &payload, &created, &e.Attempts, &e.LastError, &parked); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(payload), &e.Payload); err != nil {
		e.Invalid = fmt.Errorf("decode payload of event %s: %w", e.ID, err)
	}
	e.CreatedAt = fromMillis(created)
	if parked != 0 {
		e.ParkedAt = fromMillis(parked)
	}
	return &e, nil
}

// outboxEvents runs a query of outboxColumns.
func (tx *Tx) outboxEvents(ctx context.Context, query string, args ...any) ([]*OutboxEvent, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*OutboxEvent
	for rows.Next() {
		e, err := scanOutboxEvent(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// PendingOutbox returns up to limit events due for expansion into
// deliveries, oldest first: not yet expanded, not parked, and not waiting
// for their next attempt after a failure.
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]*OutboxEvent, error) {
	var list []*OutboxEvent
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		list, err = tx.outboxEvents(ctx, `SELECT `+outboxColumns+` FROM outbox
			WHERE processed_at IS NULL AND parked_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?`, millis(tx.now), limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	return list, nil
}

// OutboxFailed records a failed expansion of an event: it is taken again
// at retryAt, or parked once it has failed OutboxMaxAttempts times. It
// reports whether the event is now parked. An event that is not waiting
// for expansion (done, parked, or gone) is ENotFound.
func (db *DB) OutboxFailed(ctx context.Context, id, reason string, retryAt time.Time) (parked bool, err error) {
	err = db.write(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
				parked_at = CASE WHEN attempts + 1 >= ? THEN ? END
			WHERE id = ? AND processed_at IS NULL AND parked_at IS NULL
			RETURNING parked_at IS NOT NULL`,
			reason, millis(retryAt), OutboxMaxAttempts, millis(tx.now), id).Scan(&parked)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENotFound, "The outbox event %s is not waiting to be sent.", id)
		}
		return err
	})
	if err != nil && ErrorCode(err) == EInternal {
		err = fmt.Errorf("outbox event %s failed: %w", id, err)
	}
	return parked, err
}

// ParkedOutbox returns up to limit parked events, most recently parked
// first, with their attempts and last error, for an admin to look into.
func (db *DB) ParkedOutbox(ctx context.Context, limit int) ([]*OutboxEvent, error) {
	var list []*OutboxEvent
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		list, err = tx.outboxEvents(ctx, `SELECT `+outboxColumns+` FROM outbox
			WHERE parked_at IS NOT NULL ORDER BY parked_at DESC, id DESC LIMIT ?`, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("parked outbox: %w", err)
	}
	return list, nil
}

// RetryParkedOutbox takes a parked event back into the queue, due at
// once, with a fresh count of attempts (its last error is kept until the
// next attempt). An event that is not parked is ENotFound.
func (db *DB) RetryParkedOutbox(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET parked_at = NULL, attempts = 0, next_attempt_at = ?
			WHERE id = ? AND parked_at IS NOT NULL`, millis(tx.now), id)
		if err != nil {
			return fmt.Errorf("retry parked outbox event %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENotFound, "No parked outbox event %s.", id)
		}
		return nil
	})
}
