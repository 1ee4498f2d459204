package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// boostEntries reads the boosts with entry ids within the page, newest
// first, by the boosters that cond selects (fixed in the code; r is the
// reactions row, a the booster), as entries: copies of the boosted posts
// with their Boost set. A boost of a post the viewer may not see or is
// not reached by, of a post not for everyone, of an author the viewer
// muted, or by a suspended member is left out. It reports whether the
// page was full, so that there may be more.
func (tx *Tx) boostEntries(ctx context.Context, viewerID, cond string, page IDPage, args ...any) ([]*Post, bool, error) {
	pageCond, pageArgs, orderLimit := page.clause("r.id")
	rows, err := tx.queryFixed(ctx, `SELECT r.id, r.post_id, r.created_at, r.activity_uri, `+actorFields+actorFrom+
		`JOIN reactions r ON r.actor_id = a.id
		WHERE r.kind = 'announce' AND r.id IS NOT NULL AND `+cond+` AND `+pageCond+`
			AND NOT EXISTS (SELECT 1 FROM member_suspensions ms WHERE ms.member_id = r.actor_id)
		`+orderLimit, append(args, pageArgs...)...)
	if err != nil {
		return nil, false, fmt.Errorf("read boosts: %w", err)
	}
	defer rows.Close()
	var boosts []*Boost
	var postIDs []string
	for rows.Next() {
		var b Boost
		var postID string
		var at int64
		booster, err := scanActor(rows, &b.ID, &postID, &at, &b.ActivityURI)
		if err != nil {
			return nil, false, err
		}
		b.Booster, b.At = booster, fromMillis(at)
		boosts, postIDs = append(boosts, &b), append(postIDs, postID)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	rows.Close()
	posts, err := tx.boostablePosts(ctx, viewerID, postIDs)
	if err != nil {
		return nil, false, err
	}
	var entries []*Post
	for i, b := range boosts {
		if p, ok := posts[postIDs[i]]; ok {
			entry := *p
			entry.Boost = b
			entries = append(entries, &entry)
		}
	}
	newestFirst(page, entries)
	return entries, len(boosts) == page.limit(), nil
}

// boostablePosts loads the posts with the ids that a boost may show the
// viewer: for everyone, theirs to see and reaching them, by an author
// they did not mute.
func (tx *Tx) boostablePosts(ctx context.Context, viewerID string, ids []string) (map[string]*Post, error) {
	byID := map[string]*Post{}
	if len(ids) == 0 {
		return byID, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	visible, args := visibleTo(viewerID)
	reach, reachArgs := reachTo(viewerID)
	posts, err := tx.listedPosts(ctx, postsSelect+`WHERE p.id IN (SELECT value FROM json_each(?))
		AND p.visibility IN ('public', 'unlisted') AND `+visible+` AND `+reach+` AND `+notMutedSQL("?", "p.author_id"),
		append(append(append([]any{string(list)}, args...), reachArgs...), viewerID)...)
	if err != nil {
		return nil, fmt.Errorf("read boosted posts: %w", err)
	}
	for _, p := range posts {
		byID[p.ID] = p
	}
	return byID, nil
}

// withBoosts merges a page of posts and a page of boost entries, each
// newest first, into one page of at most limit entries, newest first by
// EntryID. A post already on the page by a newer entry is not listed
// again. more says whether there were boosts past those given.
func withBoosts(posts *FeedPage, boosts []*Post, more bool, limit int) *FeedPage {
	if len(boosts) == 0 {
		return posts
	}
	out := &FeedPage{}
	listed := map[string]bool{}
	i, j := 0, 0
	for len(out.Posts) < limit && (i < len(posts.Posts) || j < len(boosts)) {
		var next *Post
		if j == len(boosts) || (i < len(posts.Posts) && posts.Posts[i].EntryID() > boosts[j].EntryID()) {
			next, i = posts.Posts[i], i+1
		} else {
			next, j = boosts[j], j+1
		}
		if !listed[next.ID] {
			listed[next.ID] = true
			out.Posts = append(out.Posts, next)
		}
	}
	left := i < len(posts.Posts) || j < len(boosts) || posts.Next != "" || more
	if left && len(out.Posts) > 0 {
		out.Next = out.Posts[len(out.Posts)-1].EntryID()
	}
	return out
}

// withHomeBoosts adds to a page of the member's home feed, read before
// the cursor, the boosts of the member and of the accounts they follow
// and did not mute.
func (db *DB) withHomeBoosts(ctx context.Context, memberID string, page *FeedPage, before string, limit int) (*FeedPage, error) {
	var boosts []*Post
	var more bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		boosts, more, err = tx.boostEntries(ctx, memberID, homeBoostersCond,
			IDPage{MaxID: before, Limit: limit}, memberID, memberID, memberID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("home boosts of %s: %w", memberID, err)
	}
	return withBoosts(page, boosts, more, limit), nil
}

// homeBoostersCond selects the boosts a member's home feed lists: theirs
// and those of the accounts they follow and did not mute. Its three
// parameters are the member's id.
const homeBoostersCond = `r.actor_id IN (SELECT ? UNION SELECT followee_id FROM follows
	WHERE follower_id = ? AND state = 'accepted' AND followee_id NOT IN (SELECT target_id FROM mutes WHERE member_id = ?))`

// ProfileFeed pages through what a profile page lists: the actor's
// posts the viewer may see (PostsBy) and the actor's boosts, newest
// first by entry id, which is the cursor. The actor's outbox lists
// PostsBy alone.
func (db *DB) ProfileFeed(ctx context.Context, viewerID, actorID, before string, limit int) (*FeedPage, error) {
	page, err := db.PostsBy(ctx, viewerID, actorID, before, limit)
	if err != nil {
		return nil, err
	}
	var boosts []*Post
	var more bool
	err = db.read(ctx, func(tx *Tx) (err error) {
		boosts, more, err = tx.boostEntries(ctx, viewerID, `r.actor_id = ?`, IDPage{MaxID: before, Limit: limit}, actorID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("boosts of %s: %w", actorID, err)
	}
	return withBoosts(page, boosts, more, limit), nil
}
