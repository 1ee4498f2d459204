package storage

import (
	"context"
	"fmt"
)

// FeedPage is a page of posts, newest first.
type FeedPage struct {
	Posts []*Post
	Next  string // pass as before for the next page; "" at the end
}

// listPosts pages through the posts matching cond, newest first, with
// their authors.
func (db *DB) listPosts(ctx context.Context, cond string, before string, limit int, args ...any) (*FeedPage, error) {
	if before == "" {
		before = "\uffff"
	}
	page := &FeedPage{}
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+postFields+`, `+actorFields+actorFrom+
			`JOIN posts p ON p.author_id = a.id WHERE `+cond+` AND p.id < ? ORDER BY p.id DESC LIMIT ?`,
			append(args, before, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var author actorRow
			p, err := scanPost(rows, author.targets()...)
			if err != nil {
				return err
			}
			p.Author = author.actor()
			page.Posts = append(page.Posts, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	if len(page.Posts) > limit {
		page.Posts = page.Posts[:limit]
		page.Next = page.Posts[limit-1].ID
	}
	return page, nil
}

// HomeFeed pages through the posts of the member and of everyone they
// follow, newest first.
func (db *DB) HomeFeed(ctx context.Context, memberID, before string, limit int) (*FeedPage, error) {
	return db.listPosts(ctx, `(p.author_id = ? OR p.author_id IN
		(SELECT followee_id FROM follows WHERE follower_id = ? AND state = 'accepted'))
		AND p.visibility <> 'direct'`, before, limit, memberID, memberID)
}

// PostsBy pages through the public and unlisted posts of an actor.
func (db *DB) PostsBy(ctx context.Context, actorID, before string, limit int) (*FeedPage, error) {
	return db.listPosts(ctx, `p.author_id = ? AND p.visibility IN ('public', 'unlisted')`, before, limit, actorID)
}

// CountLocalPosts returns how many posts members of this instance made.
func (db *DB) CountLocalPosts(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE local = 1`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count local posts: %w", err)
	}
	return n, nil
}

// CountPostsBy counts the public and unlisted posts of an actor.
func (db *DB) CountPostsBy(ctx context.Context, actorID string) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE author_id = ? AND visibility IN ('public', 'unlisted')`,
			actorID).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count posts of %s: %w", actorID, err)
	}
	return n, nil
}
