package storage

import "context"

// PublicFeed pages through the public posts (not comments) this
// instance's members made, newest first, that the viewer ("" for a
// stranger) may see: the front page of a visitor and the instance's
// public news feed. Unlisted, followers-only and direct posts are never
// in it, as Mastodon's local timeline holds only public posts. Authors
// the viewer muted are left out.
func (db *DB) PublicFeed(ctx context.Context, viewerID, before string, limit int) (*FeedPage, error) {
	visible, args := visibleTo(viewerID)
	cond := `p.local = 1 AND p.kind <> 'comment' AND p.visibility = 'public' AND ` + visible +
		` AND ` + notMutedSQL("?", "p.author_id")
	args = append(args, viewerID)
	return db.withoutMutedWords(ctx, viewerID, before, limit, func(before string) (*FeedPage, error) {
		return db.listPosts(ctx, cond, before, limit, args...)
	})
}
