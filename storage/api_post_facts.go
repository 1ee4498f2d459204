package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// PostFacts is what a client shows with posts beyond the posts
// themselves, read for a viewer in one transaction: which they liked
// pinned and bookmarked, the posts' hashtags, the members they mention and the
// authors of the posts they reply to.
type PostFacts struct {
	Liked         map[string]bool     // by post id
	Pinned        map[string]bool     // by post id: pinned by the viewer
	Bookmarked    map[string]bool     // by post id: in the viewer's bookmarks
	Boosted       map[string]bool     // by post id: boosted by the viewer
	Tags          map[string][]string // by post id, in order
	Mentioned     map[string][]*Actor // by post id: the members here it addresses or mentions
	ParentAuthors map[string]string   // by post id: the author id of the post it replies to
}

// FactsOf reads the PostFacts of the posts for the viewer ("" for a
// stranger, who has liked, pinned and bookmarked nothing).
func (db *DB) FactsOf(ctx context.Context, viewerID string, posts []*Post) (*PostFacts, error) {
	f := &PostFacts{Liked: map[string]bool{}, Pinned: map[string]bool{}, Bookmarked: map[string]bool{}, Boosted: map[string]bool{}, Tags: map[string][]string{},
		Mentioned: map[string][]*Actor{}, ParentAuthors: map[string]string{}}
	if len(posts) == 0 {
		return f, nil
	}
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	err = db.read(ctx, func(tx *Tx) error {
		// pairs reads (post id, value) rows of a query of the posts ?1
		// and, where it asks, the viewer ?2.
		pairs := func(query string, add func(postID, value string), args ...any) error {
			rows, err := tx.QueryContext(ctx, query, append([]any{string(list)}, args...)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var postID, value string
				if err := rows.Scan(&postID, &value); err != nil {
					return err
				}
				add(postID, value)
			}
			return rows.Err()
		}
		in := `IN (SELECT value FROM json_each(?1))`
		if err := pairs(`SELECT post_id, '' FROM reactions WHERE post_id `+in+` AND actor_id = ?2 AND kind = 'like'`,
			func(id, _ string) { f.Liked[id] = true }, viewerID); err != nil {
			return err
		}
		if err := pairs(`SELECT post_id, '' FROM reactions WHERE post_id `+in+` AND actor_id = ?2 AND kind = 'announce'`,
			func(id, _ string) { f.Boosted[id] = true }, viewerID); err != nil {
			return err
		}
		if err := pairs(`SELECT post_id, '' FROM pins WHERE post_id `+in+` AND member_id = ?2`,
			func(id, _ string) { f.Pinned[id] = true }, viewerID); err != nil {
			return err
		}
		if err := pairs(`SELECT post_id, '' FROM bookmarks WHERE post_id `+in+` AND member_id = ?2`,
			func(id, _ string) { f.Bookmarked[id] = true }, viewerID); err != nil {
			return err
		}
		if err := pairs(`SELECT post_id, tag FROM post_tags WHERE post_id `+in+` ORDER BY post_id, tag`,
			func(id, tag string) { f.Tags[id] = append(f.Tags[id], tag) }); err != nil {
			return err
		}
		if err := pairs(`SELECT p.id, q.author_id FROM posts p JOIN posts q ON q.id = p.parent_id
			WHERE p.id `+in, func(id, author string) { f.ParentAuthors[id] = author }); err != nil {
			return err
		}
		return tx.mentionedIn(ctx, string(list), f.Mentioned)
	})
	if err != nil {
		return nil, fmt.Errorf("facts of posts: %w", err)
	}
	return f, nil
}

// mentionedIn reads the members here that the posts (a JSON list of
// ids) address or mention into by.
func (tx *Tx) mentionedIn(ctx context.Context, list string, by map[string][]*Actor) error {
	rows, err := tx.QueryContext(ctx, `SELECT pr.post_id, `+actorFields+actorFrom+`JOIN post_recipients pr ON pr.actor_id = a.id
		WHERE pr.post_id IN (SELECT value FROM json_each(?)) ORDER BY pr.post_id, a.username`, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		a, err := scanActor(rows, &postID)
		if err != nil {
			return err
		}
		by[postID] = append(by[postID], a)
	}
	return rows.Err()
}
