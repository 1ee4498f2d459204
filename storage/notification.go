package storage

import (
	"context"
	"fmt"
	"time"
)

// Notification kinds.
const (
	NotifyMention = "mention" // someone named the member in a post or comment
	NotifyReply   = "reply"   // someone replied to the member's post or comment
)

// Notification tells a member that someone did something concerning them.
type Notification struct {
	ID        string
	Kind      string
	Actor     *Actor
	Post      *Post
	CreatedAt time.Time
	Read      bool
}

// notifyActorID notifies the member with the actor id, if it is a member.
func (tx *Tx) notifyActorID(ctx context.Context, actorID, kind, byActorID, postID string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE id = ? AND status = 'active'`, actorID).Scan(&n); err != nil {
		return fmt.Errorf("find member to notify: %w", err)
	}
	if n == 0 || actorID == byActorID {
		return nil
	}
	if unreached, err := tx.unreached(ctx, byActorID, actorID); err != nil || unreached {
		return err
	}
	if hidden, err := tx.hides(ctx, actorID, byActorID); err != nil || hidden {
		return err
	}
	// One notice a post: a reply that also names its parent's author
	// notifies them once.
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE member_id = ? AND post_id = ?`,
		actorID, postID).Scan(&n); err != nil {
		return fmt.Errorf("find notification: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, member_id, kind, actor_id, post_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tx.newID(), actorID, kind, byActorID, postID, millis(tx.now))
	if err != nil {
		return fmt.Errorf("notify %s: %w", actorID, err)
	}
	return nil
}

// notifyActorURI notifies the local member with the actor id (URI).
func (tx *Tx) notifyActorURI(ctx context.Context, uri, kind, byActorID, postID string) error {
	a, err := tx.actorWhere(ctx, "a.uri = ?", uri)
	if err != nil {
		return nil // not an actor here: nobody to notify
	}
	return tx.notifyActorID(ctx, a.ID, kind, byActorID, postID)
}

// Notifications lists a member's notifications of posts they may see,
// newest first, and marks those read. A notice of a post the member may
// not see (a reply to them for its author's followers only) waits until
// they may: when they follow its author.
func (db *DB) Notifications(ctx context.Context, memberID string, limit int) ([]*Notification, error) {
	var list []*Notification
	err := db.write(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+postFields+`, `+actorFields+`, n.id, n.kind, n.created_at, n.read_at IS NOT NULL
			FROM notifications n JOIN posts p ON p.id = n.post_id JOIN actors a ON a.id = n.actor_id
			LEFT JOIN members m ON m.id = a.id
			WHERE n.member_id = ? AND `+visibleSQL("p", "n.member_id")+` AND `+notMutedSQL("n.member_id", "n.actor_id")+` ORDER BY n.id DESC LIMIT ?`, memberID, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n Notification
			var created int64
			var actor actorRow
			if n.Post, err = scanPost(rows, append(actor.targets(), &n.ID, &n.Kind, &created, &n.Read)...); err != nil {
				rows.Close()
				return err
			}
			n.Actor, n.CreatedAt = actor.actor(), fromMillis(created)
			list = append(list, &n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE member_id = ? AND read_at IS NULL
			AND post_id IN (SELECT p.id FROM posts p WHERE p.id = notifications.post_id AND `+
			visibleSQL("p", "notifications.member_id")+`)`, millis(tx.now), memberID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("notifications of %s: %w", memberID, err)
	}
	return list, nil
}

// UnreadNotifications counts the member's unread notifications of posts
// they may see.
func (db *DB) UnreadNotifications(ctx context.Context, memberID string) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM notifications n JOIN posts p ON p.id = n.post_id
			WHERE n.member_id = ? AND n.read_at IS NULL AND `+visibleSQL("p", "n.member_id")+
			` AND `+notMutedSQL("n.member_id", "n.actor_id"), memberID).Scan(&n)
	})
	return n, err
}
