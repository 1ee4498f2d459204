package storage

import (
	"context"
	"fmt"
)

// DismissFlags closes the open flags about an item in a queue (a local
// subwiki's, or the instance's when subwikiID is "") as dismissed, for a
// member who may handle that queue, and logs it.
func (db *DB) DismissFlags(ctx context.Context, memberID, subwikiID, targetURI string) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.mayHandleFlags(ctx, memberID, subwikiID); err != nil {
			return err
		}
		flags, err := tx.flagsWhere(ctx, `f.subwiki_id IS ? AND f.state = 'open' AND f.target_uri = ?`,
			nullable(subwikiID), targetURI)
		if err != nil {
			return err
		}
		if len(flags) == 0 {
			return Errorf(ENotFound, "There are no open flags about this.")
		}
		_, err = tx.ExecContext(ctx, `UPDATE flags SET state = 'dismissed', resolved_at = ?
			WHERE subwiki_id IS ? AND state = 'open' AND target_uri = ?`, millis(tx.now), nullable(subwikiID), targetURI)
		if err != nil {
			return fmt.Errorf("dismiss flags: %w", err)
		}
		return tx.logModeration(ctx, ModerationEntry{SubwikiID: subwikiID, ActorID: memberID, Action: ModDismissFlags,
			TargetURI: targetURI, TargetText: flaggedText(flags[0])})
	})
}

// flaggedText is what the log shows of a flagged item.
func flaggedText(f *Flag) string {
	switch {
	case f.Post != nil && f.Post.Headline != "":
		return f.Post.Headline
	case f.Post != nil && f.Account != nil:
		return "a post by " + f.Account.Handle()
	case f.Account != nil:
		return f.Account.Handle()
	}
	return f.TargetURI
}

// actionFlags closes the open flags about an item as actioned: the
// operations that remove a post or comment, or ban or suspend an
// account, call it in their own transaction, with the item's URI.
func (tx *Tx) actionFlags(ctx context.Context, targetURI string) error {
	_, err := tx.ExecContext(ctx, `UPDATE flags SET state = 'actioned', resolved_at = ?
		WHERE target_uri = ? AND state = 'open'`, millis(tx.now), targetURI)
	if err != nil {
		return fmt.Errorf("action flags about %s: %w", targetURI, err)
	}
	return nil
}

// MemberFlags lists the flags a member made, newest first, with their
// state, so that members see what came of them.
func (db *DB) MemberFlags(ctx context.Context, memberID string, limit int) ([]*Flag, error) {
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	var flags []*Flag
	err := db.read(ctx, func(tx *Tx) (err error) {
		flags, err = tx.flagsWhere(ctx, `f.reporter_id = ? AND f.activity_uri = '' ORDER BY f.id DESC LIMIT ?`, memberID, limit)
		return err
	})
	return flags, err
}
