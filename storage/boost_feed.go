package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// boostEntries reads the boosts with entry ids within the page, newest
// first, by the boosters that cond selects (fixed in the code; r is the
// reactions row), as entries: copies of the boosted posts
// with their Boost set. A boost of a post the viewer may not see or is
// not reached by, of a post not for everyone, of an author the viewer
// muted, by a suspended member, or by an account in a block with the
// viewer (a boost is its booster's, hidden as their posts are) is left
// out. It reports whether the page was full, so that there may be more.
func (tx *Tx) boostEntries(ctx context.Context, viewerID, cond string, page IDPage, args ...any) ([]*Post, bool, error) {
	pageCond, pageArgs, orderLimit := page.clause("r.id")
	blockFree, blockArgs := blockFreeTo("r.actor_id", viewerID)
	order := "DESC"
	if page.oldestFirst() {
		order = "ASC"
	}
	// The boosts are found first, and only their boosters read: joined
	// in the same loop, SQLite would read an actor for every source.
	rows, err := tx.queryFixed(ctx, `SELECT r.id, r.post_id, r.created_at, r.activity_uri, `+actorFields+`
		FROM (SELECT r.id, r.post_id, r.created_at, r.activity_uri, r.actor_id FROM reactions r
			WHERE r.kind = 'announce' AND r.id IS NOT NULL AND `+cond+` AND `+blockFree+` AND `+pageCond+`
				AND NOT EXISTS (SELECT 1 FROM member_suspensions ms WHERE ms.member_id = r.actor_id)
			`+orderLimit+`) r
		JOIN actors a ON a.id = r.actor_id LEFT JOIN members m ON m.id = a.id
		ORDER BY r.id `+order, slices.Concat(args, blockArgs, pageArgs)...)
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
//
// Of a full page of posts, only the boosts newer than its oldest post
// can be on the page. Two ways find them, each fast where the other is
// slow (docs/BENCHMARKS.md, "With boosts"): looking up each source's
// boosts by its index (reactions_boosts_by) costs a lookup a source;
// walking every boost of the page's span (reactions_boost_id) and asking
// of each whether its booster is a source costs a lookup a boost. A span
// of fewer than walkedBoostsAtMost boosts is walked: a member with many
// sources has a short span. Other spans, and a page that is not full
// and so has none, look up each source's boosts.
func (db *DB) withHomeBoosts(ctx context.Context, memberID string, page *FeedPage, before string, limit int) (*FeedPage, error) {
	var boosts []*Post
	var more bool
	err := db.read(ctx, func(tx *Tx) (err error) {
		span, cond := IDPage{MaxID: before, Limit: limit}, homeBoostersCond
		if page.Next != "" && len(page.Posts) == limit {
			span.SinceID = page.Posts[limit-1].EntryID()
			// Walking costs up to walkedBoostsAtMost lookups; a span with
			// more boosts is looked up by source.
			var inSpan int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM reactions
				WHERE id IS NOT NULL AND id > ? AND id < ? LIMIT ?)`,
				span.SinceID, cmpBefore(before), walkedBoostsAtMost).Scan(&inSpan); err != nil {
				return err
			}
			if inSpan < walkedBoostsAtMost {
				cond = homeBoostersWalked
			}
		}
		boosts, more, err = tx.boostEntries(ctx, memberID, cond, span, memberID, memberID, memberID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("home boosts of %s: %w", memberID, err)
	}
	return withBoosts(page, boosts, more, limit), nil
}

// walkedBoostsAtMost bounds the boosts of a span that the home feed
// walks: 300 cost about what looking up 400 sources' boosts does.
const walkedBoostsAtMost = 300

// cmpBefore is a cursor to compare ids with: "" is past every id.
func cmpBefore(before string) string {
	if before == "" {
		return "\uffff"
	}
	return before
}

// homeBoostersCond selects the boosts a member's home feed lists: theirs
// and those of the accounts they follow and did not mute. Its three
// parameters are the member's id. SQLite reads it by looking up each of
// those accounts' boosts.
const homeBoostersCond = `r.actor_id IN (SELECT ? UNION SELECT followee_id FROM follows
	WHERE follower_id = ? AND state = 'accepted' AND followee_id NOT IN (SELECT target_id FROM mutes WHERE member_id = ?))`

// homeBoostersWalked selects what homeBoostersCond does, asked of each
// boost in turn, so that SQLite walks the boosts by id.
const homeBoostersWalked = `(r.actor_id = ? OR EXISTS (SELECT 1 FROM follows f
	WHERE f.follower_id = ? AND f.followee_id = r.actor_id AND f.state = 'accepted'))
	AND NOT EXISTS (SELECT 1 FROM mutes mu WHERE mu.member_id = ? AND mu.target_id = r.actor_id)`

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
