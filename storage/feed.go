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
		rows, err := tx.QueryContext(ctx, `SELECT `+postFields+`, `+actorFields+`, `+groupFields+actorFrom+
			`JOIN posts p ON p.author_id = a.id LEFT JOIN actors g ON g.id = p.subwiki_id
			WHERE `+cond+` AND p.id < ? ORDER BY p.id DESC LIMIT ?`,
			append(args, before, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var author actorRow
			var group groupRow
			p, err := scanPost(rows, append(author.targets(), group.targets()...)...)
			if err != nil {
				return err
			}
			p.Author, p.Subwiki = author.actor(), group.actor()
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

// groupFields are the few columns of a post's subwiki shown with it.
const groupFields = `coalesce(g.id, ''), coalesce(g.uri, ''), coalesce(g.username, ''), coalesce(g.host, ''),
	coalesce(g.display_name, ''), coalesce(g.local, 0), coalesce(g.url, '')`

// groupRow receives groupFields.
type groupRow struct{ a Actor }

func (r *groupRow) targets() []any {
	return []any{&r.a.ID, &r.a.URI, &r.a.Username, &r.a.Host, &r.a.DisplayName, &r.a.Local, &r.a.URL}
}

func (r *groupRow) actor() *Actor {
	if r.a.ID == "" {
		return nil
	}
	a := r.a
	a.Kind = KindGroup
	return &a
}

// HomeFeed pages through the posts (not comments) of the member, of the
// accounts they follow and of the subwikis they joined, newest first.
func (db *DB) HomeFeed(ctx context.Context, memberID, before string, limit int) (*FeedPage, error) {
	return db.listPosts(ctx, `p.kind <> 'comment' AND p.visibility <> 'direct' AND (p.author_id = ?1
		OR p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1 AND state = 'accepted')
		OR p.subwiki_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1 AND state = 'accepted'))`,
		before, limit, memberID)
}

// PostsBy pages through the public and unlisted posts (not comments) of
// an actor.
func (db *DB) PostsBy(ctx context.Context, actorID, before string, limit int) (*FeedPage, error) {
	return db.listPosts(ctx, `p.author_id = ? AND p.kind <> 'comment' AND p.visibility IN ('public', 'unlisted')`,
		before, limit, actorID)
}

// SubwikiFeed pages through the posts (not comments) of a subwiki, here
// or elsewhere, newest first.
func (db *DB) SubwikiFeed(ctx context.Context, groupID, before string, limit int) (*FeedPage, error) {
	return db.listPosts(ctx, `p.subwiki_id = ? AND p.kind <> 'comment' AND p.visibility IN ('public', 'unlisted')`,
		before, limit, groupID)
}

// Thread returns the comments of a post, oldest first, with authors;
// the web page nests them by ParentID.
func (db *DB) Thread(ctx context.Context, rootID string) ([]*Post, error) {
	page, err := db.listPosts(ctx, `p.root_id = ? AND p.visibility <> 'direct'`, "", 5000, rootID)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(page.Posts)-1; i < j; i, j = i+1, j-1 {
		page.Posts[i], page.Posts[j] = page.Posts[j], page.Posts[i]
	}
	return page.Posts, nil
}

// PostWithAuthor returns a post with its author and subwiki filled.
func (db *DB) PostWithAuthor(ctx context.Context, id string) (*Post, error) {
	page, err := db.listPosts(ctx, `p.id = ?`, "", 1, id)
	if err != nil {
		return nil, err
	}
	if len(page.Posts) == 0 {
		return nil, Errorf(ENotFound, "No such post.")
	}
	return page.Posts[0], nil
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
