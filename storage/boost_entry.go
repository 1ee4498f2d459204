package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// BoostEntry returns the boost with the entry id as a timeline lists
// it, when the viewer may see it (as boostEntries decides); ENotFound
// otherwise.
func (db *DB) BoostEntry(ctx context.Context, viewerID, boostID string) (*Post, error) {
	return db.oneBoostEntry(ctx, viewerID, `r.id = ?`, boostID)
}

// MemberBoostEntry returns the member's boost of the post as a timeline
// lists it; ENotFound when they have not boosted it.
func (db *DB) MemberBoostEntry(ctx context.Context, memberID, postID string) (*Post, error) {
	return db.oneBoostEntry(ctx, memberID, `r.actor_id = ? AND r.post_id = ?`, memberID, postID)
}

// oneBoostEntry reads the one boost entry cond selects.
func (db *DB) oneBoostEntry(ctx context.Context, viewerID, cond string, args ...any) (*Post, error) {
	var entries []*Post
	err := db.read(ctx, func(tx *Tx) (err error) {
		entries, _, err = tx.boostEntries(ctx, viewerID, cond, IDPage{Limit: 1}, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read boost: %w", err)
	}
	if len(entries) == 0 {
		return nil, Errorf(ENotFound, "No such boost.")
	}
	return entries[0], nil
}

// withBoostsPage merges a timeline page of posts and the boost entries
// read for the same IDPage into one page of the page's size, newest
// first; a post already on the page by a newer entry is left out.
func withBoostsPage(t *Timeline, boosts []*Post, page IDPage) *Timeline {
	if len(boosts) == 0 {
		return t
	}
	merged := slices.Concat(t.Posts, boosts)
	slices.SortStableFunc(merged, func(x, y *Post) int { return strings.Compare(y.EntryID(), x.EntryID()) })
	if n := page.limit(); len(merged) > n {
		if page.oldestFirst() {
			merged = merged[len(merged)-n:]
		} else {
			merged = merged[:n]
		}
	}
	out := &Timeline{}
	listed := map[string]bool{}
	for _, p := range merged {
		if !listed[p.ID] {
			listed[p.ID] = true
			out.Posts = append(out.Posts, p)
		}
	}
	// The ends of what is answered bound it; a post read but cut, or
	// left out for a muted word, is past neither, and read again later.
	out.Newest, out.Oldest = merged[0].EntryID(), merged[len(merged)-1].EntryID()
	return out
}
