package storage

import (
	"context"
	"fmt"
)

// Reaction kinds.
const (
	Like     = "like"     // a favourite
	Announce = "announce" // a boost
)

// countColumn is the posts column that counts a reaction kind.
func countColumn(kind string) string {
	if kind == Announce {
		return "announce_count"
	}
	return "like_count"
}

// React records an actor's like or boost of a post we have. Reacting
// twice counts once.
func (db *DB) React(ctx context.Context, actorID, postURI, kind, activityURI string) error {
	if kind != Like && kind != Announce {
		return Errorf(EInvalid, "Unknown reaction %q.", kind)
	}
	return db.write(ctx, func(tx *Tx) error {
		p, err := tx.postWhere(ctx, "p.uri = ?", postURI)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO reactions (actor_id, post_id, kind, activity_uri, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, actorID, p.ID, kind, activityURI, millis(tx.now))
		if err != nil {
			return fmt.Errorf("insert %s: %w", kind, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+countColumn(kind)+` = `+countColumn(kind)+` + 1 WHERE id = ?`, p.ID)
		return err
	})
}

// Unreact takes back an actor's like or boost, named by the reaction
// activity's id or, when that is unknown, by the post.
func (db *DB) Unreact(ctx context.Context, actorID, kind, activityURI, postURI string) error {
	return db.write(ctx, func(tx *Tx) error {
		var postID string
		err := tx.QueryRowContext(ctx, `SELECT r.post_id FROM reactions r JOIN posts p ON p.id = r.post_id
			WHERE r.actor_id = ? AND r.kind = ? AND (r.activity_uri = ? OR p.uri = ?)`,
			actorID, kind, activityURI, postURI).Scan(&postID)
		if err != nil {
			return nil // nothing to take back
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM reactions WHERE actor_id = ? AND post_id = ? AND kind = ?`,
			actorID, postID, kind); err != nil {
			return fmt.Errorf("delete %s: %w", kind, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE posts SET `+countColumn(kind)+` = max(0, `+countColumn(kind)+` - 1) WHERE id = ?`, postID)
		return err
	})
}

// recountReactionsBy takes the reactions of an actor about to be
// deleted off the counts of the posts they reacted to.
func (tx *Tx) recountReactionsBy(ctx context.Context, actorID string) error {
	for _, kind := range []string{Like, Announce} {
		col := countColumn(kind)
		_, err := tx.ExecContext(ctx, `UPDATE posts SET `+col+` = max(0, `+col+` - 1)
			WHERE id IN (SELECT post_id FROM reactions WHERE actor_id = ? AND kind = ?)`, actorID, kind)
		if err != nil {
			return fmt.Errorf("recount %ss: %w", kind, err)
		}
	}
	return nil
}
