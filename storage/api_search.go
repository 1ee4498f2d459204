package storage

import (
	"context"
	"fmt"
	"strings"
)

// SearchHashtags lists up to limit hashtags that start with prefix (with
// or without its #), in order, of posts the viewer ("" for a stranger)
// may see: a tag only a direct post carries is not told to others.
func (db *DB) SearchHashtags(ctx context.Context, viewerID, prefix string, limit int) ([]string, error) {
	prefix = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(prefix), "#"))
	// A prefix of digits only may begin a hashtag; with a letter after it,
	// it must make one.
	if prefix == "" || NormalizeHashtag(prefix+"a") == "" {
		return []string{}, nil
	}
	limit = max(1, min(limit, MaxPageLimit))
	visible, args := visibleTo(viewerID)
	tags := []string{}
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT t.tag FROM post_tags t JOIN posts p ON p.id = t.post_id
			WHERE t.tag >= ? AND t.tag < ? AND `+visible+` GROUP BY t.tag ORDER BY t.tag LIMIT ?`,
			append(append([]any{prefix, prefix + "\U0010FFFF"}, args...), limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tag string
			if err := rows.Scan(&tag); err != nil {
				return err
			}
			tags = append(tags, tag)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("search hashtags: %w", err)
	}
	return tags, nil
}
