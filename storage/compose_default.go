package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LastSubwikiPostedTo returns the group (a subwiki here or a community
// elsewhere) of the member's newest post, "" when it was on their
// profile or they have not posted: where a new post most likely goes.
// Comments are not posts of the member's choosing and do not count.
func (db *DB) LastSubwikiPostedTo(ctx context.Context, memberID string) (string, error) {
	var group string
	err := db.read(ctx, func(tx *Tx) error {
		// The feed index of the member's posts (author_id, id) answers it.
		return tx.QueryRowContext(ctx, `SELECT coalesce(subwiki_id, '') FROM posts
			WHERE author_id = ? AND kind <> 'comment' AND visibility <> 'direct' ORDER BY id DESC LIMIT 1`,
			memberID).Scan(&group)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("last subwiki of %s: %w", memberID, err)
	}
	return group, nil
}
