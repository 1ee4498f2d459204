package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// Bookmark keeps a post the member may see in their bookmarks, under a
// bookmark id of its own; a post bookmarked before keeps its first id.
// A post the member may not see is not found.
func (db *DB) Bookmark(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.mustSee(ctx, memberID, postID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bookmarks (id, member_id, post_id, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (member_id, post_id) DO NOTHING`,
			tx.newID(), memberID, postID, millis(tx.now))
		if err != nil {
			return fmt.Errorf("bookmark %s: %w", postID, err)
		}
		return nil
	})
}

// Unbookmark takes a post out of the member's bookmarks; a post not
// bookmarked changes nothing. It needs no sight of the post, so that a
// bookmark of a post gone out of sight can still be taken away.
func (db *DB) Unbookmark(ctx context.Context, memberID, postID string) error {
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM bookmarks WHERE member_id = ? AND post_id = ?`, memberID, postID)
		if err != nil {
			return fmt.Errorf("unbookmark %s: %w", postID, err)
		}
		return nil
	})
}

// BookmarksPage pages through the posts the member bookmarked that they
// may still see, newest bookmark first, by the bookmarks' ids: Newest
// and Oldest of the Timeline are bookmark ids, which the next page is
// asked by.
func (db *DB) BookmarksPage(ctx context.Context, memberID string, page IDPage) (*Timeline, error) {
	t := &Timeline{}
	err := db.read(ctx, func(tx *Tx) error {
		marks, err := tx.bookmarkPage(ctx, memberID, page)
		if err != nil || len(marks) == 0 {
			return err
		}
		newestFirst(page, marks)
		ids := make([]string, len(marks))
		for i, m := range marks {
			ids[i] = m.postID
		}
		list, err := json.Marshal(ids)
		if err != nil {
			return err
		}
		posts, err := tx.listedPosts(ctx, postsSelect+`WHERE p.id IN (SELECT value FROM json_each(?))`, string(list))
		if err != nil {
			return err
		}
		byID := make(map[string]*Post, len(posts))
		for _, p := range posts {
			byID[p.ID] = p
		}
		for _, m := range marks {
			if p := byID[m.postID]; p != nil {
				t.Posts = append(t.Posts, p)
			}
		}
		t.Newest, t.Oldest = marks[0].id, marks[len(marks)-1].id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bookmarks of %s: %w", memberID, err)
	}
	return t, nil
}

// bookmarkRow is one bookmark: its own id and the post it keeps.
type bookmarkRow struct {
	id, postID string
}

// bookmarkPage reads the page of the member's bookmarks of posts they
// may see, in the order the page is read.
func (tx *Tx) bookmarkPage(ctx context.Context, memberID string, page IDPage) ([]bookmarkRow, error) {
	visible, args := visibleTo(memberID)
	pageCond, pageArgs, orderLimit := page.clause("b.id")
	rows, err := tx.QueryContext(ctx, `SELECT b.id, b.post_id FROM bookmarks b JOIN posts p ON p.id = b.post_id
		WHERE b.member_id = ? AND `+visible+` AND `+pageCond+` `+orderLimit,
		append(append([]any{memberID}, args...), pageArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var marks []bookmarkRow
	for rows.Next() {
		var m bookmarkRow
		if err := rows.Scan(&m.id, &m.postID); err != nil {
			return nil, err
		}
		marks = append(marks, m)
	}
	return marks, rows.Err()
}
