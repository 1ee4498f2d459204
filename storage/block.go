package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Outbox events of member blocks, sent as Mastodon sends them.
const (
	EventBlock     = "block"      // Payload: the Block's id, the blocked; to the blocked
	EventUndoBlock = "undo_block" // Payload: the Block's id, the blocked; to the blocked
)

// Block mutes the actor and more: the follows between the member and the
// actor end both ways, and the actor may no longer follow the member, see
// their posts, reply to them or mention them. A remote actor is sent a
// Block (and an Undo of the member's Follow of it). Blocking twice
// changes nothing.
func (db *DB) Block(ctx context.Context, memberID, targetID string) error {
	return db.write(ctx, func(tx *Tx) error {
		target, err := tx.mutable(ctx, memberID, targetID)
		if err != nil {
			return err
		}
		if target.Kind == KindGroup {
			return Errorf(EInvalid, "A subwiki can be muted, not blocked.")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM blocks WHERE blocker_id = ? AND blocked_id = ?`,
			memberID, targetID).Scan(&n); err != nil || n > 0 {
			return err
		}
		id := tx.newID()
		uri := tx.db.Site.ActivityURI(id)
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (blocker_id, blocked_id, activity_uri, created_at)
			VALUES (?, ?, ?, ?)`, memberID, targetID, uri, millis(tx.now)); err != nil {
			return fmt.Errorf("block %s: %w", targetID, err)
		}
		if err := tx.endFollowsBetween(ctx, memberID, target); err != nil {
			return err
		}
		if target.Local {
			return nil
		}
		return tx.enqueue(ctx, EventBlock, "", memberID, OutboxPayload{ActivityURI: uri, TargetActorID: targetID})
	})
}

// Unblock lifts the member's block of the actor; a remote actor is sent
// an Undo of the Block. The follows it ended stay ended.
func (db *DB) Unblock(ctx context.Context, memberID, targetID string) error {
	return db.write(ctx, func(tx *Tx) error {
		var uri string
		var local bool
		err := tx.QueryRowContext(ctx, `SELECT b.activity_uri, a.local FROM blocks b JOIN actors a ON a.id = b.blocked_id
			WHERE b.blocker_id = ? AND b.blocked_id = ?`, memberID, targetID).Scan(&uri, &local)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // not blocked: nothing to lift
		}
		if err != nil {
			return fmt.Errorf("find block of %s: %w", targetID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?`, memberID, targetID); err != nil {
			return fmt.Errorf("unblock %s: %w", targetID, err)
		}
		if local {
			return nil
		}
		return tx.enqueue(ctx, EventUndoBlock, "", memberID, OutboxPayload{ActivityURI: uri, TargetActorID: targetID})
	})
}

// endFollowsBetween ends the follows between the local member and the
// other actor both ways. The member's Follow of a remote actor is undone
// over the wire; the remote actor's follow of the member ends here, and
// the Block tells its server.
func (tx *Tx) endFollowsBetween(ctx context.Context, memberID string, other *Actor) error {
	out, err := tx.followWhere(ctx, "follower_id = ? AND followee_id = ?", memberID, other.ID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE (follower_id = ?1 AND followee_id = ?2)
		OR (follower_id = ?2 AND followee_id = ?1)`, memberID, other.ID); err != nil {
		return fmt.Errorf("end follows with %s: %w", other.ID, err)
	}
	if out == nil || other.Local {
		return nil
	}
	return tx.enqueue(ctx, EventUndoFollow, "", memberID, OutboxPayload{ObjectURI: out.ActivityURI, TargetActorID: other.ID})
}

// blockedEitherWay reports whether one of the two actors blocked the other.
func (tx *Tx) blockedEitherWay(ctx context.Context, a, b string) (bool, error) {
	var blocked bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2)
		OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?2 AND blocked_id = ?1)`, a, b).Scan(&blocked)
	if err != nil {
		return false, fmt.Errorf("find block: %w", err)
	}
	return blocked, nil
}

// Blocks reports whether the blocker blocked the actor: a post of the
// actor's then does not go to the blocker, even when it names them.
func (db *DB) Blocks(ctx context.Context, blockerID, actorID string) (bool, error) {
	var blocked bool
	err := db.read(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?)`,
			blockerID, actorID).Scan(&blocked)
		if err != nil {
			return fmt.Errorf("find block: %w", err)
		}
		return nil
	})
	return blocked, err
}
