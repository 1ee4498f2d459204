package storage

import (
	"context"
	"fmt"
)

// The timelines a post is streamed on, as Stream.Kind.
const (
	StreamHome    = "home"    // HomeFeed
	StreamPublic  = "public"  // PublicTimeline; Local or Remote narrow it
	StreamTag     = "hashtag" // TagTimeline of Tag; Local narrows it
	StreamSubwiki = "subwiki" // SubwikiTimeline of SubwikiID
)

// Stream is one timeline a member watches as it changes.
type Stream struct {
	Kind          string
	Local, Remote bool
	Tag           string
	SubwikiID     string
}

// StreamedPost returns the post with the id if the timeline s lists it
// for the viewer, read as the timeline reads it (the same query and
// rules: visibility, reach, mutes, muted words); ENotFound if it does
// not. It is how a new or changed post is judged before an open stream
// shows it, so that a stream shows what the timeline would.
func (db *DB) StreamedPost(ctx context.Context, viewerID, postID string, s Stream) (*Post, error) {
	var posts []*Post
	var err error
	switch s.Kind {
	case StreamHome:
		posts, err = db.homeFeedPost(ctx, viewerID, postID)
	case StreamPublic:
		cond, args := publicTimelineCond(viewerID, s.Local, s.Remote)
		posts, err = db.postMatching(ctx, viewerID, postID, cond, args)
	case StreamTag:
		cond, args, cerr := db.tagTimelineCond(ctx, viewerID, s.Tag)
		if cerr != nil {
			return nil, cerr
		}
		if s.Local {
			cond = `p.local = 1 AND ` + cond
		}
		posts, err = db.postMatching(ctx, viewerID, postID, cond, args)
	case StreamSubwiki:
		cond, args := subwikiFeedCond(viewerID, s.SubwikiID)
		posts, err = db.postMatching(ctx, viewerID, postID, cond, args)
	default:
		return nil, Errorf(EInvalid, "No such stream: %s.", s.Kind)
	}
	if err != nil {
		return nil, err
	}
	if len(posts) == 0 {
		return nil, Errorf(ENotFound, "No such post.")
	}
	return posts[0], nil
}

// postMatching reads the post with the id if it matches cond (a
// timeline's condition, fixed in the code), without muted words.
func (db *DB) postMatching(ctx context.Context, viewerID, postID, cond string, args []any) ([]*Post, error) {
	t, err := db.idPagePosts(ctx, viewerID, cond+` AND p.id = ?`, IDPage{Limit: 1}, append(args, postID)...)
	if err != nil {
		return nil, fmt.Errorf("streamed post %s: %w", postID, err)
	}
	return t.Posts, nil
}

// homeFeedPost reads the post with the id if the member's home feed
// lists it: the feed's own query, asked for the one newest post up to
// it, through a window of one, so that the rule is not written twice.
func (db *DB) homeFeedPost(ctx context.Context, memberID, postID string) ([]*Post, error) {
	page, err := db.homeFeed(ctx, memberID, postID+"\x00", 1, 1)
	if err != nil {
		return nil, fmt.Errorf("streamed post %s: %w", postID, err)
	}
	if len(page.Posts) == 0 || page.Posts[0].ID != postID {
		return nil, nil
	}
	t, err := db.withoutMutedWordsOf(ctx, memberID, page.Posts)
	if err != nil {
		return nil, err
	}
	return t.Posts, nil
}
