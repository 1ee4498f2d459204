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
	EventUpdatePost   = "update_post"   // Subject: post id; to those who have it
	EventLike         = "like"          // Payload: the post, its author; to the author (and the subwiki)
	EventUndoLike     = "undo_like"     // Payload: the Like's id, the post's author
	// EventGroupAnnounce: a local subwiki (the actor) announces an
	// activity to its followers: one this server sent (Payload.InnerEventID)
	// or one it received (Payload.InboundID).
	EventGroupAnnounce = "group_announce"
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
	ActivityURI   string `json:"activity_uri,omitempty"`    // the id of the activity, when it is set by the change (a Like)
	TargetActorID string `json:"target_actor_id,omitempty"` // the one actor to send to, when not followers
	SubwikiID     string `json:"subwiki_id,omitempty"`      // the Group the activity concerns
	InnerEventID  string `json:"inner_event_id,omitempty"`  // for a group's Announce of our own activity
	InboundID     string `json:"inbound_id,omitempty"`      // for a group's Announce of a received activity
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
	return id, nil
}

// OutboxActivity returns the activity an outbox event was expanded into,
// or nil while it is not expanded (or had nothing to send).
func (db *DB) OutboxActivity(ctx context.Context, eventID string) ([]byte, error) {
	var activity []byte
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT activity FROM outbox WHERE id = ?`, eventID).Scan(&activity)
	})
	if err != nil {
		return nil, fmt.Errorf("outbox activity %s: %w", eventID, err)
	}
	return activity, nil
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
