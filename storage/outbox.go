package storage

import (
	"context"
	"encoding/json"
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
)

// OutboxEvent is a change other servers must hear about, written in the
// same transaction as the change.
type OutboxEvent struct {
	ID        string
	Kind      string
	SubjectID string // the changed row, when it still exists
	ActorID   string // the local actor the activity is sent as
	Payload   OutboxPayload
	CreatedAt time.Time
}

// OutboxPayload is what an event needs when its subject may be gone by
// the time it is sent.
type OutboxPayload struct {
	ObjectURI     string `json:"object_uri,omitempty"`      // e.g. the Follow being undone, the post deleted
	TargetActorID string `json:"target_actor_id,omitempty"` // the one actor to send to, when not followers
}

// enqueue writes an outbox event in the transaction of the change.
func (tx *Tx) enqueue(ctx context.Context, kind, subjectID, actorID string, payload OutboxPayload) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", kind, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (id, kind, subject_id, actor_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tx.newID(), kind, subjectID, actorID, string(body), millis(tx.now))
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return nil
}

// PendingOutbox returns up to limit events not yet expanded into
// deliveries, oldest first.
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]*OutboxEvent, error) {
	var list []*OutboxEvent
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, subject_id, actor_id, payload, created_at
			FROM outbox WHERE processed_at IS NULL ORDER BY id LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e OutboxEvent
			var payload string
			var created int64
			if err := rows.Scan(&e.ID, &e.Kind, &e.SubjectID, &e.ActorID, &payload, &created); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(payload), &e.Payload); err != nil {
				return fmt.Errorf("decode event %s: %w", e.ID, err)
			}
			e.CreatedAt = fromMillis(created)
			list = append(list, &e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	return list, nil
}
