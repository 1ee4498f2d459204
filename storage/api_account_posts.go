package storage

import (
	"context"
	"fmt"
)

// ActorPostFilter narrows an actor's posts as the client API asks.
type ActorPostFilter struct {
	ExcludeReplies bool   // leave comments out
	OnlyMedia      bool   // only posts with images
	Tagged         string // only posts with this hashtag, "" for any
	// ExcludeReblogs leaves the actor's boosts out; they are listed
	// only when no other filter is set either.
	ExcludeReblogs bool
}

// ActorPosts pages through an actor's posts and comments that the viewer
// ("" for a stranger) may see, and their boosts, newest first by entry
// id (Post.EntryID), narrowed by the filter. Direct posts are never
// listed on a profile, as PostsBy never lists them.
func (db *DB) ActorPosts(ctx context.Context, viewerID, actorID string, f ActorPostFilter, page IDPage) (*Timeline, error) {
	visible, args := visibleTo(viewerID)
	cond := `p.author_id = ? AND p.visibility <> 'direct' AND ` + visible
	args = append([]any{actorID}, args...)
	if f.ExcludeReplies {
		cond += ` AND p.kind <> 'comment'`
	}
	if f.OnlyMedia {
		cond += ` AND EXISTS (SELECT 1 FROM post_attachments pa WHERE pa.post_id = p.id)`
	}
	if f.Tagged != "" {
		cond += ` AND p.id IN (SELECT post_id FROM post_tags WHERE tag = ?)`
		args = append(args, NormalizeHashtag(f.Tagged))
	}
	t, err := db.idPagePosts(ctx, viewerID, cond, page, args...)
	if err != nil || f != (ActorPostFilter{}) {
		return t, err
	}
	var boosts []*Post
	err = db.read(ctx, func(tx *Tx) (err error) {
		boosts, _, err = tx.boostEntries(ctx, viewerID, `r.actor_id = ?`, page, actorID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("boosts of %s: %w", actorID, err)
	}
	kept, err := db.withoutMutedWordsOf(ctx, viewerID, boosts)
	if err != nil {
		return nil, err
	}
	return withBoostsPage(t, kept.Posts, page), nil
}

// LikedPosts pages through the posts the member liked that they may
// still see, by the posts' ids, newest first.
func (db *DB) LikedPosts(ctx context.Context, memberID string, page IDPage) (*Timeline, error) {
	visible, args := visibleTo(memberID)
	cond := `p.id IN (SELECT post_id FROM reactions WHERE actor_id = ? AND kind = 'like') AND ` + visible
	return db.idPagePosts(ctx, Stranger, cond, page, append([]any{memberID}, args...)...)
}

// Reactors pages through the actors who liked (Like) or boosted
// (Announce) a post the viewer may see, by the actors' ids. A suspended
// member is left out, as their boosts are.
func (db *DB) Reactors(ctx context.Context, viewerID, postID, kind string, page IDPage) ([]*Actor, error) {
	if kind != Like && kind != Announce {
		return nil, Errorf(EInvalid, "Unknown reaction %q.", kind)
	}
	var list []*Actor
	err := db.read(ctx, func(tx *Tx) error {
		if err := tx.mustSee(ctx, viewerID, postID); err != nil {
			return err
		}
		cond, args, orderLimit := page.clause("a.id")
		rows, err := tx.QueryContext(ctx, `SELECT `+actorFields+actorFrom+`JOIN reactions r ON r.actor_id = a.id
			WHERE r.post_id = ? AND r.kind = ? AND `+cond+`
				AND NOT EXISTS (SELECT 1 FROM member_suspensions ms WHERE ms.member_id = a.id) `+orderLimit, append([]any{postID, kind}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var row actorRow
			if err := rows.Scan(row.targets()...); err != nil {
				return err
			}
			list = append(list, row.actor())
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("reactors of %s: %w", postID, err)
	}
	newestFirst(page, list)
	return list, nil
}
