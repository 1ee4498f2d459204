package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ReceiveUndoFollow ends a remote actor's follow of a local actor. The
// Follow undone (followURI) is marked undone, so that if it arrives only
// now, or again, it is ignored instead of leaving a follower behind.
func (db *DB) ReceiveUndoFollow(ctx context.Context, followerID, followeeID, followURI string) error {
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE follower_id = ? AND followee_id = ?`, followerID, followeeID)
		if err != nil {
			return fmt.Errorf("undo follow: %w", err)
		}
		return tx.markUndone(ctx, followerID, followURI)
	})
}

// markUndone records that the actor undid its activity with the id, so
// that the activity is ignored should it arrive later (senders and
// retries deliver out of order). Only ids on the actor's own server are
// marked: nobody can mark away another server's activities.
func (tx *Tx) markUndone(ctx context.Context, actorID, activityURI string) error {
	if activityURI == "" {
		return nil
	}
	actor, err := tx.actorWhere(ctx, "a.id = ?", actorID)
	if err != nil {
		return err
	}
	if !sameHost(activityURI, actor.URI) {
		return nil
	}
	return tx.tombstone(ctx, activityURI)
}

// UndoActivity takes back the follow, block, like or boost the actor made with
// the activity id, for an Undo that names it only by id. It reports
// whether there was one; either way the activity is marked undone, so
// that it is ignored should it arrive later.
func (db *DB) UndoActivity(ctx context.Context, actorID, activityURI string) (bool, error) {
	found := false
	err := db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE follower_id = ? AND activity_uri = ?`, actorID, activityURI)
		if err != nil {
			return fmt.Errorf("undo follow %s: %w", activityURI, err)
		}
		if err := tx.markUndone(ctx, actorID, activityURI); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			found = true
			return nil
		}
		if found, err = tx.undoBlock(ctx, actorID, activityURI); err != nil || found {
			return err
		}
		var postID, kind string
		err = tx.QueryRowContext(ctx, `SELECT post_id, kind FROM reactions WHERE actor_id = ? AND activity_uri = ?`,
			actorID, activityURI).Scan(&postID, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // nothing yet; should it come, it is ignored
		}
		if err != nil {
			return fmt.Errorf("find reaction %s: %w", activityURI, err)
		}
		found = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM reactions WHERE actor_id = ? AND post_id = ? AND kind = ?`,
			actorID, postID, kind); err != nil {
			return err
		}
		col := countColumn(kind)
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+col+` = max(0, `+col+` - 1) WHERE id = ?`, postID)
		return err
	})
	return found, err
}
