package storage

import "context"

// homeTimelineDepth is how far back from the newest post a page asked
// for with only a MinID looks for the posts right after it: Mastodon
// keeps the newest 800 statuses of a home feed, and so reaches no
// further back either.
const homeTimelineDepth = 800

// HomeTimeline pages through the member's home feed, exactly what
// HomeFeed lists (the same query and rule), by IDPage. The feed is read
// newest first from MaxID; SinceID and MinID cut it below. A page asked
// with only a MinID (the posts right after it, oldest of them first)
// reads on from the top until it reaches MinID, at most
// homeTimelineDepth posts, and answers the oldest of them.
func (db *DB) HomeTimeline(ctx context.Context, memberID string, page IDPage) (*Timeline, error) {
	lower := max(page.SinceID, page.MinID)
	if !page.oldestFirst() {
		feed, err := db.HomeFeed(ctx, memberID, page.MaxID, page.limit())
		if err != nil {
			return nil, err
		}
		return timelineOf(newerThan(feed.Posts, lower)), nil
	}
	var posts []*Post
	before := page.MaxID
	for len(posts) < homeTimelineDepth {
		feed, err := db.HomeFeed(ctx, memberID, before, MaxPageLimit)
		if err != nil {
			return nil, err
		}
		newer := newerThan(feed.Posts, lower)
		posts = append(posts, newer...)
		if len(newer) < len(feed.Posts) || feed.Next == "" {
			break
		}
		before = feed.Next
	}
	if n := len(posts); n > page.limit() {
		posts = posts[n-page.limit():]
	}
	return timelineOf(posts), nil
}

// newerThan keeps the posts (newest first) whose ids are past id.
func newerThan(posts []*Post, id string) []*Post {
	if id == "" {
		return posts
	}
	for i, p := range posts {
		if p.EntryID() <= id {
			return posts[:i]
		}
	}
	return posts
}

// timelineOf is a Timeline of posts read newest first.
func timelineOf(posts []*Post) *Timeline {
	t := &Timeline{Posts: posts}
	if len(posts) > 0 {
		t.Newest, t.Oldest = posts[0].EntryID(), posts[len(posts)-1].EntryID()
	}
	return t
}
