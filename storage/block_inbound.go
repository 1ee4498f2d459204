package storage

import (
	"context"
	"fmt"
)

// ReceiveBlock records a remote actor's Block of a local member: the
// follows between them end both ways (no Undo is sent: the blocker's
// server ends its side itself, as Mastodon does), and the member's posts
// are no longer delivered to the blocker nor shown to it here. A repeated
// Block changes nothing.
func (db *DB) ReceiveBlock(ctx context.Context, actorID, memberID, activityURI string) error {
	return db.write(ctx, func(tx *Tx) error {
		blocker, err := tx.actorWhere(ctx, "a.id = ?", actorID)
		if err != nil {
			return err
		}
		if blocker.Local {
			return Errorf(EForbidden, "A local actor cannot block through the inbox.")
		}
		if m, err := tx.memberWhere(ctx, "id = ?", memberID); err != nil || m == nil {
			return Errorf(ENotFound, "No such member here.")
		}
		if undone, err := tx.isTombstoned(ctx, activityURI); err != nil || undone {
			if undone {
				return Errorf(EConflict, "The Block %s was undone before it arrived.", activityURI)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (blocker_id, blocked_id, activity_uri, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, actorID, memberID, activityURI, millis(tx.now)); err != nil {
			return fmt.Errorf("record block by %s: %w", actorID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE (follower_id = ?1 AND followee_id = ?2)
			OR (follower_id = ?2 AND followee_id = ?1)`, actorID, memberID); err != nil {
			return fmt.Errorf("end follows with %s: %w", actorID, err)
		}
		return nil
	})
}

// ReceiveUndoBlock lifts the remote actor's Block with the id, if the
// actor made it. The Block is marked undone, so that it is ignored should
// it arrive only now.
func (db *DB) ReceiveUndoBlock(ctx context.Context, actorID, activityURI string) error {
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.undoBlock(ctx, actorID, activityURI)
		return err
	})
}

// undoBlock lifts the actor's Block with the id and reports whether there
// was one; the id is marked undone either way.
func (tx *Tx) undoBlock(ctx context.Context, actorID, activityURI string) (bool, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM blocks WHERE blocker_id = ? AND activity_uri = ?`, actorID, activityURI)
	if err != nil {
		return false, fmt.Errorf("lift block %s: %w", activityURI, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, tx.markUndone(ctx, actorID, activityURI)
}
