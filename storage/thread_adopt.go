package storage

import (
	"context"
	"fmt"
)

// earlyRepliesQuery finds the replies to a post kept before it. It runs
// for every post that arrives, so it must search the partial index on
// in_reply_to, which SQLite uses only when the query repeats its
// condition (TestEarlyRepliesPlan).
const earlyRepliesQuery = `SELECT id FROM posts WHERE in_reply_to = ? AND in_reply_to <> ''
	AND parent_id IS NULL AND id <> ?`

// adoptReplies puts into p's thread the replies to p that arrived before
// it: servers send a post and its replies separately, and a reply may be
// handled first. Each becomes a comment under p, its own replies move
// to p's thread, and the thread's comment count is counted again.
func (tx *Tx) adoptReplies(ctx context.Context, p *Post) error {
	root := p.RootID
	if root == "" {
		root = p.ID
	}
	rows, err := tx.QueryContext(ctx, earlyRepliesQuery, p.URI, p.ID)
	if err != nil {
		return fmt.Errorf("find early replies to %s: %w", p.URI, err)
	}
	var orphans []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("read early reply: %w", err)
		}
		orphans = append(orphans, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(orphans) == 0 {
		return err
	}
	for _, id := range orphans {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET kind = 'comment', headline = '', link_url = '',
			parent_id = ?, root_id = ?, subwiki_id = coalesce(subwiki_id, ?), comment_count = 0 WHERE id = ?`,
			p.ID, root, nullable(p.SubwikiID), id); err != nil {
			return fmt.Errorf("adopt reply %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET root_id = ? WHERE root_id = ?`, root, id); err != nil {
			return fmt.Errorf("move the replies of %s: %w", id, err)
		}
	}
	// Counted as insertPost counts: the comments everyone may see.
	_, err = tx.ExecContext(ctx, `UPDATE posts SET comment_count = (SELECT count(*) FROM posts c
		WHERE c.root_id = ?1 AND c.visibility IN ('public', 'unlisted')) WHERE id = ?1`, root)
	if err != nil {
		return fmt.Errorf("count the comments of %s: %w", root, err)
	}
	return nil
}
